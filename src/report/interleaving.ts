// The interleaving, readably: a column per thread (CPU, migrator, a user test's thread), a row per
// step, each cell the point label with the word it touched and the value that word held just before.
import { TRACE_STRIDE } from '../sched/det_layout.js';
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
}

type Naming = Pick<Program, 'describeWord' | 'showValue'>;

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

export function traceRows(p: Naming, trace: Int32Array, base: number, from: number, to: number): TraceRow[] {
  const rows: TraceRow[] = [];
  for (let i = Math.max(0, from); i < to; i++) {
    const at = base + i * TRACE_STRIDE;
    const idx = trace[at + 2]!;
    const value = trace[at + 3]!;
    const known = idx >= 0;
    rows.push({ step: i, thread: trace[at]!, label: labelName(trace[at + 1]!), word: known ? p.describeWord(idx) : '', value, shown: known ? p.showValue(idx, value) : String(value) });
  }
  return rows;
}

/** The steps up to `to` that touched one of `words` (the violation's own: its PTE, the TLB that
 * cached it, its frame), the last `limit` of them: the race, without the steps around it. */
export function anchoredRows(p: Naming, trace: Int32Array, base: number, to: number, words: Set<number>, limit: number): TraceRow[] {
  const picked: number[] = [];
  for (let i = 0; i < to; i++) if (words.has(trace[base + i * TRACE_STRIDE + 2]!)) picked.push(i);
  return picked.slice(-limit).flatMap((i) => traceRows(p, trace, base, i, i + 1));
}

/** The violation's own steps, when its program names the words it is about (null otherwise, or
 * when the trace holds none of them). */
export function anchorOf(p: Naming & Pick<Program, 'refWords'>, r: TracedRun, limit: number): { what: string[]; rows: TraceRow[] } | null {
  const refs = r.violation?.refs;
  if (refs === undefined || p.refWords === undefined) return null;
  const { words, what } = p.refWords(r.machine, refs);
  const rows = anchoredRows(p, r.sched, r.traceBase, windowEnd(r), words, limit);
  return rows.length > 0 ? { what, rows } : null;
}

/** `names`: the threads, by tid (the columns). */
export function renderInterleaving(names: string[], rows: TraceRow[], width = 44): string {
  const threads = names.length;
  const cut = (s: string): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const head = ['step'.padStart(7), ...names.map(cut)].join(' │ ');
  const lines = [head, '─'.repeat(head.length)];
  for (const r of rows) {
    const cell = r.word ? `${r.label} ${r.word}=${r.shown}` : r.label;
    const cols = Array.from({ length: threads }, (_, t) => cut(t === r.thread ? cell : ''));
    lines.push([String(r.step).padStart(7), ...cols].join(' │ '));
  }
  return lines.join('\n');
}
