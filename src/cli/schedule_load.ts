// A schedule file as a run spec; anything malformed or out of range is one line naming its path.
import { dirname, resolve } from 'node:path';
import { ConfigError, makeConfig, mapModules } from '../config.js';
import { readScheduleFile, ScheduleFileError, type ScheduleFile } from '../sched/schedule_file.js';
import { checkMaxSteps, detRunSpec } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { UsageError } from './errors.js';
import { loadModulesOf } from './det_options.js';
import { programOf } from '../harness/programs.js';
import { resolveModuleRef } from '../lib/module_ref.js';

export async function loadSchedule(path: string): Promise<{ file: ScheduleFile; spec: DetRunSpec }> {
  let f: ScheduleFile;
  try {
    f = readScheduleFile(path);
  } catch (e) {
    throw e instanceof ScheduleFileError ? new UsageError(e.message) : e;
  }
  const bad = (what: string): never => {
    throw new UsageError(`malformed schedule file ${path}: ${what}`);
  };
  let cfg;
  try {
    // modules are written relative to the file
    cfg = makeConfig(mapModules(f.config, (ref) => resolveModuleRef(ref, dirname(path))));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return bad(e.key === null ? `config: ${e.reason}` : `config.${e.key}: ${e.reason}`);
  }
  if (cfg.seed !== f.seed) bad(`seed ${f.seed} differs from config.seed ${cfg.seed}`);
  const steps = checkMaxSteps(f.maxSteps);
  if (steps !== null) bad(`maxSteps: ${steps}`);
  if (!Number.isInteger(f.moves) || f.moves < 0 || f.moves > 100_000) bad(`moves: must be an integer in [0, 100000], got ${f.moves}`);
  const test = f.test !== undefined ? { test: { file: resolve(dirname(path), f.test.file) } } : {};
  const spec = detRunSpec({ cfg, ...test, strategy: { name: 'replay', decisions: f.decisions, recorded: f.strategy }, maxSteps: f.maxSteps, moves: f.moves, trace: true });
  await loadModulesOf(spec);
  const threads = programOf(spec).threads;
  const stray = f.decisions.findIndex((d) => d.thread >= threads || d.to >= threads);
  if (stray >= 0) bad(`decisions.${stray}: names a thread the program does not have (it has ${threads})`);
  return { file: f, spec };
}
