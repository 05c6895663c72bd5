// A user test: the shared memory and locks it declares, its threads, an optional setup and an
// end-of-run check. `defineTest` checks the declaration once, where the user wrote it.
import { RWSEM_VARIANTS, type RwsemChoice } from '../config.js';
import { isModuleRef, UserModuleError } from '../lib/module_ref.js';
import { MAX_THREADS } from '../sched/det_layout.js';
import { LOCK_KINDS, type LockKind } from './layout.js';
import type { TestThread } from './thread.js';

export type ThreadFn = (t: TestThread) => void;
/** Memory as the check sees it: each word's value, each array's values. */
export type Snapshot = Record<string, number | number[]>;

/** Memory as setup writes it, before the threads start. */
export interface MemoryInit {
  get(name: string, i?: number): number;
  set(name: string, value: number, i?: number): void;
}

export interface TestDef {
  /** shared words (a number: its initial value) and arrays (their initial values) */
  memory?: Record<string, number | number[]>;
  /** locks by name: 'mutex', 'spinlock', 'rwsem', 'condvar', 'barrier' (a barrier waits for every thread) */
  locks?: Record<string, LockKind>;
  /** a list of threads (named t0, t1, …) or named threads; at most 31 */
  threads: ThreadFn[] | Record<string, ThreadFn>;
  /** before each run, after the initial values: the run's seed, to vary the input */
  setup?: (mem: MemoryInit, seed: number) => void;
  /** after a run in which nothing failed: a string (what is wrong) or false is a violation */
  check?: (mem: Snapshot) => string | boolean | void;
  /** the rw_semaphore (--rwsem): 'linux' (the default), 'phase-fair', 'reader-pref', 'writer-pref', or a
   * module implementing it (FILE.js[#export], relative to the test's file; see faultline/kernel) */
  rwsem?: RwsemChoice;
}

export class TestDefError extends UserModuleError {}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Checks a test's declaration and returns it unchanged (so a test module reads `export default defineTest({...})`). */
export function defineTest(def: TestDef): TestDef {
  const bad = (what: string): never => {
    throw new TestDefError(`defineTest: ${what}`);
  };
  if (typeof def !== 'object' || def === null) bad('expects an object { memory, locks, threads, setup, check }');
  const known = new Set(['memory', 'locks', 'threads', 'setup', 'check', 'rwsem']);
  for (const k of Object.keys(def)) if (!known.has(k)) bad(`unknown key '${k}' (known: ${[...known].join(', ')})`);
  const fns = Array.isArray(def.threads) ? def.threads : typeof def.threads === 'object' && def.threads !== null ? Object.values(def.threads) : bad('threads must be a list of functions or an object of named functions');
  if (fns.length < 1 || fns.length > MAX_THREADS) bad(`threads: between 1 and ${MAX_THREADS} threads, got ${fns.length}`);
  fns.forEach((f, i) => typeof f === 'function' || bad(`threads[${i}] is not a function`));
  if (!Array.isArray(def.threads)) for (const n of Object.keys(def.threads)) if (!NAME.test(n)) bad(`thread name '${n}' must be an identifier`);
  const names = new Set<string>();
  for (const [n, kind] of Object.entries(def.locks ?? {})) {
    if (!NAME.test(n)) bad(`lock name '${n}' must be an identifier`);
    if (!(LOCK_KINDS as readonly string[]).includes(kind)) bad(`locks.${n}: must be one of ${LOCK_KINDS.join(', ')}, got ${String(kind)}`);
    names.add(n);
  }
  const int32 = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
  for (const [n, v] of Object.entries(def.memory ?? {})) {
    if (!NAME.test(n)) bad(`memory name '${n}' must be an identifier`);
    if (names.has(n)) bad(`'${n}' is both a lock and a memory word`);
    if (Array.isArray(v) ? v.length === 0 || v.length > 1 << 20 || !v.every(int32) : !int32(v)) bad(`memory.${n}: a 32-bit integer or a non-empty list of them`);
  }
  if (def.setup !== undefined && typeof def.setup !== 'function') bad('setup must be a function');
  if (def.check !== undefined && typeof def.check !== 'function') bad('check must be a function');
  if (def.rwsem !== undefined && !(RWSEM_VARIANTS as readonly string[]).includes(def.rwsem) && !isModuleRef(def.rwsem)) bad(`rwsem must be ${RWSEM_VARIANTS.join(', ')} or a module (FILE.js[#export])`);
  return def;
}
