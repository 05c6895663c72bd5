// Shrinking a failing schedule to fewer preemptions, then fewer context switches (issue 12's first
// piece). A candidate drops one recorded switch, or two in a row (the thread goes on where the
// file handed over), and replays; it is kept when the same oracle still fires and the run needed
// fewer preemptions, or as many and fewer switches; that run's own trace becomes the schedule
// (dropping a switch may move the ones after it). Greedy, last switch first, singles then pairs,
// pass after pass until a pass keeps nothing or the budget of runs is spent. The result depends
// on the file and the budget only.
import type { ScheduleFile } from '../sched/schedule_file.js';
import type { DetRunSpec } from './det_group.js';
import { scheduleFileOf, tracedRun, type TracedRun } from './det_run.js';

export interface ShrinkResult {
  file: ScheduleFile;
  /** the shrunk run's preemptions (switches: file.decisions.length) */
  preemptions: number;
  /** replays spent */
  runs: number;
}

/** `file` must record a violation, `spec` be the file's own (loadSchedule; each candidate replays its own decisions),
 * and `first` the file's own replay; `dir` is where the result will be written. */
export async function shrinkSchedule(spec: DetRunSpec, file: ScheduleFile, first: TracedRun, budget: number, dir: string, onRun?: (runs: number, switches: number) => void): Promise<ShrinkResult> {
  const oracle = file.violation?.oracle;
  let cur = file;
  let preemptions = first.preemptions;
  let runs = 0;
  // drop `span` consecutive switches at i: a switch and the one that hands the token back often
  // only go together
  const attempt = async (i: number, span: number): Promise<boolean> => {
    const decisions = cur.decisions.filter((_, j) => j < i || j >= i + span);
    const r = await tracedRun({ ...spec, strategy: { name: 'replay', decisions, recorded: cur.strategy } }, cur.seed);
    runs++;
    onRun?.(runs, cur.decisions.length);
    if (r.violation?.oracle !== oracle || r.traceTruncated) return false;
    const next = scheduleFileOf(spec, r, dir);
    const fewer = r.preemptions < preemptions || (r.preemptions === preemptions && next.decisions.length < cur.decisions.length);
    if (!fewer) return false;
    cur = next;
    preemptions = r.preemptions;
    return true;
  };
  for (let kept = true; kept && runs < budget; ) {
    kept = false;
    for (const span of [1, 2]) {
      for (let i = cur.decisions.length - span; i >= 0 && runs < budget; i--) {
        if (await attempt(i, span)) {
          kept = true;
          i = Math.min(i, cur.decisions.length - span + 1);
        }
      }
    }
  }
  return { file: cur, preemptions, runs };
}
