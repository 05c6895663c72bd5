// Translation oracle, on every access through the TLB: the frame must not have been freed since
// the entry was filled (its generation still matches) and must still be the backing of the page
// the CPU meant to reach. Either failing means a CPU used a stale translation.
import type { Task } from '../kernel/task.js';
import { BO_PLACEMENT, FO_GEN, PL_VRAM, POOL_SYSTEM, POOL_VRAM } from '../shm/layout.js';
import { violation } from './violation.js';

export function check_translation(t: Task, frame: number, gen: number, vpn: number, obj: number, page: number): void {
  const a = t.a;
  const lay = t.lay;
  if (a.peek(lay.fo(frame, FO_GEN)) !== gen) freed_since_fill(t, frame, vpn, obj);
  const pool = a.peek(lay.bow(obj, BO_PLACEMENT)) === PL_VRAM ? POOL_VRAM : POOL_SYSTEM;
  const backing = lay.frame(pool, a.peek(lay.backing(obj, page)));
  if (backing !== frame) not_the_backing(t, frame, backing, vpn, obj, page);
}

// The reports, kept out of the check (which runs on every access) so it stays small.
function freed_since_fill(t: Task, frame: number, vpn: number, obj: number): never {
  violation(t, 'stale-tlb', `access at vpn ${vpn} through a TLB entry for frame ${frame}, freed since the entry was filled`, { addr: vpn, obj });
}

function not_the_backing(t: Task, frame: number, backing: number, vpn: number, obj: number, page: number): never {
  violation(t, 'stale-tlb', `access at vpn ${vpn} (object ${obj} page ${page}) reached frame ${frame}, but the page now lives in frame ${backing}`, { addr: vpn, obj });
}
