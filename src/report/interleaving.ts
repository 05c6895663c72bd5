// The interleaving, readably: a column per thread (CPU, migrator, a user test's thread), a row per
// step, each cell the point label with the word it touched and the value its access found there
// (an access stopped at by a switch runs when its thread resumes: it finds the value of then).
import { TRACE_STRIDE, traceLabel, traceWait } from '../sched/det_layout.js';
import { labelName } from '../sched/labels.js';
import type { Program } from '../harness/program.js';
import type { TracedRun } from '../harness/det_run.js';
import { L_EXIT } from '../sched/det.js';

export interface TraceRow {
  step: number;
  thread: number;
  label: string;
  word: string;
  value: number;
  /** the value as shown: PTEs in hex, as the violations print them */
  shown: string;
  /** a switch followed a point that is not a wait: the thread stopped there, and its access ran
   * when it resumed */
  stopped: boolean;
}

type Naming = Pick<Program, 'describeWord' | 'showValue'>;
/** A run's trace: the scheduler buffer, where the trace starts in it, how many steps it holds. */
export type TraceView = Pick<TracedRun, 'sched' | 'traceBase' | 'traceLen'>;

/** Where the interleaving shown of a run ends: where the violating thread exited (its last step is
 * the failing one), else the end of the trace. */
export function windowEnd(r: TracedRun): number {
  if (!r.violation) return r.traceLen;
  for (let i = r.traceLen - 1; i >= 0; i--) {
    const at = r.traceBase + i * TRACE_STRIDE;
    if (r.sched[at] === r.violation.cpu && r.sched[at + 1] === L_EXIT) return i + 1;
  }
  return r.traceLen;
}

/** Whether step `i` is a point a switch followed (not a wait): its thread stopped there, and its
 * access ran when the thread next ran. */
export function stoppedAt(t: TraceView, i: number): boolean {
  const at = t.traceBase + i * TRACE_STRIDE;
  return !traceWait(t.sched[at + 1]!) && i + 1 < t.traceLen && t.sched[at + TRACE_STRIDE] !== t.sched[at];
}

export function traceRows(p: Naming, t: TraceView, from: number, to: number): TraceRow[] {
  const rows: TraceRow[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, t.traceLen); i++) {
    const at = t.traceBase + i * TRACE_STRIDE;
    const idx = t.sched[at + 2]!;
    const value = t.sched[at + 3]!;
    const known = idx >= 0;
    const stopped = stoppedAt(t, i);
    rows.push({ step: i, thread: t.sched[at]!, label: labelName(traceLabel(t.sched[at + 1]!)), word: known ? p.describeWord(idx) : '', value, shown: known ? p.showValue(idx, value) : String(value), stopped });
  }
  return rows;
}

/** The steps up to `to` that touched one of `words` (the violation's own: its PTE, the TLB that
 * cached it, its frame), the last `limit` of them: the race, without the steps around it. */
export function anchoredRows(p: Naming, t: TraceView, to: number, words: Set<number>, limit: number): TraceRow[] {
  const picked: number[] = [];
  for (let i = 0; i < to; i++) if (words.has(t.sched[t.traceBase + i * TRACE_STRIDE + 2]!)) picked.push(i);
  return picked.slice(-limit).flatMap((i) => traceRows(p, t, i, i + 1));
}

/** The violation's own steps before `to`, when its program names the words it is about (null
 * otherwise, or when the trace holds none of them). */
export function anchorOf(p: Naming & Pick<Program, 'refWords'>, r: TracedRun, limit: number, to = windowEnd(r)): { what: string[]; rows: TraceRow[] } | null {
  const refs = r.violation?.refs;
  if (refs === undefined || p.refWords === undefined) return null;
  const { words, what } = p.refWords(r.machine, refs);
  const rows = anchoredRows(p, r, to, words, limit);
  return rows.length > 0 ? { what, rows } : null;
}

/** The race in words (the program's explain), up to the violating thread's exit; null when the
 * run is clean or the program cannot tell it. */
export function explainOf(p: Pick<Program, 'explain'>, r: TracedRun): string[] | null {
  if (!r.violation || p.explain === undefined || r.violation.refs === undefined) return null;
  return p.explain(r.machine, r, r.violation, windowEnd(r));
}

/** A column's width for `threads` columns on a terminal `columns` wide (none: 44). */
export function columnWidth(threads: number, columns?: number): number {
  if (columns === undefined) return 44;
  return Math.max(16, Math.min(60, Math.floor((columns - 8) / Math.max(1, threads)) - 3));
}

const STOPPED = '↷';

/** `names`: the threads, by tid (the columns). A stopped row is marked, with a legend below. */
export function renderInterleaving(names: string[], rows: TraceRow[], width = 44): string {
  const threads = names.length;
  const cut = (s: string): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const head = ['step'.padStart(7), ...names.map(cut)].join(' │ ');
  const lines = [head, '─'.repeat(head.length)];
  for (const r of rows) {
    const cell = `${r.stopped ? `${STOPPED} ` : ''}${r.word ? `${r.label} ${r.word}=${r.shown}` : r.label}`;
    const cols = Array.from({ length: threads }, (_, t) => cut(t === r.thread ? cell : ''));
    lines.push([String(r.step).padStart(7), ...cols].join(' │ '));
  }
  if (rows.some((r) => r.stopped)) lines.push(`${STOPPED} a switch: the thread stopped before this access and ran it when it next ran (the value is what it found then)`);
  return lines.join('\n');
}
