// Interleavings written out by hand on one JS thread, for the lock tests: tasks on a tiny machine
// whose scheduler runs the test's script instead of other threads. At a scheduling point, a hook
// the test set for that task and word runs first (another task's operation, nested as a
// preemption). A task that would sleep runs the next queued step instead and then looks at its
// word again, as a woken sleeper does; with no step left it parks: Parked is thrown and the task
// stays queued wherever it was, for the test to look at.
import { makeTask } from '../../src/harness/roles.js';
import type { Task } from '../../src/kernel/task.js';
import type { Scheduler } from '../../src/sched/scheduler.js';
import type { Config } from '../../src/config.js';
import { machine, type Machine } from '../check/machine.js';

export class Parked extends Error {
  constructor(
    readonly tid: number,
    readonly idx: number,
  ) {
    super(`task ${tid} sleeps on word ${idx}`);
  }
}

export interface Script extends Machine {
  /** runs `fn` when task `tid` next reaches a scheduling point on word `idx` (before the access) */
  at(tid: number, idx: number, fn: () => void): void;
  /** steps run one by one where a task would sleep */
  onSleep(...steps: (() => void)[]): void;
  /** every sleep: which task, on which word */
  sleeps: { tid: number; idx: number }[];
  /** the words wake-ups were aimed at, in order */
  wakes: number[];
}

/** `serial`: as in a deterministic run (the rwsem's timeouts on its own clock), else free mode. */
export function script(over: Partial<Config> = {}, serial = true): Script {
  const x = machine(over);
  const hooks: { tid: number; idx: number; fn: () => void }[] = [];
  const steps: (() => void)[] = [];
  const sleeps: { tid: number; idx: number }[] = [];
  const wakes: number[] = [];
  const tasks = new Map<number, Task>();
  const sched = (tid: number): Scheduler => ({
    serial,
    point(_label, idx) {
      const i = hooks.findIndex((h) => h.tid === tid && h.idx === idx);
      if (i >= 0) hooks.splice(i, 1)[0]!.fn();
    },
    block(_label, idx, val) {
      if (x.m[idx] !== val) return;
      sleeps.push({ tid, idx });
      const step = steps.shift();
      if (step === undefined) throw new Parked(tid, idx);
      step();
    },
    wake(idx) {
      wakes.push(idx);
    },
    setInterruptHandler() {},
    interrupts() {},
    progress() {},
  });
  return {
    ...x,
    task: (tid) => {
      let t = tasks.get(tid);
      if (t === undefined) tasks.set(tid, (t = makeTask(x.cfg, x.m, tid, sched(tid))));
      return t;
    },
    at: (tid, idx, fn) => void hooks.push({ tid, idx, fn }),
    onSleep: (...more) => void steps.push(...more),
    sleeps,
    wakes,
  };
}

/** Runs `fn`; true when its task parked (would sleep with nothing left to run), false when it returned. */
export function parks(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    if (e instanceof Parked) return true;
    throw e;
  }
}
