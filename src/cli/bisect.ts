// `faultline bisect FILE`: the point of no return of a failing schedule (harness/bisect.ts): the
// switch after which every random future fails, and the steps before it that made it so. The file
// is replayed first (it must reproduce: exit 4 if not); exit 1 as for a replay that reproduced.
import { Command, Option } from 'commander';
import { closeDetPool } from '../harness/explore.js';
import { tracedRun, type TracedRun } from '../harness/det_run.js';
import { bisectSchedule, switchSteps, type BisectResult, type PrefixRate } from '../harness/bisect.js';
import { threadNamesOf } from '../harness/program.js';
import { programOf } from '../harness/programs.js';
import { anchorOf, renderInterleaving, traceRows, type TraceRow } from '../report/interleaving.js';
import { GROUP, intIn, numIn } from './options.js';
import { EXIT_NOT_REPRODUCED, UsageError } from './errors.js';
import { checkOutputFile, interleavingWidth, OutputLog } from './outputs.js';
import { stamped } from './json_outputs.js';
import { finish } from './finish.js';
import { loadSchedule } from './schedule_load.js';
import { verifyReplay } from './replay_verdict.js';

interface BisectFlags {
  continuations: number;
  switchProbability: number;
  window: number;
  json?: string;
}

export function bisectCommand(): Command {
  return new Command('bisect')
    .description('find the point of no return of a failing schedule file: the switch after which every random continuation fails')
    .argument('<file>', 'a schedule file that records a violation (written by explore or shrink)')
    .addOption(new Option('--continuations <n>', 'random continuations tried after each prefix').argParser(intIn(1, 10_000)).default(20).helpGroup(GROUP.run))
    .addOption(new Option('--switch-probability <p>', "the continuations' chance of a switch at each point").argParser(numIn(0, 1, true)).default(0.05).helpGroup(GROUP.run))
    .addOption(new Option('--window <n>', 'steps to show up to the point of no return').argParser(intIn(1, 1_000_000)).default(20).helpGroup(GROUP.output))
    .addOption(new Option('--json <file>', "write the result as JSON ('-': standard output)").helpGroup(GROUP.output))
    .action(async (file: string, flags: BisectFlags) => {
      process.exitCode = await run(file, flags);
    });
}

async function run(path: string, flags: BisectFlags): Promise<number> {
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  const { file, spec } = await loadSchedule(path);
  if (file.violation === null) throw new UsageError(`nothing to bisect: ${path} records a clean run`);
  let first: TracedRun;
  let result: BisectResult;
  try {
    first = await tracedRun(spec, file.seed);
    const verdict = verifyReplay(file, first);
    if (!verdict.reproduced) {
      console.log(`faultline bisect: ${path} ${verdict.line}`);
      return EXIT_NOT_REPRODUCED;
    }
    result = await bisectSchedule(spec, file, {
      continuations: flags.continuations, switchProbability: flags.switchProbability,
      onRun: (runs) => {
        if (runs % 100 === 0) console.error(`bisect: ${runs} runs`);
      },
    });
  } finally {
    await closeDetPool();
  }
  const program = programOf(spec);
  const names = threadNamesOf(program);
  const oracle = file.violation.oracle;
  const switches = file.decisions.length;
  const at = switchSteps(first.sched, first.traceBase, first.traceLen);
  console.log(`faultline bisect: ${path}: ${oracle}, ${switches} switches, ${first.steps} steps; ${flags.continuations} random continuations (p=${flags.switchProbability}) per prefix, ${result.runs} runs`);
  const rate = (r: PrefixRate): string => `after ${r.prefix} of the ${switches} switches, ${r.failed} of ${r.of} continuations failed with ${oracle}`;
  for (const r of result.rates) console.log(`  ${rate(r)}`);
  let step: number | null = null;
  let rows: TraceRow[] = [];
  let anchored: TraceRow[] = [];
  if (result.prefix === null) {
    console.log('  no point of no return: even after every recorded switch some continuations escape the failure (the steps after the last switch matter too)');
  } else if (result.prefix === 0) {
    console.log('  the point of no return is the start: every continuation fails, whatever the schedule (the workload alone fails)');
  } else {
    const j = result.prefix - 1;
    const d = file.decisions[j]!;
    step = at[j] ?? null;
    console.log(`  the point of no return: switch ${result.prefix} of ${switches}, ${names[d.thread]} → ${names[d.to]} at ${d.label} (#${d.occurrence})${step !== null ? `, after step ${step}` : ''}`);
    if (step !== null) {
      rows = traceRows(program, first, step + 1 - flags.window, step + 1);
      console.log(`\nthe last ${rows.length} steps up to it:\n${renderInterleaving(names, rows, interleavingWidth(names.length))}`);
      const anchor = anchorOf(program, first, flags.window, step + 1);
      if (anchor) {
        anchored = anchor.rows;
        console.log(`\nthe steps before it that touched ${anchor.what.join(', ')}:\n${renderInterleaving(names, anchored, interleavingWidth(names.length))}`);
      }
    }
  }
  const out = new OutputLog();
  if (flags.json !== undefined) {
    out.write('--json', flags.json, JSON.stringify(stamped('bisect', flags.json, {
      command: 'bisect', schedule: path, oracle, switches, steps: first.steps, continuations: flags.continuations, switchProbability: flags.switchProbability,
      prefix: result.prefix, step, decision: result.prefix ? file.decisions[result.prefix - 1] : null, rates: result.rates, runs: result.runs, rows, anchored,
    }), null, 1) + '\n');
  }
  return finish({ violation: true }, out);
}
