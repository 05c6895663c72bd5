// Physical memory: a frame allocator per pool (system RAM, VRAM, PTE pages) and struct page
// reference counting for system RAM. VRAM is io memory: no struct page, no refcount.
import type { Task } from '../kernel/task.js';
import {
  AL_LOCK, AL_STACK, AL_TOP, FO_GEN, FO_STATE, PG_ANON, PG_MAPCOUNT, PG_OWNER, PG_REFCOUNT, POOL_PTE, POOL_SYSTEM,
} from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { check_frame_alloc, check_frame_free, check_page_ref } from '../check/frames.js';

const L_ALLOC = label('frames:alloc');
const L_FREE = label('frames:free');
const L_REF = label('page:ref');

/** Takes a frame from `pool`; -1 when the pool is empty. */
export function alloc_frame(t: Task, pool: number): number {
  const a = t.a;
  const base = t.lay.alloc[pool] as number;
  spin_lock(t, base + AL_LOCK, L_ALLOC);
  const top = a.load(base + AL_TOP, L_ALLOC);
  let idx = -1;
  if (top > 0) {
    idx = a.load(base + AL_STACK + top - 1, L_ALLOC);
    a.store(base + AL_TOP, top - 1, L_ALLOC);
  }
  spin_unlock(t, base + AL_LOCK, L_ALLOC);
  if (idx >= 0 && pool !== POOL_PTE) {
    check_frame_alloc(t, t.lay.frame(pool, idx));
    t.a.store(t.lay.fo(t.lay.frame(pool, idx), FO_STATE), 1, L_ALLOC);
  }
  if (idx >= 0 && pool === POOL_SYSTEM) {
    a.store(t.lay.page(idx, PG_REFCOUNT), 1, L_ALLOC);
    a.store(t.lay.page(idx, PG_MAPCOUNT), 0, L_ALLOC);
  }
  return idx;
}

export function free_frame(t: Task, pool: number, idx: number): void {
  const a = t.a;
  if (pool !== POOL_PTE) {
    const f = t.lay.frame(pool, idx);
    check_frame_free(t, f);
    // the generation changes on every free: a TLB entry filled before this no longer matches
    a.add(t.lay.fo(f, FO_GEN), 1, L_FREE);
    a.store(t.lay.fo(f, FO_STATE), 0, L_FREE);
  }
  const base = t.lay.alloc[pool] as number;
  spin_lock(t, base + AL_LOCK, L_FREE);
  const top = a.load(base + AL_TOP, L_FREE);
  a.store(base + AL_STACK + top, idx, L_FREE);
  a.store(base + AL_TOP, top + 1, L_FREE);
  spin_unlock(t, base + AL_LOCK, L_FREE);
}

export function get_page(t: Task, sysIdx: number): void {
  const old = t.a.add(t.lay.page(sysIdx, PG_REFCOUNT), 1, L_REF);
  check_page_ref(t, sysIdx, old, 'get_page');
}

/** Drops a reference; the last one frees the frame. */
export function put_page(t: Task, sysIdx: number): void {
  const old = t.a.add(t.lay.page(sysIdx, PG_REFCOUNT), -1, L_REF);
  check_page_ref(t, sysIdx, old, 'put_page');
  if (old === 1) {
    t.a.store(t.lay.page(sysIdx, PG_OWNER), 0, L_REF);
    t.a.store(t.lay.page(sysIdx, PG_ANON), 0, L_REF);
    free_frame(t, POOL_SYSTEM, sysIdx);
  }
}
