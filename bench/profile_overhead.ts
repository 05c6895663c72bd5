// What lockstat (and lockdep) cost: the default stress scenario with and without them, runs
// interleaved so drift on this shared host hits both sides alike.
import { makeConfig } from '../src/config.js';
import { closePool, runStress } from '../src/harness/stress.js';
import type { ProfileOptions } from '../src/profile/recorder.js';

export interface OverheadBench {
  seconds: number;
  reps: number;
  accessesPerSec: { off: number[]; lockstat: number[]; lockstatLockdep: number[] };
  faultsPerSec: { off: number[]; lockstat: number[]; lockstatLockdep: number[] };
  /** 1 − median(with) / median(without), on accesses/s */
  overheadLockstat: number;
  overheadLockstatLockdep: number;
}

const LOCKSTAT: ProfileOptions = { lockstat: true, lockdep: false, trace: false, holdSample: 8, traceCap: 1 };
const BOTH: ProfileOptions = { ...LOCKSTAT, lockdep: true };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchProfileOverhead(seconds = 3, reps = 3): Promise<OverheadBench> {
  const out: OverheadBench = {
    seconds, reps,
    accessesPerSec: { off: [], lockstat: [], lockstatLockdep: [] },
    faultsPerSec: { off: [], lockstat: [], lockstatLockdep: [] },
    overheadLockstat: 0, overheadLockstatLockdep: 0,
  };
  try {
    for (let i = 0; i < reps; i++) {
      for (const [key, profile] of [['off', undefined], ['lockstat', LOCKSTAT], ['lockstatLockdep', BOTH]] as const) {
        const r = await runStress(makeConfig({ seconds, seed: 1 + i }), profile ? { profile } : {});
        out.accessesPerSec[key].push(r.accessesPerSec);
        out.faultsPerSec[key].push(r.faultsPerSec);
      }
    }
  } finally {
    await closePool();
  }
  out.overheadLockstat = 1 - median(out.accessesPerSec.lockstat) / median(out.accessesPerSec.off);
  out.overheadLockstatLockdep = 1 - median(out.accessesPerSec.lockstatLockdep) / median(out.accessesPerSec.off);
  return out;
}
