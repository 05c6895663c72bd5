// Shrinking a failing schedule (issue 12): fewer preemptions, then fewer context switches, then a
// smaller workload. First the preemptions: delta debugging (ddmin) over the schedule's preemptive
// switches, its other switches (where a thread blocked or ended) kept, finds a subset that still
// fails with the same oracle and from which no single preemption can go (replay takes each
// thread's decisions where that thread reaches them, so a subset still applies). Then the
// switches: a candidate drops a run of recorded switches (half of them, a quarter, …, then one,
// or two in a row: the thread goes on where the file handed over) and replays. Either kind of
// candidate is kept when the same oracle still fires and the run needed fewer preemptions, or as
// many and fewer switches; that run's own trace becomes the schedule (dropping a switch may move
// the ones after it). Greedy, last switch first, long runs, then singles, then pairs, pass
// after pass until a pass keeps nothing. Then, for the built-in machine, a workload candidate
// replays the same decisions on a smaller machine (fewer moves, operations, CPUs, migrators,
// processes, objects, pages; an actor switched off) and is kept when the same oracle fires with
// no more preemptions and switches; after each one kept, the schedule is shrunk again. Last, the
// shrunk workload is enumerated with 0, 1, … preemptions: a schedule the subsets missed, or the
// proof that none with fewer fails. All within one budget of runs (an enumerated schedule counts
// as one); the result depends on the file and the budget only.
import { type Config, ConfigError, makeConfig, PROBABILITY_KEYS } from '../config.js';
import type { ScheduleFile } from '../sched/schedule_file.js';
import type { DetRunSpec } from './det_group.js';
import { scheduleFileOf, tracedRun, type TracedRun } from './det_run.js';
import { explore } from './explore.js';
import { switchSteps } from './bisect.js';
import { TRACE_STRIDE, traceLabel, traceWait } from '../sched/det_layout.js';
import { L_EXIT } from '../sched/det.js';

export interface ShrinkResult {
  file: ScheduleFile;
  /** the shrunk run's preemptions (switches: file.decisions.length) */
  preemptions: number;
  /** replays spent */
  runs: number;
  /** the workload of the shrunk file, where it differs from the original: `ops 30 → 4` */
  workload: string[];
  /** every schedule of the shrunk workload with at most this many preemptions was run and none
   * failed with the oracle (preemption-bounded enumeration): the shrunk file needs more */
  noneWith?: number;
}

/** Choice points an enumeration of the shrunk workload may have. */
const ENUMERATION_TAPE = 100_000;

/** Smaller machines than `cfg`, `moves`: the sizes first, halved then one less, then each actor off. */
function smaller(cfg: Config, moves: number): { cfg: Partial<Config>; moves: number }[] {
  const out: { cfg: Partial<Config>; moves: number }[] = [];
  const fewer = (n: number, min: number): number[] => [...new Set([Math.max(min, Math.floor(n / 2)), n - 1])].filter((m) => m >= min && m < n);
  for (const m of fewer(moves, 0)) out.push({ cfg: {}, moves: m });
  for (const [key, min] of [['ops', 1], ['cpus', 1], ['migrators', 0], ['processes', 1], ['objects', 1], ['pages', 1]] as const) {
    for (const n of fewer(cfg[key], min)) out.push({ cfg: { [key]: n }, moves });
  }
  for (const key of PROBABILITY_KEYS) if (key !== 'noise' && cfg[key] > 0) out.push({ cfg: { [key]: 0 }, moves });
  return out;
}

/** `file` must record a violation, `spec` be the file's own (loadSchedule; each candidate replays
 * its own decisions), and `first` the file's own replay; `dir` is where the result will be written. */
export async function shrinkSchedule(fileSpec: DetRunSpec, file: ScheduleFile, first: TracedRun, budget: number, dir: string, onRun?: (runs: number, switches: number) => void): Promise<ShrinkResult> {
  const oracle = file.violation?.oracle;
  // the machine shrinks with the schedule
  let spec = fileSpec;
  let cur = file;
  let curRun = first;
  let preemptions = first.preemptions;
  let runs = 0;
  const replay = async (s: DetRunSpec, decisions: ScheduleFile['decisions']): Promise<TracedRun | null> => {
    const r = await tracedRun({ ...s, strategy: { name: 'replay', decisions, recorded: cur.strategy } }, cur.seed);
    runs++;
    onRun?.(runs, cur.decisions.length);
    return r.violation?.oracle === oracle && !r.traceTruncated ? r : null;
  };
  // drop `span` consecutive switches at i: a switch and the one that hands the token back often
  // only go together
  /** Adopts the run if it is simpler: fewer preemptions, or as many and fewer switches, or as many
   * of both and fewer steps (the shortest prefix that still fails: a run ends at its violation). */
  const adopt = (r: TracedRun | null): boolean => {
    if (r === null) return false;
    const next = scheduleFileOf(spec, r, dir);
    const switches = next.decisions.length - cur.decisions.length;
    const fewer = r.preemptions < preemptions || (r.preemptions === preemptions && (switches < 0 || (switches === 0 && r.steps < curRun.steps)));
    if (!fewer) return false;
    cur = next;
    curRun = r;
    preemptions = r.preemptions;
    return true;
  };
  const attempt = async (i: number, span: number): Promise<boolean> => adopt(await replay(spec, cur.decisions.filter((_, j) => j < i || j >= i + span)));
  // ddmin over the preemptive switches: a subset that still fails, kept while a smaller one does
  const shrinkPreemptions = async (): Promise<void> => {
    const preemptive = preemptiveSwitches(curRun);
    const kept = cur.decisions.flatMap((_, j) => (preemptive[j] ? [] : [j]));
    const decisions = cur.decisions;
    const fails = async (subset: number[]): Promise<boolean> => {
      const r = await replay(spec, [...kept, ...subset].sort((a, b) => a - b).map((j) => decisions[j]!));
      if (r === null) return false;
      adopt(r);
      return true;
    };
    let set = cur.decisions.flatMap((_, j) => (preemptive[j] ? [j] : []));
    if (set.length === 0 || (runs < budget && (await fails([])))) return;
    for (let n = 2; set.length >= 2 && runs < budget; ) {
      const size = Math.ceil(set.length / n);
      const chunks = Array.from({ length: Math.ceil(set.length / size) }, (_, k) => set.slice(k * size, (k + 1) * size));
      let reduced = false;
      for (const c of chunks) {
        if (runs >= budget) return;
        if (await fails(c)) {
          [set, n, reduced] = [c, 2, true];
          break;
        }
      }
      // with two chunks, a complement is the other chunk: tried already
      for (let k = 0; !reduced && chunks.length > 2 && k < chunks.length; k++) {
        if (runs >= budget) return;
        const rest = chunks.filter((_, x) => x !== k).flat();
        if (await fails(rest)) [set, n, reduced] = [rest, Math.max(n - 1, 2), true];
      }
      if (!reduced) {
        if (n >= set.length) return;
        n = Math.min(2 * n, set.length);
      }
    }
  };
  const shrinkDecisions = async (): Promise<void> => {
    for (let kept = true; kept && runs < budget; ) {
      kept = false;
      // long runs of switches first, as delta debugging does (halves, quarters, … at aligned
      // places: a random walk's dozens of switches mostly go together), then singles and pairs
      // at every place
      for (let span = cur.decisions.length >> 1; span > 2 && runs < budget; span >>= 1) {
        for (let i = cur.decisions.length - span; i >= 0 && runs < budget; i -= span) {
          if (await attempt(i, span)) kept = true;
        }
      }
      for (const span of [1, 2]) {
        for (let i = cur.decisions.length - span; i >= 0 && runs < budget; i--) {
          if (await attempt(i, span)) {
            kept = true;
            i = Math.min(i, cur.decisions.length - span + 1);
          }
        }
      }
    }
  };
  await shrinkPreemptions();
  await shrinkDecisions();
  // a user test's workload is the user's own code: only the machine's is shrunk
  for (let kept = spec.test === undefined; kept && runs < budget; ) {
    kept = false;
    for (const c of smaller(spec.cfg, spec.moves)) {
      if (runs >= budget) break;
      let cfg: Config;
      try {
        cfg = makeConfig({ ...spec.cfg, ...c.cfg });
      } catch (e) {
        if (e instanceof ConfigError) continue;
        throw e;
      }
      const next = { ...spec, cfg, moves: c.moves };
      const r = await replay(next, cur.decisions);
      if (r === null) continue;
      // preemptions, then switches, come before the workload: a smaller machine that needs more
      // of either is not simpler
      const file = scheduleFileOf(next, r, dir);
      if (r.preemptions > preemptions || (r.preemptions === preemptions && file.decisions.length > cur.decisions.length)) continue;
      spec = next;
      cur = file;
      curRun = r;
      preemptions = r.preemptions;
      kept = true;
      await shrinkPreemptions();
      await shrinkDecisions();
      break;
    }
  }
  // last, on the shrunk workload, every schedule with fewer preemptions, fewest first (CHESS's
  // iterative preemption bounding): one the subsets missed, or the proof that none fails
  let noneWith: number | undefined;
  for (let bound = 0; bound < preemptions && runs < budget; bound++) {
    const enumerated: DetRunSpec = { ...spec, trace: false, strategy: { name: 'bounded', bound, steps: 1, exhaustive: true }, tapeCapacity: ENUMERATION_TAPE };
    const r = await explore({ spec: enumerated, seedStart: cur.seed, seedCount: 1, jobs: 1, stopOnFirst: true, maxSchedules: budget - runs });
    runs += r.schedules;
    onRun?.(runs, cur.decisions.length);
    const hit = r.runs.find((x) => x.failed)?.how;
    if (hit !== undefined && 'choices' in hit && r.failures[0]?.violation.oracle === oracle) {
      const found = await tracedRun({ ...enumerated, tapePrefix: hit.choices }, cur.seed);
      // the run found, as a replay of its switches (the file records the search that found the failure)
      if (adopt(await replay(spec, scheduleFileOf(spec, found, dir).decisions))) break;
    }
    if (!r.exhausted || hit !== undefined) break;
    noneWith = bound;
  }
  return { file: cur, preemptions, runs, workload: workloadChanges(fileSpec, spec), ...(noneWith !== undefined ? { noneWith } : {}) };
}

/** For each switch of the run's trace, whether it preempted its thread (the thread could have gone
 * on: not at a wait, not at its exit). */
function preemptiveSwitches(r: TracedRun): boolean[] {
  return switchSteps(r.sched, r.traceBase, r.traceLen).map((i) => {
    const l = r.sched[r.traceBase + i * TRACE_STRIDE + 1]!;
    return !traceWait(l) && traceLabel(l) !== L_EXIT;
  });
}

function workloadChanges(before: { cfg: Config; moves: number }, after: { cfg: Config; moves: number }): string[] {
  const out: string[] = [];
  if (after.moves !== before.moves) out.push(`moves ${before.moves} → ${after.moves}`);
  for (const key of Object.keys(before.cfg) as (keyof Config)[]) {
    if (JSON.stringify(before.cfg[key]) !== JSON.stringify(after.cfg[key]) && key !== 'seed') out.push(`${key} ${String(before.cfg[key])} → ${String(after.cfg[key])}`);
  }
  return out;
}
