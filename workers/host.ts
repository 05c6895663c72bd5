// Piscina task entry: run one thread's role (CPU or migrator) of a free-running machine.
import type { Config } from '../src/config.js';
import { makeFreeTask, runCpu, runMigrator } from '../src/harness/roles.js';
import { loadMachineModules } from '../src/harness/programs.js';
import type { RoleResult } from '../src/harness/guard.js';
import { HdrClock } from '../src/harness/fault_hist.js';
import { attachWallClock, type ProfileRequest } from '../src/profile/attach.js';
import { machineLockNaming } from '../src/profile/lock_class.js';
import type { ProfilePart } from '../src/profile/recorder.js';

export interface FreeTask {
  cfg: Config;
  sab: SharedArrayBuffer;
  tid: number;
  migratorPauseMs: number;
  profile?: ProfileRequest;
  /** performance.timeOrigin + performance.now() when the run started, for the profile clock */
  startAbs: number;
}

export interface FreeTaskResult extends RoleResult {
  hist?: string;
  profile?: ProfilePart;
}

export default async function run(task: FreeTask): Promise<FreeTaskResult> {
  const { cfg, sab, tid } = task;
  await loadMachineModules(cfg); // --driver FILE, --rwsem FILE: once per worker
  const t = makeFreeTask(cfg, new Int32Array(sab), tid);
  const rec = task.profile ? attachWallClock(t, machineLockNaming(cfg), task.profile, task.startAbs) : null;
  let r: FreeTaskResult;
  if (tid < cfg.cpus) {
    const clock = new HdrClock(t.m);
    r = runCpu(t, cfg.ops, clock);
    r.hist = clock.encode();
  } else {
    r = runMigrator(t, task.migratorPauseMs);
  }
  if (rec) r.profile = rec.part();
  return r;
}
