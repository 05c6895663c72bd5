import { Worker } from 'node:worker_threads';
import test from 'ava';
import { makeConfig, RWSEM_VARIANTS } from '../../src/config.js';
import { Layout, MM_MMAP_SEM, RW_COUNT, RW_WAITLIST } from '../../src/shm/layout.js';

for (const rwsem of RWSEM_VARIANTS) {
  test.serial(`rwsem (${rwsem}): 4 threads on 2 cores, writers exclusive, readers never see a torn pair, no lost wake-up`, async (t) => {
    const cfg = makeConfig({ cpus: 4, migrators: 0, ops: 1, strictWaits: true, rwsem });
    const lay = new Layout(cfg);
    const sab = new SharedArrayBuffer((lay.words + 2) * 4);
    const words: [number, number] = [lay.words, lay.words + 1];
    const iters = 40_000;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        (tid) =>
          new Promise<{ torn: number; writes: number; error: string }>((resolve, reject) => {
            const w = new Worker(new URL('../fixtures/rwsem_worker.js', import.meta.url), { workerData: { cfg, sab, tid, iters, words } });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    const m = new Int32Array(sab);
    const sem = lay.mmw(0, MM_MMAP_SEM);
    t.deepEqual(results.map((r) => r.error), ['', '', '', '']);
    t.is(results.reduce((s, r) => s + r.torn, 0), 0);
    const writes = results.reduce((s, r) => s + r.writes, 0);
    t.true(writes > 1000);
    t.is(m[words[0]], writes, 'every write under the lock landed: no two writers overlapped');
    t.is(m[sem + RW_COUNT], 0, 'count word back to zero');
    t.is(m[sem + RW_WAITLIST], 0, 'nobody left queued');
  });
}
