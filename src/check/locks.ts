// Lock-state oracle: a lock is released only by its holder, a writer never shares an rwsem with
// readers, and a sleeping lock is never taken while a spinlock is held.
import type { Task } from '../kernel/task.js';
import { violation } from './violation.js';

export function check_release(t: Task, lk: number, prevHolder: number, what: string): void {
  if (prevHolder !== t.tid + 1) {
    violation(t, 'lock-state', `${t.name} released ${what} @${lk} held by ${prevHolder === 0 ? 'nobody' : `tid ${prevHolder - 1}`}`);
  }
}

export function check_rwsem_exclusive(t: Task, lk: number, writerOwner: number, readerMask: number, asWriter: boolean): void {
  if (asWriter ? readerMask !== 0 : writerOwner !== 0) {
    violation(t, 'lock-state', `rwsem @${lk}: writer tid ${writerOwner - 1} together with readers mask 0x${(readerMask >>> 0).toString(16)} (${t.name} acquiring ${asWriter ? 'write' : 'read'})`);
  }
}

/** `kind` and `lk` name the lock; the message is built only when the check fails (this runs on
 * every sleeping-lock acquisition). */
export function check_may_sleep(t: Task, spinDepth: number, kind: string, lk: number): void {
  if (spinDepth > 0) violation(t, 'lock-state', `${t.name} may sleep on ${kind} @${lk} while holding a spinlock`);
}
