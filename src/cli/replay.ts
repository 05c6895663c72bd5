// `faultline replay`: rerun one deterministic schedule exactly (by seed, or from a schedule file)
// and print the interleaving around the violation.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { closeDetPool } from '../harness/explore.js';
import { tracedRun, type TracedRun } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { makeConfig } from '../config.js';
import { checkStrategy } from '../sched/strategies/index.js';
import { readScheduleFile, ScheduleFileError } from '../sched/schedule_file.js';
import { renderInterleaving, traceRows } from '../report/interleaving.js';
import { L_EXIT } from '../sched/det.js';
import { TRACE_STRIDE } from '../sched/det_layout.js';
import { addDetOptions, detSpecFromFlags, type DetFlags } from './det_options.js';
import { intArg } from './options.js';
import { EXIT_CLEAN, EXIT_VIOLATION, UsageError } from './errors.js';
import { threadName } from '../harness/lockdump.js';
import { addProfileOptions, emitProfile, profileOptionsFrom, type ProfileFlags } from './profile_options.js';

interface ReplayFlags extends DetFlags, ProfileFlags {
  schedule?: string;
  window: number;
  json?: string;
}

export function replayCommand(): Command {
  const cmd = new Command('replay')
    .description('rerun one deterministic schedule exactly and show its interleaving')
    .option('--schedule <file>', 'a schedule file written by explore (its config and strategy win over flags)')
    .option('--window <n>', 'steps of interleaving to show before the violation', intArg, 40)
    .option('--json <file>', 'write the run (trace hash, violation, shown steps) as JSON');
  addDetOptions(cmd);
  addProfileOptions(cmd, true);
  return cmd.action(async (flags: ReplayFlags, command: Command) => {
    if (flags.schedule === undefined && command.getOptionValueSource('seed') !== 'cli') throw new UsageError('replay needs --seed S or --schedule FILE');
    process.exitCode = await run(flags);
  });
}

function specFromSchedule(path: string): { spec: DetRunSpec; seed: number } {
  let f;
  try {
    f = readScheduleFile(path);
  } catch (e) {
    if (e instanceof ScheduleFileError) throw new UsageError(e.message);
    throw e;
  }
  const cfg = (() => {
    try {
      return makeConfig(f.config);
    } catch (e) {
      throw new UsageError(`malformed schedule file ${path}: ${(e as Error).message}`);
    }
  })();
  const strategy = { ...f.strategy, exhaustive: false, decisions: f.decisions };
  const bad = checkStrategy(strategy);
  if (bad !== null) throw new UsageError(`malformed schedule file ${path}: ${bad}`);
  return { spec: { cfg, strategy, maxSteps: f.maxSteps, moves: f.moves, trace: true, tapeCapacity: 0 }, seed: f.seed };
}

async function run(flags: ReplayFlags): Promise<number> {
  const base = flags.schedule !== undefined ? specFromSchedule(flags.schedule) : { spec: detSpecFromFlags(flags), seed: flags.seed >>> 0 };
  const profile = profileOptionsFrom(flags);
  const spec: DetRunSpec = { ...base.spec, ...(profile ? { profile } : {}) };
  const seed = base.seed;
  let r: TracedRun;
  try {
    r = await tracedRun(spec, seed);
  } finally {
    await closeDetPool();
  }
  const cfg = spec.cfg;
  console.log(`faultline replay: seed ${seed}, ${spec.strategy.decisions ? `schedule ${flags.schedule} (${spec.strategy.decisions.length} decisions)` : `strategy ${spec.strategy.name}`}`);
  console.log(`  ${r.steps} steps, ${r.switches} switches, trace hash ${r.traceHash}`);
  if (r.replay) {
    const { used, total, divergedAt } = r.replay;
    if (divergedAt >= 0) console.log(`  the schedule DIVERGED at decision ${divergedAt} of ${total}: the code no longer reaches that point the same way; the run went on with the first runnable thread`);
    else if (used < total) console.log(`  ${total - used} of ${total} decisions were never reached: the run ended earlier than the recorded one`);
    else console.log(`  followed all ${total} decisions`);
  }
  for (const e of r.errors) console.log(`  error: ${e}`);
  // the window ends where the violating thread exited (its last step is the failing one)
  let end = r.traceLen;
  if (r.violation) {
    for (let i = r.traceLen - 1; i >= 0; i--) {
      const at = r.traceBase + i * TRACE_STRIDE;
      if (r.sched[at] === r.violation.cpu && r.sched[at + 1] === L_EXIT) {
        end = i + 1;
        break;
      }
    }
  }
  const rows = traceRows(cfg, r.sched, r.traceBase, end - flags.window, end);
  console.log('');
  console.log(renderInterleaving(cfg, rows));
  if (r.violation) {
    console.log(`\nVIOLATION ${r.violation.oracle} on ${r.violation.thread ?? threadName(cfg, r.violation.cpu)}:\n  ${r.violation.message.split('\n').join('\n  ')}`);
  } else {
    console.log('\nno violation');
  }
  const cycle = r.profile
    ? emitProfile(flags, r.profile, { title: `faultline replay seed ${seed}`, config: cfg, summary: [`${r.steps} steps, ${r.switches} switches, trace hash ${r.traceHash}; times in logical steps`], threadNames: Array.from({ length: cfg.cpus + cfg.migrators }, (_, t) => threadName(cfg, t)) })
    : false;
  if (flags.json) {
    writeFileSync(flags.json, JSON.stringify({
      seed, traceHash: r.traceHash, steps: r.steps, switches: r.switches, violation: r.violation, replay: r.replay ?? null, rows,
      ...(r.profile ? { lockstat: r.profile.lockstat, profile: { unit: r.profile.unit, lockstat: r.profile.lockstat, contentions: r.profile.contentions, lockOrder: r.profile.lockOrder } } : {}),
    }, null, 1) + '\n');
  }
  if (cycle && flags.lockdep) return EXIT_VIOLATION;
  return r.violation || r.errors.length ? EXIT_VIOLATION : EXIT_CLEAN;
}
