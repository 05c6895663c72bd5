// `faultline stress`: the machine on real threads for a while, with a live line and a summary.
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { addMachineOptions, configFromFlags, configToArgs, floatArg, intArg, type MachineFlags } from './options.js';
import { EXIT_CLEAN, EXIT_VIOLATION, UsageError } from './errors.js';
import { SMALL_DEFAULTS } from './det_options.js';
import { addProfileOptions, emitProfile, profileOptionsFrom, type ProfileFlags } from './profile_options.js';
import { threadName } from '../harness/lockdump.js';
import type { Config } from '../config.js';

function threadNames(cfg: Config): string[] {
  return Array.from({ length: cfg.cpus + cfg.migrators }, (_, t) => threadName(cfg, t));
}
import { closePool, runStress, type StressResult } from '../harness/stress.js';
import { formatProgress, formatSummary } from '../report/summary.js';

interface StressFlags extends MachineFlags, ProfileFlags {
  json?: string;
  watchdog: number;
  quiet?: boolean;
}

export function stressCommand(): Command {
  const cmd = new Command('stress')
    .description('run CPUs and migrators as real parallel threads; report throughput, latency and violations')
    .option('--seconds <s>', 'how long to run (default 10 unless --ops is given)', floatArg)
    .option('--ops <n>', 'operations per CPU instead of a duration', intArg)
    .option('--json <file>', 'write the result as JSON')
    .option('--watchdog <s>', 'declare a hang when a thread makes no progress this long', floatArg, 10)
    .option('--quiet', 'no live progress line');
  addMachineOptions(cmd);
  addProfileOptions(cmd, true);
  return cmd.action(async (flags: StressFlags) => {
    process.exitCode = await stress(flags);
  });
}

async function stress(flags: StressFlags): Promise<number> {
  const cfg = configFromFlags(flags);
  if (flags.watchdog <= 0) throw new UsageError('--watchdog must be positive');
  if (flags.json) checkWritable(flags.json);
  const profile = profileOptionsFrom(flags);
  const live = !flags.quiet && process.stderr.isTTY;
  let prev = { elapsed: 0, faults: 0, migrations: 0, shootdowns: 0 };
  let lastPrint = 0;
  let result: StressResult;
  try {
    result = await runStress(cfg, {
      watchdogMs: flags.watchdog * 1000,
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
    await closePool();
  }
  if (live) process.stderr.write('\r\x1b[2K');
  const summary = formatSummary(result);
  console.log(summary);
  const cycle = result.profile
    ? emitProfile(flags, result.profile, { title: 'faultline stress', config: cfg, summary: summary.split('\n'), threadNames: threadNames(cfg) })
    : false;
  if (flags.json) writeJson(flags.json, result);
  if (cycle && flags.lockdep) {
    console.log('\nlockdep: a lock-order cycle was found (see above): exit 1');
    return EXIT_VIOLATION;
  }
  if (result.violations.length === 0 && !result.crash) return EXIT_CLEAN;
  const first = result.violations[0];
  const rerun = `npx faultline stress ${configToArgs(cfg).join(' ')}`;
  if (result.crash) console.log(`\nworker crashed: ${result.crash.thread} (cpu ${result.crash.cpu}), seed ${cfg.seed}\n${result.crash.error}`);
  if (first) console.log(`\nVIOLATION ${first.oracle} on ${first.thread} at step ${first.step}: ${first.message}`);
  console.log(`seed ${cfg.seed}; run it again with:\n  ${rerun}`);
  console.log('free-running interleavings differ run to run: the seed fixes the workload, not the timing.');
  console.log(`to get it back deterministically, search schedules of the same workload:\n  npx faultline explore --seeds ${cfg.seed}..${cfg.seed + 999} ${configToArgs(cfg, SMALL_DEFAULTS, false).join(' ')} --stop-on-first`);
  return EXIT_VIOLATION;
}

function checkWritable(file: string): void {
  try {
    accessSync(dirname(resolve(file)), constants.W_OK);
  } catch {
    throw new UsageError(`cannot write --json file ${file}: its directory is missing or read-only`);
  }
}

function writeJson(file: string, r: StressResult): void {
  const out = {
    seed: r.seed,
    config: r.config,
    seconds: r.seconds,
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
    ...(r.profile ? { lockstat: r.profile.lockstat, profile: { unit: r.profile.unit, lockstat: r.profile.lockstat, contentions: r.profile.contentions, lockOrder: r.profile.lockOrder } } : {}),
    ...(r.crash ? { crash: r.crash } : {}),
    ...(r.hang ? { hang: r.hang } : {}),
  };
  try {
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  } catch (e) {
    throw new UsageError(`cannot write --json file: ${(e as Error).message}`);
  }
}
