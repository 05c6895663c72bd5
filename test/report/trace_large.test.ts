import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { closeDetPool } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, tracedRun } from '../../src/harness/det_run.js';
import { strategyOf } from '../../src/sched/strategies/index.js';
import type { TraceEvent } from '../../src/profile/types.js';
import { writeChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';

test.after.always(closeDetPool);

const dir = mkdtempSync(join(tmpdir(), 'faultline-trace-'));
const THREADS = ['cpu0', 'cpu1', 'cpu2', 'migrator0'];

/** A trace shaped like the recorder's: per thread, faults holding a wait and a flow end, holds as
 * async slices, a flow from the previous thread, a counter; `n` events in all (about). */
function synthetic(n: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const per = 11;
  for (let i = 0; out.length + per <= n; i++) {
    const tid = i % THREADS.length;
    const from = (tid + THREADS.length - 1) % THREADS.length;
    const t = i * 10;
    const ev = (e: Omit<TraceEvent, 'pid'>): void => void out.push({ pid: 1, ...e });
    ev({ name: 'fault', cat: 'mm', ph: 'X', ts: t, dur: 8, tid, args: { vpn: i } });
    ev({ name: 'wait bo1.resv', cat: 'lock', ph: 'X', ts: t + 1, dur: 2, tid });
    ev({ name: 'hold bo1.resv', cat: 'lock', ph: 'b', id: i, ts: t + 3, tid });
    ev({ name: 'hold page4.lock', cat: 'lock', ph: 'b', id: n + i, ts: t + 4, tid });
    ev({ name: 'hold bo1.resv', cat: 'lock', ph: 'e', id: i, ts: t + 5, tid });
    ev({ name: 'hold page4.lock', cat: 'lock', ph: 'e', id: n + i, ts: t + 6, tid });
    ev({ name: 'wake bo1.resv', cat: 'flow', ph: 'X', ts: t + 0.5, dur: 0, tid: from });
    ev({ name: 'wake bo1.resv', cat: 'flow', ph: 's', id: i, ts: t + 0.5, tid: from });
    ev({ name: 'wake bo1.resv', cat: 'flow', ph: 'X', ts: t + 3, dur: 0, tid });
    ev({ name: 'wake bo1.resv', cat: 'flow', ph: 'f', bp: 'e', id: i, ts: t + 3, tid });
    ev({ name: 'mm0.mmap_sem', cat: 'counter', ph: 'C', ts: t + 7, tid, args: { readers: i % 3, waiters: 0 } });
  }
  return out;
}

test('writeChromeTrace streams 300k events to a file that reads back whole and validates', (t) => {
  const events = synthetic(300_000);
  t.true(events.length >= 299_990);
  const file = join(dir, 'synthetic.json');
  const { events: written } = writeChromeTrace(file, { events, capped: false, cap: 0 }, { threadNames: THREADS, unit: 'ns' });
  t.is(written, events.length);
  const back = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[]; displayTimeUnit: string; metadata: { events: number } };
  t.is(back.displayTimeUnit, 'ns');
  t.is(back.metadata.events, events.length);
  t.is(back.traceEvents.filter((e) => e.ph !== 'M').length, events.length);
  t.deepEqual(validateChromeTrace(back), []);
});

test('writeChromeTrace throws the error of a path it cannot open', (t) => {
  t.throws(() => writeChromeTrace(join(dir, 'missing', 't.json'), { events: [], capped: false, cap: 0 }, { threadNames: THREADS, unit: 'ns' }), { code: 'ENOENT' });
});

test.serial('a real run past 125k events (where the old writer overflowed the stack) writes a valid trace', async (t) => {
  // a deterministic run makes the same events on any host; a free-running one makes fewer on a loaded one
  const spec = detRunSpec({
    cfg: makeConfig({ ...SMALL_SCENARIO, ops: 12_000 }), strategy: strategyOf({ name: 'random' }), moves: 40,
    trace: true, profile: { lockstat: true, lockdep: false, trace: true, holdSample: 1, traceCap: 1_000_000 },
  });
  const r = await tracedRun(spec, 1);
  t.is(r.violation, null);
  const trace = r.profile!.trace;
  t.log(`${trace.events.length} events`);
  t.true(trace.events.length > 125_000, `${trace.events.length} events`);
  const file = join(dir, 'run.json');
  writeChromeTrace(file, trace, { threadNames: ['cpu0', 'cpu1', 'migrator0'], unit: 'steps' });
  const back = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
  t.deepEqual(validateChromeTrace(back).slice(0, 10), []);
  const ph = (p: string): number => back.traceEvents.filter((e) => e.ph === p).length;
  t.true(ph('b') > 0 && ph('b') === ph('e'), 'holds as paired async slices');
  t.true(ph('s') > 0, 'wake flows');
});

test.serial('the CLI writes the trace and says how many events', (t) => {
  const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
  const file = join(dir, 'cli.json');
  const r = spawnSync(process.execPath, [cli, 'stress', '--seconds', '1', '--cpus', '1', '--migrators', '1', '--lockstat', '--trace', file, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
  t.is(r.status, 0, r.stderr);
  const m = /timeline: .* \((\d+) events/.exec(r.stdout);
  t.truthy(m, r.stdout);
  const back = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
  t.is(back.traceEvents.filter((e) => e.ph !== 'M').length, Number(m![1]));
  t.deepEqual(validateChromeTrace(back).slice(0, 10), []);
});
