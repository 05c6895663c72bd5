// Flags shared by the commands that build a machine, and their translation to a Config.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_CONFIG, makeConfig, type Config } from '../config.js';
import { BUG_NAMES, type BugName } from '../bugs/catalog.js';

export function intArg(value: string): number {
  const v = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(v)) throw new InvalidArgumentError('not an integer.');
  return v;
}

export function floatArg(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError('not a number.');
  return v;
}

function collectBug(value: string, prev: BugName[]): BugName[] {
  if (!(BUG_NAMES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown bug (known: ${BUG_NAMES.join(', ')}).`);
  return [...prev, value as BugName];
}

export function addMachineOptions(cmd: Command, D: Config = DEFAULT_CONFIG): Command {
  return cmd
    .option('--cpus <n>', 'CPU threads', intArg, D.cpus)
    .option('--migrators <n>', 'migrator threads', intArg, D.migrators)
    .option('--processes <n>', 'processes (mm_structs)', intArg, D.processes)
    .option('--objects <n>', 'buffer objects', intArg, D.objects)
    .option('--pages <n>', 'pages per object', intArg, D.pages)
    .addOption(new Option('--prefault <policy>', 'pages mapped per fault: 1, 16 (TTM) or the whole vma').choices(['1', '16', 'vma']).default(D.prefault))
    .addOption(new Option('--placement <where>', 'initial placement of objects').choices(['mixed', 'vram', 'system']).default(D.placement))
    .option('--migrate-rate <n>', 'migrations per second per migrator in stress mode (0: back to back)', intArg, D.migrateRate)
    .option('--seed <n>', 'run seed (decimal or 0x hex)', intArg, D.seed)
    .option('--bug <name>', `reintroduce a bug, repeatable (${BUG_NAMES.join(', ')})`, collectBug, [] as BugName[])
    .option('--p-switch <p>', 'workload: probability per operation of a context switch', floatArg, D.pSwitch)
    .option('--p-munmap <p>', 'workload: probability per operation of a munmap', floatArg, D.pMunmap)
    .option('--p-ioctl <p>', 'workload: probability per operation of a DRM ioctl (reserve, copy from user, unreserve)', floatArg, D.pIoctl)
    .option('--p-madvise <p>', 'workload: probability per operation of a madvise(MADV_DONTNEED) of a few pages', floatArg, D.pMadvise)
    .option('--p-lazy <p>', 'workload: probability per operation of running a kernel thread for a while (lazy TLB mode)', floatArg, D.pLazy)
    .option('--p-dma <p>', 'workload: probability per operation of a DMA to user memory through a pinned page (GUP)', floatArg, D.pDma)
    .option('--p-mprotect <p>', 'workload: probability per operation of mprotect(PROT_NONE) then back to read-write', floatArg, D.pMprotect)
    .option('--p-mremap <p>', "workload: probability per operation of an mremap moving a mapping to the object's other address", floatArg, D.pMremap)
    .option('--p-partial <p>', 'probability that a new mapping covers only a prefix of the object', floatArg, D.pPartial)
    .option('--p-private <p>', 'probability that a new mapping is private (copy on write)', floatArg, D.pPrivate)
    .option('--p-migrate-page <p>', 'migrator: probability of migrating one system page instead of moving an object', floatArg, D.pMigratePage)
    .addOption(new Option('--fault-lock <lock>', 'the lock page faults take: mmap_sem, or the per-VMA lock first').choices(['mmap', 'vma']).default(D.faultLock))
    .option('--noise <p>', 'probability that a scheduling point stalls briefly (free mode)', floatArg, D.noise)
    .option('--tlb-entries <n>', 'TLB entries per CPU', intArg, D.tlbEntries)
    .option('--ptrs-per-pte <n>', 'PTEs per PTE page (one split PTL each)', intArg, D.ptrsPerPte);
}

/** The config fields the machine flags set; each flag is its field's name in kebab case. */
const MACHINE_KEYS = [
  'cpus', 'migrators', 'processes', 'objects', 'pages', 'prefault', 'placement', 'migrateRate', 'seed', 'noise',
  'pSwitch', 'pMunmap', 'pIoctl', 'pMadvise', 'pLazy', 'pDma', 'pMprotect', 'pMremap', 'pPartial', 'pPrivate', 'pMigratePage', 'faultLock',
  'tlbEntries', 'ptrsPerPte',
] as const satisfies readonly (keyof Config)[];
/** set by some commands only */
const RUN_KEYS = ['seconds', 'ops'] as const satisfies readonly (keyof Config)[];

export type MachineFlags = Pick<Config, (typeof MACHINE_KEYS)[number]> & Partial<Pick<Config, (typeof RUN_KEYS)[number]>> & { bug: BugName[] };

/** `migrateRate` → `--migrate-rate` */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function configFromFlags(f: MachineFlags): Config {
  const partial: Partial<Config> = { bugs: f.bug };
  for (const k of [...MACHINE_KEYS, ...RUN_KEYS]) if (f[k] !== undefined) Object.assign(partial, { [k]: f[k] });
  partial.seed = f.seed >>> 0;
  return makeConfig(partial);
}

/** The flags that rebuild `cfg` (those that differ from the command's defaults; the seed if asked). */
export function configToArgs(cfg: Config, D: Config = DEFAULT_CONFIG, withSeed = true): string[] {
  const out: string[] = withSeed ? ['--seed', String(cfg.seed)] : [];
  for (const k of [...MACHINE_KEYS, ...RUN_KEYS]) {
    if (k !== 'seed' && cfg[k] !== D[k]) out.push(flagOf(k), String(cfg[k]));
  }
  for (const b of cfg.bugs) out.push('--bug', b);
  return out;
}
