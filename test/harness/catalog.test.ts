import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import { BUG_CATALOG, type BugName } from '../../src/bugs/catalog.js';
import { DEFAULT_STRATEGY, type StrategySpec } from '../../src/sched/strategies/index.js';
import { closeDetPool } from '../../src/harness/explore.js';
import { DEFAULT_MAX_STEPS, DEFAULT_MOVES, SMALL_SCENARIO, scheduleFileOf, tracedRun } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import { threadName } from '../../src/harness/lockdump.js';
import type { ProfileOptions } from '../../src/profile/recorder.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';

test.after.always(closeDetPool);

const TIMELINE: ProfileOptions = { lockstat: false, lockdep: false, trace: true, holdSample: 1, traceCap: 200_000 };
const threadNames = (cfg: Config): string[] => Array.from({ length: cfg.cpus + cfg.migrators }, (_, tid) => threadName(cfg, tid));

/** A seed known to hit each catalog bug (found with `faultline explore --stop-on-first`), the
 * strategy that found it, and the oracle that fired. A change to the model changes interleavings:
 * find the seeds again with the same command when one of these stops hitting. */
const KNOWN: { bug: BugName; seed: number; strategy: Partial<StrategySpec>; oracle: string }[] = [
  { bug: 'no-tlb-flush', seed: 1, strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'fault-without-reserve', seed: 1, strategy: { name: 'random' }, oracle: 'use-after-free' },
  { bug: 'free-before-flush', seed: 3, strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'remap-bug-on-set', seed: 1, strategy: { name: 'random' }, oracle: 'pte-overwrite' },
  { bug: 'execbuf-faults-under-resv', seed: 119, strategy: { name: 'pos' }, oracle: 'deadlock' },
  { bug: 'fault-blocks-on-reserve', seed: 118, strategy: { name: 'pct' }, oracle: 'deadlock' },
  { bug: 'nested-zap-skips-flush', seed: 38, strategy: { name: 'random', switchProbability: 0.02 }, oracle: 'stale-tlb' },
  { bug: 'mover-skips-page-lock', seed: 20, strategy: { name: 'random' }, oracle: 'lost-write' },
  { bug: 'pte-alloc-without-lock', seed: 106, strategy: { name: 'random' }, oracle: 'page-count' },
  { bug: 'lazy-tlb-no-gen-check', seed: 21, strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'migrate-pinned-page', seed: 24, strategy: { name: 'random' }, oracle: 'lost-write' },
  { bug: 'mprotect-no-flush-pending', seed: 31, strategy: { name: 'pct' }, oracle: 'stale-tlb' },
  { bug: 'mremap-flush-after-unlock', seed: 78, strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'vma-check-before-lock', seed: 67, strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'vma-writer-skips-lock', seed: 2, strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'prefault-past-vma-end', seed: 1, strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'cow-pfnmap-pgoff-rule', seed: 1, strategy: { name: 'random' }, oracle: 'use-after-free' },
];

test('every catalog bug has a known seed here', (t) => {
  t.deepEqual(KNOWN.map((k) => k.bug).sort(), BUG_CATALOG.map((b) => b.name).sort());
});

for (const k of KNOWN) {
  test.serial(`${k.bug}: seed ${k.seed} hits it (${k.oracle}) and its schedule replays it`, async (t) => {
    const info = BUG_CATALOG.find((b) => b.name === k.bug)!;
    const spec: DetRunSpec = {
      cfg: makeConfig({ ...SMALL_SCENARIO, ...(info.scenario?.config ?? {}), bugs: [k.bug, ...(info.scenario?.with ?? [])] }),
      strategy: { ...DEFAULT_STRATEGY, ...k.strategy },
      maxSteps: DEFAULT_MAX_STEPS, moves: info.scenario?.moves ?? DEFAULT_MOVES, trace: false, tapeCapacity: 0, profile: TIMELINE,
    };
    const run = await tracedRun(spec, k.seed);
    t.is(run.violation?.oracle, k.oracle, run.violation?.message);
    // the timeline of a run that unwinds from a violation is sound, with the violation on the
    // victim's track (the final check's violations have no victim thread: cpu -1)
    const timeline = toChromeTrace(run.profile!.trace, { threadNames: threadNames(spec.cfg), unit: 'steps' });
    t.deepEqual(validateChromeTrace(timeline), []);
    const marks = timeline.traceEvents.filter((e) => e.cat === 'violation');
    if (run.violation!.cpu >= 0) t.true(marks.some((e) => e.ph === 'i' && e.s === 't' && e.tid === run.violation!.cpu && e.name === `VIOLATION ${k.oracle}`), JSON.stringify(marks));
    if (k.oracle === 'deadlock') t.regex(run.violation!.message, /wait-for cycle: (.*resv.*mmap_sem|.*mmap_sem.*resv)/);
    const again = await tracedRun({ ...spec, strategy: { ...spec.strategy, decisions: scheduleFileOf(spec, run).decisions } }, k.seed);
    t.is(again.violation?.oracle, k.oracle);
    t.is(again.traceHash, run.traceHash);
  });
}

test.serial('the clean protocol stays clean on the seeds that hit the bugs', async (t) => {
  for (const k of KNOWN) {
    const info = BUG_CATALOG.find((b) => b.name === k.bug)!;
    const spec: DetRunSpec = {
      cfg: makeConfig({ ...SMALL_SCENARIO, ...(info.scenario?.config ?? {}) }),
      strategy: { ...DEFAULT_STRATEGY, ...k.strategy }, maxSteps: DEFAULT_MAX_STEPS, moves: info.scenario?.moves ?? DEFAULT_MOVES, trace: false, tapeCapacity: 0,
    };
    const run = await tracedRun(spec, k.seed);
    t.is(run.violation, null, `${k.bug} seed ${k.seed}: ${run.violation?.message}`);
  }
});
