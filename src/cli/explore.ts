// `faultline explore`: many deterministic schedules in a pool of reused worker threads; on a
// failure, the seed, the violation, the replay command and a schedule file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { closeDetPool, explore, type ExploreResult } from '../harness/explore.js';
import { scheduleFileOf, tracedRun } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { addDetOptions, detSpecFromFlags, detSpecToArgs, SMALL_DEFAULTS, type DetFlags } from './det_options.js';
import { configToArgs, intArg } from './options.js';
import { EXIT_CLEAN, EXIT_VIOLATION, UsageError } from './errors.js';
import { addProfileOptions, emitProfile, profileOptionsFrom, type ProfileFlags } from './profile_options.js';

interface ExploreFlags extends DetFlags, ProfileFlags {
  seeds: string;
  jobs: number;
  stopOnFirst?: boolean;
  maxSchedules: number;
  json?: string;
  scheduleDir: string;
  quiet?: boolean;
}

export function exploreCommand(): Command {
  const cmd = new Command('explore')
    .description('run many deterministic schedules (seeds A..B) and report every violation with its replay command')
    .option('--seeds <A..B>', 'seed range, inclusive (or a single seed)', '1..1000')
    .option('--jobs <n>', 'schedules run in parallel, each on its own group of threads (default: one per two cores; only one thread of a group runs at a time, and more groups than that slow every hand-off)', intArg, Math.max(1, Math.floor(availableParallelism() / 2)))
    .option('--stop-on-first', 'stop at the first failing schedule')
    .option('--exhaustive', 'bounded: enumerate every schedule up to the preemption bound (tiny configurations)')
    .option('--max-schedules <n>', 'exhaustive: give up after this many schedules (0: no limit)', intArg, 100_000)
    .option('--json <file>', 'write the result as JSON')
    .option('--schedule-dir <dir>', 'where failing schedules are written', 'faultline-schedules')
    .option('--quiet', 'no progress bar');
  addDetOptions(cmd);
  addProfileOptions(cmd, false);
  return cmd.action(async (flags: ExploreFlags) => {
    process.exitCode = await run(flags);
  });
}

export function parseSeeds(text: string): { start: number; count: number } {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+))?\s*$/.exec(text);
  if (!m) throw new UsageError(`--seeds must be A..B or a single seed, got '${text}'`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 0xffffffff || end > 0xffffffff) throw new UsageError('seeds must be at most 4294967295');
  if (end < start) throw new UsageError(`empty seed range ${text}`);
  return { start, count: end - start + 1 };
}

async function run(flags: ExploreFlags): Promise<number> {
  const profile = profileOptionsFrom(flags);
  const spec: DetRunSpec = { ...detSpecFromFlags(flags), ...(profile ? { profile: { ...profile, trace: false } } : {}) };
  const { start, count } = parseSeeds(flags.seeds);
  if (flags.jobs < 1 || flags.jobs > 16) throw new UsageError('--jobs must be in [1, 16]');
  const bar = !flags.quiet && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'explore {bar} {value}/{total} schedules | {rate}/s | failures {failures}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  const total = spec.strategy.exhaustive ? flags.maxSchedules || 1 : count;
  bar?.start(total, 0, { rate: 0, failures: 0 });
  const t0 = performance.now();
  let result: ExploreResult;
  try {
    result = await explore({
      spec, seedStart: start, seedCount: count, jobs: flags.jobs, stopOnFirst: flags.stopOnFirst === true, maxSchedules: flags.maxSchedules,
      onProgress: (done, failed) => bar?.update(done, { rate: Math.round(done / ((performance.now() - t0) / 1000)), failures: failed }),
    });
    bar?.stop();
    return await report(flags, spec, result);
  } finally {
    bar?.stop();
    await closeDetPool();
  }
}

async function report(flags: ExploreFlags, spec: DetRunSpec, r: ExploreResult): Promise<number> {
  const s = spec.strategy;
  console.log(`faultline explore: ${r.schedules} schedules (${s.name}${s.name === 'pct' ? ` d=${s.depth}` : s.name === 'bounded' ? ` bound=${s.bound}` : ''}), ${r.seconds.toFixed(2)} s, ${r.schedulesPerSec.toFixed(0)} schedules/s, ${r.failedSchedules} failing`);
  if (s.exhaustive) console.log(r.exhausted ? `  the schedule space up to ${s.bound} preemptions is exhausted` : `  stopped after ${r.schedules} schedules: the space is NOT exhausted`);
  for (const e of r.errors) console.log(`  error: ${e.split('\n')[0]}`);
  const base = ['npx faultline replay', ...configToArgs(spec.cfg, SMALL_DEFAULTS, false), ...detSpecToArgs(spec)];
  const failures: { seed: number; oracle: string; message: string; scheduleFile: string; replay: string }[] = [];
  // an enumerated schedule is not a seed's: it is rebuilt from the choices the failing run made
  const choices = s.exhaustive ? r.runs.find((x) => x.failed)?.choices : undefined;
  for (const f of r.failures.slice(0, 10)) {
    const replay = choices ? '(enumerated schedule: replay it from its schedule file)' : [...base, '--seed', String(f.seed)].join(' ');
    const file = await writeSchedule(flags.scheduleDir, choices ? { ...spec, tapePrefix: choices } : spec, f.seed, choices ? 'enumerated' : `seed-${f.seed}`);
    failures.push({ seed: f.seed, oracle: f.violation.oracle, message: f.violation.message, scheduleFile: file, replay });
    console.log(`\nFAIL ${choices ? 'enumerated schedule' : `seed ${f.seed}`}: ${f.violation.oracle} on ${f.violation.thread}: ${f.violation.message.split('\n')[0]}`);
    console.log(`  replay: ${replay}`);
    console.log(`  schedule: ${file}  (npx faultline replay --schedule ${file})`);
  }
  if (r.failures.length > 10) console.log(`\n… and ${r.failures.length - 10} more failing seeds (all listed in --json)`);
  const cycle = r.profile
    ? emitProfile(flags, r.profile, { title: 'faultline explore', config: spec.cfg, summary: [`${r.schedules} schedules, ${r.failedSchedules} failing; times in logical steps`], threadNames: [] })
    : false;
  if (cycle && flags.lockdep) console.log('\nlockdep: a lock-order cycle was found (see above): exit 1');
  if (flags.json) {
    const all = r.failures.map((f) => failures.find((x) => x.seed === f.seed) ?? { seed: f.seed, oracle: f.violation.oracle, message: f.violation.message, scheduleFile: null });
    writeFileSync(flags.json, JSON.stringify({
      schedules: r.schedules, schedulesPerSec: r.schedulesPerSec, seconds: r.seconds, strategy: spec.strategy, config: spec.cfg,
      exhausted: r.exhausted, failures: all, errors: r.errors,
      ...(r.profile ? { lockstat: r.profile.lockstat, profile: { unit: r.profile.unit, lockstat: r.profile.lockstat, contentions: r.profile.contentions, lockOrder: r.profile.lockOrder } } : {}),
    }, null, 2) + '\n');
  }
  if (r.errors.length > 0 || r.failures.length > 0 || (cycle && flags.lockdep)) return EXIT_VIOLATION;
  return EXIT_CLEAN;
}

async function writeSchedule(dir: string, spec: DetRunSpec, seed: number, name: string): Promise<string> {
  const run = await tracedRun(spec, seed);
  const file = join(dir, `${name}.schedule.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(scheduleFileOf(spec, run), null, 1) + '\n');
  } catch (e) {
    throw new UsageError(`cannot write schedule file ${file}: ${(e as Error).message}`);
  }
  return file;
}
