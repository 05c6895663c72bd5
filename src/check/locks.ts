// Lock-state oracle: a lock is released only by its holder, a writer never shares an rwsem with
// readers, and a sleeping lock is never taken while a spinlock is held.
// These run on every lock operation: each check is a compare, and the report is built in a
// separate cold function so the check stays small enough for V8 to inline.
import type { Thread } from '../kernel/thread.js';
import { violation } from './violation.js';

export function check_release(t: Thread, lk: number, prevHolder: number, what: string): void {
  if (prevHolder !== t.lockId) bad_release(t, lk, prevHolder, what);
}

function bad_release(t: Thread, lk: number, prevHolder: number, what: string): never {
  violation(t, 'lock-state', `${t.name} released ${what} @${lk} held by ${prevHolder === 0 ? 'nobody' : `tid ${prevHolder - 1}`}`);
}

export function check_rwsem_exclusive(t: Thread, lk: number, writerOwner: number, readerMask: number, asWriter: boolean): void {
  if (asWriter ? readerMask !== 0 : writerOwner !== 0) bad_rwsem_share(t, lk, writerOwner, readerMask, asWriter);
}

function bad_rwsem_share(t: Thread, lk: number, writerOwner: number, readerMask: number, asWriter: boolean): never {
  violation(t, 'lock-state', `rwsem @${lk}: writer tid ${writerOwner - 1} together with readers mask 0x${(readerMask >>> 0).toString(16)} (${t.name} acquiring ${asWriter ? 'write' : 'read'})`);
}

/** `kind` and `lk` name the lock (no string is built unless the check fails). */
export function check_may_sleep(t: Thread, spinDepth: number, kind: string, lk: number): void {
  if (spinDepth > 0) bad_sleep(t, kind, lk);
}

function bad_sleep(t: Thread, kind: string, lk: number): never {
  violation(t, 'lock-state', `${t.name} may sleep on ${kind} @${lk} while holding a spinlock`);
}
