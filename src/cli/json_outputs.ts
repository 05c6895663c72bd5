// What each command writes as JSON, one zod schema per output: the JSON Schemas in schemas/ are
// made from this table (npm run schemas), every document names its schema in `$schema` and the
// faultline that wrote it in `tool`, and the tests validate real outputs against the table.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { issueText } from '../lib/schema_issue.js';
import { SEARCH_SPEC } from '../sched/strategies/index.js';
import { schemaRef, TOOL_SCHEMA, toolStamp } from '../version.js';
import { EXPLORE_JSON_SCHEMA } from './explore_json.js';
import { UsageError } from './errors.js';

const CONFIG = z.record(z.string(), z.unknown()).describe("the built-in machine's config (stress --help names each key's flag)");
const VIOLATION = z.looseObject({ oracle: z.string(), message: z.string(), thread: z.string() });
const INTERRUPTED = z.string().nullable().describe('the signal that interrupted the command (SIGINT, SIGTERM), or null');
/** --lockstat, --lockdep: the tables as `lockstat --json` reads them back */
const PROFILED = { lockstat: z.array(z.unknown()).optional(), profile: z.looseObject({ unit: z.string() }).optional() };

const head = <C extends string>(command: C) => ({
  $schema: z.string().describe('the JSON Schema of this document, relative to it (absolute on standard output)'),
  tool: TOOL_SCHEMA,
  command: z.literal(command),
});

const REPLAY = z.looseObject({
  ...head('replay'),
  seed: z.int().min(0),
  test: z.string().optional().describe("a user test's module"),
  config: CONFIG.optional(),
  strategy: SEARCH_SPEC.describe('the search that ran the seed (a schedule file: the one that recorded it)'),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/),
  steps: z.int().min(0),
  switches: z.int().min(0),
  violation: VIOLATION.nullable(),
  replay: z.object({ used: z.int(), total: z.int(), divergedAt: z.int() }).nullable().describe('a schedule file: decisions followed and where it first diverged (-1: never)'),
  verdict: z.object({ reproduced: z.boolean(), kind: z.string(), line: z.string() }).nullable().describe('a schedule file: whether the run reproduced it'),
  rows: z.array(z.unknown()).describe('the interleaving shown: a row per step, a column per thread'),
  anchored: z.object({ what: z.array(z.string()), rows: z.array(z.unknown()) }).optional().describe("the violation's own steps: those that touched the words it names (its PTE, the TLB that cached it, its frame)"),
  explain: z.array(z.string()).optional().describe('the race in sentences, a step each (the built-in machine)'),
  ...PROFILED,
});

const STRESS = z.looseObject({
  ...head('stress'),
  interrupted: INTERRUPTED,
  rerun: z.string().describe('the command that runs it again'),
  seed: z.int().min(0),
  config: CONFIG,
  seconds: z.number().describe('the measured window: after the warm-up, up to the stop (a run by --ops: all of it)'),
  warmupSeconds: z.number().describe('run first and left out of the counts, rates and latencies'),
  wallSeconds: z.number().describe('the whole run, with the warm-up and the last operations after the stop'),
  faults: z.int(), migrations: z.int(), shootdowns: z.int(), ipis: z.int(), accesses: z.int(),
  faultsPerSec: z.number(), migrationsPerSec: z.number(), shootdownsPerSec: z.number(), accessesPerSec: z.number(),
  perThread: z.array(z.looseObject({ thread: z.string() })).describe("each thread's counts in the measured window"),
  latencyNs: z.object({
    count: z.int(), p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number(),
    histogram: z.string().describe('HdrHistogram, compressed base64 (hdr-histogram-js decodeFromCompressedBase64): merge runs and re-plot'),
  }).describe('fault latency in the measured window'),
  totals: z.record(z.string(), z.number()).describe('counts of the whole run'),
  violations: z.array(VIOLATION),
  crash: z.object({ cpu: z.int(), thread: z.string(), error: z.string() }).optional(),
  hang: z.array(z.string()).optional().describe('the watchdog fired: what was held and who slept on what'),
  ...PROFILED,
});

const STRESS_TEST = z.looseObject({
  ...head('stress'),
  test: z.string().describe("the user test's module"),
  interrupted: INTERRUPTED,
  seed: z.int().min(0),
  runs: z.int().min(0),
  seconds: z.number(),
  runsPerSec: z.number(),
  failure: z.object({ run: z.int(), seed: z.int(), violation: VIOLATION }).nullable(),
  hang: z.boolean(),
  errors: z.array(z.string()),
  explore: z.string().describe('the explore command that finds a failure deterministically'),
  ...PROFILED,
});

const MATRIX = z.looseObject({
  ...head('matrix'),
  interrupted: INTERRUPTED,
  options: z.looseObject({ schedules: z.int(), seconds: z.number(), trials: z.int(), driver: z.string(), bugs: z.array(z.string()) }),
  rows: z.array(z.object({
    bug: z.string(),
    cells: z.array(z.object({
      mode: z.string(), detected: z.int(), trials: z.int(), median: z.number().nullable(), unit: z.enum(['schedules', 'seconds']), oracles: z.array(z.string()),
      violations: z.int().optional(), work: z.number().optional(),
    })),
  })),
  failed: z.array(z.string()).describe('cells that did not hold: a bug not found, a violation on the clean row'),
});

const RATE = z.object({ prefix: z.int().min(0), failed: z.int().min(0), of: z.int().min(1) });
const BISECT = z.looseObject({
  ...head('bisect'),
  schedule: z.string().describe('the schedule file bisected'),
  oracle: z.string(),
  switches: z.int().min(0).describe("the file's recorded switches"),
  steps: z.int().min(0),
  continuations: z.int().min(1),
  switchProbability: z.number(),
  prefix: z.int().min(0).nullable().describe('the fewest switches followed after which every continuation failed (null: none)'),
  step: z.int().min(0).nullable().describe('the step that ends with that switch'),
  decision: z.looseObject({ thread: z.int(), label: z.string(), occurrence: z.int(), to: z.int() }).nullable(),
  rates: z.array(RATE).describe('continuations that failed with the oracle, after a prefix of the switches'),
  runs: z.int().min(0),
  rows: z.array(z.unknown()).describe('the steps up to the point of no return'),
  anchored: z.array(z.unknown()).describe("the steps before it that touched the violation's words"),
});

const BUGS = z.looseObject({
  ...head('bugs'),
  bugs: z.array(z.looseObject({ name: z.string(), origin: z.string(), oracle: z.string(), depth: z.int() })),
});

const SUMMARY = z.object({ median: z.number(), lo: z.number(), hi: z.number() });
const STUDY = z.looseObject({
  ...head('study'),
  study: z.string(),
  question: z.string(),
  reps: z.int().min(1),
  seconds: z.number(),
  warmupSeconds: z.number(),
  seed: z.int(),
  variants: z.array(z.string()).describe('compared at every point; the first is the baseline'),
  axes: z.array(z.object({ key: z.string(), label: z.string(), values: z.array(z.string()) })),
  metrics: z.array(z.object({ key: z.string(), label: z.string() })),
  primary: z.string(),
  cells: z.array(z.object({
    point: z.record(z.string(), z.string()).describe('axis key → value'),
    variant: z.string(),
    runs: z.array(z.object({
      seed: z.int(), metrics: z.record(z.string(), z.number()), violations: z.int().min(0),
      perCpu: z.array(z.object({ accessesPerSec: z.number(), faultsPerSec: z.number() })).optional().describe("each CPU's rates in the measured window"),
      latencyHistogram: z.string().describe("the run's fault-latency HdrHistogram, compressed and base64 (hdr-histogram-js decodeFromCompressedBase64)"),
    })),
    summary: z.record(z.string(), SUMMARY).describe('per metric: the median and a 95% bootstrap interval'),
  })),
  comparisons: z.array(z.object({
    point: z.record(z.string(), z.string()), metric: z.string(), baseline: z.string(), variant: z.string(),
    meanChange: z.number().describe('mean of the paired differences over the baseline mean'), p: z.number().describe('paired t-test, two-sided'), significant: z.boolean(),
  })),
  violations: z.int().min(0),
  interrupted: z.boolean(),
});

/** The documents faultline writes as JSON (besides schedule files and scenarios), by schema file. */
export const JSON_OUTPUTS = {
  explore: { schema: EXPLORE_JSON_SCHEMA, title: 'faultline explore --json' },
  replay: { schema: REPLAY, title: 'faultline replay --json' },
  stress: { schema: STRESS, title: 'faultline stress --json' },
  'stress-test': { schema: STRESS_TEST, title: 'faultline stress --test --json' },
  matrix: { schema: MATRIX, title: 'faultline matrix: matrix.json' },
  bugs: { schema: BUGS, title: 'faultline bugs --json' },
  bisect: { schema: BISECT, title: 'faultline bisect --json' },
  study: { schema: STUDY, title: 'faultline study --json' },
} as const;
export type JsonOutput = keyof typeof JSON_OUTPUTS;

export function outputJsonSchema(name: JsonOutput): object {
  const o = JSON_OUTPUTS[name];
  return { ...z.toJSONSchema(o.schema), title: o.title };
}

/** `doc` headed by its `$schema` (relative to `file`'s folder; absolute for standard output, '-')
 * and the tool stamp. */
export function stamped<T extends object>(name: JsonOutput, file: string, doc: T): { $schema: string; tool: ReturnType<typeof toolStamp> } & T {
  return { $schema: schemaRef(`${name}.schema.json`, file === '-' ? null : dirname(file)), tool: toolStamp(), ...doc };
}

/** null when `doc` has the shape of output `name`, else the first thing wrong with it. */
export function checkJsonOutput(name: JsonOutput, doc: unknown): string | null {
  const r = JSON_OUTPUTS[name].schema.safeParse(doc);
  if (r.success) return null;
  const { path, text } = issueText(r.error.issues[0]!);
  return `${path}: ${text}`;
}

/** Output `name` read back from `file` (merge, study --from): unreadable, not JSON or not of that
 * shape is bad input, one line headed by `head` (the flag and the file). */
export function readJsonOutput<T>(name: JsonOutput, file: string, head: string): T {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${head}: ${(e as Error).message}`);
  }
  const bad = checkJsonOutput(name, doc);
  if (bad !== null) throw new UsageError(`${head}: not a ${JSON_OUTPUTS[name].title} (${bad})`);
  return doc as T;
}
