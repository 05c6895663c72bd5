// The interleaving, readably: a column per CPU and migrator, a row per step, each cell the point
// label with the word it touched and the value that word held just before.
import type { Config } from '../config.js';
import { Layout } from '../shm/layout.js';
import { TRACE_STRIDE } from '../sched/det_layout.js';
import { labelName } from '../sched/labels.js';
import { describeWord } from '../harness/words.js';
import { threadNames } from '../harness/lockdump.js';

export interface TraceRow {
  step: number;
  thread: number;
  label: string;
  word: string;
  value: number;
  /** the value as shown: PTEs in hex, as the violations print them */
  shown: string;
}

export function traceRows(cfg: Config, trace: Int32Array, base: number, from: number, to: number): TraceRow[] {
  const lay = new Layout(cfg);
  const rows: TraceRow[] = [];
  for (let i = Math.max(0, from); i < to; i++) {
    const at = base + i * TRACE_STRIDE;
    const idx = trace[at + 2]!;
    const value = trace[at + 3]!;
    const pte = idx >= lay.ptes && idx < lay.ptes + lay.ptePages * cfg.ptrsPerPte;
    const shown = pte ? `0x${(value >>> 0).toString(16)}` : String(value);
    rows.push({ step: i, thread: trace[at]!, label: labelName(trace[at + 1]!), word: idx >= 0 ? describeWord(lay, idx) : '', value, shown });
  }
  return rows;
}

export function renderInterleaving(cfg: Config, rows: TraceRow[], width = 44): string {
  const threads = cfg.cpus + cfg.migrators;
  const cut = (s: string): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const head = ['step'.padStart(7), ...threadNames(cfg).map(cut)].join(' │ ');
  const lines = [head, '─'.repeat(head.length)];
  for (const r of rows) {
    const cell = r.word ? `${r.label} ${r.word}=${r.shown}` : r.label;
    const cols = Array.from({ length: threads }, (_, t) => cut(t === r.thread ? cell : ''));
    lines.push([String(r.step).padStart(7), ...cols].join(' │ '));
  }
  return lines.join('\n');
}
