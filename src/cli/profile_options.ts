// Profiling flags shared by stress, explore and replay, and what they print and write.
import { Option, type Command } from 'commander';
import type { ProfileOptions } from '../profile/recorder.js';
import type { ProfileData } from '../profile/types.js';
import { formatLockstat, formatPivot, lockstatCsv, pivotContentions, pivotCsv } from '../report/lockstat_table.js';
import { formatLockOrder } from '../report/lockdep_report.js';
import { writeChromeTrace } from '../report/perfetto.js';
import { writeReport } from '../report/write_report.js';
import type { HtmlReportMeta } from '../report/html.js';
import { GROUP, intIn } from './options.js';
import { checkOutputFile, prepareOutputDir, type OutputLog } from './outputs.js';

export interface ProfileFlags {
  lockstat?: boolean;
  lockdep?: boolean;
  trace?: string;
  report?: string;
  lockstatBy?: 'point' | 'cpu' | 'instance' | 'class';
  lockstatSort: 'contended' | 'wait_total' | 'wait_max' | 'avg_wait';
  lockstatCsv?: string;
  traceCap?: number;
  holdSample?: number;
}

/** Which profiling flags a command takes: the timeline (one run: stress, replay), and sampled
 * hold times (wall-clock: stress). */
export function addProfileOptions(cmd: Command, opts: { trace: boolean; wallClock: boolean }): Command {
  const P = GROUP.profiling;
  const add = (o: Option): Command => cmd.addOption(o.helpGroup(P));
  add(new Option('--lockstat', 'collect lock statistics and print a lockstat table'));
  add(new Option('--lockdep', 'check lock order: report any cycle in the class graph, even if no deadlock happened'));
  add(new Option('--lockstat-by <key>', 'also print a perf-lock-style pivot of contentions').choices(['point', 'cpu', 'instance', 'class']));
  add(new Option('--lockstat-sort <key>', 'sort key of the pivot').choices(['contended', 'wait_total', 'wait_max', 'avg_wait']).default('contended'));
  add(new Option('--lockstat-csv <file>', 'write the lockstat table (and the pivot, if any) as CSV'));
  add(new Option('--report <dir>', 'write an HTML report (charts, lockstat table, lock order) into DIR'));
  if (opts.wallClock) add(new Option('--hold-sample <n>', 'time the hold of one acquisition in N (clock reads cost ~40 ns)').argParser(intIn(1, 1_000_000)).default(8));
  if (opts.trace) {
    add(new Option('--trace <file>', 'write a Chrome Trace Event JSON timeline (opens in ui.perfetto.dev)'));
    add(new Option('--trace-cap <n>', 'timeline events kept per thread (past it the trace says it was capped)').argParser(intIn(1, 100_000_000)).default(200_000));
  }
  return cmd;
}

/** Fails now, with exit 2, if an output of the profile cannot be written. */
export function checkProfileOutputs(f: ProfileFlags): void {
  if (f.lockstatCsv !== undefined) checkOutputFile('--lockstat-csv', f.lockstatCsv);
  if (f.trace !== undefined) checkOutputFile('--trace', f.trace);
  if (f.report !== undefined) prepareOutputDir('--report', f.report);
}

export function profileOptionsFrom(f: ProfileFlags): ProfileOptions | undefined {
  const trace = f.trace !== undefined;
  const lockstat = f.lockstat === true || f.report !== undefined || f.lockstatBy !== undefined || f.lockstatCsv !== undefined;
  const lockdep = f.lockdep === true || f.report !== undefined;
  if (!trace && !lockstat && !lockdep) return undefined;
  return { lockstat: lockstat || trace, lockdep, trace: trace || f.report !== undefined, holdSample: f.holdSample ?? 1, traceCap: f.traceCap ?? 200_000 };
}

/** What the report shows beside the profile (the verdict, the violation and its interleaving, the
 * command that reproduces the run) and the timeline's track names. */
export interface ProfileMeta extends HtmlReportMeta {
  threadNames: string[];
}

/** The profile as --json carries it (and `faultline lockstat` reads it back). */
export function profileJson(p: ProfileData): object {
  return { lockstat: p.lockstat, profile: { unit: p.unit, lockstat: p.lockstat, contentions: p.contentions, contentionCap: p.contentionCap, lockOrder: p.lockOrder } };
}

/** Prints the asked-for tables; returns true if lockdep found a cycle. */
export function printProfile(f: ProfileFlags, p: ProfileData): boolean {
  if (f.lockstat || f.lockstatBy) {
    console.log('');
    console.log(formatLockstat(p.lockstat, p.unit));
  }
  const pivot = f.lockstatBy ? pivotContentions(p.contentions, f.lockstatBy, f.lockstatSort) : null;
  if (pivot && f.lockstatBy) {
    console.log('');
    console.log(formatPivot(pivot, f.lockstatBy, p.unit, { cap: p.contentionCap }));
  }
  if (f.lockdep || p.lockOrder.cycles.length > 0) {
    console.log('');
    console.log(formatLockOrder(p.lockOrder));
  }
  return p.lockOrder.cycles.length > 0;
}

/** Writes the asked-for profile files (after --json, which the caller writes first). */
export function writeProfile(f: ProfileFlags, p: ProfileData, meta: ProfileMeta, out: OutputLog): void {
  if (f.lockstatCsv) {
    const pivot = f.lockstatBy ? pivotContentions(p.contentions, f.lockstatBy, f.lockstatSort) : null;
    out.write('--lockstat-csv', f.lockstatCsv, lockstatCsv(p.lockstat) + (pivot && f.lockstatBy ? `\n${pivotCsv(pivot, f.lockstatBy)}` : ''));
  }
  if (f.trace) {
    const file = f.trace;
    out.attempt('--trace', file, () => {
      const { events } = writeChromeTrace(file, p.trace, { threadNames: meta.threadNames, unit: p.unit });
      console.log(`\ntimeline: ${file} (${events} events${p.trace.capped ? `, capped at ${p.trace.cap} per thread` : ''}); open it in https://ui.perfetto.dev`);
    });
  }
  if (f.report) {
    const dir = f.report;
    out.attempt('--report', dir, () => {
      const { threadNames: _tracks, ...report } = meta;
      const { html } = writeReport(dir, p, report);
      console.log(`report: ${html}`);
    });
  }
}
