// The fault-throughput kernel of the bench, after will-it-scale's page_fault tests: touch every
// page of a set of objects (each touch faults), zap them all with unmap_mapping_range, repeat.
// The real fault path, locks and oracles run unchanged; only the workload is fixed.
import type { Config } from '../src/config.js';
import { makeFreeTask } from '../src/harness/roles.js';
import { ST_FAULTS } from '../src/shm/layout.js';
import { window_vpn } from '../src/mm/vma.js';
import { user_access } from '../src/arch/x86/uaccess.js';
import { unmap_mapping_range } from '../src/mm/unmap.js';
import { Cpu } from '../src/cpu/cpu.js';

export interface FaultLoopResult {
  faults: number;
  seconds: number;
}

/** For runs of several CPUs: a counter of threads whose loop has ended. A CPU that is done keeps
 * taking IPIs until every thread is, since another CPU's last shootdown may still wait for its ack. */
export interface Quiesce {
  words: Int32Array;
  index: number;
  threads: number;
}

export function faultLoop(cfg: Config, m: Int32Array, tid: number, objFrom: number, objTo: number, seconds: number, quiesce?: Quiesce): FaultLoopResult {
  const t = makeFreeTask(cfg, m, tid);
  const cpu = new Cpu(t);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const f0 = m[t.lay.stat(tid, ST_FAULTS)] as number;
  // Interrupt points, where a CPU takes IPIs: with several CPUs a zap elsewhere may shoot down
  // this CPU's TLB and wait for the ack, so take them before every access, as Cpu.step does.
  // With one CPU nothing can be pending: once per object is enough.
  const everyAccess = cfg.cpus > 1;
  while (performance.now() < deadline) {
    for (let obj = objFrom; obj < objTo; obj++) {
      cpu.interrupts();
      for (let p = 0; p < cfg.pages; p++) {
        if (everyAccess) cpu.interrupts();
        user_access(t, window_vpn(t, obj) + p, obj, p, 0, false);
      }
    }
    for (let obj = objFrom; obj < objTo; obj++) unmap_mapping_range(t, obj, 0, cfg.pages);
  }
  const result = { faults: (m[t.lay.stat(tid, ST_FAULTS)] as number) - f0, seconds: (performance.now() - start) / 1000 };
  if (quiesce) {
    const { words, index, threads } = quiesce;
    Atomics.add(words, index, 1);
    Atomics.notify(words, index);
    for (let n = Atomics.load(words, index); n < threads; n = Atomics.load(words, index)) {
      cpu.interrupts();
      Atomics.wait(words, index, n, 1);
    }
  }
  return result;
}
