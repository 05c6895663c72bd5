import test from 'ava';
import { labelName } from '../../src/sched/labels.js';
import { do_munmap } from '../../src/mm/mmap.js';
import { find_vma } from '../../src/mm/vma.js';
import { MM_MMAP_SEM, RW_COUNT, VMA_ATTACHED, VMA_FREE, VMA_UNMAPPING } from '../../src/shm/layout.js';
import type { BugName } from '../../src/bugs/switches.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { machine } from '../check/machine.js';

/** A one-CPU machine whose scheduler records every point's label (and, at each, a probe's answer). */
function recorded(bugs: BugName[] = []) {
  const points: string[] = [];
  let probe: (() => string) | null = null;
  const x = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, pages: 2, bugs }, true, (label) => void points.push(probe ? `${labelName(label)} ${probe()}` : labelName(label)));
  return { ...x, t: x.task(0), points, setProbe: (p: () => string) => (probe = p) };
}

test('munmap in Linux\'s order: detach, downgrade to read, zap, flush, unlink from the reverse map, free', (t) => {
  const x = recorded();
  t.true(user_access(x.t, 0, 0, 0, 0, true), 'the page is mapped and in the TLB');
  const vma = x.lay.vma(0, 0, VMA_ATTACHED);
  const sem = x.lay.mmw(0, MM_MMAP_SEM) + RW_COUNT;
  x.points.length = 0;
  x.setProbe(() => `state=${x.m[vma]} sem=${x.m[sem]}`);
  t.true(do_munmap(x.t, 0, 0));
  const first = (re: RegExp): number => x.points.findIndex((p) => re.test(p));
  const last = (re: RegExp): number => x.points.length - 1 - [...x.points].reverse().findIndex((p) => re.test(p));
  const zap = first(/^zap_pte_range/);
  const flush = last(/^tlb:flush:gen/);
  const unlink = first(/^mmap:i_mmap/);
  t.true(zap > 0 && flush > zap && unlink > flush, x.points.join('\n'));
  // from the zap on, the VMA is out of the tree but alive, and mmap_sem is held for read (one reader's bias)
  t.regex(x.points[zap]!, new RegExp(`state=${VMA_UNMAPPING} sem=256$`));
  t.is(x.m[vma], VMA_FREE);
  t.is(find_vma(x.t, 0, 0), -1);
  t.is(x.m[sem], 0);
});

test('munmap-unlink-before-flush: the reverse-map unlink comes before the flush (CVE-2022-39188)', (t) => {
  const x = recorded(['munmap-unlink-before-flush']);
  t.true(user_access(x.t, 0, 0, 0, 0, true));
  x.points.length = 0;
  do_munmap(x.t, 0, 0);
  const unlink = x.points.findIndex((p) => /^mmap:i_mmap/.test(p));
  const flush = x.points.findIndex((p) => /^tlb:flush:gen/.test(p));
  t.true(unlink > 0 && flush > unlink, x.points.join('\n'));
});
