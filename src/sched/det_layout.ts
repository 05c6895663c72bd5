// The deterministic scheduler's own shared memory (separate from the machine's): the run token
// of each thread, what each thread waits for, the strategy's state, the trace.
import { LINE } from '../shm/layout.js';
import { ChoiceTape } from './strategies/choice_tape.js';

// global words
export const DS_STEP = 0; // scheduling points taken in this run
export const DS_HASH_LO = 1;
export const DS_HASH_HI = 2;
export const DS_CUR = 3; // the thread holding the token
export const DS_SWITCHES = 4;
export const DS_TRACE_LEN = 6;
export const DS_LIVE = 7; // threads not yet exited
export const DS_SEED = 8;
export const DS_PROGRESS = 9; // step at which a thread last made progress (finished an operation or a move)
export const DS_DEADLINE = 10; // the step that declares a livelock unless some thread makes progress first
export const DS_PREEMPTIONS = 11; // switches away from a thread that could have gone on (DS_SWITCHES counts all)
// run control for groups that run many schedules back to back
export const DS_RUN_GEN = LINE; // bumped to start the next run
export const DS_RUN_SEED = LINE + 1;
export const DS_RUN_QUIT = LINE + 2; // set with a generation bump: no more runs, return
export const DS_RUN_FAILED = LINE + 3; // some thread of the current run reported a violation
export const DS_RUN_INDEX = LINE + 4; // the run's ordinal in its explore, from 1 (coverage's first-seen)

// per-thread words (a line each; TOKEN first so each thread sleeps on its own line)
export const DT_TOKEN = 0;
export const DT_STATE = 1;
export const DT_WAIT_IDX = 2; // machine word the thread waits on
export const DT_WAIT_VAL = 3; // ... while it holds this value
export const DT_WAIT_LABEL = 4;
export const DT_PENDING = 5; // its interrupt word (-1: none): pending IPIs make it runnable
export const DT_LAST_LABEL = 6;
export const DT_WOKEN = 8; // a wake-up (or a changed word at sleep time) ended the thread's current wait
export const TS_READY = 1;
export const TS_BLOCKED = 2;
export const TS_DONE = 3;

export const STRATEGY_WORDS = 128;
/** threads a run may have: the runnable set is a 31-bit mask */
export const MAX_THREADS = 31;
export const TRACE_STRIDE = 4; // tid, label (| TRACE_WAIT), machine word, value its access found
/** Set in a wait's row (above the 30 bits of a label id): its check ran at the point (where a
 * switch follows, the thread blocked), where another row's access runs only when its thread resumes. */
export const TRACE_WAIT = 1 << 30;
/** The label of a trace row's label word. */
export function traceLabel(w: number): number {
  return w & (TRACE_WAIT - 1);
}
export function traceWait(w: number): boolean {
  return (w & TRACE_WAIT) !== 0;
}
/** Total steps after which any run stops, progress or not: keeps DS_STEP far from Int32 overflow
 * (the explore watchdog tears a run down long before a run this long would finish anyway). */
export const STEP_CEILING = 2 ** 30;
/** Steps a traced run keeps (16 bytes each; the buffer's pages are only touched as it fills). Past
 * it the run goes on untraced: TracedRun says the trace was truncated. */
export const TRACE_CAPACITY = 2 ** 24;

export class SchedLayout {
  readonly threadBase = 2 * LINE;
  readonly strategy: number;
  readonly tape: number;
  readonly coverage: number;
  readonly trace: number;
  readonly words: number;

  constructor(
    readonly threads: number,
    readonly traceCapacity: number,
    /** choice points an exhaustive run may have (0 unless enumerating) */
    readonly tapeCapacity: number,
    /** interleaving coverage's words (coverage.ts; 0: not measured) */
    readonly coverageWords = 0,
  ) {
    this.strategy = this.threadBase + threads * LINE;
    this.tape = this.strategy + STRATEGY_WORDS;
    this.coverage = this.tape + ChoiceTape.words(tapeCapacity);
    this.trace = this.coverage + coverageWords;
    this.words = this.trace + traceCapacity * TRACE_STRIDE;
  }

  th(tid: number, field: number): number {
    return this.threadBase + tid * LINE + field;
  }
}
