// The detection matrix: every catalog bug (and the clean protocol) under free-running stress and
// under explore with random, pct d = 1, 2, 3, pos, surw and the portfolio, over several seed
// ranges; for each cell whether it was detected and the median schedules (or seconds) to the
// first detection.
import { BUG_CATALOG } from '../bugs/catalog.js';
import type { BugName } from '../bugs/switches.js';
import type { DriverChoice } from '../config.js';
import type { StrategyOptions } from '../sched/strategies/index.js';
import { bugSpec, bugStressConfig } from './bug_spec.js';
import { explore } from './explore.js';
import { runStress } from './stress.js';

export interface MatrixCell {
  mode: string;
  detected: number;
  trials: number;
  /** median schedules (explore) or seconds (stress) to the first detection, over the detecting trials */
  median: number | null;
  unit: 'schedules' | 'seconds';
  oracles: string[];
  /** clean row: violations seen (must be 0) and the work done */
  violations?: number;
  work?: number;
}

export interface MatrixRow {
  bug: string;
  cells: MatrixCell[];
}

export interface MatrixOptions {
  schedules: number;
  seconds: number;
  trials: number;
  jobs: number;
  /** the catalog bugs to run (all when empty); the clean row always runs */
  bugs: BugName[];
  /** the driver every run uses (--driver) */
  driver: DriverChoice;
  onCell?: (bug: string, cell: MatrixCell) => void;
  /** stop early: the rows finished so far are returned */
  abort?: AbortSignal;
}

const MODES: { mode: string; strategy?: StrategyOptions }[] = [
  { mode: 'stress' },
  { mode: 'random', strategy: { name: 'random' } },
  { mode: 'pct d=1', strategy: { name: 'pct', depth: 1 } },
  { mode: 'pct d=2', strategy: { name: 'pct', depth: 2 } },
  { mode: 'pct d=3', strategy: { name: 'pct', depth: 3 } },
  { mode: 'pos', strategy: { name: 'pos' } },
  { mode: 'surw', strategy: { name: 'surw' } },
  { mode: 'cover', strategy: { name: 'cover' } },
  { mode: 'portfolio', strategy: { name: 'portfolio' } },
];

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

export async function runMatrix(opts: MatrixOptions): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  const chosen = BUG_CATALOG.map((b) => b.name).filter((b) => opts.bugs.length === 0 || opts.bugs.includes(b));
  for (const bug of [null, ...chosen]) {
    if (opts.abort?.aborted) break;
    const cells: MatrixCell[] = [];
    for (const { mode, strategy } of MODES) {
      const found: number[] = [];
      const oracles = new Set<string>();
      let violations = 0;
      let work = 0;
      for (let trial = 0; trial < opts.trials; trial++) {
        const seed = 1 + trial * 100_003;
        if (strategy === undefined) {
          const r = await runStress(bugStressConfig(bug, { driver: opts.driver, seconds: opts.seconds, seed }), { watchdogMs: 5000, ...(opts.abort ? { abort: opts.abort } : {}) });
          work += r.accesses;
          violations += r.violations.length;
          if (r.violations.length > 0) {
            found.push(Number(r.seconds.toFixed(3)));
            oracles.add(r.violations[0]!.oracle);
          }
        } else {
          // the random column takes the bug's own random parameters (its switch probability)
          const own = mode === 'random' ? BUG_CATALOG.find((x) => x.name === bug)?.scenario?.strategy ?? {} : {};
          const spec = bugSpec(bug, { config: { driver: opts.driver }, strategy: { ...strategy, ...own } });
          const r = await explore({ spec, seedStart: seed, seedCount: opts.schedules, jobs: opts.jobs, stopOnFirst: bug !== null, maxSchedules: 0, ...(opts.abort ? { abort: opts.abort } : {}) });
          work += r.schedules;
          violations += r.failures.length + r.errors.length;
          const first = r.failures[0];
          if (first) {
            found.push(first.seed - seed + 1);
            oracles.add(first.violation.oracle);
          }
        }
      }
      const cell: MatrixCell = {
        mode, detected: found.length, trials: opts.trials, median: median(found), unit: strategy ? 'schedules' : 'seconds', oracles: [...oracles],
        ...(bug === null ? { violations, work } : {}),
      };
      if (opts.abort?.aborted) break;
      cells.push(cell);
      opts.onCell?.(bug ?? 'clean', cell);
    }
    if (opts.abort?.aborted) break;
    rows.push({ bug: bug ?? 'clean', cells });
  }
  return rows;
}

export function matrixMarkdown(rows: MatrixRow[], opts: MatrixOptions): string {
  const head = `| bug | ${MODES.map((m) => m.mode).join(' | ')} |`;
  const lines = [
    `Detection matrix (driver ${opts.driver}): ${opts.trials} trials per cell; explore cells run up to ${opts.schedules} schedules of the small scenario per trial, stress cells ${opts.seconds} s of the default scenario. A cell reads detected/trials, then the median schedules (or seconds) to the first detection.`,
    '',
    head,
    `|${'---|'.repeat(MODES.length + 1)}`,
  ];
  for (const r of rows) {
    const cells = r.cells.map((c) => {
      if (r.bug === 'clean') return `${c.violations} violations in ${c.work} ${c.unit === 'seconds' ? 'accesses' : 'schedules'}`;
      if (c.detected === 0) return `0/${c.trials}`;
      return `${c.detected}/${c.trials}, ${c.median}${c.unit === 'seconds' ? ' s' : ''} (${c.oracles.join(', ')})`;
    });
    lines.push(`| ${r.bug} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** Catalog bugs no mode detected, and false alarms on the clean protocol: a matrix that fails. */
export function matrixFailures(rows: MatrixRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.bug === 'clean') {
      const v = r.cells.reduce((n, c) => n + (c.violations ?? 0), 0);
      if (v > 0) out.push(`clean protocol: ${v} violations (false alarms or a model bug)`);
    } else if (r.cells.every((c) => c.detected === 0)) {
      out.push(`${r.bug}: not detected by any mode`);
    }
  }
  return out;
}
