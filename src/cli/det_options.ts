// Flags of the deterministic commands (explore, replay): the strategy and the run's bounds, on
// top of the machine flags with the small scenario as defaults. A strategy flag given for another
// strategy is rejected, not ignored.
import { relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CONFIG_RANGES, makeConfig, type Config } from '../config.js';
import {
  readersOf, searchOf, STRATEGY_DEFAULTS, STRATEGY_NAMES, StrategyError, strategyOf, type StrategyName, type StrategyOptions,
} from '../sched/strategies/index.js';
import { BOUNDED_MAX } from '../sched/strategies/bounded.js';
import { PCT_MAX_DEPTH } from '../sched/strategies/pct.js';
import { DEFAULT_MAX_STEPS, DEFAULT_MOVES, detRunSpec, MAX_STEPS_RANGE, SMALL_SCENARIO } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { addMachineOptions, configFromFlags, configToArgs, GROUP, intIn, numIn, type MachineFlags } from './options.js';
import { loadingModules, UsageError } from './errors.js';
import { loadProgram } from '../harness/programs.js';

export const SMALL_DEFAULTS: Config = makeConfig(SMALL_SCENARIO);

export interface DetFlags extends MachineFlags {
  test?: string;
  strategy: StrategyName;
  depth: number;
  bound: number;
  switchProb: number;
  pctSteps: number | 'auto';
  exhaustive?: boolean;
  maxSteps: number;
  moves: number;
}

/** Strategy flags and the strategy options they set (spec.ts says which strategy reads which). */
const STRATEGY_FLAGS: { key: keyof DetFlags; flag: string; option: Exclude<keyof StrategyOptions, 'name'> }[] = [
  { key: 'depth', flag: '--depth', option: 'depth' },
  { key: 'bound', flag: '--bound', option: 'bound' },
  { key: 'switchProb', flag: '--switch-prob', option: 'switchProbability' },
  { key: 'pctSteps', flag: '--pct-steps', option: 'steps' },
  { key: 'exhaustive', flag: '--exhaustive', option: 'exhaustive' },
];

export function addDetOptions(cmd: Command, opts: { seed: boolean }): Command {
  addMachineOptions(cmd, SMALL_DEFAULTS, { seed: opts.seed, free: false });
  const D = STRATEGY_DEFAULTS;
  const S = GROUP.strategy;
  const add = (o: Option, group: string): Command => cmd.addOption(o.helpGroup(group));
  add(new Option('--test <file>', 'run a user test module (export default defineTest({...})) instead of the built-in machine'), GROUP.run);
  add(new Option('--ops <n>', 'operations per CPU').argParser(intIn(1, CONFIG_RANGES.ops[1])).default(SMALL_DEFAULTS.ops), GROUP.run);
  add(new Option('--moves <n>', 'moves per migrator in a run').argParser(intIn(0, 100_000)).default(DEFAULT_MOVES), GROUP.run);
  add(new Option('--max-steps <n>', 'livelock limit: a run is reported as a livelock when no thread finishes an operation or a move for this many steps').argParser(intIn(MAX_STEPS_RANGE.min, MAX_STEPS_RANGE.max)).default(DEFAULT_MAX_STEPS), GROUP.run);
  add(new Option('--strategy <name>', 'scheduling strategy').choices([...STRATEGY_NAMES]).default(D.name), S);
  add(new Option('--depth <d>', 'pct: bug depth (d − 1 priority change points)').argParser(intIn(1, PCT_MAX_DEPTH)).default(D.depth), S);
  add(new Option('--bound <n>', 'bounded: preemption bound').argParser(intIn(0, BOUNDED_MAX)).default(D.bound), S);
  add(new Option('--switch-prob <p>', 'random: probability of a switch at each point').argParser(numIn(0, 1, true)).default(D.switchProbability), S);
  const steps = intIn(1, 100_000_000);
  add(new Option('--pct-steps <k>', "pct, bounded, portfolio: preemptible points per run over which change points are spread; 'auto': the most seen in a few calibration runs").argParser((v) => (v === 'auto' ? 'auto' : steps(v))).default(D.steps), S);
  return cmd;
}

/** The flags that configure the built-in machine, typed together with --test (which replaces it);
 * `allowed`: those that also apply to a test in this command. */
export function checkTestFlags(cmd: Command, allowed: string[] = []): void {
  if (cmd.getOptionValueSource('test') !== 'cli') return;
  const machineOnly = new Set(['bug', 'ops', 'moves']);
  const groups = new Set<string>([GROUP.machine, GROUP.workload]);
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli' || allowed.includes(key)) continue;
    if (machineOnly.has(key) || groups.has(o.helpGroupHeading ?? '')) throw new UsageError(`${o.long ?? o.flags} configures the built-in machine and does not apply to --test`);
  }
}

/** Strategy flags typed on the command line for a strategy that does not read them. */
export function checkStrategyFlags(f: DetFlags, source: (key: string) => string | undefined): void {
  for (const s of STRATEGY_FLAGS) {
    const readers = readersOf(s.option);
    if (source(s.key) === 'cli' && !readers.includes(f.strategy)) {
      throw new UsageError(`${s.flag} applies to --strategy ${readers.join(' or ')}, not ${f.strategy}`);
    }
  }
}

export function detSpecFromFlags(f: DetFlags): DetRunSpec {
  const cfg = configFromFlags(f, SMALL_DEFAULTS);
  let strategy;
  try {
    strategy = strategyOf({ name: f.strategy, depth: f.depth, bound: f.bound, switchProbability: f.switchProb, steps: f.pctSteps, exhaustive: f.exhaustive === true });
  } catch (e) {
    throw e instanceof StrategyError ? new UsageError(e.message) : e;
  }
  const test = f.test !== undefined ? { test: { file: resolve(f.test) } } : {};
  return detRunSpec({ cfg, ...test, strategy, maxSteps: f.maxSteps, moves: f.moves });
}

/** Loads the spec's modules (a user test, a driver or rwsem module): one that is not what it
 * should be is a usage error (exit 2). */
export async function loadModulesOf(spec: DetRunSpec): Promise<void> {
  await loadingModules(loadProgram(spec));
}

/** The command that replays the run of `seed` under `spec`. */
export function replayLine(spec: DetRunSpec, seed: number): string {
  const program = spec.test !== undefined ? ['--test', relative(process.cwd(), spec.test.file)] : configToArgs(spec.cfg, SMALL_DEFAULTS, { seed: false, runKeys: true, free: false });
  return ['npx faultline replay', ...program, ...detSpecToArgs(spec), '--seed', String(seed)].join(' ');
}

/** The flags that rebuild a deterministic run (those differing from the defaults). */
export function detSpecToArgs(spec: DetRunSpec): string[] {
  const D = STRATEGY_DEFAULTS;
  const s = searchOf(spec.strategy);
  const out = ['--strategy', s.name];
  for (const f of STRATEGY_FLAGS) {
    const v = (s as StrategyOptions)[f.option];
    if (v !== undefined && v !== D[f.option] && f.key !== 'exhaustive') out.push(f.flag, String(v));
  }
  if (spec.maxSteps !== DEFAULT_MAX_STEPS) out.push('--max-steps', String(spec.maxSteps));
  if (spec.moves !== DEFAULT_MOVES && spec.test === undefined) out.push('--moves', String(spec.moves));
  return out;
}
