// GUP/DMA oracle, at the device's write through a pin: the write lands in the page the user sees
// at that moment (the object's current backing of that page, or the process's own copy of it
// while its PTE maps it), or in a private copy the process has unmapped since and the pin still
// holds (its data was the process's own, given up with the mapping). An object page pinned for
// DMA must never stop being the object's page: a move that takes it away loses the write (R9).
// A pin keeps the answer fixed, so this holds in free mode as well.
import type { Task } from '../kernel/task.js';
import { PG_ANON, PG_MAPCOUNT, PG_PINCOUNT } from '../shm/layout.js';
import { backingFrame } from '../shm/words.js';
import { violation } from './violation.js';

/** Call right after the device's store to system page `page` for word g of mm's view. */
export function check_dma_target(t: Task, mm: number, g: number, page: number): void {
  const { a, lay, cfg } = t;
  const words = cfg.pages * cfg.wordsPerPage;
  const obj = Math.floor(g / words);
  const p = Math.floor((g % words) / cfg.wordsPerPage);
  const backing = backingFrame(lay, t.m, obj, p);
  if (backing === page) return;
  const own = a.peek(lay.page(page, PG_ANON)) === lay.anonId(mm, obj, p);
  if (own && (a.peek(lay.page(page, PG_MAPCOUNT)) > 0 || a.peek(lay.page(page, PG_PINCOUNT)) > 0)) return;
  lost_dma(t, mm, obj, p, page, backing, own);
}

function lost_dma(t: Task, mm: number, obj: number, p: number, page: number, backing: number, own: boolean): never {
  const what = own ? `mm ${mm}'s unmapped private copy of it, no longer pinned` : `a page that is no longer the object's (it lives in frame ${backing})`;
  violation(t, 'dma-target', `a device write through a pin for object ${obj} page ${p} landed in frame ${page}, ${what}`, { obj, refs: { frame: page } });
}
