import { Worker } from 'node:worker_threads';
import test from 'ava';
import { DS_DEADLINE, DS_LIVE, DT_PENDING, DT_STATE, DT_TOKEN, SchedLayout, TS_READY } from '../../src/sched/det_layout.js';
import type { Waker } from '../fixtures/det_wait_worker.js';

// the toy's words, past the control words (CTL_ABORT is read by the scheduler)
const WORD = 100;
const PENDING = 101;

/** Runs the two-thread toy (thread 1 sleeps first); what each thread saw. */
async function sleepAndWake(waker: Waker): Promise<string[][]> {
  const sl = new SchedLayout(2, 0, 0);
  const sab = new SharedArrayBuffer((PENDING + 1) * 4);
  const ssab = new SharedArrayBuffer(sl.words * 4);
  const s = new Int32Array(ssab);
  for (const t of [0, 1]) {
    s[sl.th(t, DT_STATE)] = TS_READY;
    s[sl.th(t, DT_PENDING)] = -1;
  }
  s[sl.th(1, DT_TOKEN)] = 1;
  s[DS_LIVE] = 2;
  s[DS_DEADLINE] = 1000;
  new Int32Array(sab)[WORD] = 1;
  return Promise.all(
    [0, 1].map(
      (tid) =>
        new Promise<string[]>((resolve, reject) => {
          const w = new Worker(new URL('../fixtures/det_wait_worker.js', import.meta.url), { workerData: { sab, ssab, tid, waker, WORD, PENDING } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

test('a sleeper runs again once woken, and only once', async (t) => {
  t.deepEqual(await sleepAndWake('wake'), [[], ['returned']]);
});

test('a word changed without a wake-up leaves the sleeper asleep: a lost wake-up, naming the sleeper', async (t) => {
  const [waker, sleeper] = await sleepAndWake('forget');
  t.deepEqual(waker, ['lost-wakeup (lost-wakeup: sleepers 2)']);
  t.deepEqual(sleeper, ['aborted']);
});

test('nobody changes the word: a deadlock, not a lost wake-up', async (t) => {
  const [waker] = await sleepAndWake('no-change');
  t.deepEqual(waker, ['deadlock (deadlock: sleepers 0)']);
});

test('an interrupt runs its handler on the sleeping CPU; the task sleeps on until the wake-up', async (t) => {
  t.deepEqual(await sleepAndWake('ipi'), [[], ['irq', 'returned']]);
});
