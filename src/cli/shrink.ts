// `faultline shrink FILE`: the same failure with fewer preemptions and context switches. The file
// is replayed first (it must reproduce, exit 4 if not), then shrunk (harness/shrink.ts) and the
// result written next to it; exit 1, as for a replay that reproduced its failure.
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { closeDetPool } from '../harness/explore.js';
import { tracedRun } from '../harness/det_run.js';
import { shrinkSchedule } from '../harness/shrink.js';
import { GROUP, intIn } from './options.js';
import { EXIT_NOT_REPRODUCED, UsageError } from './errors.js';
import { checkOutputFile, OutputLog } from './outputs.js';
import { finish } from './finish.js';
import { loadSchedule } from './schedule_load.js';
import { verifyReplay } from './replay_verdict.js';
import type { ScheduleFile } from '../sched/schedule_file.js';

interface ShrinkFlags {
  shrinkBudget: number;
  out?: string;
}

export function shrinkCommand(): Command {
  return new Command('shrink')
    .description('shrink a failing schedule file to fewer preemptions and context switches, keeping its violation; writes the shrunk file next to it')
    .argument('<file>', 'a schedule file that records a violation (written by explore)')
    .addOption(new Option('--shrink-budget <n>', 'replays to spend at most').argParser(intIn(1, 1_000_000)).default(300).helpGroup(GROUP.run))
    .addOption(new Option('--out <file>', 'where to write the shrunk schedule (default: FILE with .shrunk before .schedule.json)').helpGroup(GROUP.output))
    .action(async (file: string, flags: ShrinkFlags) => {
      process.exitCode = await run(file, flags);
    });
}

/** x.schedule.json → x.shrunk.schedule.json */
export function shrunkPath(file: string): string {
  return file.endsWith('.schedule.json') ? `${file.slice(0, -'.schedule.json'.length)}.shrunk.schedule.json` : `${file}.shrunk.schedule.json`;
}

/** What shrinking a schedule file did: the shrunk file and the counts before → after. */
export interface ShrinkSummary {
  scheduleFile: string;
  /** the shrunk schedule's trace hash: two shrinks that ended at the same interleaving share it */
  traceHash: string;
  preemptions: { before: number; after: number };
  switches: { before: number; after: number };
  steps: { before: number; after: number };
  replays: number;
  /** the machine made smaller with the schedule: `ops 30 → 4`, … (none for a user test) */
  workload: string[];
  /** every schedule with at most this many preemptions on the shrunk workload was run: none failed */
  noneWith?: number;
}

/** Replays the failing schedule file at `path` (it must reproduce) and shrinks it; the caller
 * writes `file` to `outPath`. */
export async function shrinkScheduleFile(path: string, budget: number, outPath: string, onRun?: (runs: number, switches: number) => void): Promise<{ summary: ShrinkSummary; file: ScheduleFile } | { notReproduced: string }> {
  const { file, spec } = await loadSchedule(path);
  if (file.violation === null) throw new UsageError(`nothing to shrink: ${path} records a clean run`);
  const before = await tracedRun(spec, file.seed);
  const verdict = verifyReplay(file, before);
  if (!verdict.reproduced) return { notReproduced: verdict.line };
  const r = await shrinkSchedule(spec, file, before, budget, dirname(outPath), onRun);
  return {
    file: r.file,
    summary: {
      scheduleFile: outPath, traceHash: r.file.traceHash, replays: r.runs,
      preemptions: { before: before.preemptions, after: r.preemptions },
      switches: { before: file.decisions.length, after: r.file.decisions.length },
      steps: { before: file.steps, after: r.file.steps },
      workload: r.workload,
      ...(r.noneWith !== undefined ? { noneWith: r.noneWith } : {}),
    },
  };
}

/** One line: `preemptions 3 → 1, switches 40 → 6, steps 812 → 790, ops 30 → 4`, and whether
 * fewer preemptions were ruled out. */
export function shrinkLine(s: ShrinkSummary): string {
  const proof = s.noneWith === undefined ? []
    : s.noneWith === s.preemptions.after - 1 ? [`fewest: no schedule of this workload with fewer preemptions fails`]
      : [`no schedule of this workload with at most ${s.noneWith} fails`];
  return [`preemptions ${s.preemptions.before} → ${s.preemptions.after}, switches ${s.switches.before} → ${s.switches.after}, steps ${s.steps.before} → ${s.steps.after}`, ...s.workload, ...proof].join(', ');
}

async function run(path: string, flags: ShrinkFlags): Promise<number> {
  const outPath = flags.out ?? shrunkPath(path);
  checkOutputFile('--out', outPath);
  let r;
  try {
    r = await shrinkScheduleFile(path, flags.shrinkBudget, outPath, (runs, switches) => {
      if (runs % 50 === 0) console.error(`shrink: ${runs}/${flags.shrinkBudget} replays, ${switches} switches`);
    });
  } finally {
    await closeDetPool();
  }
  if ('notReproduced' in r) {
    console.log(`faultline shrink: ${path} ${r.notReproduced}`);
    return EXIT_NOT_REPRODUCED;
  }
  const out = new OutputLog();
  out.write('--out', outPath, JSON.stringify(r.file, null, 1) + '\n');
  console.log(`faultline shrink: ${r.file.violation!.oracle} kept in ${r.summary.replays} replays`);
  console.log(`  ${shrinkLine(r.summary)}`);
  // the shrunk file is the result: without it there is nothing to replay (exit 2, said by finish)
  if (out.failed.length === 0) console.log(`  shrunk: npx faultline replay --schedule ${outPath}`);
  return finish({ violation: out.failed.length === 0 }, out);
}
