// Piscina task entry: run one thread's role (CPU or migrator) of a free-running machine.
import type { Config } from '../src/config.js';
import { FreeScheduler } from '../src/sched/free.js';
import { makeTask, runCpu, runMigrator, type RoleResult } from '../src/harness/roles.js';
import { HdrClock } from '../src/harness/fault_hist.js';
import { Layout, TH_WAIT_IDX } from '../src/shm/layout.js';

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
  const m = new Int32Array(sab);
  const lay = new Layout(cfg);
  const sched = new FreeScheduler(m, lay.th(tid, TH_WAIT_IDX), cfg.seed ^ (tid * 0x9e3779b9), cfg.noise);
  const t = makeTask(cfg, m, tid, sched);
  if (tid < cfg.cpus) {
    const clock = new HdrClock();
    const r: FreeTaskResult = runCpu(t, cfg.ops, clock);
    r.hist = clock.encode();
    return r;
  }
  return runMigrator(t, task.migratorPauseMs);
}
