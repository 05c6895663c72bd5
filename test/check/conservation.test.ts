import test from 'ava';
import { AL_TOP, FO_STATE, PG_MAPCOUNT, POOL_SYSTEM } from '../../src/shm/layout.js';
import { make_migration_entry } from '../../src/mm/pte.js';
import { pte_alloc } from '../../src/mm/pgtable.js';
import { check_conservation } from '../../src/check/conservation.js';
import { machine } from './machine.js';

const oracles = (x: ReturnType<typeof machine>): string[] => check_conservation(x.cfg, x.m).map((v) => v.oracle);

test('quiet on a booted machine: every frame owned once or free once, counts as the page tables say, no lock held', (t) => {
  t.deepEqual(oracles(machine()), []);
});

test('frame-leak: a frame off the free list that nobody owns', (t) => {
  const x = machine();
  const top = x.lay.alloc[POOL_SYSTEM]! + AL_TOP;
  x.m[top]!--;
  t.true(oracles(x).includes('frame-leak'));
});

test('frame-leak: an owned frame the allocator says is free', (t) => {
  const x = machine();
  x.m[x.lay.fo(x.m[x.lay.backing(0, 0)]!, FO_STATE)] = 0;
  t.deepEqual(oracles(x), ['frame-leak']);
});

test('page-count: a mapcount no PTE accounts for', (t) => {
  const x = machine();
  x.m[x.lay.page(x.m[x.lay.backing(0, 0)]!, PG_MAPCOUNT)] = 1;
  t.true(oracles(x).includes('page-count'));
});

test('stale-pte: a migration entry left behind', (t) => {
  const x = machine();
  const t0 = x.task(0);
  const pp = pte_alloc(t0, 0, 0);
  x.m[x.lay.pte(pp, 0)] = make_migration_entry(x.m[x.lay.backing(0, 0)]!);
  t.deepEqual(oracles(x), ['stale-pte']);
});

test('lock-state: a PTL still held at the end', (t) => {
  const x = machine();
  x.m[x.lay.ptl] = 1;
  t.deepEqual(oracles(x), ['lock-state']);
});
