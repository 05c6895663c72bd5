import { Worker } from 'node:worker_threads';
import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { Layout } from '../../src/shm/layout.js';
import type { Release } from '../fixtures/toy_lock_worker.js';
import { run, scratch } from '../cli/run.js';

/** Runs the toy lock (held by thread 0, awaited by thread 1); the outcome of each thread. */
async function toyLock(release: Release, strictWaits: boolean): Promise<string[]> {
  const cfg = makeConfig({ cpus: 2, migrators: 0, ops: 1, strictWaits });
  const lay = new Layout(cfg);
  const sab = new SharedArrayBuffer((lay.words + 1) * 4);
  const lk = lay.words;
  new Int32Array(sab)[lk] = 1;
  return Promise.all(
    [0, 1].map(
      (tid) =>
        new Promise<string>((resolve, reject) => {
          const w = new Worker(new URL('../fixtures/toy_lock_worker.js', import.meta.url), { workerData: { cfg, sab, tid, lk, release } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

test('strict waits: an unlock that forgets its wake-up is a lost wake-up, with the word and its values', async (t) => {
  // the holder stores once the waiter has published its sleep; on a loaded host the waiter may
  // not have reached the futex yet, find the word changed and go on (no sleep, nothing lost):
  // that is retried, a few times at most
  let [holder, waiter] = await toyLock('forget', true);
  for (let tries = 1; waiter === 'ok' && tries < 5; tries++) [holder, waiter] = await toyLock('forget', true);
  t.is(holder, 'ok');
  const v = JSON.parse(waiter) as { oracle: string; thread: string; message: string };
  t.is(v.oracle, 'lost-wakeup');
  t.is(v.thread, 'cpu1');
  t.regex(v.message, /^cpu1 slept at toy:lock on .* while it held 1; it changed to 0, but only the wait's timeout woke the thread$/);
});

test('without strict waits the timeout hides the same lost wake-up', async (t) => {
  t.deepEqual(await toyLock('forget', false), ['ok', 'ok']);
});

for (const release of ['notify', 'late-notify', 'long-hold'] as const) {
  test(`strict waits: no report when the unlock wakes (${release})`, async (t) => {
    t.deepEqual(await toyLock(release, true), ['ok', 'ok']);
  });
}

test('stress --strict-waits sets the config key, and the rerun command keeps the flag (explore has none)', (t) => {
  const dir = scratch();
  const clean = run(dir, ['stress', '--strict-waits', '--ops', '2000', '--quiet', '--json', '-']);
  t.is(clean.status, 0, clean.stderr);
  t.true((JSON.parse(clean.stdout) as { config: { strictWaits: boolean } }).config.strictWaits);
  const bug = run(dir, ['stress', '--strict-waits', '--seconds', '10', '--bug', 'no-tlb-flush', '--seed', '9', '--quiet']);
  t.is(bug.status, 1, bug.stdout);
  t.regex(bug.stdout, /npx faultline stress --seed 9 .*--strict-waits .*--bug no-tlb-flush/);
  t.notRegex(bug.stdout, /explore .*--strict-waits/);
});
