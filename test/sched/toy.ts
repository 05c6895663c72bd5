// A toy program run by a strategy in this thread, the way DetScheduler drives it: each thread is a
// list of events (the word it touches, whether it writes), the running thread asks the strategy at
// each of its points, and a thread handed the token executes the event it was stopped at without
// a second decision. Threads never block; a thread that has run out of events exits.
import { STRATEGY_WORDS } from '../../src/sched/det_layout.js';
import type { Strategy } from '../../src/sched/strategies/strategy.js';

export interface ToyEvent {
  word: number;
  write: boolean;
  /** a wait whose condition already holds: the thread yields (and stays runnable) */
  wait?: boolean;
}

/** The order in which events executed, as [thread, index in that thread]. */
export type ToyOrder = [number, number][];

export const TOY_LABEL = 1;

export function toyState(): Int32Array {
  return new Int32Array(STRATEGY_WORDS);
}

/** Runs the program once; `onDecision` sees every answer of the strategy at a point. */
export function runToy(program: ToyEvent[][], strategy: Strategy, seed: number, onDecision?: (cur: number, next: number) => void): ToyOrder {
  const n = program.length;
  strategy.init(seed, n);
  const pc = new Array<number>(n).fill(0);
  const stopped = new Array<boolean>(n).fill(false);
  const order: ToyOrder = [];
  let live = (1 << n) - 1;
  let cur = 0;
  const exec = (t: number): void => {
    order.push([t, pc[t]!]);
    pc[t]!++;
  };
  while (live !== 0) {
    if (stopped[cur]) {
      stopped[cur] = false;
      exec(cur);
    }
    const ev = program[cur]![pc[cur]!];
    if (ev === undefined) {
      live &= ~(1 << cur);
      if (live !== 0) cur = strategy.next(cur, live, true, TOY_LABEL, -1, false);
      continue;
    }
    if (ev.wait !== true && strategy.keepsRunning?.(TOY_LABEL, ev.write)) {
      exec(cur);
      continue;
    }
    const next = strategy.next(cur, live, ev.wait === true, TOY_LABEL, ev.word, ev.write && ev.wait !== true);
    if (ev.wait !== true) onDecision?.(cur, next);
    if (next === cur) exec(cur);
    else {
      stopped[cur] = true;
      cur = next;
    }
  }
  return order;
}

/** Position of each event in the order: at(order)[t][i]. */
export function positions(order: ToyOrder, n: number): number[][] {
  const at: number[][] = Array.from({ length: n }, () => []);
  order.forEach(([t, i], k) => (at[t]![i] = k));
  return at;
}

/** n threads of m events each, every one on a word of its own (no races). */
export function privateProgram(n: number, m: number, write = true): ToyEvent[][] {
  return Array.from({ length: n }, (_, t) => Array.from({ length: m }, (_, i) => ({ word: 1000 * (t + 1) + i, write })));
}
