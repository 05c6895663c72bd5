import test from 'ava';
import { rmap_walk } from '../../src/mm/rmap.js';
import { set_rmap } from '../../src/mm/mmap.js';
import { window_vpn } from '../../src/mm/vma.js';
import { VMA_END, VMA_PGOFF, VMA_START } from '../../src/shm/layout.js';
import { machine } from '../check/machine.js';

/** Two processes, each mapping both objects of 4 pages at their home windows (as boot does). */
function twoProcesses() {
  const x = machine({ cpus: 1, processes: 2, objects: 2, pages: 4 });
  const t = x.task(0);
  const walk = (obj: number, first: number, n: number): [number, number, number, number][] => {
    const seen: [number, number, number, number][] = [];
    rmap_walk(t, obj, first, n, 0, (mm, slot, lo, hi) => seen.push([mm, slot, lo, hi]));
    return seen;
  };
  return { ...x, t, walk };
}

test('the walk visits every process mapping the object, with the address range of the pages asked for', (t) => {
  const x = twoProcesses();
  const w = window_vpn(x.t, 1);
  t.deepEqual(x.walk(1, 0, 4), [[0, 1, w, w + 4], [1, 1, w, w + 4]]);
  t.deepEqual(x.walk(1, 1, 2), [[0, 1, w + 1, w + 3], [1, 1, w + 1, w + 3]], 'clipped to pages 1 and 2');
});

test('a VMA mapping part of the object, or at an offset, is clipped to what it maps; one that maps none of those pages is skipped', (t) => {
  const x = twoProcesses();
  const w = window_vpn(x.t, 0);
  x.m[x.lay.vma(0, 0, VMA_END)] = w + 2; // mm 0 maps pages 0 and 1 only
  x.m[x.lay.vma(1, 0, VMA_PGOFF)] = 2; // mm 1 maps pages 2 and 3 at [w, w + 2)
  x.m[x.lay.vma(1, 0, VMA_END)] = w + 2;
  t.deepEqual(x.walk(0, 1, 2), [[0, 0, w + 1, w + 2], [1, 0, w, w + 1]]);
  t.deepEqual(x.walk(0, 3, 1), [[1, 0, w + 1, w + 2]], 'page 3: only mm 1 maps it');
});

test('while mremap moves a mapping both VMAs are in the reverse map, the old one first; then only the new one', (t) => {
  const x = twoProcesses();
  const from = window_vpn(x.t, 0);
  const to = window_vpn(x.t, 2);
  const vma = x.lay.vma(0, 2, 0);
  x.m[vma + VMA_START] = to;
  x.m[vma + VMA_END] = to + 4;
  set_rmap(x.t, 0, 0, 1, 3);
  t.deepEqual(x.walk(0, 0, 1), [[0, 0, from, from + 1], [0, 2, to, to + 1], [1, 0, from, from + 1]]);
  set_rmap(x.t, 0, 0, 3);
  t.deepEqual(x.walk(0, 0, 1), [[0, 2, to, to + 1], [1, 0, from, from + 1]]);
});
