// A bench worker thread. The bench starts a few of these once and reuses them for every
// repetition: the Atomics.wait/notify token hand-off, and the fault-throughput kernel for the
// all-CPUs runs. A shared start gate makes the threads of one run begin together.
import { parentPort } from 'node:worker_threads';
import type { Config } from '../src/config.js';
import { faultLoop } from './fault_loop.js';

/** Hand-off words, each on its own 64-byte line: the token slot of worker 0 and 1, and a ready flag. */
export const HO_SLOT = [0, 16] as const;
export const HO_READY = 32;
export const HO_WORDS = 48;

/** Start gate words: go, threads ready, threads done (each on its own line). */
export const GATE_GO = 0;
export const GATE_READY = 16;
export const GATE_DONE = 32;
export const GATE_WORDS = 48;

export type BenchJob =
  | { kind: 'handoff'; words: SharedArrayBuffer; me: 0 | 1; rounds: number }
  | {
      kind: 'faults';
      cfg: Config;
      sab: SharedArrayBuffer;
      gate: SharedArrayBuffer;
      tid: number;
      /** threads in this run (a done thread keeps taking IPIs until all are done) */
      threads: number;
      objFrom: number;
      objTo: number;
      seconds: number;
    };

export interface HandoffResult {
  kind: 'handoff';
  /** hand-offs timed by worker 0 (it sends first and receives last) */
  handoffs: number;
  ms: number;
  /** waits that really slept ('ok') on this worker */
  slept: number;
}

export interface FaultsResult {
  kind: 'faults';
  tid: number;
  faults: number;
  seconds: number;
}

/**
 * Token ping-pong between two threads, each sleeping on its own word: take the token (sleeping
 * in Atomics.wait until it arrives), clear it, hand it over with a store + notify of one waiter.
 * Worker 0 holds the token first; it times 2 × rounds one-way hand-offs.
 */
function handoff(job: Extract<BenchJob, { kind: 'handoff' }>): HandoffResult {
  const w = new Int32Array(job.words);
  const mine = HO_SLOT[job.me];
  const theirs = HO_SLOT[job.me === 0 ? 1 : 0];
  let slept = 0;
  const receive = (): void => {
    while (Atomics.load(w, mine) === 0) if (Atomics.wait(w, mine, 0) === 'ok') slept++;
    Atomics.store(w, mine, 0);
  };
  const send = (): void => {
    Atomics.store(w, theirs, 1);
    Atomics.notify(w, theirs, 1);
  };
  if (job.me === 1) {
    Atomics.store(w, HO_READY, 1);
    for (let r = 0; r < job.rounds; r++) {
      receive();
      send();
    }
    return { kind: 'handoff', handoffs: 0, ms: 0, slept };
  }
  while (Atomics.load(w, HO_READY) === 0); // worker 1 is about to wait for its first token
  receive(); // the initial token, set by the main thread
  const t0 = performance.now();
  for (let r = 0; r < job.rounds; r++) {
    send();
    receive();
  }
  return { kind: 'handoff', handoffs: 2 * job.rounds, ms: performance.now() - t0, slept };
}

function faults(job: Extract<BenchJob, { kind: 'faults' }>): FaultsResult {
  const gate = new Int32Array(job.gate);
  Atomics.add(gate, GATE_READY, 1);
  Atomics.notify(gate, GATE_READY);
  while (Atomics.load(gate, GATE_GO) === 0) Atomics.wait(gate, GATE_GO, 0);
  const quiesce = { words: gate, index: GATE_DONE, threads: job.threads };
  const r = faultLoop(job.cfg, new Int32Array(job.sab), job.tid, job.objFrom, job.objTo, job.seconds, quiesce);
  return { kind: 'faults', tid: job.tid, faults: r.faults, seconds: r.seconds };
}

parentPort?.on('message', (job: BenchJob) => {
  parentPort?.postMessage(job.kind === 'handoff' ? handoff(job) : faults(job));
});
