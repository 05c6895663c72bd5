// Moving an object between VRAM and system RAM (ttm_bo_handle_move_mem, pipelined):
// reserve → unmap_mapping_range (zap + shootdown + acks) → take the system pages away under the
// page lock → arm the move fence, switch placement, unreserve → copy → free the old frames →
// signal the fence. Faults that see the fence wait for it before mapping the new placement.
// Not pipelined (the 2006 proposal's move, drm/bo2006.ts): the copy and the frees happen under
// the object's lock, and no fence is ever armed.
import type { Task } from '../kernel/task.js';
import { BO_NPAGES, BO_PLACEMENT, PG_MAPCOUNT, PG_OWNER, PL_SYSTEM, PL_VRAM, POOL_SYSTEM, POOL_VRAM, ST_MIGRATIONS } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { OPEN_MIGRATION } from '../profile/probe.js';
import { alloc_frame, free_frame, put_page } from '../mm/frames.js';
import { lock_page, unlock_page } from '../mm/filemap.js';
import { flush_tlb_wait, type PendingAcks } from '../mm/tlb.js';
import { unmap_mapping_range } from '../mm/unmap.js';
import { page_ref_freezable } from '../mm/migrate.js';
import { check_no_tlb_reaches } from '../check/frames.js';
import { bo_fence_arm, bo_fence_signal, bo_fence_wait, dma_resv_lock, dma_resv_unlock } from './bo.js';

const L_BO = label('ttm_move:bo');
const L_COPY = label('ttm_move:copy');
const L_PAGE = label('ttm_move:page');

/** Moves `obj` to the other placement; false if the destination pool had no room. */
export function ttm_bo_move(t: Task, obj: number, pipelined = true): boolean {
  const a = t.a;
  const lay = t.lay;
  const since = t.probe.open(OPEN_MIGRATION, obj);
  dma_resv_lock(t, obj);
  bo_fence_wait(t, obj); // the previous move's copy must land before we move again
  const from = a.load(lay.bow(obj, BO_PLACEMENT), L_BO);
  const to = from === PL_VRAM ? PL_SYSTEM : PL_VRAM;
  const fromPool = from === PL_VRAM ? POOL_VRAM : POOL_SYSTEM;
  const toPool = to === PL_VRAM ? POOL_VRAM : POOL_SYSTEM;
  const n = a.load(lay.bow(obj, BO_NPAGES), L_BO);

  const fresh: number[] = [];
  for (let p = 0; p < n; p++) {
    const f = alloc_frame(t, toPool);
    if (f < 0) {
      for (const g of fresh) free_frame(t, toPool, g);
      dma_resv_unlock(t, obj);
      if (t.probe.on) t.probe.span('migration', 'drm', since, { obj, gaveUp: 'no room' });
      return false;
    }
    if (toPool === POOL_SYSTEM) a.store(lay.page(f, PG_OWNER), ((obj << 16) | p) + 1, L_PAGE);
    fresh.push(f);
  }

  // ttm_bo_unmap_virtual: no CPU may reach the old backing once this returns (acks included)
  const deferred: PendingAcks | undefined = t.bugs.freeBeforeFlush ? [] : undefined;
  unmap_mapping_range(t, obj, 0, n, deferred);

  const old: number[] = [];
  for (let p = 0; p < n; p++) old.push(a.load(lay.backing(obj, p), L_BO));
  if (fromPool === POOL_SYSTEM) {
    for (let p = 0; p < n; p++) {
      if (release_system_page(t, obj, p, old[p] as number, deferred)) continue;
      // a page is pinned for DMA or still in a zapper's gather: give the move up, the object
      // stays where it is
      for (let q = 0; q < p; q++) a.store(lay.page(old[q] as number, PG_OWNER), ((obj << 16) | q) + 1, L_PAGE);
      for (const g of fresh) free_frame(t, toPool, g);
      dma_resv_unlock(t, obj);
      if (t.probe.on) t.probe.span('migration', 'drm', since, { obj, gaveUp: 'page in use' });
      return false;
    }
  }

  if (pipelined) bo_fence_arm(t, obj);
  for (let p = 0; p < n; p++) a.store(lay.backing(obj, p), fresh[p] as number, L_BO);
  a.store(lay.bow(obj, BO_PLACEMENT), to, L_BO);
  if (pipelined) dma_resv_unlock(t, obj);

  const w = t.cfg.wordsPerPage;
  for (let p = 0; p < n; p++) {
    const src = lay.frame(fromPool, old[p] as number);
    check_no_tlb_reaches(t, src, 'copied out of');
    a.copy(lay.word(lay.frame(toPool, fresh[p] as number), 0), lay.word(src, 0), w, L_COPY);
  }
  for (let p = 0; p < n; p++) {
    if (fromPool === POOL_VRAM) free_frame(t, POOL_VRAM, old[p] as number);
    else put_page(t, old[p] as number); // the object's own reference
  }
  if (deferred) flush_tlb_wait(t, deferred);
  if (pipelined) bo_fence_signal(t, obj);
  else dma_resv_unlock(t, obj);
  t.count(ST_MIGRATIONS);
  t.probe.span('migration', 'drm', since, { obj, to: to === PL_VRAM ? 'vram' : 'system' });
  return true;
}

/**
 * Truncate-style removal of one system page: a fault that picked the page before we reserved
 * holds its page lock until it has installed the PTE, so take the lock, zap again if it got
 * mapped meanwhile, and only then cut the page loose from the object. False: it is still
 * referenced (pinned, or gathered by a zap that has not flushed).
 */
function release_system_page(t: Task, obj: number, p: number, page: number, deferred: PendingAcks | undefined): boolean {
  if (t.bugs.moverSkipsPageLock) {
    // before d00806b18315: no page lock, no second look; an in-flight fault maps the page after our zap
    t.a.store(t.lay.page(page, PG_OWNER), 0, L_PAGE);
    return true;
  }
  lock_page(t, page);
  if (t.a.load(t.lay.page(page, PG_MAPCOUNT), L_PAGE) > 0) unmap_mapping_range(t, obj, p, 1, deferred);
  // no PTE maps it now and no fault can start without the reservation, but a reference beyond
  // the object's own is a pin, or a zapper's gather whose flush has not reached every TLB yet:
  // like folio_ref_freeze in migration, give up rather than copy a page still in use (R9)
  const busy = !page_ref_freezable(t, page);
  if (!busy) t.a.store(t.lay.page(page, PG_OWNER), 0, L_PAGE);
  unlock_page(t, page);
  return !busy;
}
