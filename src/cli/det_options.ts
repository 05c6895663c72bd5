// Flags of the deterministic commands (explore, replay): the strategy and the run's bounds, on
// top of the machine flags with the small scenario as defaults.
import { Option, type Command } from 'commander';
import { makeConfig, type Config } from '../config.js';
import { DEFAULT_STRATEGY, STRATEGY_NAMES, checkStrategy, type StrategyName, type StrategySpec } from '../sched/strategies/index.js';
import { DEFAULT_MAX_STEPS, DEFAULT_MOVES, SMALL_SCENARIO } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { addMachineOptions, configFromFlags, floatArg, intArg, type MachineFlags } from './options.js';
import { UsageError } from './errors.js';

export const SMALL_DEFAULTS: Config = makeConfig(SMALL_SCENARIO);

export interface DetFlags extends MachineFlags {
  strategy: StrategyName;
  depth: number;
  bound: number;
  switchProb: number;
  pctSteps: number;
  exhaustive?: boolean;
  maxSteps: number;
  moves: number;
}

export function addDetOptions(cmd: Command): Command {
  addMachineOptions(cmd, SMALL_DEFAULTS);
  const D = DEFAULT_STRATEGY;
  return cmd
    .option('--ops <n>', 'operations per CPU', intArg, SMALL_DEFAULTS.ops)
    .addOption(new Option('--strategy <name>', 'scheduling strategy').choices([...STRATEGY_NAMES]).default(D.name))
    .option('--depth <d>', 'pct: bug depth (d − 1 priority change points)', intArg, D.depth)
    .option('--bound <n>', 'bounded: preemption bound', intArg, D.bound)
    .option('--switch-prob <p>', 'random: probability of a switch at each point', floatArg, D.switchProbability)
    .option('--pct-steps <k>', 'pct/bounded: points per run over which change points are spread', intArg, D.steps)
    .option('--max-steps <n>', 'step limit of one run: past it the run is reported as a livelock', intArg, DEFAULT_MAX_STEPS)
    .option('--moves <n>', 'moves per migrator in a run', intArg, DEFAULT_MOVES);
}

export function detSpecFromFlags(f: DetFlags): DetRunSpec {
  const cfg = configFromFlags(f);
  const strategy: StrategySpec = {
    name: f.strategy, depth: f.depth, bound: f.bound, switchProbability: f.switchProb, steps: f.pctSteps, exhaustive: f.exhaustive === true,
  };
  const bad = checkStrategy(strategy);
  if (bad !== null) throw new UsageError(bad);
  if (cfg.ops === 0) throw new UsageError('--ops must be positive in deterministic mode');
  if (f.maxSteps < 100) throw new UsageError('--max-steps must be at least 100');
  if (f.moves < 0) throw new UsageError('--moves must not be negative');
  return { cfg, strategy, maxSteps: f.maxSteps, moves: f.moves, trace: false, tapeCapacity: strategy.exhaustive ? 100_000 : 0 };
}

/** The flags that rebuild a deterministic run (those differing from the defaults). */
export function detSpecToArgs(spec: DetRunSpec): string[] {
  const D = DEFAULT_STRATEGY;
  const s = spec.strategy;
  const out = ['--strategy', s.name];
  if (s.name === 'pct' && s.depth !== D.depth) out.push('--depth', String(s.depth));
  if (s.name === 'bounded' && s.bound !== D.bound) out.push('--bound', String(s.bound));
  if (s.name === 'random' && s.switchProbability !== D.switchProbability) out.push('--switch-prob', String(s.switchProbability));
  if (s.name !== 'random' && s.steps !== D.steps) out.push('--pct-steps', String(s.steps));
  if (spec.maxSteps !== DEFAULT_MAX_STEPS) out.push('--max-steps', String(spec.maxSteps));
  if (spec.moves !== DEFAULT_MOVES) out.push('--moves', String(spec.moves));
  return out;
}
