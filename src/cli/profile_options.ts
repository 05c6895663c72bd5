// Profiling flags shared by stress, explore and replay, and what they print and write.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ProfileOptions } from '../profile/recorder.js';
import type { ProfileData } from '../profile/types.js';
import { formatLockstat, formatPivot, lockstatCsv, pivotContentions, pivotCsv } from '../report/lockstat_table.js';
import { formatLockOrder } from '../report/lockdep_report.js';
import { writeChromeTrace } from '../report/perfetto.js';
import { writeReport } from '../report/write_report.js';
import { intArg } from './options.js';
import { UsageError } from './errors.js';

export interface ProfileFlags {
  lockstat?: boolean;
  lockdep?: boolean;
  trace?: string;
  report?: string;
  lockstatBy?: 'point' | 'cpu' | 'instance' | 'class';
  lockstatSort: 'contended' | 'wait_total' | 'wait_max' | 'avg_wait';
  lockstatCsv?: string;
  traceCap: number;
  holdSample: number;
}

export function addProfileOptions(cmd: Command, withTrace: boolean): Command {
  cmd
    .option('--lockstat', 'collect lock statistics and print a lockstat table')
    .option('--lockdep', 'check lock order: report any cycle in the class graph, even if no deadlock happened')
    .addOption(new Option('--lockstat-by <key>', 'also print a perf-lock-style pivot of contentions').choices(['point', 'cpu', 'instance', 'class']))
    .addOption(new Option('--lockstat-sort <key>', 'sort key of the pivot').choices(['contended', 'wait_total', 'wait_max', 'avg_wait']).default('contended'))
    .option('--lockstat-csv <file>', 'write the lockstat table (and the pivot, if any) as CSV')
    .option('--report <dir>', 'write an HTML report (charts, lockstat table, lock order) into DIR')
    .option('--hold-sample <n>', 'stress: time the hold of one acquisition in N (clock reads cost ~40 ns)', intArg, 8);
  if (withTrace) {
    cmd
      .option('--trace <file>', 'write a Chrome Trace Event JSON timeline (opens in ui.perfetto.dev)')
      .option('--trace-cap <n>', 'timeline events kept per thread (past it the trace says it was capped)', intArg, 200_000);
  }
  return cmd;
}

export function profileOptionsFrom(f: ProfileFlags): ProfileOptions | undefined {
  const trace = f.trace !== undefined;
  const lockstat = f.lockstat === true || f.report !== undefined || f.lockstatBy !== undefined || f.lockstatCsv !== undefined;
  const lockdep = f.lockdep === true || f.report !== undefined;
  if (!trace && !lockstat && !lockdep) return undefined;
  if (f.holdSample < 1) throw new UsageError('--hold-sample must be at least 1');
  if (f.traceCap !== undefined && f.traceCap < 1) throw new UsageError('--trace-cap must be positive');
  return { lockstat: lockstat || trace, lockdep, trace: trace || f.report !== undefined, holdSample: f.holdSample, traceCap: f.traceCap ?? 200_000 };
}

export interface ProfileMeta {
  title: string;
  config: object;
  summary: string[];
  threadNames: string[];
}

/** Prints the asked-for tables and writes the asked-for files; returns true if lockdep found a cycle. */
export function emitProfile(f: ProfileFlags, p: ProfileData, meta: ProfileMeta): boolean {
  if (f.lockstat || f.lockstatBy) {
    console.log('');
    console.log(formatLockstat(p.lockstat, p.unit));
  }
  const pivot = f.lockstatBy ? pivotContentions(p.contentions, f.lockstatBy, f.lockstatSort) : null;
  if (pivot && f.lockstatBy) {
    console.log('');
    console.log(formatPivot(pivot, f.lockstatBy, p.unit));
  }
  if (f.lockstatCsv) write(f.lockstatCsv, lockstatCsv(p.lockstat) + (pivot && f.lockstatBy ? `\n${pivotCsv(pivot, f.lockstatBy)}` : ''));
  if (f.lockdep || p.lockOrder.cycles.length > 0) {
    console.log('');
    console.log(formatLockOrder(p.lockOrder));
  }
  if (f.trace) {
    let events: number;
    try {
      ({ events } = writeChromeTrace(f.trace, p.trace, { threadNames: meta.threadNames, unit: p.unit }));
    } catch (e) {
      throw new UsageError(`cannot write ${f.trace}: ${(e as Error).message}`);
    }
    console.log(`\ntimeline: ${f.trace} (${events} events${p.trace.capped ? `, capped at ${p.trace.cap} per thread` : ''}); open it in https://ui.perfetto.dev`);
  }
  if (f.report) {
    const { html } = writeReport(f.report, p, { title: meta.title, config: meta.config, summary: meta.summary });
    console.log(`report: ${html}`);
  }
  return p.lockOrder.cycles.length > 0;
}

function write(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
