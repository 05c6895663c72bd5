import test from 'ava';
import { FO_GEN, PG_ANON, PG_MAPCOUNT } from '../../src/shm/layout.js';
import { PrivateDataOracle } from '../../src/check/private_data.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detSpec, fired, machine, type Machine } from './machine.js';

test.after.always(closeDetPool);

// word G of object 0 page 0 is owned by cpu0 (2 CPUs); frames 8 and 9 are free system frames
// that the tests make into private copies of that page (objects use frames 0-7)
const G = 0;
const A = 8;
const B = 9;

function copyOf(x: Machine, frame: number, mm: number): void {
  x.m[x.lay.page(frame, PG_ANON)] = x.lay.anonId(mm, 0, 0);
  x.m[x.lay.page(frame, PG_MAPCOUNT)] = 1;
}

function oracle(x: Machine, tid: number): PrivateDataOracle {
  let token = 100;
  return new PrivateDataOracle(x.task(tid), () => ++token);
}

test('lost write: the owner reads back something else from the copy it wrote', (t) => {
  const x = machine();
  copyOf(x, A, 0);
  const o = oracle(x, 0);
  const v = o.write(0, G, A, 0);
  t.is(fired(() => o.checkLoad(0, G, v, A, 0, 0)), null);
  t.is(fired(() => o.checkLoad(0, G, v - 1, A, 0, 0)), 'lost-write');
});

test('lost write: the owner reads another copy while the one it wrote is still mapped', (t) => {
  const x = machine();
  copyOf(x, A, 0);
  copyOf(x, B, 0);
  const o = oracle(x, 0);
  o.write(0, G, A, 0);
  t.is(fired(() => o.checkLoad(0, G, 7, B, 0, 0)), 'lost-write');
  x.m[x.lay.page(A, PG_MAPCOUNT)] = 0;
  t.is(fired(() => o.checkLoad(0, G, 7, B, 0, 0)), null, 'a zapped copy takes its writes with it');
  x.m[x.lay.page(A, PG_MAPCOUNT)] = 1;
  x.m[x.lay.fo(A, FO_GEN)]++;
  t.is(fired(() => o.checkLoad(0, G, 7, B, 0, 0)), null, 'so does a freed one (its frame may be reused)');
});

test('per process: another process\'s copy of the same word is its own', (t) => {
  const x = machine();
  copyOf(x, A, 0);
  copyOf(x, B, 1);
  const o = oracle(x, 0);
  o.write(0, G, A, 0);
  t.is(fired(() => o.checkLoad(1, G, 7, B, 0, 0)), null);
});

test('stale read: another CPU sees a word of one copy go backwards; a new copy starts over', (t) => {
  const x = machine();
  const o = oracle(x, 1);
  o.checkLoad(0, G, 50, A, 0, 0);
  t.is(fired(() => o.checkLoad(0, G, 50, A, 0, 0)), null);
  t.is(fired(() => o.checkLoad(0, G, 40, B, 0, 0)), null);
  t.is(fired(() => o.checkLoad(0, G, 30, B, 0, 0)), 'stale-read');
});

test('at the end: a copy still mapped holds its owner\'s last token', (t) => {
  const x = machine();
  copyOf(x, A, 0);
  const o = oracle(x, 0);
  const v = o.write(0, G, A, 0);
  x.m[x.lay.word(A, 0)] = v;
  t.is(fired(() => o.checkFinal()), null);
  x.m[x.lay.word(A, 0)] = v - 1;
  t.is(fired(() => o.checkFinal()), 'lost-write');
  x.m[x.lay.page(A, PG_MAPCOUNT)] = 0;
  t.is(fired(() => o.checkFinal()), null);
});

test.serial('the correct protocol keeps private data clean (COW, munmap, madvise, mprotect, mremap, DMA, moves)', async (t) => {
  for (const strategy of [{ name: 'random' }, { name: 'pct' }] as const) {
    const r = await explore({ spec: detSpec({ pPrivate: 0.5, pDma: 0.1, pMadvise: 0.1, pMunmap: 0.05 }, strategy), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
    t.deepEqual(r.failures, [], r.failures[0]?.violation.message);
  }
});
