// `faultline replay`: rerun one deterministic schedule exactly (by seed, or from a schedule file),
// print the interleaving around the violation, and, for a schedule file, say whether the run
// reproduced what the file recorded.
import { Command, Option } from 'commander';
import { closeDetPool } from '../harness/explore.js';
import { tracedRun, type TracedRun } from '../harness/det_run.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { anchorOf, explainOf, renderInterleaving, traceRows, windowEnd } from '../report/interleaving.js';
import { addDetOptions, checkStrategyFlags, checkTestFlags, detSpecFromFlags, loadModulesOf, replayLine, type DetFlags } from './det_options.js';
import { GROUP, intIn } from './options.js';
import { describeCrash, UsageError } from './errors.js';
import { programOf } from '../harness/programs.js';
import { threadNamesOf } from '../harness/program.js';
import { addProfileOptions, checkProfileOutputs, printProfile, profileJson, profileOptionsFrom, writeProfile, type ProfileFlags } from './profile_options.js';
import { checkOutputFile, interleavingWidth, OutputLog } from './outputs.js';
import { stamped } from './json_outputs.js';
import { finish } from './finish.js';
import { loadSchedule } from './schedule_load.js';
import { verifyReplay, type ReplayVerdict } from './replay_verdict.js';
import { searchOf } from '../sched/strategies/index.js';
import { addScenarioOption } from './scenario_option.js';

interface ReplayFlags extends DetFlags, ProfileFlags {
  schedule?: string;
  window: number;
  explain?: boolean;
  json?: string;
}

/** What a schedule file fixes; every other flag of replay may go with --schedule. */
const WITH_SCHEDULE = new Set(['schedule', 'window', 'explain', 'json', 'lockstat', 'lockdep', 'lockstatBy', 'lockstatSort', 'lockstatCsv', 'report', 'trace', 'traceCap']);

export function replayCommand(): Command {
  const cmd = new Command('replay')
    .description('rerun one deterministic schedule exactly and show its interleaving; a schedule file is verified against what it recorded')
    .addOption(new Option('--schedule <file>', 'a schedule file written by explore (it fixes the config, seed and strategy)').helpGroup(GROUP.run))
    .addOption(new Option('--window <n>', 'steps of interleaving to show before the violation').argParser(intIn(1, 1_000_000)).default(40).helpGroup(GROUP.output))
    .addOption(new Option('--explain', 'say in words what the steps that made the violation did (the built-in machine)').helpGroup(GROUP.output))
    .addOption(new Option('--json <file>', "write the run (trace hash, violation, verdict, shown steps) as JSON ('-': standard output)").helpGroup(GROUP.output));
  addDetOptions(cmd, { seed: true });
  addProfileOptions(cmd, { trace: true, wallClock: false });
  addScenarioOption(cmd);
  return cmd.action(async (flags: ReplayFlags, command: Command) => {
    const fromCli = (key: string): boolean => command.getOptionValueSource(key) === 'cli';
    if (flags.schedule !== undefined) {
      const fixed = command.options.find((o) => fromCli(o.attributeName()) && !WITH_SCHEDULE.has(o.attributeName()));
      if (fixed) throw new UsageError(`${fixed.long ?? fixed.flags} cannot be combined with --schedule: the schedule file fixes it`);
    } else {
      if (!fromCli('seed') && command.getOptionValueSource('seed') !== 'config') throw new UsageError('replay needs --seed S (or a scenario with run.seed) or --schedule FILE');
      checkStrategyFlags(flags, (k) => command.getOptionValueSource(k));
      checkTestFlags(command);
    }
    process.exitCode = await run(flags);
  });
}

async function run(flags: ReplayFlags): Promise<number> {
  const loaded = flags.schedule !== undefined ? await loadSchedule(flags.schedule) : null;
  const base = loaded ? { spec: loaded.spec, seed: loaded.file.seed } : { spec: detSpecFromFlags(flags), seed: flags.seed ?? 0 };
  if (!loaded && base.spec.strategy.name === 'cover') throw new UsageError(`a run of --strategy ${base.spec.strategy.name} depends on the schedules explore ran before it: replay it with --schedule FILE`);
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  checkProfileOutputs(flags);
  const profile = profileOptionsFrom(flags);
  const spec: DetRunSpec = { ...base.spec, ...(profile ? { profile } : {}) };
  await loadModulesOf(spec);
  const seed = base.seed;
  let r: TracedRun;
  try {
    r = await tracedRun(spec, seed);
  } finally {
    await closeDetPool();
  }
  const cfg = spec.cfg;
  const program = programOf(spec);
  const names = threadNamesOf(program);
  console.log(`faultline replay: seed ${seed}, ${loaded ? `schedule ${flags.schedule} (${loaded.file.decisions.length} decisions)` : `strategy ${spec.strategy.name}`}`);
  console.log(`  ${r.steps} steps, ${r.switches} switches, trace hash ${r.traceHash}`);
  for (const e of r.errors) console.log(`  faultline failed: ${describeCrash(e)}`);
  if (r.traceTruncated) console.log(`  the trace holds the first ${r.traceLen} of ${r.steps} steps: the interleaving shown stops there`);
  const rows = traceRows(program, r, windowEnd(r) - flags.window, windowEnd(r));
  console.log('');
  const width = interleavingWidth(names.length);
  console.log(renderInterleaving(names, rows, width));
  const anchor = anchorOf(program, r, flags.window);
  const explanation = explainOf(program, r);
  if (r.violation) {
    console.log(`\nVIOLATION ${r.violation.oracle} on ${r.violation.thread}:\n  ${r.violation.message.split('\n').join('\n  ')}`);
    if (anchor) console.log(`\nthe last ${anchor.rows.length} steps that touched ${anchor.what.join(', ')}:\n${renderInterleaving(names, anchor.rows, width)}`);
    if (flags.explain) console.log(explanation ? `\nwhat happened (↷: run when the thread resumed after a switch):\n  ${explanation.join('\n  ')}` : `\n--explain: ${r.violation.oracle} names no page or frame to tell the story of (the interleaving above is all there is)`);
  } else {
    console.log('\nno violation');
  }
  const verdict = loaded ? verifyReplay(loaded.file, r) : null;
  if (verdict) console.log(`\n${verdict.line}`);
  const cycle = r.profile ? printProfile(flags, r.profile) : false;
  const out = new OutputLog();
  if (flags.json !== undefined) {
    out.write('--json', flags.json, JSON.stringify(stamped('replay', flags.json, {
      command: 'replay',
      seed, ...(spec.test ? { test: spec.test.file } : { config: cfg }), strategy: searchOf(spec.strategy),
      traceHash: r.traceHash, steps: r.steps, switches: r.switches, violation: r.violation, replay: r.replay ?? null, verdict, rows,
      ...(anchor ? { anchored: { what: anchor.what, rows: anchor.rows } } : {}),
      ...(explanation ? { explain: explanation } : {}),
      ...(r.profile ? profileJson(r.profile) : {}),
    }), null, 1) + '\n');
  }
  if (r.profile) {
    const command = loaded ? `npx faultline replay --schedule ${flags.schedule}` : replayLine(spec, seed);
    writeProfile(flags, r.profile, {
      title: `faultline replay seed ${seed}`, config: spec.test ? { test: spec.test.file } : cfg, summary: [`${r.steps} steps, ${r.switches} switches, trace hash ${r.traceHash}; times in logical steps`, ...(verdict ? [verdict.line] : [])], threadNames: names,
      verdict: r.violation || r.errors.length > 0 || (cycle && flags.lockdep) ? 'fail' : 'pass', command, interleaving: renderInterleaving(names, rows),
      ...(explanation ? { explain: explanation } : {}),
      ...(r.violation ? { violation: { oracle: r.violation.oracle, thread: r.violation.thread, message: r.violation.message } } : {}),
    }, out);
  }
  return finish(outcome(r, verdict, cycle && flags.lockdep === true), out);
}

function outcome(r: TracedRun, verdict: ReplayVerdict | null, cycle: boolean): { violation: boolean; internal: boolean; notReproduced: boolean } {
  return { violation: r.violation !== null || cycle, internal: r.errors.length > 0, notReproduced: verdict !== null && !verdict.reproduced };
}
