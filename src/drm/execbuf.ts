// A DRM ioctl in the style of execbuf: reserve a buffer object, copy the arguments from user
// memory, unreserve. Command buffers are the even objects, argument buffers the odd ones.
// Faulting while holding a reservation would take mmap_sem under it (resv → mmap_sem), the
// reverse of the fault path's order; so the copy runs with page faults disabled and, when the
// page is not present, the ioctl drops the reservation, faults the page in, and starts over.
import type { Task } from '../kernel/task.js';
import { user_access } from '../arch/x86/uaccess.js';
import { dma_resv_lock, dma_resv_unlock } from './bo.js';

/** After this many slow-path restarts the ioctl gives up with -EFAULT, as drivers bound theirs. */
const MAX_RESTARTS = 4;

/** Reserves command buffer `bo` and copies word w of page `page` of argument buffer `args`,
 * which the program has mapped at `argsVpn`. */
export function drm_ioctl_execbuf(t: Task, bo: number, argsVpn: number, args: number, page: number, w: number): void {
  // the 2009 execbuf copied with faults enabled under the reservation (race R3)
  const mayFault = t.bugs.execbufFaultsUnderResv;
  for (let restart = 0; restart < MAX_RESTARTS; restart++) {
    dma_resv_lock(t, bo);
    const copied = user_access(t, argsVpn + page, args, page, w, false, mayFault);
    dma_resv_unlock(t, bo);
    if (copied) return;
    // slow path: fault the argument page in with no reservation held, then try again
    if (!user_access(t, argsVpn + page, args, page, w, false)) return;
  }
}
