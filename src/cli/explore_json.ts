// What an exploration reports: the failures with their schedule files and replay commands, and
// the object `explore --json` writes (and the library's explore() returns).
import { dirname } from 'node:path';
import * as z from 'zod';

import type { ExploreResult } from '../harness/explore.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { schemaRef, TOOL_SCHEMA, toolStamp } from '../version.js';
import { dependsOnHistory, SEARCH_SPEC, searchOf } from '../sched/strategies/index.js';
import { replayLine } from './det_options.js';
import type { ScheduleWriter } from './schedule_writer.js';

const FAILURE = z.object({
  seed: z.int().min(0),
  oracle: z.string(),
  message: z.string(),
  thread: z.string(),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/),
  scheduleFile: z.string().describe('the schedule file written for it'),
  member: z.string().optional().describe('portfolio: the member that found it (its schedule file replays it alone)'),
  shrunk: z.object({
    scheduleFile: z.string(),
    traceHash: z.string().regex(/^[0-9a-f]{16}$/).describe("the shrunk schedule's trace hash (faultline merge keeps one failure per oracle and shrunk interleaving)"),
    preemptions: z.object({ before: z.int(), after: z.int() }),
    switches: z.object({ before: z.int(), after: z.int() }),
    steps: z.object({ before: z.int(), after: z.int() }),
    replays: z.int(),
    workload: z.array(z.string()).describe('the machine made smaller with the schedule: "ops 30 → 4", …'),
    noneWith: z.int().min(0).optional().describe('every schedule of the shrunk workload with at most this many preemptions was run, and none failed with the oracle'),
  }).optional().describe('the same failure shrunk: its schedule file and the counts before and after (explore shrinks the first failure of each oracle unless --no-shrink)'),
  replay: z.string().describe('the command that replays it'),
});

/** What `explore --json` writes and the library's explore() returns; the JSON Schema in
 * schemas/explore.schema.json is made from it. Profiling adds its own fields (lockstat, lockdep). */
export const EXPLORE_JSON_SCHEMA = z.looseObject({
  $schema: z.string().describe("this document's JSON Schema: schemas/explore.schema.json of the faultline that wrote it"),
  tool: TOOL_SCHEMA,
  command: z.literal('explore'),
  interrupted: z.string().nullable().describe('the signal that interrupted the exploration, or null'),
  schedules: z.int().min(0),
  schedulesPerSec: z.number(),
  seconds: z.number(),
  strategy: SEARCH_SPEC.describe('the strategy as run (calibrated)'),
  test: z.string().optional().describe("the user test's module (absent for the built-in machine)"),
  config: z.record(z.string(), z.unknown()).optional().describe("the built-in machine's config (absent for a user test)"),
  maxSteps: z.int(),
  moves: z.int(),
  exhausted: z.boolean(),
  seeds: z.object({ start: z.int().min(0), count: z.int().min(1) }).describe('the seeds this run covered'),
  shard: z.object({ index: z.int().min(0), of: z.int().min(1), seeds: z.object({ start: z.int().min(0), count: z.int().min(1) }) }).optional()
    .describe('--shard: this run is part `index` (from 0) of `of` of the seed range `seeds`'),
  merged: z.array(z.string()).optional().describe('faultline merge: the files merged into this one'),
  failures: z.array(FAILURE),
  errors: z.array(z.string()).describe("faultline's own failures (crashes, watchdog)"),
  coverage: z.object({
    pairs: z.int().min(0).describe('pairs of point labels seen conflicting: the same word, two threads, one of them writing'),
    bothOrders: z.int().min(0).describe('of those, seen in both orders'),
    fraction: z.number().min(0).max(1),
    lost: z.int().min(0).describe('ordered pairs that did not fit the set (then the counts are lower bounds)'),
    curve: z.array(z.object({ schedules: z.int(), pairs: z.int(), bothOrders: z.int() })).describe('the counts after the first n schedules'),
    oneOrder: z.array(z.string()).describe('the first pairs seen in one order only, as "first → second"'),
    orderedPairs: z.array(z.object({ a: z.string(), b: z.string(), first: z.int().min(1) })).describe('every ordered pair by its labels, with the first schedule (from 1, in seed order) that saw it'),
  }).optional().describe('--coverage: interleaving coverage'),
});

export type ExploreFailure = z.infer<typeof FAILURE>;
/** --shard I/N: part `index` (from 0) of `of` parts of `seeds` */
export interface Shard {
  index: number;
  of: number;
  seeds: { start: number; count: number };
}
export type ExploreJson = z.infer<typeof EXPLORE_JSON_SCHEMA>;

/** Every failure written, by seed, with its replay command. */
export function failureList(spec: DetRunSpec, writer: ScheduleWriter): ExploreFailure[] {
  return [...writer.written].sort((a, b) => a.seed - b.seed || a.scheduleFile.localeCompare(b.scheduleFile)).map((f) => ({
    ...f,
    replay: dependsOnHistory(spec.strategy) ? `npx faultline replay --schedule ${f.scheduleFile}` : replayLine(spec, f.seed),
  }));
}

/** `file`: where it is written, which its `$schema` is relative to ('-', the default: standard
 * output or the library, where it is absolute). */
export function exploreJson(spec: DetRunSpec, r: ExploreResult, failures: ExploreFailure[], errors: string[], interrupted: string | null, file = '-', shard?: Shard): ExploreJson {
  return {
    $schema: schemaRef('explore.schema.json', file === '-' ? null : dirname(file)), tool: toolStamp(), command: 'explore', interrupted,
    schedules: r.schedules, schedulesPerSec: r.schedulesPerSec, seconds: r.seconds, strategy: searchOf(r.strategy), ...(spec.test ? { test: spec.test.file } : { config: Object.fromEntries(Object.entries(spec.cfg)) }), maxSteps: spec.maxSteps, moves: spec.moves,
    exhausted: r.exhausted, seeds: r.seeds, ...(shard ? { shard } : {}), failures, errors,
    ...(r.coverage ? { coverage: r.coverage } : {}),
  };
}
