// What the recorder puts on the timeline, driven call by call with a clock the test sets: holds
// that overlap, which release a wake flow starts at, what a stop leaves open, and the violation.
import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { profileBuffer } from '../../src/profile/attach.js';
import { machineLockNaming } from '../../src/profile/lock_class.js';
import { mergeProfile } from '../../src/profile/merge.js';
import { MODE_R, MODE_W, MODE_X, OPEN_FAULT, OPEN_LOCK_WAIT } from '../../src/profile/probe.js';
import { Recorder, type ProfileOptions } from '../../src/profile/recorder.js';
import type { TraceEvent } from '../../src/profile/types.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';
import { BO_RESV, Layout, MM_MMAP_SEM, PG_LOCKED } from '../../src/shm/layout.js';

const cfg = makeConfig({});
const lay = new Layout(cfg);
const RESV = lay.bow(0, BO_RESV);
const PAGE = lay.page(4, PG_LOCKED);
const SEM = lay.mmw(0, MM_MMAP_SEM);
const OPTS: ProfileOptions = { lockstat: true, lockdep: false, trace: true, holdSample: 1, traceCap: 10_000 };
const NAMES = ['cpu0', 'cpu1', 'migrator0'];

/** Three recorders sharing one machine and one clock, as a run's threads do. */
function machine(): { rec: Recorder[]; at: (t: number) => void; trace: () => TraceEvent[] } {
  let now = 0;
  const m = new Int32Array(lay.words);
  const shared = profileBuffer(machineLockNaming(cfg).words);
  const rec = NAMES.map((n, tid) => new Recorder(machineLockNaming(cfg), m, tid, n, () => now, 'steps', shared, OPTS));
  return {
    rec,
    at: (t) => void (now = t),
    trace: () => {
      const tr = toChromeTrace(mergeProfile(rec.map((r) => r.part()), 'steps').trace, { threadNames: NAMES, unit: 'steps' });
      return tr.traceEvents;
    },
  };
}

const span = (ev: TraceEvent[], name: string, tid: number): [number, number] => {
  const b = ev.find((e) => e.ph === 'b' && e.name === name && e.tid === tid)!;
  const e = ev.find((x) => x.ph === 'e' && x.id === b.id)!;
  return [b.ts, e.ts];
};

test('holds that overlap on one thread (reservation dropped under the page lock) are both kept, as async slices', (t) => {
  const { rec, at, trace } = machine();
  at(1); rec[2]!.acquired(RESV, MODE_X, 0, false);
  at(2); rec[2]!.acquired(PAGE, MODE_X, 0, false);
  at(3); rec[2]!.released(RESV, MODE_X);
  at(4); rec[2]!.released(PAGE, MODE_X);
  const ev = trace();
  t.deepEqual(validateChromeTrace(ev), []);
  t.deepEqual(span(ev, 'hold bo0.resv', 2), [1, 3]);
  t.deepEqual(span(ev, 'hold page4.lock', 2), [2, 4]);
  t.false(ev.some((e) => e.ph === 'X' && e.name.startsWith('hold ')), 'no hold on the thread track');
  // the same holds as slices on the thread track would not nest, and the checker says so
  const asX: TraceEvent[] = [
    ...ev.filter((e) => e.ph === 'M'),
    { name: 'hold bo0.resv', cat: 'lock', ph: 'X', ts: 1, dur: 2, pid: 1, tid: 2 },
    { name: 'hold page4.lock', cat: 'lock', ph: 'X', ts: 2, dur: 2, pid: 1, tid: 2 },
  ];
  t.true(validateChromeTrace(asX).some((p) => /"hold page4.lock" at ts 2 overlaps "hold bo0.resv".*without nesting/.test(p)));
});

test('a wake flow starts at the release that let the waiter in, not at an older one', (t) => {
  const { rec, at, trace } = machine();
  at(1); rec[2]!.acquired(RESV, MODE_X, 0, false);
  at(2); rec[2]!.released(RESV, MODE_X); // nobody waits yet
  at(3); rec[0]!.acquired(RESV, MODE_X, 0, false);
  at(4);
  const since = rec[1]!.open(OPEN_LOCK_WAIT, RESV);
  at(6); rec[0]!.released(RESV, MODE_X);
  at(7); rec[1]!.waited(RESV, MODE_X, 0, since, 1);
  rec[1]!.acquired(RESV, MODE_X, 0, false);
  // a wait that no release ended (the last one was before it began) draws no flow
  at(8); rec[1]!.released(RESV, MODE_X);
  at(9);
  const late = rec[0]!.open(OPEN_LOCK_WAIT, RESV);
  at(10); rec[0]!.waited(RESV, MODE_X, 0, late, 0);
  const ev = trace();
  t.deepEqual(validateChromeTrace(ev), []);
  const s = ev.filter((e) => e.ph === 's');
  const f = ev.filter((e) => e.ph === 'f');
  t.is(s.length, 1);
  t.deepEqual([s[0]!.tid, s[0]!.ts, s[0]!.name], [0, 6, 'wake bo0.resv']);
  t.deepEqual([f[0]!.tid, f[0]!.ts, f[0]!.id], [1, 7, s[0]!.id]);
  t.is(typeof s[0]!.id, 'number', 'Perfetto reads string ids as hex');
});

test('an rwsem waiter is woken by the hand-off, not by the release before it', (t) => {
  const { rec, at, trace } = machine();
  at(1); rec[0]!.acquired(SEM, MODE_W, 0, false);
  at(2);
  const since = rec[1]!.open(OPEN_LOCK_WAIT, SEM);
  at(3); rec[0]!.released(SEM, MODE_W);
  at(4); rec[2]!.handoff(SEM);
  at(5); rec[1]!.waited(SEM, MODE_R, 0, since, 1);
  const ev = trace();
  t.deepEqual(validateChromeTrace(ev), []);
  const s = ev.find((e) => e.ph === 's')!;
  t.deepEqual([s.tid, s.ts], [2, 4]);
});

test('spans, waits and holds still open when a thread stops end with the trace; the violation is an instant on its track', (t) => {
  const { rec, at, trace } = machine();
  at(1);
  rec[0]!.open(OPEN_FAULT, 7);
  at(2); rec[0]!.acquired(RESV, MODE_X, 0, false);
  at(3); rec[0]!.open(OPEN_LOCK_WAIT, PAGE);
  at(5); rec[0]!.stop({ oracle: 'stale-tlb', message: 'cpu0 read a freed frame' });
  at(6);
  const f = rec[1]!.open(OPEN_FAULT, 9);
  at(9); rec[1]!.span('fault', 'mm', f);
  rec[1]!.stop();
  const ev = trace();
  t.deepEqual(validateChromeTrace(ev), []);
  const v = ev.filter((e) => e.cat === 'violation');
  t.deepEqual(v.map((e) => [e.ph, e.s, e.tid, e.ts, e.name]), [['i', 't', 0, 5, 'VIOLATION stale-tlb']]);
  const opened = ev.filter((e) => e.ph === 'B').map((e) => [e.name, e.ts, e.args?.unfinished]);
  t.deepEqual(opened, [['fault', 1, true], ['wait page4.lock', 3, true]]);
  t.deepEqual(ev.filter((e) => e.ph === 'E').map((e) => [e.name, e.ts, e.tid]), [['wait page4.lock', 9, 0], ['fault', 9, 0]]);
  t.deepEqual(span(ev, 'hold bo0.resv', 0), [2, 9]);
  t.false(ev.some((e) => e.ph === 'B' && e.tid === 1), 'a span that ended is not reopened');
});
