// `faultline explore`: many deterministic schedules in a pool of reused worker threads; each
// failure's schedule file is written the moment it is found, with the replay command.
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { closeDetPool, explore, type ExploreResult } from '../harness/explore.js';
import { shardOf, type SeedRange } from '../harness/shard.js';
import { exploreOnQueue } from './explore_queue.js';
import { schemaRef } from '../version.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { CONFIG_RANGES } from '../config.js';
import { addDetOptions, checkStrategyFlags, checkTestFlags, detSpecFromFlags, loadModulesOf, type DetFlags } from './det_options.js';
import { GROUP, intIn, numIn } from './options.js';
import { describeCrash, UsageError } from './errors.js';
import { addProfileOptions, checkProfileOutputs, printProfile, profileJson, profileOptionsFrom, writeProfile, type ProfileFlags } from './profile_options.js';
import { checkOutputFile, OutputLog, prepareOutputDir } from './outputs.js';
import { interrupted, onInterrupt } from './interrupt.js';
import { finish } from './finish.js';
import { firstOfEachOracle, ScheduleWriter } from './schedule_writer.js';
import { junitXml, type JunitCase } from '../report/junit.js';
import { exploreJson, failureList, type Shard } from './explore_json.js';
import { dependsOnHistory, isExhaustive } from '../sched/strategies/index.js';
import { strategyLabel } from '../sched/strategies/portfolio.js';
import { addScenarioOption } from './scenario_option.js';
import { shrinkLine } from './shrink.js';
import type { CoverageSummary } from '../harness/coverage.js';

interface ExploreFlags extends DetFlags, ProfileFlags {
  seeds: string;
  shard?: string;
  queue?: string;
  chunk: number;
  jobs: number;
  stopOnFirst?: boolean;
  maxSchedules: number;
  json?: string;
  junit?: string;
  scheduleDir: string;
  quiet?: boolean;
  heartbeat: number;
  shrink: boolean;
  shrinkBudget: number;
  coverage?: boolean;
}

/** Failures printed on the terminal; every one is written and listed in --json. */
const SHOWN = 10;

export function exploreCommand(): Command {
  const R = GROUP.run;
  const O = GROUP.output;
  const cmd = new Command('explore')
    .description('run many deterministic schedules (seeds A..B) and report every violation with its replay command')
    .addOption(new Option('--seeds <A..B>', `seed range, inclusive (or a single seed), within [0, ${CONFIG_RANGES.seed[1]}]`).default('1..1000').helpGroup(R))
    .addOption(new Option('--queue <url>', 'put the seed range on a queue (Redis, redis://HOST:PORT) as jobs for `faultline worker` processes anywhere, and merge their results here').helpGroup(R))
    .addOption(new Option('--chunk <n>', 'seeds per job with --queue').argParser(intIn(1, 1_000_000)).default(100).helpGroup(R))
    .addOption(new Option('--shard <I/N>', 'run part I (from 0) of N disjoint parts of the seed range: N machines run what one would (faultline merge joins their --json)').helpGroup(R))
    .addOption(new Option('--jobs <n>', 'schedules run in parallel, each on its own group of threads (default: one per two cores; only one thread of a group runs at a time, and more groups than that slow every hand-off)').argParser(intIn(1, 16)).default(Math.max(1, Math.floor(availableParallelism() / 2))).helpGroup(R))
    .addOption(new Option('--stop-on-first', 'stop at the first failing schedule').helpGroup(R))
    .addOption(new Option('--exhaustive', 'bounded: enumerate every schedule up to the preemption bound (tiny configurations)').helpGroup(GROUP.strategy))
    .addOption(new Option('--max-schedules <n>', 'exhaustive: give up after this many schedules (0: no limit)').argParser(intIn(0, 1_000_000_000)).default(100_000).helpGroup(GROUP.strategy))
    .addOption(new Option('--json <file>', "write the result as JSON ('-': standard output, the summary then goes to stderr)").helpGroup(O))
    .addOption(new Option('--junit <file>', 'write a JUnit XML report (a test case per failure) for CI dashboards').helpGroup(O))
    .addOption(new Option('--no-shrink', 'do not shrink failures (by default the first failure of each oracle is shrunk to fewer preemptions and switches, written next to its schedule file, and its replay printed)').helpGroup(R))
    .addOption(new Option('--shrink-budget <n>', 'replays to spend shrinking each failure').argParser(intIn(1, 1_000_000)).default(300).helpGroup(R))
    .addOption(new Option('--schedule-dir <dir>', 'where failing schedules are written (created if missing)').default('faultline-schedules').helpGroup(O))
    .addOption(new Option('--heartbeat <s>', 'when stderr is not a terminal, a progress line every S seconds').argParser(numIn(0.1, 3600)).default(5).helpGroup(O))
    .addOption(new Option('--quiet', 'no progress bar or heartbeat').helpGroup(O))
    .addOption(new Option('--coverage', 'measure interleaving coverage: pairs of conflicting accesses (by point label) seen in both orders, and its growth over schedules (in --json and --report)').helpGroup(O));
  addDetOptions(cmd, { seed: false });
  addProfileOptions(cmd, { trace: false, wallClock: false });
  addScenarioOption(cmd);
  return cmd.action(async (flags: ExploreFlags, command: Command) => {
    checkStrategyFlags(flags, (k) => command.getOptionValueSource(k));
    checkTestFlags(command);
    if (command.getOptionValueSource('maxSchedules') === 'cli' && flags.exhaustive !== true) throw new UsageError('--max-schedules applies to --exhaustive only');
    process.exitCode = await run(flags);
  });
}

/** explore --queue: the jobs' results merged, said as `faultline merge` says them. */
async function queued(flags: ExploreFlags, spec: DetRunSpec, seeds: SeedRange): Promise<number> {
  if (flags.shard !== undefined) throw new UsageError('--queue and --shard do not go together: the queue hands out the seed range itself');
  if (isExhaustive(spec.strategy) || dependsOnHistory(spec.strategy)) throw new UsageError(`--queue does not apply to ${isExhaustive(spec.strategy) ? '--exhaustive' : `--strategy ${spec.strategy.name}`}: it cannot be cut into seed ranges`);
  if (spec.profile) throw new UsageError('--queue does not collect lock profiles (--lockstat, --lockdep, --report)');
  await loadModulesOf(spec);
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  prepareOutputDir('--schedule-dir', flags.scheduleDir);
  const jobFlags = { ...flags, ...(flags.test !== undefined ? { test: resolve(flags.test) } : {}) };
  const q = await exploreOnQueue(flags.queue!, jobFlags, seeds, { chunk: flags.chunk, stopOnFirst: flags.stopOnFirst === true, scheduleDir: flags.scheduleDir, quiet: flags.quiet === true });
  const m = q.merged;
  if (interrupted()) console.log(`interrupted by ${interrupted()}: the result covers the jobs that finished`);
  if (m === null) console.log('faultline explore: no job finished');
  else {
    const part = m.schedules < seeds.count ? ` of ${seeds.count}` : '';
    console.log(`faultline explore: ${m.schedules}${part} schedules on the queue (${strategyLabel(spec.strategy)}), ${m.failures.length} failing`);
    for (const f of m.failures.slice(0, SHOWN)) {
      console.log(`\nFAIL seed ${f.seed}: ${f.oracle} on ${f.thread}: ${f.message.split('\n')[0]}`);
      console.log(`  replay: ${f.replay}`);
      console.log(`  schedule: npx faultline replay --schedule ${f.scheduleFile}`);
    }
    if (m.failures.length > SHOWN) console.log(`\n… and ${m.failures.length - SHOWN} more failing schedules, all written to ${flags.scheduleDir}/ and listed in --json`);
    if (m.failures.length > 0) console.log('\n(the queue does not shrink: faultline shrink FILE does)');
    if (m.coverage) console.log(`\ncoverage: ${m.coverage.bothOrders} of ${m.coverage.pairs} conflicting pairs seen in both orders`);
  }
  if (q.removed > 0) console.log(`${q.removed} jobs removed before any worker took them (${interrupted() ? 'interrupted' : '--stop-on-first'})`);
  for (const l of q.lost) console.log(`job failed for good: ${l}`);
  const out = new OutputLog();
  if (flags.json !== undefined && m !== null) out.write('--json', flags.json, JSON.stringify({ ...m, $schema: schemaRef('explore.schema.json', flags.json === '-' ? null : dirname(flags.json)) }, null, 2) + '\n');
  return finish({ violation: (m?.failures.length ?? 0) > 0, internal: q.lost.length > 0 || (m?.errors.length ?? 0) > 0 }, out);
}

/** --shard I/N: checked against the range and the strategy (an exhaustive enumeration and a
 * strategy that learns from earlier schedules cannot be cut into seed ranges). */
function shardFlag(text: string, seeds: SeedRange, spec: DetRunSpec): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard must be I/N (part I, from 0, of N), got '${text}'`);
  const index = Number(m[1]);
  const of = Number(m[2]);
  if (of < 1 || index >= of) throw new UsageError(`--shard ${text}: I must be in [0, N − 1] and N at least 1`);
  if (of > seeds.count) throw new UsageError(`--shard ${text}: more shards than the ${seeds.count} seeds of --seeds`);
  if (isExhaustive(spec.strategy)) throw new UsageError('--shard does not apply to --exhaustive: an enumeration is one schedule space, not a seed range');
  if (dependsOnHistory(spec.strategy)) throw new UsageError(`--shard does not apply to --strategy ${spec.strategy.name}: its schedules depend on the ones before them`);
  return { index, of, seeds };
}

export function parseSeeds(text: string): { start: number; count: number } {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+))?\s*$/.exec(text);
  if (!m) throw new UsageError(`--seeds must be A..B or a single seed, got '${text}'`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > CONFIG_RANGES.seed[1] || end > CONFIG_RANGES.seed[1]) throw new UsageError(`--seeds: seeds must be at most ${CONFIG_RANGES.seed[1]}`);
  if (end < start) throw new UsageError(`--seeds: empty seed range ${text}`);
  return { start, count: end - start + 1 };
}

async function run(flags: ExploreFlags): Promise<number> {
  const profile = profileOptionsFrom(flags);
  const spec: DetRunSpec = { ...detSpecFromFlags(flags), ...(profile ? { profile: { ...profile, trace: false } } : {}), ...(flags.coverage ? { coverage: true } : {}) };
  const whole = parseSeeds(flags.seeds);
  if (flags.queue !== undefined) return queued(flags, spec, whole);
  const shard = flags.shard === undefined ? undefined : shardFlag(flags.shard, whole, spec);
  const { start, count } = shard ? shardOf(whole, shard.index, shard.of) : whole;
  await loadModulesOf(spec);
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  if (flags.junit !== undefined) checkOutputFile('--junit', flags.junit);
  checkProfileOutputs(flags);
  prepareOutputDir('--schedule-dir', flags.scheduleDir);

  const bar = !flags.quiet && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'explore {bar} {value}/{total} schedules | {rate}/s | failures {failures}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  const total = isExhaustive(spec.strategy) ? flags.maxSchedules || 1 : count;
  bar?.start(total, 0, { rate: 0, failures: 0 });
  const t0 = performance.now();
  let beat = t0;
  const heartbeat = (done: number, failed: number): void => {
    const now = performance.now();
    if (flags.quiet || bar !== null || now - beat < flags.heartbeat * 1000) return;
    beat = now;
    process.stderr.write(`explore: ${done}/${total} schedules, ${Math.round(done / ((now - t0) / 1000))}/s, ${failed} failing\n`);
  };
  const { profile: _profiled, ...unprofiled } = spec;
  const writer = new ScheduleWriter(flags.scheduleDir, unprofiled);
  const abort = new AbortController();
  const unregister = onInterrupt(() => abort.abort());
  let result: ExploreResult;
  try {
    result = await explore({
      spec, seedStart: start, seedCount: count, jobs: flags.jobs, stopOnFirst: flags.stopOnFirst === true, maxSchedules: flags.maxSchedules, abort: abort.signal,
      onFailure: (seed) => writer.add(seed),
      onProgress: (done, failed) => {
        bar?.update(done, { rate: Math.round(done / ((performance.now() - t0) / 1000)), failures: failed });
        heartbeat(done, failed);
      },
    });
    bar?.stop();
    await writer.writeAll(result);
    if (flags.shrink && !interrupted()) {
      await writer.shrinkFirsts(flags.shrinkBudget, SHOWN, (f) => {
        if (!flags.quiet) process.stderr.write(`explore: shrank seed ${f.seed} (${f.oracle}): ${shrinkLine(f.shrunk!)}\n`);
      });
    }
    return report(flags, spec, result, writer, shard);
  } finally {
    bar?.stop();
    unregister();
    await closeDetPool();
  }
}

function report(flags: ExploreFlags, spec: DetRunSpec, r: ExploreResult, writer: ScheduleWriter, shard?: Shard): number {
  const s = spec.strategy;
  const errors = [...r.errors, ...writer.internal];
  if (interrupted()) console.log(`interrupted by ${interrupted()}: the result covers the schedules that ran`);
  const part = shard ? ` (shard ${shard.index}/${shard.of}: seeds ${r.seeds.start}..${r.seeds.start + r.seeds.count - 1})` : '';
  console.log(`faultline explore: ${r.schedules} schedules${part} (${strategyLabel(s)}), ${r.seconds.toFixed(2)} s, ${r.schedulesPerSec.toFixed(0)} schedules/s, ${r.failedSchedules} failing`);
  if (s.name === 'bounded' && s.exhaustive) console.log(r.exhausted ? `  the schedule space up to ${s.bound} preemptions is exhausted` : `  stopped after ${r.schedules} schedules: the space is NOT exhausted`);
  for (const e of errors) console.log(`  faultline failed: ${describeCrash(e)}`);
  const failures = failureList(spec, writer);
  // the first failure of each oracle (the shrunk ones), then the lowest seeds, in seed order
  const firsts = new Set(firstOfEachOracle(failures).slice(0, SHOWN));
  const shown = new Set([...firsts, ...failures.filter((f) => !firsts.has(f)).slice(0, SHOWN - firsts.size)]);
  for (const f of failures.filter((g) => shown.has(g))) {
    console.log(`\nFAIL ${isExhaustive(s) ? 'enumerated schedule' : `seed ${f.seed}`}: ${f.oracle} on ${f.thread}: ${f.message.split('\n')[0]}`);
    // a run known by how it went, not by its seed, replays from its file alone (below)
    if (!dependsOnHistory(s)) console.log(`  replay: ${f.replay}`);
    if (f.shrunk) {
      console.log(`  schedule: npx faultline replay --schedule ${f.shrunk.scheduleFile}`);
      console.log(`    shrunk from ${f.scheduleFile}: ${shrinkLine(f.shrunk)}`);
    } else {
      console.log(`  schedule: npx faultline replay --schedule ${f.scheduleFile}`);
    }
  }
  if (failures.length > SHOWN) console.log(`\n… and ${failures.length - SHOWN} more failing schedules, all written to ${flags.scheduleDir}/ and listed in --json`);
  const coverage = r.coverage;
  if (coverage) console.log(`\n${coverageLines(coverage).join('\n')}`);
  const cycle = r.profile ? printProfile(flags, r.profile) : false;
  if (cycle && flags.lockdep) console.log('\nlockdep: a lock-order cycle was found (see above): exit 1');
  const out = new OutputLog();
  if (flags.json !== undefined) {
    const json = exploreJson(spec, r, failures, errors, interrupted(), flags.json, shard);
    out.write('--json', flags.json, JSON.stringify({ ...json, ...(r.profile ? profileJson(r.profile) : {}) }, null, 2) + '\n');
  }
  if (flags.junit !== undefined) {
    const subject = spec.test ? basename(spec.test.file) : spec.cfg.bugs.length > 0 ? spec.cfg.bugs.join('+') : 'clean';
    const suite = `faultline explore ${subject} (${s.name})`;
    const cases: JunitCase[] = failures.length > 0
      ? failures.map((f) => ({ group: f.oracle, name: isExhaustive(s) ? f.scheduleFile : `seed ${f.seed}`, failure: { message: `${f.oracle} on ${f.thread}: ${f.message.split('\n')[0]}`, details: `${f.message}\nreplay: ${f.replay}\nschedule: ${f.scheduleFile}` } }))
      : [{ group: 'explore', name: `${r.schedules} schedules`, seconds: r.seconds }];
    for (const e of errors) cases.push({ group: 'faultline', name: 'internal error', failure: { message: e.split('\n')[0]!, details: e } });
    out.write('--junit', flags.junit, junitXml(suite, cases));
  }
  if (r.profile) {
    const first = failures[0];
    writeProfile(flags, r.profile, {
      title: 'faultline explore', config: spec.test ? { test: spec.test.file } : spec.cfg, summary: [`${r.schedules} schedules, ${r.failedSchedules} failing; times in logical steps`], threadNames: [],
      verdict: r.failures.length > 0 || errors.length > 0 || (cycle && flags.lockdep) ? 'fail' : 'pass',
      ...(first ? { violation: { oracle: first.oracle, thread: first.thread, message: first.message }, command: first.replay } : {}),
      ...(coverage ? { coverage: coverage.curve } : {}),
    }, out);
  }
  out.failed.push(...writer.unwritten);
  return finish({ violation: failures.length > 0 || r.failures.length > 0 || (cycle && flags.lockdep === true), internal: errors.length > 0 }, out);
}

/** The coverage summary: the counts, their growth at a quarter, half and all of the schedules, and
 * a few pairs still seen in one order only. */
function coverageLines(c: CoverageSummary): string[] {
  const at = (f: number): string => {
    const p = c.curve[Math.max(0, Math.ceil(f * c.curve.length) - 1)];
    return p ? `${p.bothOrders} after ${p.schedules}` : '-';
  };
  return [
    `coverage: ${c.pairs} pairs of conflicting point labels seen (same word, two threads, one writing), ${c.bothOrders} in both orders (${(100 * c.fraction).toFixed(1)}%)${c.lost > 0 ? `; ${c.lost} pairs did not fit, the counts are lower bounds` : ''}`,
    `  in both orders: ${[0.25, 0.5, 1].map(at).join(', ')} schedules`,
    ...(c.oneOrder.length > 0 ? [`  seen in one order only (${c.pairs - c.bothOrders}), e.g. ${c.oneOrder.slice(0, 3).join('; ')}`] : []),
  ];
}
