import test from 'ava';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import type { BugName } from '../../src/bugs/switches.js';
import type { OracleName } from '../../src/check/oracles.js';
import type { StrategyOptions } from '../../src/sched/strategies/index.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { bugSpec } from '../../src/harness/bug_spec.js';
import { scheduleFileOf, tracedRun } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import { threadNames } from '../../src/harness/lockdump.js';
import type { ProfileOptions } from '../../src/profile/recorder.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';

test.after.always(closeDetPool);

const TIMELINE: ProfileOptions = { lockstat: false, lockdep: false, trace: true, holdSample: 1, traceCap: 200_000 };

/** For each catalog bug the strategy that finds it quickly and the oracle expected to fire. The seed
 * is searched at test time (the first one in SEARCH_BUDGET that fires this oracle), so that a model
 * edit which changes interleavings does not mean searching and pinning seeds again. */
const KNOWN: { bug: BugName; strategy: StrategyOptions; oracle: OracleName }[] = [
  { bug: 'no-tlb-flush', strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'fault-without-reserve', strategy: { name: 'random' }, oracle: 'use-after-free' },
  { bug: 'free-before-flush', strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'remap-bug-on-set', strategy: { name: 'random' }, oracle: 'pte-overwrite' },
  { bug: 'execbuf-faults-under-resv', strategy: { name: 'random' }, oracle: 'deadlock' },
  { bug: 'fault-blocks-on-reserve', strategy: { name: 'pct' }, oracle: 'deadlock' },
  { bug: 'nested-zap-skips-flush', strategy: { name: 'random', switchProbability: 0.02 }, oracle: 'stale-tlb' },
  { bug: 'mover-skips-page-lock', strategy: { name: 'random' }, oracle: 'dma-target' },
  { bug: 'pte-alloc-without-lock', strategy: { name: 'random' }, oracle: 'page-count' },
  { bug: 'lazy-tlb-no-gen-check', strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'migrate-pinned-page', strategy: { name: 'random' }, oracle: 'dma-target' },
  { bug: 'mprotect-no-flush-pending', strategy: { name: 'pct' }, oracle: 'tlb-coherence' },
  { bug: 'mremap-flush-after-unlock', strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'vma-check-before-lock', strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'vma-writer-skips-lock', strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'prefault-past-vma-end', strategy: { name: 'random' }, oracle: 'pte-outside-vma' },
  { bug: 'cow-pfnmap-pgoff-rule', strategy: { name: 'random' }, oracle: 'use-after-free' },
  { bug: 'cow-set-before-flush', strategy: { name: 'random' }, oracle: 'tlb-coherence' },
  { bug: 'munmap-unlink-before-flush', strategy: { name: 'random' }, oracle: 'stale-tlb' },
  { bug: 'no-flush-batched-pending', strategy: { name: 'random' }, oracle: 'tlb-after-return' },
];

/** Seeds searched per bug; the slowest bug needs a few hundred today. */
const SEARCH_BUDGET = 2000;
const SEARCH_CHUNK = 250;

/** The first seed from 1 whose run fires `oracle`, or null within the budget. Chunks keep the
 * answer the lowest such seed whatever the number of groups. */
async function findSeed(spec: DetRunSpec, oracle: OracleName): Promise<number | null> {
  for (let start = 1; start <= SEARCH_BUDGET; start += SEARCH_CHUNK) {
    const r = await explore({ spec, seedStart: start, seedCount: SEARCH_CHUNK, jobs: 2, stopOnFirst: false, maxSchedules: 0 });
    const hits = r.failures.filter((f) => f.violation.oracle === oracle).map((f) => f.seed);
    if (hits.length > 0) return Math.min(...hits);
  }
  return null;
}

function specOf(k: (typeof KNOWN)[number], switched: boolean): DetRunSpec {
  return bugSpec(k.bug, { switched, strategy: k.strategy });
}

test('every catalog bug has a known seed here', (t) => {
  t.deepEqual(KNOWN.map((k) => k.bug).sort(), BUG_CATALOG.map((b) => b.name).sort());
});

for (const k of KNOWN) {
  test.serial(`${k.bug}: found by search (${k.oracle}), its schedule replays it, the clean protocol passes that seed`, async (t) => {
    const spec = specOf(k, true);
    const seed = await findSeed(spec, k.oracle);
    if (seed === null) return t.fail(`no seed in 1..${SEARCH_BUDGET} fires ${k.oracle}`);
    t.log(`seed ${seed}`);
    const run = await tracedRun({ ...spec, profile: TIMELINE }, seed);
    t.is(run.violation?.oracle, k.oracle, run.violation?.message);
    // the timeline of a run that unwinds from a violation is sound, with the violation on the
    // victim's track (the final check's violations have no victim thread: cpu -1)
    const timeline = toChromeTrace(run.profile!.trace, { threadNames: threadNames(spec.cfg), unit: 'steps' });
    t.deepEqual(validateChromeTrace(timeline), []);
    const marks = timeline.traceEvents.filter((e) => e.cat === 'violation');
    if (run.violation!.cpu >= 0) t.true(marks.some((e) => e.ph === 'i' && e.s === 't' && e.tid === run.violation!.cpu && e.name === `VIOLATION ${k.oracle}`), JSON.stringify(marks));
    if (k.oracle === 'deadlock') t.regex(run.violation!.message, /wait-for cycle: (.*resv.*mmap_sem|.*mmap_sem.*resv)/);
    const again = await tracedRun({ ...spec, strategy: { name: 'replay', decisions: scheduleFileOf(spec, run).decisions, recorded: run.strategy } }, seed);
    t.is(again.violation?.oracle, k.oracle);
    t.is(again.traceHash, run.traceHash);
    const clean = await tracedRun(specOf(k, false), seed);
    t.is(clean.violation, null, `${k.bug} seed ${seed}: ${clean.violation?.message}`);
  });
}
