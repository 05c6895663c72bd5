import test from 'ava';
import { toolStamp } from '../../src/version.js';
import type { TraceEvent } from '../../src/profile/types.js';
import { toChromeTrace, type ChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';
import { THREADS, TRACE_EVENTS, makeProfile } from './fixture.js';

const trace = (): ChromeTrace => toChromeTrace(makeProfile().trace, { threadNames: THREADS, unit: 'ns' });

test('chrome trace: container, process name and thread metadata for every thread', (t) => {
  const tr = trace();
  t.is(tr.displayTimeUnit, 'ns');
  t.true(Array.isArray(tr.traceEvents));
  const m = tr.traceEvents.filter((e) => e.ph === 'M');
  t.deepEqual(m.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args?.name]), [[1, 'faultline']]);
  const names = new Map(m.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.name]));
  t.deepEqual([...names.entries()].sort(), [[0, 'cpu0'], [1, 'cpu1'], [2, 'migrator0']]);
  const sort = new Map(m.filter((e) => e.name === 'thread_sort_index').map((e) => [e.tid, e.args?.sort_index]));
  t.deepEqual([...sort.entries()].sort(), [[0, 0], [1, 1], [2, 2]]);
  // every track with events is named
  const used = new Set(tr.traceEvents.filter((e) => e.ph !== 'M').map((e) => `${e.pid}/${e.tid}`));
  const named = new Set(m.filter((e) => e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`));
  for (const u of used) t.true(named.has(u), u);
  t.is(tr.traceEvents.filter((e) => e.ph !== 'M').length, TRACE_EVENTS.length);
  t.false(tr.metadata.capped);
  t.deepEqual(tr.metadata.faultline, toolStamp(), 'the writer, in the metadata');
  t.deepEqual(JSON.parse(JSON.stringify(tr)), tr, 'plain JSON');
});

test('chrome trace: timestamps pass through (the recorder writes trace microseconds), input untouched', (t) => {
  const zap = trace().traceEvents.find((e) => e.name === 'zap')!;
  t.is(zap.ts, 5_000);
  t.is(zap.dur, 4_000);
  const steps = toChromeTrace({ events: TRACE_EVENTS, capped: false, cap: 10 }, { threadNames: THREADS, unit: 'steps' });
  t.is(steps.traceEvents.find((e) => e.name === 'zap')!.ts, 5_000);
  t.is(steps.metadata.unit, 'steps');
  t.regex(String(steps.metadata.timestamps), /1 µs per step/);
  t.not(trace().traceEvents.find((e) => e.name === 'fault')!.args, TRACE_EVENTS[0]!.args, 'args copied, not shared');
});

test('chrome trace: balanced B/E per track, every flow start has an end, and the validator agrees', (t) => {
  const tr = trace();
  t.deepEqual(validateChromeTrace(tr), []);
  const depth = new Map<number, number>();
  for (const e of tr.traceEvents) {
    if (e.ph === 'B') depth.set(e.tid, (depth.get(e.tid) ?? 0) + 1);
    if (e.ph === 'E') {
      depth.set(e.tid, (depth.get(e.tid) ?? 0) - 1);
      t.true(depth.get(e.tid)! >= 0);
    }
  }
  for (const [, d] of depth) t.is(d, 0);
  const starts = tr.traceEvents.filter((e) => e.ph === 's');
  t.true(starts.length > 0);
  for (const s of starts) t.truthy(tr.traceEvents.find((f) => f.ph === 'f' && f.id === s.id && f.cat === s.cat && f.name === s.name));
});

test('chrome trace: a capped trace says so in the metadata and on the timeline', (t) => {
  const tr = toChromeTrace({ events: TRACE_EVENTS, capped: true, cap: 11 }, { threadNames: THREADS, unit: 'ns' });
  t.true(tr.metadata.capped);
  t.regex(String(tr.metadata.note), /past 11 events per thread/);
  const mark = tr.traceEvents.find((e) => e.ph === 'i' && e.s === 'g');
  t.truthy(mark);
  t.regex(mark!.name, /capped at 11/);
  t.deepEqual(validateChromeTrace(tr), []);
  const unknownCap = toChromeTrace({ events: TRACE_EVENTS, capped: true, cap: 0 }, { threadNames: THREADS, unit: 'ns' });
  t.regex(String(unknownCap.metadata.note), /past the per-thread event cap/);
});

test('chrome trace: a flow cut in half by the cap is left out and counted', (t) => {
  const events = TRACE_EVENTS.filter((e) => e.ph !== 'f');
  const tr = toChromeTrace({ events, capped: true, cap: 5 }, { threadNames: THREADS, unit: 'ns' });
  t.false(tr.traceEvents.some((e) => e.ph === 's'));
  t.is(tr.metadata.unmatchedFlowEventsDropped, 1);
  t.deepEqual(validateChromeTrace(tr), []);
  t.is(trace().metadata.unmatchedFlowEventsDropped, undefined);
});

test('chrome trace: incoming name metadata is replaced, unnamed threads get a default name', (t) => {
  const events: TraceEvent[] = [
    { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: 'stale' } },
    { name: 'work', cat: 'c', ph: 'X', ts: 0, dur: 1, pid: 1, tid: 5 },
  ];
  const tr = toChromeTrace({ events, capped: false, cap: 0 }, { threadNames: ['cpu0'], unit: 'steps' });
  const names = tr.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.name]);
  t.deepEqual(names, [[0, 'cpu0'], [5, 'thread5']]);
  t.deepEqual(validateChromeTrace(tr), []);
});

test('validateChromeTrace catches unbalanced B/E, dangling flows, missing names and unnamed tracks', (t) => {
  const base = trace();
  const drop = (pred: (e: TraceEvent) => boolean): ChromeTrace => ({ ...base, traceEvents: base.traceEvents.filter((e) => !pred(e)) });

  const noEnd = validateChromeTrace(drop((e) => e.ph === 'E' && e.tid === 1));
  t.true(noEnd.some((p) => /tid 1 \(cpu1\): B "fault" at ts 9500 is never ended/.test(p)), noEnd.join('\n'));

  const noBegin = validateChromeTrace(drop((e) => e.ph === 'B' && e.tid === 0));
  t.true(noBegin.some((p) => /tid 0 \(cpu0\): E at ts 4500 without a matching B/.test(p)), noBegin.join('\n'));

  const noFinish = validateChromeTrace(drop((e) => e.ph === 'f'));
  t.true(noFinish.some((p) => /flow start "zap→refault" id 1 has no matching f/.test(p)), noFinish.join('\n'));

  const noStart = validateChromeTrace(drop((e) => e.ph === 's'));
  t.true(noStart.some((p) => /flow end "zap→refault" id 1 has no matching s/.test(p)), noStart.join('\n'));

  const unnamed = validateChromeTrace({ ...base, traceEvents: [...base.traceEvents, { cat: 'c', ph: 'X', ts: 1, dur: 1, pid: 1, tid: 0 }] });
  t.true(unnamed.some((p) => /missing name/.test(p)));

  const noThreadName = validateChromeTrace(drop((e) => e.name === 'thread_name' && e.tid === 2));
  t.true(noThreadName.some((p) => /tid 2: events but no thread_name/.test(p)), noThreadName.join('\n'));

  const loose = { ...base, traceEvents: base.traceEvents.map((e) => (e.ph === 's' ? { ...e, ts: 1 } : e)) };
  t.true(validateChromeTrace(loose).some((p) => /flow start .* is not inside a slice/.test(p)));

  t.deepEqual(validateChromeTrace({ nope: 1 }).length, 1);
  t.true(validateChromeTrace([{ name: 'x', ph: 'Q', ts: 0, pid: 0, tid: 0 }]).some((p) => /unknown phase/.test(p)));
  t.deepEqual(validateChromeTrace([]), []);
});
