import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { BO_RESV, CTL_PROGRESS, CTL_QUIESCED, Layout, MM_MMAP_SEM, RW_OWNER, RW_RGEN, RW_WNEXT } from '../../src/shm/layout.js';
import { DT_STATE, DT_WAIT_IDX, DT_WAIT_LABEL, SchedLayout, TS_BLOCKED } from '../../src/sched/det_layout.js';
import type { DetScheduler } from '../../src/sched/det.js';
import { explainStuck, waitTarget } from '../../src/harness/waitfor.js';

const cfg = makeConfig({ cpus: 3, migrators: 1, processes: 1, objects: 2, pages: 4 });
const lay = new Layout(cfg);

test('counter words name no holder, whatever count they hold', (t) => {
  const m = new Int32Array(lay.words);
  m[CTL_QUIESCED] = 1; // one thread quiesced: read as a lock word, it would name cpu0
  m[CTL_PROGRESS] = 2;
  t.deepEqual(waitTarget(cfg, m, CTL_QUIESCED), { what: 'quiesced', holders: [], counter: true });
  t.deepEqual(waitTarget(cfg, m, CTL_PROGRESS), { what: 'progress', holders: [], counter: true });
  m[lay.bow(0, BO_RESV)] = 3;
  t.deepEqual(waitTarget(cfg, m, lay.bow(0, BO_RESV)), { what: 'bo0.resv', holders: [2] });
});

test('a thread waiting to quiesce does not hide the real cycle behind a counter', (t) => {
  const m = new Int32Array(lay.words);
  const sl = new SchedLayout(lay.threads, 0, 0);
  const s = new Int32Array(sl.words);
  const sem = lay.mmw(0, MM_MMAP_SEM);
  const wait = (tid: number, idx: number): void => {
    s[sl.th(tid, DT_STATE)] = TS_BLOCKED;
    s[sl.th(tid, DT_WAIT_IDX)] = idx;
    s[sl.th(tid, DT_WAIT_LABEL)] = 0;
  };
  // cpu0 finished and waits for the others to quiesce (the count, 1, reads like "held by cpu0");
  // cpu1 holds mmap_sem for write and waits for bo0.resv, which cpu2 holds while it waits to read mmap_sem
  m[CTL_QUIESCED] = 1;
  wait(0, CTL_QUIESCED);
  m[sem + RW_OWNER] = 2;
  m[lay.bow(0, BO_RESV)] = 3;
  wait(1, lay.bow(0, BO_RESV));
  wait(2, sem + RW_RGEN);
  wait(3, CTL_PROGRESS);
  const report = explainStuck(cfg, m, 'deadlock', { s, sl, tid: 0 } as unknown as DetScheduler);
  const [headline] = report.split('\n');
  t.is(headline, 'wait-for cycle: cpu1 → bo0.resv → cpu2 → mm0.mmap_sem (read) → cpu1');
  t.notRegex(report, /control\[|held by cpu0/);
  t.regex(report, /cpu0 waits at \S+ for quiesced \(a counter, no holder\)/);
  t.is(waitTarget(cfg, m, sem + RW_WNEXT).holders[0], 1, 'an rwsem still names its writer');
});
