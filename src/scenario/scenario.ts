// Scenario files: every machine key, the workload mix, the run, the strategy and the budget in one
// JSON or YAML document, in sections; a flag typed on the command line overrides it. One table says
// which key sits in which section, which flag it stands for and what it may hold; the zod schema
// that validates a file and the JSON Schema in schemas/ are both made from it.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import * as z from 'zod';
import { parse as parseYaml } from 'yaml';
import { CONFIG_RANGES, DRIVERS, MODULE_KEYS, PROBABILITY_KEYS, RWSEM_VARIANTS, ZAP_FLUSHES, type Config } from '../config.js';
import { BUG_CATALOG, scenarioOptions } from '../bugs/catalog.js';
import { BUG_NAMES } from '../bugs/switches.js';
import { STRATEGY_NAMES, type StrategyOptions } from '../sched/strategies/index.js';
import { PCT_MAX_DEPTH } from '../sched/strategies/pct.js';
import { BOUNDED_MAX } from '../sched/strategies/bounded.js';
import { MAX_STEPS_RANGE } from '../harness/det_run.js';
import { issueText } from '../lib/schema_issue.js';
import { isModuleRef, MODULE_REF, resolveModuleRef } from '../lib/module_ref.js';
import { flagOf } from '../cli/options.js';

const SECTIONS = ['machine', 'workload', 'run', 'strategy', 'budget'] as const;
type Section = (typeof SECTIONS)[number];

interface Key {
  section: Section;
  key: string;
  /** the command-line option it stands for (commander's attribute name; the flag is its kebab case) */
  option: string;
  schema: z.ZodType;
}

const range = (k: keyof typeof CONFIG_RANGES): z.ZodType => {
  const [lo, hi] = CONFIG_RANGES[k];
  return (k === 'seconds' ? z.number() : z.int()).min(lo).max(hi);
};
const probability = z.number().min(0).max(1);
/** a user's module: FILE.js[#export], relative to the scenario file */
const MODULE = z.string().regex(MODULE_REF, 'must name a module (FILE.js[#export])');
const config = (section: Section, key: keyof Config, schema: z.ZodType): Key => ({ section, key, option: key, schema });

const KEYS: Key[] = [
  ...(['cpus', 'migrators', 'processes', 'objects', 'pages', 'tlbEntries', 'ptrsPerPte', 'flushCeiling'] as const).map((k) => config('machine', k, range(k))),
  config('machine', 'zapFlush', z.enum(ZAP_FLUSHES)),
  config('machine', 'prefault', z.union([z.enum(['1', '16', 'vma']), z.literal(1), z.literal(16)])),
  config('machine', 'placement', z.enum(['mixed', 'vram', 'system'])),
  config('machine', 'faultLock', z.enum(['mmap', 'vma'])),
  config('machine', 'rwsem', z.union([z.enum(RWSEM_VARIANTS), MODULE])),
  config('machine', 'driver', z.union([z.enum(DRIVERS), MODULE])),
  ...PROBABILITY_KEYS.map((k) => config('workload', k, probability)),
  config('workload', 'migrateRate', range('migrateRate')),
  config('run', 'seed', range('seed')),
  config('run', 'seconds', range('seconds').refine((v) => (v as number) > 0, 'must be positive')),
  config('run', 'ops', range('ops').refine((v) => (v as number) > 0, 'must be positive')),
  config('run', 'strictWaits', z.boolean()),
  { section: 'run', key: 'bugs', option: 'bug', schema: z.array(z.enum(BUG_NAMES)) },
  { section: 'run', key: 'moves', option: 'moves', schema: z.int().min(0).max(100_000) },
  { section: 'run', key: 'maxSteps', option: 'maxSteps', schema: z.int().min(MAX_STEPS_RANGE.min).max(MAX_STEPS_RANGE.max) },
  { section: 'run', key: 'watchdog', option: 'watchdog', schema: z.number().min(1).max(3600) },
  { section: 'run', key: 'test', option: 'test', schema: z.string().min(1) },
  { section: 'strategy', key: 'name', option: 'strategy', schema: z.enum(STRATEGY_NAMES) },
  { section: 'strategy', key: 'depth', option: 'depth', schema: z.int().min(1).max(PCT_MAX_DEPTH) },
  { section: 'strategy', key: 'bound', option: 'bound', schema: z.int().min(0).max(BOUNDED_MAX) },
  { section: 'strategy', key: 'switchProbability', option: 'switchProb', schema: z.number().gt(0).max(1) },
  { section: 'strategy', key: 'steps', option: 'pctSteps', schema: z.union([z.literal('auto'), z.int().min(1).max(100_000_000)]) },
  { section: 'strategy', key: 'exhaustive', option: 'exhaustive', schema: z.boolean() },
  { section: 'budget', key: 'seeds', option: 'seeds', schema: z.string().regex(/^\s*\d+\s*(\.\.\s*\d+\s*)?$/, 'must be A..B or a single seed') },
  { section: 'budget', key: 'jobs', option: 'jobs', schema: z.int().min(1).max(16) },
  { section: 'budget', key: 'stopOnFirst', option: 'stopOnFirst', schema: z.boolean() },
  { section: 'budget', key: 'maxSchedules', option: 'maxSchedules', schema: z.int().min(0).max(1_000_000_000) },
  { section: 'budget', key: 'shrink', option: 'shrink', schema: z.boolean() },
  { section: 'budget', key: 'shrinkBudget', option: 'shrinkBudget', schema: z.int().min(1).max(1_000_000) },
];

/** The scenario document: every section and key optional, nothing else allowed. */
const SCENARIO_SCHEMA = z.strictObject({
  $schema: z.string().optional(),
  ...Object.fromEntries(SECTIONS.map((s) => [s, z.strictObject(Object.fromEntries(KEYS.filter((k) => k.section === s).map((k) => [k.key, k.schema.optional()]))).optional()])),
});

/** A scenario: option attribute → value, as commander would have parsed the flag. */
type ScenarioValues = Map<string, unknown>;

export class ScenarioError extends Error {}

/** `workload.pMunmap (--p-munmap): must be at most 1` */
function describeIssue(issue: z.core.$ZodIssue): string {
  const [section, key] = issue.path.map(String);
  const k = KEYS.find((x) => x.section === section && x.key === key);
  const { path, text } = issueText(issue);
  const at = `${path === '' ? 'the document' : path}${k ? ` (${flagOf(k.option)})` : ''}`;
  if (issue.code !== 'unrecognized_keys') return `${at}: ${text}`;
  const known = path === '' ? SECTIONS : KEYS.filter((x) => x.section === section).map((x) => x.key);
  return `${at}: ${text} (known: ${known.join(', ')})`;
}

/** Reads a scenario file (JSON, or YAML by its extension), `@BUG` (the catalog's scenario of that
 * bug), or a file faultline wrote (a schedule file, a --json output): its config, test and strategy. */
export function loadScenario(ref: string): ScenarioValues {
  if (ref.startsWith('@')) return bugScenario(ref.slice(1));
  let doc: unknown;
  try {
    const text = readFileSync(ref, 'utf8');
    doc = ['.yaml', '.yml'].includes(extname(ref).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`cannot read scenario ${ref}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc === 'object' && doc !== null && ('command' in doc || 'faultline' in doc)) doc = fromOutput(doc as Output);
  const r = SCENARIO_SCHEMA.safeParse(doc);
  if (!r.success) throw new ScenarioError(`scenario ${ref}: ${describeIssue(r.error.issues[0]!)}`);
  const values: ScenarioValues = new Map();
  const sections = r.data as Record<string, Record<string, unknown> | undefined>;
  for (const k of KEYS) {
    const v = sections[k.section]?.[k.key];
    if (v === undefined) continue;
    // modules are named relative to the scenario file; prefault is a string, as its flag
    const module = k.key === 'test' || ((MODULE_KEYS as readonly string[]).includes(k.key) && isModuleRef(v as string));
    values.set(k.option, module ? resolveModuleRef(v as string, dirname(ref)) : k.key === 'prefault' ? String(v) : v);
  }
  return values;
}

/** What faultline writes that a scenario can be read from. */
interface Output {
  /** the machine's config (absent in a user test's --json output) */
  config?: Partial<Config>;
  strategy?: StrategyOptions;
  test?: string | { file: string };
  maxSteps?: number;
  moves?: number;
}

/** A schedule file or a --json output as a scenario: its config and strategy, in sections. */
function fromOutput(o: Output): object {
  const sections: Record<string, Record<string, unknown>> = Object.fromEntries(SECTIONS.map((s) => [s, {}]));
  for (const k of KEYS) {
    if (k.section === 'strategy' || k.section === 'budget' || k.key === 'test') continue;
    // the config's fields, and the run bounds written beside it (other top-level fields are results)
    const v = (o.config as Record<string, unknown> | undefined)?.[k.key] ?? (k.key === 'maxSteps' || k.key === 'moves' ? o[k.key] : undefined);
    if (v !== undefined) sections[k.section]![k.key] = v;
  }
  // a user test: an absolute path in --json outputs, relative to the file in schedule files
  const test = typeof o.test === 'string' ? o.test : o.test?.file;
  if (test !== undefined) sections.run!.test = test;
  // a run of seconds or of operations: a config has both, and operations win when there are any
  if (sections.run!.ops === 0) delete sections.run!.ops;
  else delete sections.run!.seconds;
  if (o.strategy) {
    const { name, depth, bound, switchProbability, steps, exhaustive } = o.strategy;
    Object.assign(sections.strategy!, Object.fromEntries(Object.entries({ name, depth, bound, switchProbability, steps, exhaustive }).filter(([, v]) => v !== undefined)));
  }
  return sections;
}

/** The catalog's own scenario of a bug: the switch (and its companions), the scenario's config on
 * top of the command's defaults, its strategy and moves. */
function bugScenario(name: string): ScenarioValues {
  const bug = BUG_CATALOG.find((b) => b.name === name);
  if (bug === undefined) throw new ScenarioError(`--scenario @${name}: no such bug (known: ${BUG_NAMES.join(', ')})`);
  return new Map(scenarioOptions(bug));
}

/** The JSON Schema of scenario files (schemas/scenario.schema.json). */
export function scenarioJsonSchema(): object {
  return { ...z.toJSONSchema(SCENARIO_SCHEMA), title: 'faultline scenario' };
}
