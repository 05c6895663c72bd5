// Piscina task entry: run one thread's role (CPU or migrator) of a free-running machine.
import type { Config } from '../src/config.js';
import { makeFreeTask, runCpu, runMigrator, type RoleResult } from '../src/harness/roles.js';
import { HdrClock } from '../src/harness/fault_hist.js';

export interface FreeTask {
  cfg: Config;
  sab: SharedArrayBuffer;
  tid: number;
  migratorPauseMs: number;
}

export interface FreeTaskResult extends RoleResult {
  hist?: string;
}

export default function run(task: FreeTask): FreeTaskResult {
  const { cfg, sab, tid } = task;
  const t = makeFreeTask(cfg, new Int32Array(sab), tid);
  if (tid < cfg.cpus) {
    const clock = new HdrClock();
    const r: FreeTaskResult = runCpu(t, cfg.ops, clock);
    r.hist = clock.encode();
    return r;
  }
  return runMigrator(t, task.migratorPauseMs);
}
