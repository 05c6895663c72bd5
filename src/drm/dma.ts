// A device writing to user memory by DMA: the driver pins the page (GUP) when the transfer is
// queued; the device writes later and the driver unpins. A pinned page must not move: the mover
// checks for pins once the page is unreachable (after its second zap, under the page lock) and
// gives the move up (race R9).
import type { Task } from '../kernel/task.js';
import { label } from '../sched/labels.js';
import { FO_GEN, PG_ANON } from '../shm/layout.js';
import { check_dma_target } from '../check/dma_target.js';
import { GUP_NOT_PRESENT, pin_user_page, unpin_user_page } from '../mm/gup.js';
import { user_access } from '../arch/x86/uaccess.js';

const L_DMA = label('dma:write');

/** A queued transfer: the process, the pinned system page and the word the device will write. */
export interface Dma {
  mm: number;
  page: number;
  w: number;
  g: number;
}

/** Pins object page `page` (mapped at vpn) for a transfer into one of this CPU's own words there; null if the
 * page cannot be pinned (unmapped, or VRAM: no struct page, -EFAULT). */
export function dma_start(t: Task, vpn: number, obj: number, page: number): Dma | null {
  const { cpus, pages, wordsPerPage } = t.cfg;
  const base = (obj * pages + page) * wordsPerPage;
  const w = (((t.tid - base) % cpus) + cpus) % cpus;
  if (w >= wordsPerPage) return null;
  const mm = t.a.local(t.curMmWord);
  let pinned = pin_user_page(t, mm, vpn);
  if (pinned === GUP_NOT_PRESENT && user_access(t, vpn, obj, page, w, false)) pinned = pin_user_page(t, mm, vpn);
  return pinned < 0 ? null : { mm, page: pinned, w, g: base + w };
}

/** The device writes the CPU's next token through the pin, whatever the page tables say by now. */
export function dma_complete(t: Task, dma: Dma): void {
  // into a private copy (COW) the transfer is the process's own data, not the object's
  const priv = t.a.peek(t.lay.page(dma.page, PG_ANON)) !== 0;
  const gen = t.a.peek(t.lay.fo(dma.page, FO_GEN));
  t.a.store(t.lay.word(dma.page, dma.w), priv ? t.data.priv.write(dma.mm, dma.g, dma.page, gen) : t.data.nextToken(dma.g), L_DMA);
  check_dma_target(t, dma.mm, dma.g, dma.page);
  unpin_user_page(t, dma.page);
}
