// Schedule files: config, seed, strategy, and the decision list keyed by stable point labels.
// Written by explore on a failure, read by replay. Malformed files are a one-line error.
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { labelName } from './labels.js';
import { MAX_THREADS, TRACE_STRIDE } from './det_layout.js';
import type { StrategySpec } from './strategies/index.js';
import type { ScheduleDecision } from './strategies/replay.js';
import type { ToolStamp } from '../version.js';

export interface ScheduleFile {
  faultline: 'schedule';
  version: 1;
  /** the faultline that wrote it (absent in files written before it was recorded) */
  tool?: ToolStamp;
  /** a user test's schedule: its module, relative to the schedule file's folder */
  test?: { file: string };
  /** the built-in machine's configuration (for a user test, only its seed matters) */
  config: Config;
  seed: number;
  strategy: StrategySpec;
  maxSteps: number;
  moves: number;
  traceHash: string;
  steps: number;
  violation: { oracle: string; message: string; thread: string } | null;
  decisions: ScheduleDecision[];
}

export class ScheduleFileError extends Error {}

/** Every switch in a full trace: the thread that gave the token away, at which label and which
 * occurrence of that label in that thread, and who got it. */
export function decisionsFromTrace(trace: Int32Array, base: number, steps: number): ScheduleDecision[] {
  const seen = new Map<string, number>();
  const out: ScheduleDecision[] = [];
  for (let i = 0; i < steps; i++) {
    const at = base + i * TRACE_STRIDE;
    const tid = trace[at]!;
    const label = labelName(trace[at + 1]!);
    const key = `${tid}:${label}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    if (i + 1 < steps && trace[at + TRACE_STRIDE] !== tid) out.push({ thread: tid, label, occurrence, to: trace[at + TRACE_STRIDE]! });
  }
  return out;
}

export function readScheduleFile(path: string): ScheduleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ScheduleFileError(`cannot read schedule file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const f = raw as Partial<ScheduleFile>;
  const bad = (what: string): never => {
    throw new ScheduleFileError(`malformed schedule file ${path}: ${what}`);
  };
  if (typeof f !== 'object' || f === null || f.faultline !== 'schedule') bad('not a faultline schedule (missing "faultline": "schedule")');
  if (f.version !== 1) bad(`unsupported version ${String(f.version)}`);
  if (typeof f.config !== 'object' || f.config === null) bad('missing config');
  if (typeof f.seed !== 'number' || !Number.isInteger(f.seed)) bad('seed must be an integer');
  if (typeof f.strategy !== 'object' || f.strategy === null) bad('missing strategy');
  if (typeof f.maxSteps !== 'number' || typeof f.moves !== 'number') bad('missing maxSteps or moves');
  if (!Array.isArray(f.decisions)) bad('decisions must be an array');
  if (f.test !== undefined && (typeof f.test !== 'object' || f.test === null || typeof f.test.file !== 'string')) bad('test must be {"file": path}');
  // a user test's thread count is known once its module is loaded (the loader checks it again)
  const threads = f.test !== undefined ? MAX_THREADS : (f.config!.cpus ?? 0) + (f.config!.migrators ?? 0);
  f.decisions!.forEach((d, i) => {
    const ok = typeof d === 'object' && d !== null && Number.isInteger(d.thread) && Number.isInteger(d.to) && Number.isInteger(d.occurrence) && typeof d.label === 'string' &&
      d.thread >= 0 && d.thread < threads && d.to >= 0 && d.to < threads && d.occurrence >= 1;
    if (!ok) bad(`decision ${i} must be {thread, label, occurrence, to} with threads in [0, ${threads})`);
  });
  return f as ScheduleFile;
}
