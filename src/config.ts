// The run configuration: everything that, with the seed, determines a run.
import { BUG_NAMES, type BugName } from './bugs/switches.js';
import { isModuleRef } from './lib/module_ref.js';

export type Prefault = '1' | '16' | 'vma';
export type Placement = 'mixed' | 'vram' | 'system';
export type FaultLock = 'mmap' | 'vma';
/** the driver behind the buffer objects' VMAs: TTM as it mapped them until 5.13 (VM_MIXEDMAP), TTM
 * since 5.14 (VM_PFNMAP), or the 2006 linux-mm proposal's */
export const DRIVERS = ['ttm', 'ttm-pfnmap', '2006'] as const;
export type DriverName = (typeof DRIVERS)[number];
/** a built-in driver, or a module implementing one (FILE.js[#export], drm/driver.ts) */
export type DriverChoice = DriverName | (string & {});
/** linux: kernel/locking/rwsem.c's policy (readers steal, writers spin and steal, HANDOFF after a
 * timeout); phase-fair: readers never pass a queued waiter, a writer's release admits every queued
 * reader; reader-pref: a reader gets in whenever no writer holds the lock (writers may starve);
 * writer-pref: readers never pass a queued writer, and a writer's release hands on to the next
 * queued writer before any reader (readers may starve) */
export const RWSEM_VARIANTS = ['linux', 'phase-fair', 'reader-pref', 'writer-pref'] as const;
export const ZAP_FLUSHES = ['gather', 'page'] as const;
export type ZapFlush = (typeof ZAP_FLUSHES)[number];
export type RwsemVariant = (typeof RWSEM_VARIANTS)[number];
/** a built-in variant, or a module implementing the rwsem (FILE.js[#export], locking/rwsem_module.ts) */
export type RwsemChoice = RwsemVariant | (string & {});

export interface Config {
  cpus: number;
  migrators: number;
  processes: number;
  objects: number;
  /** pages per buffer object */
  pages: number;
  /** 32-bit words of data per simulated page (kept small: the model is about translations, not bytes) */
  wordsPerPage: number;
  prefault: Prefault;
  /** where objects start: alternating, all in VRAM, or all in system RAM */
  placement: Placement;
  /** target migrations per second per migrator in stress mode; 0 = back to back */
  migrateRate: number;
  /** stress: wall-clock seconds (ignored when ops > 0) */
  seconds: number;
  /** accesses per CPU; 0 = run for `seconds` */
  ops: number;
  seed: number;
  bugs: BugName[];
  /** workload mix: per-operation probabilities of a context switch, a munmap, a DRM ioctl, a
   * madvise(MADV_DONTNEED) */
  pSwitch: number;
  pMunmap: number;
  pIoctl: number;
  pMadvise: number;
  /** probability per operation that the CPU runs a kernel thread for a while (lazy TLB mode) */
  pLazy: number;
  /** probability per operation of a DMA to user memory through a GUP-pinned page */
  pDma: number;
  /** probability per operation of an mprotect(PROT_NONE) … mprotect(PROT_READ|PROT_WRITE) pair */
  pMprotect: number;
  /** probability per operation of an mremap moving a mapping to the object's other window */
  pMremap: number;
  /** probability that a mapping made after a SIGSEGV covers only a prefix of the object */
  pPartial: number;
  /** probability that a mapping made after a SIGSEGV is private (MAP_PRIVATE: writes copy on write) */
  pPrivate: number;
  /** probability that a migrator operation migrates one system page (compaction) instead of
   * moving a whole object between placements */
  pMigratePage: number;
  /** the fraction of each object's pages the CPUs access (the first ones; at least one page) */
  touch: number;
  /** the lock page faults take: mmap_sem, or the per-VMA lock first */
  faultLock: FaultLock;
  /** the rw_semaphore (mmap_lock, i_mmap_rwsem, the VMA locks): Linux's wake policy or phase-fair */
  rwsem: RwsemChoice;
  /** the driver's fault handler and move (drm/driver.ts) */
  driver: DriverChoice;
  /** probability (0..1) that a scheduling point spins briefly in free mode, to widen race windows */
  noise: number;
  /** free mode: a wait that its timeout ended while its word changed, with no wake-up in flight,
   * is reported as a lost wake-up (instead of being rescued by the timeout) */
  strictWaits: boolean;
  tlbEntries: number;
  tlbWays: number;
  /** x86's tlb_single_page_flush_ceiling: a flush of more pages than this flushes the whole TLB */
  flushCeiling: number;
  /** a zap flushes what it gathered once, after the PTLs (gather, mmu_gather), or each PTE as it
   * clears it (page) */
  zapFlush: ZapFlush;
  /** PTEs per PTE page: small, so one object spans several split page-table locks */
  ptrsPerPte: number;
}

/** The CPU's workload actors, the one table of them: one draw per operation picks at most one, in
 * this order (an access otherwise). `what` is the flag's help, `default` the stress scenario's
 * probability, `small` the deterministic small scenario's (where they are raised to race); what
 * each does is the CPU's (cpu/cpu.ts, by key). */
export const WORKLOAD = [
  { key: 'pSwitch', what: 'a context switch', default: 0.001, small: 0 },
  { key: 'pMunmap', what: 'a munmap', default: 0.00025, small: 0.03 },
  { key: 'pIoctl', what: 'a DRM ioctl (reserve, copy from user, unreserve)', default: 0.0005, small: 0.05 },
  { key: 'pMadvise', what: 'a madvise(MADV_DONTNEED) of a few pages', default: 0.0005, small: 0.05 },
  { key: 'pLazy', what: 'running a kernel thread for a while (lazy TLB mode)', default: 0.0005, small: 0.05 },
  { key: 'pDma', what: 'a DMA to user memory through a pinned page (GUP)', default: 0.0005, small: 0.05 },
  { key: 'pMprotect', what: 'mprotect(PROT_NONE) then back to read-write', default: 0.0002, small: 0.03 },
  { key: 'pMremap', what: "an mremap moving a mapping to the object's other address", default: 0.0002, small: 0.03 },
] as const;
export type WorkloadKey = (typeof WORKLOAD)[number]['key'];
export const WORKLOAD_KEYS: readonly WorkloadKey[] = WORKLOAD.map((a) => a.key);

/** The workload probabilities of a scenario: the stress default's, or the small scenario's. */
export function workloadMix(which: 'default' | 'small'): Record<WorkloadKey, number> {
  return Object.fromEntries(WORKLOAD.map((a) => [a.key, a[which]])) as Record<WorkloadKey, number>;
}

export const DEFAULT_CONFIG: Config = {
  cpus: 4,
  migrators: 1,
  processes: 2,
  objects: 8,
  pages: 16,
  wordsPerPage: 8,
  prefault: '16',
  placement: 'mixed',
  migrateRate: 2000,
  seconds: 10,
  ops: 0,
  seed: 1,
  bugs: [],
  ...workloadMix('default'),
  pPartial: 0.25,
  pPrivate: 0.1,
  pMigratePage: 0.25,
  touch: 1,
  faultLock: 'mmap',
  rwsem: 'linux',
  driver: 'ttm',
  noise: 0,
  strictWaits: false,
  tlbEntries: 32,
  tlbWays: 4,
  flushCeiling: 33,
  zapFlush: 'gather',
  ptrsPerPte: 8,
};

/** A bad config value: `key` names the field (the CLI turns it into its flag, a schedule file into
 * its path), `reason` says what is wrong with it. */
export class ConfigError extends Error {
  constructor(
    readonly key: string | null,
    readonly reason: string,
  ) {
    super(key === null ? reason : `${key}: ${reason}`);
  }
}

/** The range of every numeric field (inclusive); also the range of its flag. */
export const CONFIG_RANGES = {
  cpus: [1, 16],
  migrators: [0, 8],
  processes: [1, 16],
  objects: [1, 1024],
  pages: [1, 4096],
  wordsPerPage: [1, 64],
  migrateRate: [0, 10_000_000],
  seconds: [0, 86_400],
  ops: [0, 1e12],
  seed: [0, 0xffffffff],
  tlbEntries: [1, 4096],
  tlbWays: [1, 64],
  flushCeiling: [0, 4096],
  ptrsPerPte: [1, 1024],
} as const satisfies Partial<Record<keyof Config, readonly [number, number]>>;

/** Probabilities: each in [0, 1]. */
export const PROBABILITY_KEYS = [...WORKLOAD_KEYS, 'pPartial', 'pPrivate', 'pMigratePage', 'touch', 'noise'] as const satisfies readonly (keyof Config)[];

/** Validates and completes a partial config; throws ConfigError with a one-line message. */
export function makeConfig(partial: Partial<Config>): Config {
  const c: Config = { ...DEFAULT_CONFIG, ...partial, bugs: [...(partial.bugs ?? [])] };
  for (const [key, [lo, hi]] of Object.entries(CONFIG_RANGES)) {
    const v = (c as unknown as Record<string, number>)[key];
    const real = key === 'seconds';
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (!real && !Number.isInteger(v))) {
      throw new ConfigError(key, `must be ${real ? 'a number' : 'an integer'} in [${lo}, ${hi}], got ${String(v)}`);
    }
  }
  if (!['1', '16', 'vma'].includes(c.prefault)) throw new ConfigError('prefault', `must be 1, 16 or vma, got ${String(c.prefault)}`);
  if (!['mixed', 'vram', 'system'].includes(c.placement)) throw new ConfigError('placement', `must be mixed, vram or system, got ${String(c.placement)}`);
  if (!ZAP_FLUSHES.includes(c.zapFlush)) throw new ConfigError('zapFlush', `must be ${ZAP_FLUSHES.join(' or ')}, got ${String(c.zapFlush)}`);
  if (!['mmap', 'vma'].includes(c.faultLock)) throw new ConfigError('faultLock', `must be mmap or vma, got ${String(c.faultLock)}`);
  if (!isBuiltInOrModule(RWSEM_VARIANTS, c.rwsem)) throw new ConfigError('rwsem', `must be ${RWSEM_VARIANTS.join(', ')} or a module (FILE.js[#export]), got ${String(c.rwsem)}`);
  if (!isBuiltInOrModule(DRIVERS, c.driver)) throw new ConfigError('driver', `must be ${DRIVERS.join(', ')} or a module (FILE.js[#export]), got ${String(c.driver)}`);
  for (const k of PROBABILITY_KEYS) {
    if (typeof c[k] !== 'number' || !(c[k] >= 0 && c[k] <= 1)) throw new ConfigError(k, `must be in [0, 1], got ${String(c[k])}`);
  }
  if (WORKLOAD_KEYS.reduce((sum, k) => sum + c[k], 0) > 1) throw new ConfigError(null, 'the workload probabilities must add up to at most 1');
  if (c.tlbEntries % c.tlbWays !== 0) throw new ConfigError('tlbEntries', `must be a multiple of tlbWays (${c.tlbWays}), got ${c.tlbEntries}`);
  if (c.cpus + c.migrators > 31) throw new ConfigError(null, 'cpus + migrators must be at most 31 (holder masks are 32-bit)');
  if (typeof c.strictWaits !== 'boolean') throw new ConfigError('strictWaits', `must be true or false, got ${String(c.strictWaits)}`);
  if (!Array.isArray(c.bugs)) throw new ConfigError('bugs', 'must be an array of bug names');
  for (const b of c.bugs) if (!BUG_NAMES.includes(b)) throw new ConfigError('bugs', `unknown bug '${b}' (known: ${BUG_NAMES.join(', ')})`);
  if (c.seconds === 0 && c.ops === 0) throw new ConfigError(null, 'one of seconds or ops must be positive');
  return c;
}

/** The config keys whose value may name a user's module (FILE.js[#export]) instead of a built-in. */
export const MODULE_KEYS = ['driver', 'rwsem'] as const;

/** `c` with each module its keys name rewritten by `fn` (relative to a file that records it, or
 * resolved from one); built-in names stay as they are. */
export function mapModules<C extends Partial<Config>>(c: C, fn: (ref: string) => string): C {
  const out: Partial<Config> = { ...c };
  for (const k of MODULE_KEYS) {
    const v = c[k];
    if (typeof v === 'string' && isModuleRef(v)) out[k] = fn(v);
  }
  return out as C;
}

/** A built-in name, or a module's path (each thread loads it before it runs: harness/programs.ts). */
export function isBuiltInOrModule(names: readonly string[], v: unknown): boolean {
  return typeof v === 'string' && (names.includes(v) || isModuleRef(v));
}
