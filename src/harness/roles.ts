// What each thread of a run does: a CPU runs its workload, a migrator moves objects. Shared by
// free mode and the deterministic scheduler; only the Scheduler behind the Task differs.
import type { Config } from '../config.js';
import { CTL_ABORT, CTL_CPUS_DONE, CTL_PROGRESS, CTL_QUIESCED, CTL_STOP, Layout, type ThreadLines } from '../shm/layout.js';
import { Task } from '../kernel/task.js';
import type { Scheduler } from '../sched/scheduler.js';
import { Aborted } from '../sched/scheduler.js';
import { FreeScheduler, NoisyScheduler } from '../sched/free.js';
import { Prng } from '../lib/prng.js';
import { Cpu } from '../cpu/cpu.js';
import type { FaultClock } from '../arch/x86/uaccess.js';
import { driverOf } from '../drm/driver.js';
import { label } from '../sched/labels.js';
import { strictWaits } from '../sched/strict.js';
import { describeWord } from '../shm/words.js';
import { guarded as guardedThread, type RoleResult } from './guard.js';

const L_QUIESCE = label('thread:quiesce');
const L_PROGRESS = label('thread:progress');

export function makeTask(cfg: Config, m: Int32Array, tid: number, sched: Scheduler): Task {
  return new Task(cfg, m, tid, sched, driverOf(cfg.driver).vmOps);
}

const StrictFreeScheduler = strictWaits(FreeScheduler);
const StrictNoisyScheduler = strictWaits(NoisyScheduler);

/** A free-running thread's scheduler: its own noise stream (from `seed`), sleeping on its own
 * wait word, with strict waits if asked (the machine's threads and a user test's alike). */
export function freeScheduler(m: Int32Array, lines: ThreadLines, tid: number, seed: number, noise: number, strict: boolean): Scheduler {
  if (noise > 0) return new (strict ? StrictNoisyScheduler : NoisyScheduler)(m, lines, tid, (seed ^ Math.imul(tid + 1, 0x9e3779b9)) >>> 0, noise);
  return new (strict ? StrictFreeScheduler : FreeScheduler)(m, lines, tid);
}

/** A thread of a free-running machine. */
export function makeFreeTask(cfg: Config, m: Int32Array, tid: number): Task {
  return makeTask(cfg, m, tid, freeScheduler(m, new Layout(cfg), tid, cfg.seed, cfg.noise, cfg.strictWaits));
}

function guarded(t: Task, body: () => void): RoleResult {
  return guardedThread(t, body, { describe: (idx) => describeWord(t.lay, idx) });
}

/** Announces that this thread's work is done; a CPU keeps taking IPIs until every thread is done,
 * since another thread's last shootdown may still wait for its ack. */
function quiesce(t: Task, interrupts: (() => void) | null): void {
  const all = t.lay.threads;
  const n = Atomics.add(t.m, CTL_QUIESCED, 1) + 1;
  // every change is notified, not only the last: a waiter woken early blocks again (strict waits
  // hold every changed word to a wake-up)
  t.a.wake(CTL_QUIESCED);
  if (interrupts === null) return;
  for (let q = n; q < all; q = Atomics.load(t.m, CTL_QUIESCED)) {
    interrupts();
    t.heartbeat();
    t.a.block(CTL_QUIESCED, q, L_QUIESCE);
  }
}

/** Runs `ops` operations (0: no limit) or until the stop word is set (a deadline, an interrupt), then checks its own words once every
 * thread has quiesced. `paced`: count each operation in CTL_PROGRESS for the migrators. */
export function runCpu(t: Task, ops: number, clock: FaultClock | null, paced = false): RoleResult {
  return guarded(t, () => {
    const cpu = new Cpu(t);
    t.faultClock = clock;
    for (let i = 0; ops === 0 || i < ops; i++) {
      if (Atomics.load(t.m, CTL_ABORT) !== 0) throw new Aborted();
      if (Atomics.load(t.m, CTL_STOP) !== 0) break;
      cpu.step();
      if (paced) progress(t);
    }
    cpu.completeDma(true);
    if (Atomics.add(t.m, CTL_CPUS_DONE, 1) + 1 === t.cfg.cpus) {
      Atomics.store(t.m, CTL_STOP, 1);
      t.a.wake(CTL_STOP);
      if (paced) progress(t); // a migrator waiting for more progress sees the stop
    }
    quiesce(t, () => cpu.interrupts());
    t.data.checkFinal();
  });
}

function progress(t: Task): void {
  t.a.add(CTL_PROGRESS, 1, L_PROGRESS);
  t.a.wake(CTL_PROGRESS);
}

/** A paced migrator's k-th of n moves waits until the CPUs are k/(n+1) of the way through their
 * operations, as evictions follow the workload's allocations: the moves spread over the run
 * instead of all happening before the CPUs get going. */
function await_progress(t: Task, k: number, n: number): void {
  const target = Math.floor(((k + 1) * t.cfg.cpus * t.cfg.ops) / (n + 1));
  for (let p = t.a.load(CTL_PROGRESS, L_PROGRESS); p < target && Atomics.load(t.m, CTL_STOP) === 0; p = t.a.load(CTL_PROGRESS, L_PROGRESS)) {
    t.a.block(CTL_PROGRESS, p, L_PROGRESS);
  }
}

/** Moves random objects (or migrates single pages of objects in system RAM) until stopped, or
 * `maxMoves` times; `pauseMs` between moves is free mode's rate limit. */
export function runMigrator(t: Task, pauseMs: number, maxMoves = 0, paced = false): RoleResult {
  const rng = new Prng(t.cfg.seed, 1 + t.tid);
  const driver = driverOf(t.cfg.driver);
  return guarded(t, () => {
    // a bounded run makes all its moves, the late ones while the CPUs quiesce
    for (let moves = 0; maxMoves === 0 ? Atomics.load(t.m, CTL_STOP) === 0 : moves < maxMoves; moves++) {
      if (paced) await_progress(t, moves, maxMoves);
      if (Atomics.load(t.m, CTL_ABORT) !== 0) throw new Aborted();
      const obj = rng.below(t.cfg.objects);
      if (rng.float() < t.cfg.pMigratePage) driver.migratePage?.(t, obj, rng.below(t.cfg.pages));
      else driver.move(t, obj);
      t.completed();
      if (pauseMs > 0) Atomics.wait(t.m, CTL_STOP, 0, pauseMs);
    }
    quiesce(t, null);
  });
}
