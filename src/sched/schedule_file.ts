// Schedule files: config, seed, strategy, and the decision list keyed by stable point labels.
// Written by explore on a failure, read by replay. Malformed files are a one-line error.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { Config } from '../config.js';
import { labelName } from './labels.js';
import { MAX_THREADS, TRACE_STRIDE, traceLabel } from './det_layout.js';
import { SEARCH_SPEC, type SearchSpec } from './strategies/spec.js';
import type { ScheduleDecision } from './strategies/replay.js';
import { TOOL_SCHEMA, type ToolStamp } from '../version.js';
import { issueText } from '../lib/schema_issue.js';

export interface ScheduleFile {
  faultline: 'schedule';
  version: 1;
  /** the JSON Schema of this file (schemas/schedule.schema.json of the faultline that wrote it) */
  $schema?: string;
  /** the faultline that wrote it (absent in files written before it was recorded) */
  tool?: ToolStamp;
  /** a user test's schedule: its module, relative to the schedule file's folder */
  test?: { file: string };
  /** the built-in machine's configuration (for a user test, only its seed matters) */
  config: Config;
  seed: number;
  /** the search that found the run (a portfolio's member, calibrated) */
  strategy: SearchSpec;
  maxSteps: number;
  moves: number;
  traceHash: string;
  steps: number;
  /** the run outgrew the trace: `decisions` are those of its first TRACE_CAPACITY steps only */
  traceTruncated?: true;
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
    const label = labelName(traceLabel(trace[at + 1]!));
    const key = `${tid}:${label}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    if (i + 1 < steps && trace[at + TRACE_STRIDE] !== tid) out.push({ thread: tid, label, occurrence, to: trace[at + TRACE_STRIDE]! });
  }
  return out;
}

const DECISION = z.strictObject({
  thread: z.int().min(0).max(MAX_THREADS - 1),
  label: z.string().min(1),
  occurrence: z.int().min(1),
  to: z.int().min(0).max(MAX_THREADS - 1),
});

/** The file's shape; what its values mean (a valid config, a known strategy, a thread the program
 * has) the loader checks against the program. */
const SCHEDULE_SCHEMA = z.object({
  $schema: z.string().optional(),
  faultline: z.literal('schedule'),
  version: z.literal(1),
  tool: TOOL_SCHEMA.optional(),
  test: z.strictObject({ file: z.string().min(1) }).optional(),
  config: z.record(z.string(), z.unknown()),
  seed: z.int().min(0).max(0xffffffff),
  strategy: SEARCH_SPEC,
  maxSteps: z.int(),
  moves: z.int(),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
  steps: z.int().min(0),
  traceTruncated: z.literal(true).optional().describe('the run outgrew the trace: the decisions cover its traced prefix only'),
  violation: z.object({ oracle: z.string(), message: z.string(), thread: z.string() }).nullable(),
  decisions: z.array(DECISION),
});

/** The JSON Schema of schedule files (schemas/schedule.schema.json). */
export function scheduleJsonSchema(): object {
  return { ...z.toJSONSchema(SCHEDULE_SCHEMA), title: 'faultline schedule file' };
}

export function readScheduleFile(path: string): ScheduleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ScheduleFileError(`cannot read schedule file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { faultline?: unknown }).faultline !== 'schedule') {
    throw new ScheduleFileError(`malformed schedule file ${path}: not a faultline schedule (missing "faultline": "schedule")`);
  }
  const r = SCHEDULE_SCHEMA.safeParse(raw);
  if (!r.success) {
    const { path: at, text } = issueText(r.error.issues[0]!);
    throw new ScheduleFileError(`malformed schedule file ${path}: ${at === '' ? text : `${at}: ${text}`}`);
  }
  return raw as ScheduleFile;
}
