import test from 'ava';
import { FO_GEN, FO_STATE, TH_LAZY } from '../../src/shm/layout.js';
import { mk_pte } from '../../src/mm/pte.js';
import { check_frame_alloc, check_frame_free, check_no_tlb_reaches, check_page_ref } from '../../src/check/frames.js';
import { fired, machine, tlbHolds } from './machine.js';

/** Frame 3 allocated, and cpu1's TLB maps it (filled at the frame's current generation). */
function mapped(serial = true) {
  const x = machine({}, serial);
  x.m[x.lay.fo(3, FO_STATE)] = 1;
  tlbHolds(x, 1, 2, mk_pte(3, false, true, false));
  return x;
}

test('I4 fires: a frame freed or copied out while a TLB still maps it', (t) => {
  t.is(fired(() => check_frame_free(mapped().task(0), 3)), 'stale-tlb');
  t.is(fired(() => check_no_tlb_reaches(mapped().task(0), 3, 'copied out of')), 'stale-tlb');
});

test('I4 is quiet: another frame, an entry from an older generation of the frame, a lazy CPU, free mode', (t) => {
  t.is(fired(() => check_no_tlb_reaches(mapped().task(0), 4, 'freed')), null);
  const old = mapped();
  old.m[old.lay.fo(3, FO_GEN)] = 1;
  t.is(fired(() => check_no_tlb_reaches(old.task(0), 3, 'freed')), null, 'filled before an earlier free: the translation oracle catches its use');
  const lazy = mapped();
  lazy.m[lazy.lay.th(1, TH_LAZY)] = 1;
  t.is(fired(() => check_no_tlb_reaches(lazy.task(0), 3, 'freed')), null);
  t.is(fired(() => check_no_tlb_reaches(mapped(false).task(0), 3, 'freed')), null);
});

test('a frame allocated twice or freed twice; a reference taken on a page whose count reached zero', (t) => {
  const x = machine();
  const owned = x.m[x.lay.backing(0, 0)]!;
  const free = x.lay.sysFrames - 1; // boot leaves the migrators' spare frames free, the last among them
  t.is(x.m[x.lay.fo(free, FO_STATE)], 0);
  t.is(fired(() => check_frame_alloc(x.task(0), owned)), 'frame-state');
  t.is(fired(() => check_frame_alloc(x.task(0), free)), null);
  t.is(fired(() => check_frame_free(x.task(0), free)), 'use-after-free');
  t.is(fired(() => check_page_ref(x.task(0), 2, 0, 'get_page')), 'use-after-free');
  t.is(fired(() => check_page_ref(x.task(0), 2, 1, 'get_page')), null);
});
