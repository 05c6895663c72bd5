// The studies `faultline study NAME` runs, one table: each is a grid of stress runs that answers
// one of the questions the 2006 thread argued about (and Linux later settled by measuring). A
// grid point is one value per axis; at each point every variant runs the same seeds, so the
// variants are compared pair by pair. Metrics read a stress result (harness/stress.ts).
import type { Config } from '../config.js';
import type { StressResult } from '../harness/stress.js';
import { decode } from '../harness/fault_hist.js';

export interface Metric {
  key: string;
  label: string;
  of(r: StressResult): number;
  /** a scaling chart's reference from the first point: n times it (a total), or it (a per-CPU rate) */
  reference?: 'linear' | 'flat';
}

/** An axis value or a variant: a label and the config it sets (which may depend on the point's
 * other settings: "one process per CPU"). */
export interface Setting {
  label: string;
  cfg: Partial<Config> | ((c: Config) => Partial<Config>);
}

export interface Axis {
  key: string;
  label: string;
  /** the axis is numeric (plotted on a scale, log when `log`) or a set of names */
  numeric: boolean;
  log?: boolean;
  values: Setting[];
}

export interface Study {
  name: string;
  question: string;
  /** on top of the default stress scenario, for every run */
  base: Partial<Config>;
  /** compared at every point; the first is the baseline the others are tested against */
  variants: Setting[];
  /** the grid: every combination of one value per axis; the first axis is the charts' x */
  axes: Axis[];
  metrics: Metric[];
  /** the metric the comparisons test and the first chart plots */
  primary: string;
  /** the run needs lock statistics (lockstat) */
  lockstat?: boolean;
}

const perSec = (key: string, label: string, f: (r: StressResult) => number): Metric => ({ key, label, of: f });
const us = (ns: number): number => ns / 1000;

const ACCESSES = perSec('accessesPerSec', 'accesses/s', (r) => r.accessesPerSec);
const FAULTS = perSec('faultsPerSec', 'faults/s', (r) => r.faultsPerSec);
const FAULT_P99 = perSec('faultP99Us', 'fault latency p99 (µs)', (r) => us(r.latencyNs.p99));
const PER_CPU = perSec('accessesPerCpuPerSec', 'accesses/s per CPU', (r) => r.accessesPerSec / r.config.cpus);
/** The fault time an access pays on average: every fault's latency (from the run's histogram)
 * over the accesses: the cost of mapping the pages a workload touches, per access. */
const FAULT_NS_PER_ACCESS = perSec('faultNsPerAccess', 'fault time per access (ns)', (r) => {
  if (r.accesses === 0) return 0;
  const h = decode(r.latencyNs.histogram);
  return (h.mean * h.totalCount) / r.accesses;
});
const UNUSED = perSec('unusedPtesPct', 'PTEs zapped unused (% of installed)', (r) => (100 * r.measured.ptesUnused) / Math.max(1, r.measured.pteInstalls));
const SHOOTDOWNS = perSec('shootdownsPerSec', 'shootdowns/s', (r) => r.shootdownsPerSec);
const IPIS_PER_MIGRATION = perSec('ipisPerMigration', 'IPIs per migration', (r) => r.measured.ipisSent / Math.max(1, r.measured.migrations));

/** Lock waits from the run's lockstat (stress measures them in ns). */
function lockWait(r: StressResult, cls: string, pick: (waits: number[], row: { waittimeMax: number } | undefined) => number): number {
  const p = r.profile;
  if (!p) return 0;
  const waits = p.contentions.filter((c) => c.class === cls).map((c) => c.wait).sort((a, b) => a - b);
  return us(pick(waits, p.lockstat.find((row) => row.class === cls)));
}
const WRITER_P99 = perSec('writerWaitP99Us', 'mmap_lock writer wait p99 (µs)', (r) => lockWait(r, 'mmap_lock-W', (w) => w[Math.min(w.length - 1, Math.floor(0.99 * w.length))] ?? 0));
const READER_MAX = perSec('readerWaitMaxUs', 'mmap_lock longest reader wait (µs)', (r) => lockWait(r, 'mmap_lock-R', (_w, row) => row?.waittimeMax ?? 0));

const values = <T extends number | string>(key: keyof Config, xs: readonly T[], label = (x: T): string => String(x)): Setting[] =>
  xs.map((x) => ({ label: label(x), cfg: { [key]: x } as Partial<Config> }));

export const STUDIES: readonly Study[] = [
  {
    name: 'prefault',
    question: 'Map one page per fault, 16 (TTM), or the whole VMA? Over object size, the share of pages touched and the migration rate: throughput, faults, and PTEs installed for nothing.',
    base: { cpus: 2, migrators: 1, processes: 1, objects: 4 },
    variants: values('prefault', ['1', '16', 'vma'], (p) => `prefault ${p}`),
    axes: [
      { key: 'pages', label: 'object size (pages)', numeric: true, log: true, values: values('pages', [4, 64, 1024]) },
      { key: 'touch', label: 'pages touched', numeric: false, values: values('touch', [0.25, 1], (f) => `${f * 100}%`) },
      { key: 'migrateRate', label: 'migrations/s', numeric: false, values: values('migrateRate', [200, 2000]) },
    ],
    metrics: [ACCESSES, FAULTS, FAULT_NS_PER_ACCESS, FAULT_P99, UNUSED],
    primary: 'accessesPerSec',
  },
  {
    name: 'scaling',
    question: 'How do faults scale from 1 to 8 CPUs (4 times the cores here), as threads of one mm or as processes, under mmap_lock or the per-VMA lock?',
    base: { migrators: 1, objects: 8 },
    variants: values('faultLock', ['mmap', 'vma'], (l) => (l === 'mmap' ? 'mmap_lock' : 'per-VMA lock')),
    axes: [
      { key: 'cpus', label: 'CPUs', numeric: true, values: values('cpus', [1, 2, 4, 8]) },
      { key: 'mm', label: 'address spaces', numeric: false, values: [{ label: 'threads of one mm', cfg: { processes: 1 } }, { label: 'one process per CPU', cfg: (c) => ({ processes: c.cpus }) }] },
    ],
    metrics: [{ ...PER_CPU, reference: 'flat' }, { ...ACCESSES, reference: 'linear' }, FAULTS, FAULT_P99],
    primary: 'accessesPerCpuPerSec',
  },
  {
    name: 'shootdown',
    question: 'Flush each PTE as it is zapped, or once per gather (mmu_gather) with a full flush past a ceiling (x86: 33 pages)? With and without lazy TLB.',
    base: { cpus: 4, migrators: 1, processes: 1, objects: 4, pages: 64, migrateRate: 1000 },
    variants: values('zapFlush', ['page', 'gather'], (z) => (z === 'page' ? 'flush per page' : 'mmu_gather')),
    axes: [
      { key: 'flushCeiling', label: 'full-flush ceiling (pages)', numeric: true, values: values('flushCeiling', [1, 8, 33, 256]) },
      { key: 'pLazy', label: 'lazy TLB', numeric: false, values: [{ label: 'no lazy TLB', cfg: { pLazy: 0 } }, { label: 'lazy TLB', cfg: { pLazy: 0.005 } }] },
    ],
    metrics: [SHOOTDOWNS, IPIS_PER_MIGRATION, FAULT_P99, ACCESSES],
    primary: 'accessesPerSec',
  },
  {
    name: 'rwsem',
    question: 'Which mmap_lock wake policy keeps faults flowing as munmap/mprotect writers get frequent: Linux\'s, phase-fair, reader- or writer-preferring? Fault throughput, writer wait, reader starvation.',
    base: { cpus: 4, migrators: 1, processes: 1, objects: 8 },
    variants: values('rwsem', ['linux', 'phase-fair', 'reader-pref', 'writer-pref']),
    axes: [
      { key: 'writers', label: 'munmap and mprotect per operation', numeric: true, log: true, values: [0.0001, 0.001, 0.01].map((p) => ({ label: String(p), cfg: { pMunmap: p, pMprotect: p } })) },
    ],
    metrics: [FAULTS, ACCESSES, WRITER_P99, READER_MAX],
    primary: 'faultsPerSec',
    lockstat: true,
  },
];

export function studyOf(name: string): Study | undefined {
  return STUDIES.find((s) => s.name === name);
}
