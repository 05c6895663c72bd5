// Every oracle by name: what a violation's `oracle` field, a catalog entry and the reports may say.
export const ORACLES = [
  'lost-write', // an owner reads back something other than its last token
  'stale-read', // another CPU's word went backwards
  'stale-tlb', // an access through a stale translation, or a frame freed or copied out while a TLB maps it
  'tlb-coherence', // a PTE set while a TLB still caches what the new entry does not allow, no flush pending
  'tlb-after-return', // munmap, mprotect(PROT_NONE) or mremap returned while a TLB still maps the range, no flush pending
  'cow-bypass', // a store through a private mapping reached the object's own frame
  'dma-target', // a device write through a pin landed in a page the user no longer sees
  'pte-outside-vma', // the MMU loaded a translation no live VMA covers
  'pte-overwrite', // set_pte_at over a present PTE
  'use-after-free', // a frame or page used or referenced after its free
  'frame-state', // a frame allocated twice
  'frame-leak', // at the end: a frame neither free nor owned exactly once
  'page-count', // at the end: refcount or mapcount not what the page tables and pins say
  'stale-pte', // at the end: a PTE that maps a frame its page no longer lives in, or a migration entry left
  'lock-state', // lock misuse: writer with readers, release by a non-holder, sleep under a spinlock, still held
  'deadlock', // no thread can run (a wait-for cycle), or the free-mode watchdog fired
  'livelock', // no progress for --max-steps steps, or an access still faulting after 100k tries
  'lost-wakeup', // a sleeper whose word changed and whom nobody woke
] as const;

export type OracleName = (typeof ORACLES)[number];
/** A user test's own oracle (`check(cond, oracle, message)` in src/api): kept apart from the model's by its prefix. */
export type UserOracle = `test:${string}`;
