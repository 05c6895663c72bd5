// What an exploration reports: the failures with their schedule files and replay commands, and
// the object `explore --json` writes (and the library's explore() returns).
import type { ExploreResult } from '../harness/explore.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { toolStamp, type ToolStamp } from '../version.js';
import type { StrategySpec } from '../sched/strategies/index.js';
import type { Config } from '../config.js';
import { replayLine } from './det_options.js';
import type { ScheduleWriter, WrittenFailure } from './schedule_writer.js';

export interface ExploreFailure extends WrittenFailure {
  /** the command that replays it */
  replay: string;
}

export interface ExploreJson {
  tool: ToolStamp;
  command: 'explore';
  /** the signal that interrupted the exploration, or null */
  interrupted: string | null;
  schedules: number;
  schedulesPerSec: number;
  seconds: number;
  strategy: StrategySpec;
  /** the user test's module, or the built-in machine's config */
  test?: string;
  config?: Config;
  maxSteps: number;
  moves: number;
  exhausted: boolean;
  failures: ExploreFailure[];
  /** faultline's own failures (crashes, watchdog) */
  errors: string[];
}

/** Every failure written, by seed, with its replay command. */
export function failureList(spec: DetRunSpec, writer: ScheduleWriter): ExploreFailure[] {
  return [...writer.written].sort((a, b) => a.seed - b.seed || a.scheduleFile.localeCompare(b.scheduleFile)).map((f) => ({
    ...f,
    replay: spec.strategy.exhaustive ? `npx faultline replay --schedule ${f.scheduleFile}` : replayLine(spec, f.seed),
  }));
}

export function exploreJson(spec: DetRunSpec, r: ExploreResult, failures: ExploreFailure[], errors: string[], interrupted: string | null): ExploreJson {
  return {
    tool: toolStamp(), command: 'explore', interrupted,
    schedules: r.schedules, schedulesPerSec: r.schedulesPerSec, seconds: r.seconds, strategy: r.strategy, ...(spec.test ? { test: spec.test.file } : { config: spec.cfg }), maxSteps: spec.maxSteps, moves: spec.moves,
    exhausted: r.exhausted, failures, errors,
  };
}
