// The fault-throughput kernel of the bench, after will-it-scale's page_fault tests: touch every
// page of a set of objects (each touch faults), zap them all with unmap_mapping_range, repeat.
// The real fault path, locks and oracles run unchanged; only the workload is fixed.
import type { Config } from '../src/config.js';
import { makeFreeTask } from '../src/harness/roles.js';
import { ST_FAULTS } from '../src/shm/layout.js';
import { user_access } from '../src/cpu/user_access.js';
import { unmap_mapping_range } from '../src/mm/unmap.js';
import { DataOracle } from '../src/check/data.js';
import { Cpu } from '../src/cpu/cpu.js';

export interface FaultLoopResult {
  faults: number;
  seconds: number;
}

export function faultLoop(cfg: Config, m: Int32Array, tid: number, objFrom: number, objTo: number, seconds: number): FaultLoopResult {
  const t = makeFreeTask(cfg, m, tid);
  const cpu = new Cpu(t);
  const data: DataOracle = cpu.data;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const f0 = m[t.lay.stat(tid, ST_FAULTS)] as number;
  while (performance.now() < deadline) {
    for (let obj = objFrom; obj < objTo; obj++) {
      for (let p = 0; p < cfg.pages; p++) user_access(t, data, null, obj, p, 0, false);
    }
    for (let obj = objFrom; obj < objTo; obj++) unmap_mapping_range(t, obj, 0, cfg.pages);
  }
  return { faults: (m[t.lay.stat(tid, ST_FAULTS)] as number) - f0, seconds: (performance.now() - start) / 1000 };
}
