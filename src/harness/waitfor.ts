// When no thread can run: the wait-for graph (thread → what it waits on → who holds that → what
// that thread waits on …), its cycle, the point label where each thread waits and every lock each
// holds. When a sleeper's word changed and nobody woke it: that lost wake-up. When no thread made
// progress for the step limit: who is still running and on what.
import type { Config } from '../config.js';
import {
  BO_FENCE, IPI_STRIDE, Layout, PG_LOCKED, RW_OWNER, RW_READERS, RW_RGEN, RW_WAIT_LOCK, RW_WNEXT,
} from '../shm/layout.js';
import {
  DS_PROGRESS, DS_STEP, DT_LAST_LABEL, DT_STATE, DT_WAIT_IDX, DT_WAIT_LABEL, DT_WAIT_VAL, STEP_CEILING, TS_BLOCKED, TS_DONE,
} from '../sched/det_layout.js';
import type { DetScheduler, StuckOracle } from '../sched/det.js';
import { labelName } from '../sched/labels.js';
import { lockClassOf, regionOf } from '../shm/words.js';
import { allRwsems, lockDump, lockName, threadName } from './lockdump.js';

export interface WaitTarget {
  what: string;
  /** the threads that hold what is waited for, or will end the wait */
  holders: number[];
  /** a counter (the quiesce or progress word): it holds a count, not a holder */
  counter?: true;
}

/** What a thread sleeping on machine word `idx` waits for, and which threads could end the wait. */
export function waitTarget(cfg: Config, m: Int32Array, idx: number): WaitTarget {
  const lay = new Layout(cfg);
  for (const s of allRwsems(cfg)) {
    if (idx === s + RW_RGEN || idx === s + RW_WNEXT) {
      const mask = Atomics.load(m, s + RW_READERS);
      const holders = [Atomics.load(m, s + RW_OWNER) - 1].filter((x) => x >= 0);
      for (let i = 0; i < 31; i++) if (mask & (1 << i)) holders.push(i);
      return { what: `${lockName(cfg, s)} (${idx === s + RW_RGEN ? 'read' : 'write'})`, holders };
    }
    if (idx === s + RW_WAIT_LOCK) return { what: `${lockName(cfg, s)}.wait_lock`, holders: [Atomics.load(m, idx) - 1] };
  }
  for (let obj = 0; obj < cfg.objects; obj++) {
    if (idx === lay.bow(obj, BO_FENCE)) return { what: `bo${obj}.fence`, holders: [Atomics.load(m, idx) - 1] };
  }
  if (idx >= lay.ipi && idx < lay.ipi + cfg.cpus * lay.threads * IPI_STRIDE) {
    const target = Math.floor((idx - lay.ipi) / (lay.threads * IPI_STRIDE));
    return { what: `IPI ack from ${threadName(cfg, target)}`, holders: [target] };
  }
  const region = regionOf(lay, idx);
  if (region.kind === 'page' && region.field === PG_LOCKED) return { what: lockName(cfg, idx), holders: [Atomics.load(m, idx) - 1] };
  const name = lockName(cfg, idx);
  // a counter (the quiesce or progress word) holds a count, not a holder: it names no thread
  if (lockClassOf(lay, idx) === null) return { what: name, holders: [], counter: true };
  // every other lock word holds its holder's tid + 1
  const h = Atomics.load(m, idx) - 1;
  return { what: name, holders: h >= 0 && h < lay.threads ? [h] : [] };
}

/** How a program names its threads, what a sleeper waits for and the locks held: all a stuck
 * report needs to know of the program. */
interface StuckView {
  name(tid: number): string;
  waitTarget(idx: number): WaitTarget;
  /** every lock held, a line each */
  heldLocks(): string[];
}

/** The machine's report. */
export function explainStuck(cfg: Config, m: Int32Array, oracle: StuckOracle, sched: DetScheduler): string {
  return explainStuckWith({ name: (t) => threadName(cfg, t), waitTarget: (idx) => waitTarget(cfg, m, idx), heldLocks: () => heldLocks(cfg, m) }, oracle, sched);
}

export function explainStuckWith(view: StuckView, oracle: StuckOracle, sched: DetScheduler): string {
  const { s, sl } = sched;
  const lines: string[] = [];
  const name = (t: number): string => view.name(t);
  if (oracle === 'lost-wakeup') {
    const lost = sched.lostWakeups();
    for (let t = 0; t < sl.threads; t++) {
      if ((lost & (1 << t)) === 0) continue;
      const idx = s[sl.th(t, DT_WAIT_IDX)]!;
      lines.push(`${name(t)} sleeps at ${labelName(s[sl.th(t, DT_WAIT_LABEL)]!)} on ${view.waitTarget(idx).what} since it held ${s[sl.th(t, DT_WAIT_VAL)]}; it holds ${Atomics.load(sched.m, idx)} now, and nobody woke the sleeper`);
    }
    lines.push(...view.heldLocks().map((l) => `  ${l}`));
    return lines.join('\n');
  }
  if (oracle === 'livelock') {
    const step = s[DS_STEP]!;
    const since = s[DS_PROGRESS]!;
    lines.push(step >= STEP_CEILING
      ? `the run reached the ceiling of ${STEP_CEILING} steps in all (the last progress was at step ${since}); threads still running:`
      : `no thread finished an operation or a move in ${step - since} steps (steps ${since}–${step}, --max-steps); threads still running:`);
    // a waiter that could run is woken: the word it waits on changed (in a livelock, again and again)
    const runnable = sched.runnable();
    for (let t = 0; t < sl.threads; t++) {
      if (s[sl.th(t, DT_STATE)] === TS_DONE) continue;
      const blocked = s[sl.th(t, DT_STATE)] === TS_BLOCKED;
      const state = blocked
        ? `waiting for ${view.waitTarget(s[sl.th(t, DT_WAIT_IDX)]!).what}${(runnable & (1 << t)) !== 0 ? ', woken,' : ''}`
        : t === sched.tid ? 'running' : 'runnable';
      const where = labelName(s[sl.th(t, blocked ? DT_WAIT_LABEL : DT_LAST_LABEL)]!);
      lines.push(`  ${name(t)} ${state} at ${where}${t === sched.tid ? ' (holds the token)' : ''}`);
    }
    return lines.join('\n');
  }
  // follow waits from the first blocked thread until a thread repeats: that is the cycle
  const edges = new Map<number, { target: WaitTarget; label: string }>();
  for (let t = 0; t < sl.threads; t++) {
    if (s[sl.th(t, DT_STATE)] !== TS_BLOCKED) continue;
    edges.set(t, { target: view.waitTarget(s[sl.th(t, DT_WAIT_IDX)]!), label: labelName(s[sl.th(t, DT_WAIT_LABEL)]!) });
  }
  const cycle = findCycle(edges);
  if (cycle.length > 0) {
    lines.push(`wait-for cycle: ${cycle.map((t) => `${name(t)} → ${edges.get(t)!.target.what}`).join(' → ')} → ${name(cycle[0]!)}`);
  } else {
    lines.push('no thread can run, and no cycle among the waiters: they wait for threads that have exited');
  }
  for (const [t, e] of edges) {
    const held = e.target.counter ? ' (a counter, no holder)' : ` (held by ${e.target.holders.map(name).join(', ') || 'nobody'})`;
    lines.push(`  ${name(t)} waits at ${e.label} for ${e.target.what}${held}`);
  }
  lines.push(...view.heldLocks().map((l) => `  ${l}`));
  return lines.join('\n');
}

/** Every lock of the machine held (who sleeps on what the report has said already). */
function heldLocks(cfg: Config, m: Int32Array): string[] {
  return lockDump(cfg, m).filter((l) => !l.includes(' sleeps on '));
}

function findCycle(edges: Map<number, { target: WaitTarget }>): number[] {
  for (const start of edges.keys()) {
    const path: number[] = [];
    let t: number | undefined = start;
    while (t !== undefined && !path.includes(t)) {
      path.push(t);
      t = edges.get(t)?.target.holders.find((h) => edges.has(h));
    }
    if (t !== undefined) return path.slice(path.indexOf(t));
  }
  return [];
}
