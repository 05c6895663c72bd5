// Hand-made machine states for the oracles' unit tests: a booted machine, and tasks on it whose
// scheduler takes no points and is serial (as in deterministic mode, where other CPUs stand
// still) or not (free mode).
import { makeConfig, type Config } from '../../src/config.js';
import { Layout, TLB_GEN, TLB_PTE, TLB_TAG } from '../../src/shm/layout.js';
import { boot } from '../../src/harness/boot.js';
import { makeTask } from '../../src/harness/roles.js';
import { strategyOf, type StrategyOptions } from '../../src/sched/strategies/index.js';
import { detRunSpec, SMALL_SCENARIO } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import type { Task } from '../../src/kernel/task.js';
import type { Scheduler } from '../../src/sched/scheduler.js';
import { Violation } from '../../src/check/violation.js';

export interface Machine {
  cfg: Config;
  m: Int32Array;
  lay: Layout;
  task(tid: number): Task;
}

/** `onPoint` sees every scheduling point of every task (a test's probe or injected step). */
export function machine(over: Partial<Config> = {}, serial = true, onPoint: (label: number, idx: number) => void = () => {}): Machine {
  const cfg = makeConfig({ cpus: 2, processes: 2, objects: 2, pages: 4, placement: 'system', ...over });
  const m = new Int32Array(boot(cfg));
  const sched: Scheduler = { serial, point: onPoint, block() {}, wake() {}, setInterruptHandler() {}, interrupts() {}, progress() {} };
  return { cfg, m, lay: new Layout(cfg), task: (tid) => makeTask(cfg, m, tid, sched) };
}

/** Puts vpn → pte into the first way of vpn's set in cpu's TLB. */
export function tlbHolds(x: Machine, cpu: number, vpn: number, pte: number): void {
  const slot = (vpn % x.lay.tlbSets) * x.cfg.tlbWays;
  x.m[x.lay.tlbEntry(cpu, slot, TLB_TAG)] = vpn + 1;
  x.m[x.lay.tlbEntry(cpu, slot, TLB_PTE)] = pte;
  x.m[x.lay.tlbEntry(cpu, slot, TLB_GEN)] = 0;
}

/** The oracle that fired in `fn`, or null. */
export function fired(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof Violation) return e.info.oracle;
    throw e;
  }
}

/** A deterministic run spec on the small scenario. */
export function detSpec(over: Partial<Config> = {}, strategy: StrategyOptions = { name: 'random' }): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), strategy: strategyOf(strategy) });
}
