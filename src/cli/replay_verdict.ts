// Did a replay reproduce what its schedule file recorded? The decisions, the violation and the
// trace hash must all agree; anything else is said in one line and is exit 4.
import type { ScheduleFile } from '../sched/schedule_file.js';
import type { TracedRun } from '../harness/det_run.js';

export interface ReplayVerdict {
  reproduced: boolean;
  kind: 'reproduced' | 'different-violation' | 'diverged' | 'no-violation' | 'unexpected-violation' | 'hash-differs';
  line: string;
}

export function verifyReplay(file: ScheduleFile, r: TracedRun): ReplayVerdict {
  const v = verdictOf(file, r);
  // a file cut at the trace's end holds no decisions for the rest of its run
  return file.traceTruncated && !v.reproduced ? { ...v, line: `${v.line} (the file holds the decisions of the run's traced prefix only: it outgrew the trace)` } : v;
}

function verdictOf(file: ScheduleFile, r: TracedRun): ReplayVerdict {
  const recorded = file.violation;
  const got = r.violation;
  const hash = `trace hash ${r.traceHash}${r.traceHash === file.traceHash ? ', as recorded' : ` (recorded ${file.traceHash})`}`;
  const d = r.replay;
  if (d && d.divergedAt >= 0) {
    const at = file.decisions[d.divergedAt];
    const where = at ? ` (thread ${at.thread} at ${at.label} #${at.occurrence})` : '';
    return no('diverged', `did not reproduce: the run diverged at decision ${d.divergedAt} of ${d.total}${where}; the code or the file changed since it was written`);
  }
  if (recorded && !got) return no('no-violation', `did not reproduce: no violation, where the file recorded ${recorded.oracle}; ${hash}`);
  if (!recorded && got) return no('unexpected-violation', `did not reproduce: ${got.oracle}, where the file recorded a clean run; ${hash}`);
  if (recorded && got && recorded.oracle !== got.oracle) return no('different-violation', `reproduced a different violation: ${got.oracle}, where the file recorded ${recorded.oracle}; ${hash}`);
  if (r.traceHash !== file.traceHash) return no('hash-differs', `did not reproduce exactly: ${got ? `the same violation (${got.oracle})` : 'a clean run'}, but ${hash}: the interleaving differs`);
  return { reproduced: true, kind: 'reproduced', line: `reproduced: ${got ? got.oracle : 'a clean run'}, ${hash}, all ${d?.total ?? 0} decisions followed` };
}

function no(kind: ReplayVerdict['kind'], line: string): ReplayVerdict {
  return { reproduced: false, kind, line };
}
