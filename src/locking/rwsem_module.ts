// --rwsem FILE: an rw_semaphore written by the user, in place of the built-in slow paths (and
// fast paths). The module implements only the protocol, on the rwsem's own words (kernel API:
// RW_COUNT … RW_WNEXT, RW_WAITLIST … RW_CLOCK); faultline keeps the bookkeeping around every call
// (owner, reader set, the lock oracle's exclusion check, lockdep and lockstat's acquisitions), so a
// module that lets a reader in beside a writer is caught as the built-in variants would be.
import { RWSEM_VARIANTS } from '../config.js';
import type { Thread } from '../kernel/thread.js';
import { ModuleCache, UserModuleError } from '../lib/module_ref.js';

export interface RwsemOps {
  /** returns once the lock is held for read */
  down_read(t: Thread, s: number, label: number): void;
  /** never sleeps: true if it took the lock for read */
  down_read_trylock(t: Thread, s: number, label: number): boolean;
  up_read(t: Thread, s: number, label: number): void;
  down_write(t: Thread, s: number, label: number): void;
  up_write(t: Thread, s: number, label: number): void;
  /** the writer goes on as a reader with no writer let in between */
  downgrade_write(t: Thread, s: number, label: number): void;
}

const OPS = ['down_read', 'down_read_trylock', 'up_read', 'down_write', 'up_write', 'downgrade_write'] as const;

export class RwsemModuleError extends UserModuleError {}

/** Checks a module's rwsem: every operation a function, nothing else. */
export function defineRwsem(ops: RwsemOps): RwsemOps {
  if (typeof ops !== 'object' || ops === null) throw new RwsemModuleError(`defineRwsem: expects an object { ${OPS.join(', ')} }`);
  for (const k of Object.keys(ops)) if (!(OPS as readonly string[]).includes(k)) throw new RwsemModuleError(`defineRwsem: unknown key '${k}' (known: ${OPS.join(', ')})`);
  for (const k of OPS) if (typeof ops[k] !== 'function') throw new RwsemModuleError(`defineRwsem: ${k} must be a function`);
  return Object.freeze({ ...ops });
}

const modules = new ModuleCache<RwsemOps>('rwsem', (exported, ref) => {
  try {
    return defineRwsem(exported as RwsemOps);
  } catch (e) {
    throw new RwsemModuleError(`rwsem ${ref}: ${(e as Error).message}`);
  }
});

/** Imports the rwsem module of `ref` in this thread (again if the file changed). */
export async function loadRwsem(ref: string): Promise<void> {
  await modules.load(ref);
}

/** The operations of a loaded rwsem module (null: `variant` is a built-in one). */
export function rwsemOpsOf(variant: string): RwsemOps | null {
  if ((RWSEM_VARIANTS as readonly string[]).includes(variant)) return null;
  return modules.get(variant);
}
