// Frame oracle: no use of a freed frame, no double allocation or free, no reference taken on a
// page whose count already reached zero.
import type { Task } from '../kernel/task.js';
import { FO_STATE } from '../shm/layout.js';
import { violation } from './violation.js';

export function check_frame_alloc(t: Task, frame: number): void {
  if (t.a.peek(t.lay.fo(frame, FO_STATE)) !== 0) violation(t, 'frame-state', `frame ${frame} allocated twice`);
}

export function check_frame_free(t: Task, frame: number): void {
  if (t.a.peek(t.lay.fo(frame, FO_STATE)) !== 1) violation(t, 'use-after-free', `frame ${frame} freed twice`);
}

export function check_frame_live(t: Task, frame: number, what: string, where: { addr?: number; obj?: number }): void {
  if (t.a.peek(t.lay.fo(frame, FO_STATE)) !== 1) violation(t, 'use-after-free', `${what} frame ${frame}, which is free`, where);
}

export function check_page_ref(t: Task, sysIdx: number, old: number, op: string): void {
  if (old <= 0) bad_page_ref(t, sysIdx, old, op);
}

/** The report, out of line: the check runs on every get_page/put_page. */
function bad_page_ref(t: Task, sysIdx: number, old: number, op: string): never {
  violation(t, 'use-after-free', `${op} on system page ${sysIdx} with refcount ${old}`);
}
