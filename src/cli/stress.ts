// `faultline stress`: the machine on real threads for a while, with a live line and a summary.
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { addMachineOptions, configFromFlags, configToArgs, GROUP, intIn, numIn, type MachineFlags } from './options.js';
import { describeCrash, loadingModules } from './errors.js';
import { loadMachineModules } from '../harness/programs.js';
import { checkTestFlags, SMALL_DEFAULTS } from './det_options.js';
import { stressTest } from './stress_test.js';
import { addScenarioOption } from './scenario_option.js';
import { addProfileOptions, checkProfileOutputs, printProfile, profileJson, profileOptionsFrom, writeProfile, type ProfileFlags } from './profile_options.js';
import { checkOutputFile, OutputLog } from './outputs.js';
import { stamped } from './json_outputs.js';
import { onInterrupt, interrupted } from './interrupt.js';
import { finish } from './finish.js';
import { threadNames } from '../harness/lockdump.js';
import { CONFIG_RANGES, DEFAULT_CONFIG, type Config } from '../config.js';
import { closePool, runStress, type StressResult } from '../harness/stress.js';
import { formatProgress, formatSummary } from '../report/summary.js';

const DEFAULT_WATCHDOG = 10;

interface StressFlags extends MachineFlags, ProfileFlags {
  test?: string;
  warmup?: number;
  json?: string;
  watchdog: number;
  quiet?: boolean;
}


export function stressCommand(): Command {
  const cmd = new Command('stress')
    .description('run CPUs and migrators as real parallel threads; report throughput, latency and violations')
    .addOption(new Option('--seconds <s>', 'how long to run (default 10 unless --ops is given)').argParser(numIn(0, CONFIG_RANGES.seconds[1], true)).conflicts('ops').helpGroup(GROUP.run))
    .addOption(new Option('--ops <n>', 'operations per CPU instead of a duration').argParser(intIn(1, CONFIG_RANGES.ops[1])).helpGroup(GROUP.run))
    .addOption(new Option('--warmup <s>', 'seconds run first and left out of the rates, counts and latencies (default: a tenth of --seconds, at most 1)').argParser(numIn(0, 3600)).conflicts('ops').helpGroup(GROUP.run))
    .addOption(new Option('--test <file>', 'run a user test module (export default defineTest({...})) again and again on real threads instead of the machine').helpGroup(GROUP.run))
    .addOption(new Option('--watchdog <s>', 'declare a hang when a thread makes no progress this long').argParser(numIn(1, 3600)).default(DEFAULT_WATCHDOG).helpGroup(GROUP.run))
    .addOption(new Option('--json <file>', "write the result as JSON ('-': standard output, the summary then goes to stderr)").helpGroup(GROUP.output))
    .addOption(new Option('--quiet', 'no live progress line').helpGroup(GROUP.output));
  addMachineOptions(cmd, DEFAULT_CONFIG, { seed: true, free: true });
  addProfileOptions(cmd, { trace: true, wallClock: true });
  addScenarioOption(cmd);
  return cmd.action(async (flags: StressFlags, command: Command) => {
    checkTestFlags(command, ['noise', 'strictWaits', 'seed']);
    process.exitCode = flags.test !== undefined ? await stressTest(flags, flags.test) : await stress(flags);
  });
}

async function stress(flags: StressFlags): Promise<number> {
  const cfg = configFromFlags(flags);
  await loadingModules(loadMachineModules(cfg));
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  checkProfileOutputs(flags);
  const profile = profileOptionsFrom(flags);
  const live = !flags.quiet && process.stderr.isTTY;
  let prev = { elapsed: 0, faults: 0, migrations: 0, shootdowns: 0 };
  let lastPrint = 0;
  const abort = new AbortController();
  const unregister = onInterrupt(() => abort.abort());
  let result: StressResult;
  try {
    result = await runStress(cfg, {
      warmupSeconds: flags.warmup ?? Math.min(1, cfg.seconds / 10),
      watchdogMs: flags.watchdog * 1000,
      abort: abort.signal,
      ...(profile ? { profile } : {}),
      onProgress: (p) => {
        const now = p.elapsed;
        if (!flags.quiet && !live && now - lastPrint < 2) return;
        const dt = now - prev.elapsed;
        const line = formatProgress(dt, p.totals.faults - prev.faults, p.totals.migrations - prev.migrations, p.totals.shootdowns - prev.shootdowns, p.violations);
        if (live) process.stderr.write(`\r\x1b[2K${now.toFixed(1)} s | ${line.replace(/^\S+ s +/, '')}`);
        else if (!flags.quiet) process.stderr.write(`${now.toFixed(1)} s | ${line.replace(/^\S+ s +/, '')}\n`);
        prev = { elapsed: now, faults: p.totals.faults, migrations: p.totals.migrations, shootdowns: p.totals.shootdowns };
        lastPrint = now;
      },
    });
  } finally {
    unregister();
    await closePool();
  }
  if (live) process.stderr.write('\r\x1b[2K');
  const summary = formatSummary(result);
  if (interrupted()) console.log(`interrupted by ${interrupted()} after ${result.seconds.toFixed(2)} s: the summary covers what ran`);
  console.log(summary);
  const busy = oversubscribed(cfg);
  if (busy) console.log(busy);
  const cycle = result.profile ? printProfile(flags, result.profile) : false;
  const rerun = `npx faultline stress ${[...configToArgs(cfg, DEFAULT_CONFIG, { seed: true, runKeys: true, free: true }), ...(flags.watchdog !== DEFAULT_WATCHDOG ? ['--watchdog', String(flags.watchdog)] : [])].join(' ')}`;
  const out = new OutputLog();
  if (flags.json !== undefined) out.write('--json', flags.json, JSON.stringify(stamped('stress', flags.json, jsonOf(result, rerun)), null, 2) + '\n');
  const first = result.violations[0];
  if (result.profile) {
    const verdict = first || result.crash || (cycle && flags.lockdep) ? 'fail' : 'pass';
    const violation = first ?? (result.crash ? { oracle: 'crash', thread: result.crash.thread, message: describeCrash(result.crash.error) } : undefined);
    writeProfile(flags, result.profile, { title: 'faultline stress', config: cfg, summary: summary.split('\n'), threadNames: threadNames(cfg), verdict, command: rerun, ...(violation ? { violation } : {}) }, out);
  }
  if (cycle && flags.lockdep) console.log('\nlockdep: a lock-order cycle was found (see above): exit 1');
  if (result.crash) {
    console.log(`\nfaultline failed: worker ${result.crash.thread} crashed (a bug in faultline, not a violation): ${describeCrash(result.crash.error)}`);
    console.log(`seed ${cfg.seed}; run it again with:\n  ${rerun} --debug`);
  } else if (first) {
    console.log(`\nVIOLATION ${first.oracle} on ${first.thread} at step ${first.step}: ${first.message}`);
    console.log(`seed ${cfg.seed}; run it again with:\n  ${rerun}`);
    console.log('free-running interleavings differ run to run: the seed fixes the workload, not the timing.');
    console.log(`to get it back deterministically, search schedules of the same workload:\n  ${exploreHint(cfg)}`);
  } else if (!interrupted()) {
    console.log(nextSteps());
  }
  return finish({ violation: first !== undefined || (cycle && flags.lockdep === true), internal: result.crash !== undefined }, out);
}

/** The deterministic search of a stress workload: explore's own flags only. */
export function exploreHint(cfg: Config): string {
  return `npx faultline explore --seeds ${cfg.seed}..${Math.min(cfg.seed + 999, CONFIG_RANGES.seed[1])} ${configToArgs(cfg, SMALL_DEFAULTS, { seed: false, runKeys: false, free: false }).join(' ')} --stop-on-first`;
}

function oversubscribed(cfg: Config): string | null {
  const threads = cfg.cpus + cfg.migrators;
  const cores = availableParallelism();
  if (threads <= cores) return null;
  return `note: ${threads} threads on ${cores} cores: the latency percentiles say more about the host's scheduler than about the model (fewer --cpus for latency figures)`;
}

function nextSteps(): string {
  return '\nnext: `npx faultline stress --bug no-tlb-flush` (a race caught), `--lockstat` (lock contention), `npx faultline explore` (schedules, deterministically)';
}

function jsonOf(r: StressResult, rerun: string): object {
  return {
    command: 'stress',
    interrupted: interrupted(),
    rerun,
    seed: r.seed,
    config: r.config,
    seconds: r.seconds,
    warmupSeconds: r.warmupSeconds,
    wallSeconds: r.wallSeconds,
    perThread: r.perThread,
    faults: r.faults,
    migrations: r.migrations,
    shootdowns: r.shootdowns,
    ipis: r.ipis,
    accesses: r.accesses,
    faultsPerSec: r.faultsPerSec,
    migrationsPerSec: r.migrationsPerSec,
    shootdownsPerSec: r.shootdownsPerSec,
    accessesPerSec: r.accessesPerSec,
    latencyNs: r.latencyNs,
    totals: r.totals,
    violations: r.violations,
    ...(r.profile ? profileJson(r.profile) : {}),
    ...(r.crash ? { crash: r.crash } : {}),
    ...(r.hang ? { hang: r.hang } : {}),
  };
}
