// Flags shared by the commands that build a machine, and their translation to a Config. Every
// numeric flag declares its range (the config's own, for machine keys), checked when it is parsed.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolveModuleRef } from '../lib/module_ref.js';
import { CONFIG_RANGES, ConfigError, DEFAULT_CONFIG, DRIVERS, isBuiltInOrModule, makeConfig, RWSEM_VARIANTS, WORKLOAD, WORKLOAD_KEYS, ZAP_FLUSHES, type Config } from '../config.js';
import { BUG_NAMES, type BugName } from '../bugs/switches.js';
import { UsageError } from './errors.js';

/** Help groups, so that `--help` reads by topic. */
export const GROUP = {
  machine: 'Machine:',
  workload: 'Workload:',
  run: 'Run:',
  strategy: 'Strategy:',
  output: 'Output:',
  profiling: 'Profiling:',
} as const;

/** A built-in name, or a module (FILE.js[#export]) made absolute. */
export function builtInOrModule(names: readonly string[]): (value: string) => string {
  return (v) => {
    if (!isBuiltInOrModule(names, v)) throw new InvalidArgumentError(`must be ${names.join(', ')} or a module (FILE.js[#export]).`);
    return names.includes(v) ? v : resolveModuleRef(v);
  };
}

/** An integer flag in [lo, hi] (decimal, or 0x hex). */
export function intIn(lo: number, hi: number): (value: string) => number {
  return (value) => {
    const v = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`must be an integer in [${lo}, ${hi}].`);
    return v;
  };
}

/** A number flag in [lo, hi], or in (lo, hi] when `openLow`. */
export function numIn(lo: number, hi: number, openLow = false): (value: string) => number {
  return (value) => {
    const v = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(v) && (openLow ? v > lo : v >= lo) && v <= hi;
    if (!ok) throw new InvalidArgumentError(`must be a number in ${openLow ? '(' : '['}${lo}, ${hi}].`);
    return v;
  };
}

const probability = numIn(0, 1);

export function collectBug(value: string, prev: BugName[]): BugName[] {
  if (!(BUG_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown bug (known: ${BUG_NAMES.join(', ')}).`);
  return [...prev, value as BugName];
}

function ranged(key: keyof typeof CONFIG_RANGES): (value: string) => number {
  const [lo, hi] = CONFIG_RANGES[key];
  return intIn(lo, hi);
}

/** Which of the optional machine flags a command takes. */
export interface MachineOptionSet {
  /** --seed (explore takes --seeds instead) */
  seed: boolean;
  /** --migrate-rate and --noise: free-running stress only */
  free: boolean;
}

export function addMachineOptions(cmd: Command, D: Config, set: MachineOptionSet): Command {
  const opt = <T>(flags: string, help: string, group: string, parse?: (v: string, prev: T) => T, def?: T): void => {
    const o = new Option(flags, help).helpGroup(group);
    if (parse) o.argParser(parse);
    if (def !== undefined) o.default(def);
    cmd.addOption(o);
  };
  const M = GROUP.machine;
  const W = GROUP.workload;
  opt('--cpus <n>', 'CPU threads', M, ranged('cpus'), D.cpus);
  opt('--migrators <n>', 'migrator threads', M, ranged('migrators'), D.migrators);
  opt('--processes <n>', 'processes (mm_structs)', M, ranged('processes'), D.processes);
  opt('--objects <n>', 'buffer objects', M, ranged('objects'), D.objects);
  opt('--pages <n>', 'pages per object', M, ranged('pages'), D.pages);
  cmd.addOption(new Option('--prefault <policy>', 'pages mapped per fault: 1, 16 (TTM) or the whole vma').choices(['1', '16', 'vma']).default(D.prefault).helpGroup(M));
  cmd.addOption(new Option('--placement <where>', 'initial placement of objects').choices(['mixed', 'vram', 'system']).default(D.placement).helpGroup(M));
  cmd.addOption(new Option('--fault-lock <lock>', 'the lock page faults take: mmap_lock (mmap), or the per-VMA lock first (vma)').choices(['mmap', 'vma']).default(D.faultLock).helpGroup(M));
  cmd.addOption(new Option('--rwsem <variant|file>', "rw_semaphore wake policy: kernel/locking/rwsem.c's (linux), phase-fair (readers never pass a queued waiter), reader-pref (readers pass queued writers), writer-pref (writers first on every hand-off), or your own module (FILE.js[#export], written against faultline/kernel)").argParser(builtInOrModule(RWSEM_VARIANTS)).default(D.rwsem).helpGroup(M));
  cmd.addOption(new Option('--driver <name|file>', "the buffer objects' driver: TTM's fault handler and pipelined move, mapping VM_MIXEDMAP as until 5.13 (ttm) or VM_PFNMAP | VM_IO as since 5.14 (ttm-pfnmap: COW mappings refused, every page a special pfn, no GUP or page migration), the 2006 linux-mm proposal's (an object mutex taken in the fault, install and refault; move under the mutex), or your own module (FILE.js[#export], written against faultline/kernel)").argParser(builtInOrModule(DRIVERS)).default(D.driver).helpGroup(M));
  opt('--tlb-entries <n>', 'TLB entries per CPU', M, ranged('tlbEntries'), D.tlbEntries);
  opt('--ptrs-per-pte <n>', 'PTEs per PTE page (one split PTL each)', M, ranged('ptrsPerPte'), D.ptrsPerPte);
  opt('--flush-ceiling <n>', "pages past which a ranged TLB flush flushes everything (x86's tlb_single_page_flush_ceiling)", M, ranged('flushCeiling'), D.flushCeiling);
  cmd.addOption(new Option('--zap-flush <how>', 'a zap flushes what it gathered once (gather, mmu_gather) or each PTE as it clears it (page)').choices(ZAP_FLUSHES).default(D.zapFlush).helpGroup(M));
  if (set.seed) opt('--seed <n>', `run seed (decimal or 0x hex, in [0, ${CONFIG_RANGES.seed[1]}])`, GROUP.run, ranged('seed'), D.seed);
  opt('--bug <name>', `reintroduce a bug, repeatable (${BUG_NAMES.join(', ')})`, GROUP.run, collectBug, [] as BugName[]);
  if (set.free) {
    opt('--migrate-rate <n>', 'migrations per second per migrator (0: back to back)', W, ranged('migrateRate'), D.migrateRate);
    opt('--noise <p>', 'probability that a scheduling point stalls briefly, to widen race windows', W, probability, D.noise);
    opt('--strict-waits', 'report a wait that only its timeout ended while its word changed (a lost wake-up)', GROUP.run);
  }
  for (const a of WORKLOAD) opt(`${flagOf(a.key)} <p>`, `probability per operation of ${a.what}`, W, probability, D[a.key]);
  opt('--p-partial <p>', 'probability that a new mapping covers only a prefix of the object', W, probability, D.pPartial);
  opt('--p-private <p>', 'probability that a new mapping is private (copy on write)', W, probability, D.pPrivate);
  opt('--p-migrate-page <p>', 'migrator: probability of migrating one system page instead of moving an object', W, probability, D.pMigratePage);
  opt('--touch <f>', "fraction of each object's pages the CPUs access (the first ones)", W, probability, D.touch);
  return cmd;
}

/** The config fields the machine flags set; each flag is its field's name in kebab case. */
const MACHINE_KEYS = [
  'cpus', 'migrators', 'processes', 'objects', 'pages', 'prefault', 'placement', 'migrateRate', 'seed', 'noise', 'strictWaits',
  ...WORKLOAD_KEYS, 'pPartial', 'pPrivate', 'pMigratePage', 'touch', 'faultLock', 'rwsem', 'driver',
  'tlbEntries', 'ptrsPerPte', 'flushCeiling', 'zapFlush',
] as const satisfies readonly (keyof Config)[];
/** set by some commands only */
const RUN_KEYS = ['seconds', 'ops'] as const satisfies readonly (keyof Config)[];

export type MachineFlags = Partial<Pick<Config, (typeof MACHINE_KEYS)[number] | (typeof RUN_KEYS)[number]>> & { bug: BugName[] };

/** `migrateRate` → `--migrate-rate` (a config key or an option's attribute name) */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A config error in the words of the command line: the flag, not the field. */
export function configErrorAsUsage(e: ConfigError): UsageError {
  return new UsageError(e.key === null ? e.reason : `${flagOf(e.key)}: ${e.reason}`);
}

export function configFromFlags(f: MachineFlags, D: Config = DEFAULT_CONFIG): Config {
  const partial: Partial<Config> = { ...D, bugs: f.bug };
  for (const k of [...MACHINE_KEYS, ...RUN_KEYS]) if (f[k] !== undefined) Object.assign(partial, { [k]: f[k] });
  try {
    return makeConfig(partial);
  } catch (e) {
    throw e instanceof ConfigError ? configErrorAsUsage(e) : e;
  }
}

/** The flags that rebuild `cfg` for a command whose defaults are `D`: those that differ from `D`,
 * the seed if asked, and `--seconds`/`--ops` only where the command takes them. */
export function configToArgs(cfg: Config, D: Config, opts: { seed: boolean; runKeys: boolean; free: boolean }): string[] {
  const out: string[] = opts.seed ? ['--seed', String(cfg.seed)] : [];
  const freeOnly = new Set<string>(['migrateRate', 'noise', 'strictWaits']);
  for (const k of [...MACHINE_KEYS, ...(opts.runKeys ? RUN_KEYS : [])]) {
    if (k === 'seed' || (!opts.free && freeOnly.has(k))) continue;
    if (cfg[k] !== D[k]) out.push(...(cfg[k] === true ? [flagOf(k)] : [flagOf(k), String(cfg[k])]));
  }
  for (const b of cfg.bugs) out.push('--bug', b);
  return out;
}
