import test from 'ava';
import { FO_GEN, PG_ANON, POOL_SYSTEM, VMA_FLAGS, VM_SHARED } from '../../src/shm/layout.js';
import { check_translation } from '../../src/check/translation.js';
import { fired, machine, type Machine } from './machine.js';

// object 0 page 0, mapped by mm 0 at its home window (vpn 0, VMA slot 0); frame 9 is a free system frame
const COPY = 9;

function mapping(x: Machine, shared: boolean): void {
  const flags = x.lay.vma(0, 0, 0) + VMA_FLAGS;
  x.m[flags] = shared ? x.m[flags]! | VM_SHARED : x.m[flags]! & ~VM_SHARED;
}

function access(x: Machine, frame: number, write: boolean): () => void {
  return () => void check_translation(x.task(0), frame, x.m[x.lay.fo(frame, FO_GEN)]!, 0, 0, 0, 0, write);
}

test('cow-bypass: a store through a private mapping that reaches the object\'s own frame', (t) => {
  const x = machine();
  const backing = x.lay.frame(POOL_SYSTEM, x.m[x.lay.backing(0, 0)]!);
  mapping(x, false);
  t.is(fired(access(x, backing, false)), null, 'a private mapping reads the object page until it writes');
  t.is(fired(access(x, backing, true)), 'cow-bypass');
  x.m[x.lay.page(COPY, PG_ANON)] = x.lay.anonId(0, 0, 0);
  t.is(fired(access(x, COPY, true)), null, 'its own copy takes the store');
  mapping(x, true);
  t.is(fired(access(x, backing, true)), null, 'a shared mapping stores to the object page');
});

test('stale-tlb: an access through an entry whose frame was freed since the fill, or that is no longer the backing', (t) => {
  const x = machine();
  const backing = x.lay.frame(POOL_SYSTEM, x.m[x.lay.backing(0, 0)]!);
  mapping(x, true);
  const gen = x.m[x.lay.fo(backing, FO_GEN)]!;
  x.m[x.lay.fo(backing, FO_GEN)] = gen + 1;
  t.is(fired(() => void check_translation(x.task(0), backing, gen, 0, 0, 0, 0, false)), 'stale-tlb');
  t.is(fired(access(x, COPY, false)), 'stale-tlb', 'a frame that is neither the backing nor this process\'s copy');
});
