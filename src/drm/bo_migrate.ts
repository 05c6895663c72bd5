// Page migration of a buffer object's system page (the migrator's single-page moves): the driver's
// part around mm's migrate_page. The object stays reserved, and any pipelined move has landed, so
// neither the driver's fault handler nor a TTM move touches the page meanwhile; an object in VRAM
// has no struct pages to migrate.
import type { Task } from '../kernel/task.js';
import { BO_PLACEMENT, PL_SYSTEM } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { migrate_page } from '../mm/migrate.js';
import { bo_fence_wait, dma_resv_lock, dma_resv_unlock } from './bo.js';

const L_BO = label('bo_migrate:bo');

/** Migrates page `p` of `obj`; false if the object is in VRAM or mm gave the page up. */
export function bo_migrate_page(t: Task, obj: number, p: number): boolean {
  dma_resv_lock(t, obj);
  bo_fence_wait(t, obj);
  const moved = t.a.load(t.lay.bow(obj, BO_PLACEMENT), L_BO) === PL_SYSTEM && migrate_page(t, obj, p);
  dma_resv_unlock(t, obj);
  return moved;
}
