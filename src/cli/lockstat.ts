// `faultline lockstat FILE`: print the lock statistics of a saved run (a --json written by
// stress, explore or replay with --lockstat), with perf-lock-style pivots.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ProfileData } from '../profile/types.js';
import { formatLockstat, formatPivot, lockstatCsv, pivotContentions, pivotCsv } from '../report/lockstat_table.js';
import { formatLockOrder } from '../report/lockdep_report.js';
import { UsageError } from './errors.js';

/** contentionCap is absent in files written before it was recorded */
type Saved = Pick<ProfileData, 'unit' | 'lockstat' | 'contentions' | 'lockOrder'> & Partial<Pick<ProfileData, 'contentionCap'>>;

function load(file: string): Saved {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const p = (raw as { profile?: Saved }).profile;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.lockstat) || !Array.isArray(p.contentions) || (p.unit !== 'ns' && p.unit !== 'steps')) {
    throw new UsageError(`${file} has no lock statistics: write it with --json FILE --lockstat`);
  }
  return p;
}

export function lockstatCommand(): Command {
  return new Command('lockstat')
    .description('print the lockstat table of a saved run (--json FILE written with --lockstat)')
    .argument('<file>', 'the saved run')
    .addOption(new Option('--by <key>', 'pivot contentions by').choices(['point', 'cpu', 'instance', 'class']))
    .addOption(new Option('--sort <key>', 'pivot sort key').choices(['contended', 'wait_total', 'wait_max', 'avg_wait']).default('contended'))
    .addOption(new Option('--format <f>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action((file: string, f: { by?: 'point' | 'cpu' | 'instance' | 'class'; sort: 'contended' | 'wait_total' | 'wait_max' | 'avg_wait'; format: string }) => {
      const p = load(file);
      const pivot = f.by ? pivotContentions(p.contentions, f.by, f.sort) : null;
      if (f.format === 'json') {
        console.log(JSON.stringify({ unit: p.unit, lockstat: p.lockstat, ...(pivot ? { pivot } : {}) }, null, 2));
      } else if (f.format === 'csv') {
        console.log(pivot && f.by ? pivotCsv(pivot, f.by) : lockstatCsv(p.lockstat));
      } else {
        console.log(formatLockstat(p.lockstat, p.unit));
        if (pivot && f.by) console.log(`\n${formatPivot(pivot, f.by, p.unit, p.contentionCap ? { cap: p.contentionCap } : {})}`);
        // a run saved without --lockdep has no edges: nothing to say about lock order
        if (p.lockOrder && p.lockOrder.edges.length > 0) console.log(`\n${formatLockOrder(p.lockOrder)}`);
      }
    });
}
