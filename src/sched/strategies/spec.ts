// The strategy spec: one variant per strategy, carrying only the parameters that strategy reads
// (a discriminated union, from one zod schema: the type, the schedule-file check and the JSON
// Schemas come from it). A replay is its own variant, holding the decisions it follows and the
// search that recorded them. Callers with flat options (flags, scenario keys, the library's
// explore()) build a spec with strategyOf.
import * as z from 'zod';
import { BOUNDED_MAX } from './bounded.js';
import { PCT_MAX_DEPTH } from './pct.js';
import type { ReplayContinuation, ScheduleDecision } from './replay.js';
import { MAX_THREADS } from '../det_layout.js';
import { issueText } from '../../lib/schema_issue.js';

/** preemptible points per run; 'auto': calibrated before the first schedule (harness/calibrate.ts) */
const STEPS = z.union([z.literal('auto'), z.int().min(1).max(100_000_000)]);
/** surw: interesting events of each thread in a run; absent: calibrated */
const EVENTS = z.array(z.int().min(1)).min(1).max(MAX_THREADS);

const RANDOM = z.strictObject({ name: z.literal('random'), switchProbability: z.number().gt(0).max(1) });
const PCT = z.strictObject({ name: z.literal('pct'), depth: z.int().min(1).max(PCT_MAX_DEPTH), steps: STEPS });
const POS = z.strictObject({ name: z.literal('pos') });
const SURW = z.strictObject({ name: z.literal('surw'), events: EVENTS.optional() });
/** switches to the orders of conflicting accesses this explore has not seen yet, else at random */
const COVER = z.strictObject({ name: z.literal('cover'), switchProbability: z.number().gt(0).max(1) });
const BOUNDED = z.strictObject({
  name: z.literal('bounded'), bound: z.int().min(0).max(BOUNDED_MAX), steps: STEPS,
  /** enumerate every schedule up to the bound instead of sampling */
  exhaustive: z.boolean(),
});
/** round-robin over the members of portfolio.ts; steps and events are the members' */
const PORTFOLIO = z.strictObject({ name: z.literal('portfolio'), steps: STEPS, events: EVENTS.optional() });

/** A search: what explore runs, and what a schedule file records as having found its run. */
export const SEARCH_SPEC = z.discriminatedUnion('name', [RANDOM, PCT, POS, SURW, COVER, BOUNDED, PORTFOLIO]);
export type SearchSpec = z.infer<typeof SEARCH_SPEC>;
export type StrategyName = SearchSpec['name'];
export type Random = z.infer<typeof RANDOM>;
export type Pct = z.infer<typeof PCT>;
export type Surw = z.infer<typeof SURW>;

export const STRATEGY_NAMES = ['portfolio', 'random', 'pct', 'pos', 'surw', 'cover', 'bounded'] as const satisfies readonly StrategyName[];

/** Following a schedule file: its decisions, and the search that recorded them (written again
 * into the files a shrink makes); `then`: at random after them (bisect), not without switching. */
export interface ReplaySpec {
  name: 'replay';
  decisions: ScheduleDecision[];
  recorded: SearchSpec;
  then?: ReplayContinuation;
}

export type StrategySpec = SearchSpec | ReplaySpec;

/** Flat options, as flags, scenario keys and the library take them; each strategy reads its own. */
export interface StrategyOptions {
  name?: StrategyName;
  depth?: number;
  switchProbability?: number;
  bound?: number;
  steps?: number | 'auto';
  exhaustive?: boolean;
}
type OptionKey = Exclude<keyof StrategyOptions, 'name'>;

/** The options each strategy reads. */
export const STRATEGY_PARAMS: Record<StrategyName, readonly OptionKey[]> = {
  portfolio: ['steps'],
  random: ['switchProbability'],
  pct: ['depth', 'steps'],
  pos: [],
  surw: [],
  cover: ['switchProbability'],
  bounded: ['bound', 'steps', 'exhaustive'],
};

export const STRATEGY_DEFAULTS: Required<StrategyOptions> = { name: 'portfolio', depth: 3, switchProbability: 0.05, bound: 2, steps: 'auto', exhaustive: false };

export class StrategyError extends Error {}

/** The spec of flat options over the defaults; options the strategy does not read are ignored
 * (see strayOption). Throws StrategyError naming what is out of range. */
export function strategyOf(o: StrategyOptions): SearchSpec {
  const v = { ...STRATEGY_DEFAULTS, ...definedOf(o) };
  if (v.exhaustive && v.name !== 'bounded') throw new StrategyError('exhaustive needs the bounded strategy');
  const picked = Object.fromEntries(STRATEGY_PARAMS[v.name]?.map((k) => [k, v[k]]) ?? []);
  const r = SEARCH_SPEC.safeParse({ name: v.name, ...picked });
  if (r.success) return r.data;
  const { path, text } = issueText(r.error.issues[0]!);
  if (path === '' || path === 'name') throw new StrategyError(`unknown strategy '${String(v.name)}' (known: ${STRATEGY_NAMES.join(', ')})`);
  throw new StrategyError(`${path} ${text}`);
}

/** An option given for a strategy that does not read it (the library refuses it, as the CLI
 * refuses the flag), or null. */
export function strayOption(o: StrategyOptions): string | null {
  const name = o.name ?? STRATEGY_DEFAULTS.name;
  const stray = (Object.keys(definedOf(o)) as (keyof StrategyOptions)[]).find((k) => k !== 'name' && !STRATEGY_PARAMS[name]?.includes(k));
  if (stray === undefined) return null;
  return `${stray} applies to ${readersOf(stray as OptionKey).join(' or ')}, not ${name}`;
}

/** The strategies that read option `key`. */
export function readersOf(key: Exclude<keyof StrategyOptions, 'name'>): StrategyName[] {
  return STRATEGY_NAMES.filter((n) => STRATEGY_PARAMS[n].includes(key));
}

/** The portfolio's default search. */
export const DEFAULT_STRATEGY: SearchSpec = strategyOf({});

/** The search behind a spec: a replay's recorded one, else the spec. */
export function searchOf(s: StrategySpec): SearchSpec {
  return s.name === 'replay' ? s.recorded : s;
}

/** Enumerating every schedule (one job, the choice tape) rather than sampling by seed. */
export function isExhaustive(s: StrategySpec): boolean {
  return s.name === 'bounded' && s.exhaustive;
}

/** A run that depends on the runs before it (enumeration's tape, cover's coverage): an explore
 * runs it on one group, in order, and its failures replay from their schedule files, not a seed. */
export function dependsOnHistory(s: StrategySpec): boolean {
  return isExhaustive(s) || s.name === 'cover';
}

function definedOf(o: StrategyOptions): StrategyOptions {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
}
