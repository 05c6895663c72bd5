// The verdict of a replay against its schedule file, on hand-made files and runs.
import test from 'ava';

import { verifyReplay } from '../../src/cli/replay_verdict.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { TracedRun } from '../../src/harness/det_run.js';
import type { ScheduleFile } from '../../src/sched/schedule_file.js';

const file = (over: Partial<ScheduleFile> = {}): ScheduleFile => ({
  faultline: 'schedule', version: 1, config: DEFAULT_CONFIG, seed: 1, strategy: { name: 'pos' }, maxSteps: 1000, moves: 2,
  traceHash: '0123456789abcdef', steps: 10, violation: { oracle: 'stale-tlb', message: 'm', thread: 'cpu0' }, decisions: [], ...over,
});
const run = (over: Partial<TracedRun> = {}): TracedRun => ({
  seed: 1, strategy: { name: 'pos' }, traceHash: '0123456789abcdef', steps: 10, switches: 0, preemptions: 0, errors: [],
  violation: { oracle: 'stale-tlb', message: 'm', cpu: 0, thread: 'cpu0', step: 3 }, sched: new Int32Array(0), machine: new Int32Array(0), traceBase: 0, traceLen: 10, traceTruncated: false,
  replay: { used: 0, total: 0, divergedAt: -1 }, ...over,
});

test('the same violation and hash reproduce; another hash, oracle or a clean run do not', (t) => {
  t.true(verifyReplay(file(), run()).reproduced);
  t.is(verifyReplay(file(), run({ traceHash: 'ffffffffffffffff' })).kind, 'hash-differs');
  t.is(verifyReplay(file(), run({ violation: null })).kind, 'no-violation');
  t.is(verifyReplay(file(), run({ replay: { used: 2, total: 4, divergedAt: 2 } })).kind, 'diverged');
});

test('a file cut at the end of the trace says so when it does not reproduce', (t) => {
  const v = verifyReplay(file({ traceTruncated: true }), run({ traceHash: 'ffffffffffffffff' }));
  t.false(v.reproduced);
  t.regex(v.line, /the file holds the decisions of the run's traced prefix only/);
  t.notRegex(verifyReplay(file(), run({ traceHash: 'ffffffffffffffff' })).line, /traced prefix/);
  t.true(verifyReplay(file({ traceTruncated: true }), run()).reproduced);
});
