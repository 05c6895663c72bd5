// How an oracle reports: the first violation in the machine wins, every thread unwinds.
import { CTL_ABORT, CTL_VIOLATIONS } from '../shm/layout.js';
import type { Thread } from '../kernel/thread.js';
import type { OracleName, UserOracle } from './oracles.js';

export interface ViolationInfo {
  oracle: OracleName | UserOracle;
  message: string;
  cpu: number;
  thread: string;
  step: number;
  addr?: number;
  obj?: number;
  /** what the violation is about, for the report to find the steps that touched it */
  refs?: ViolationRefs;
}

/** The machine objects a violation names: an address of an mm, a CPU (its TLB), a frame. */
export interface ViolationRefs {
  mm?: number;
  vpn?: number;
  cpu?: number;
  frame?: number;
}

export class Violation extends Error {
  constructor(readonly info: ViolationInfo) {
    super(`${info.oracle}: ${info.message}`);
  }
}

/** Records a violation and throws it; the other threads see the abort word and stop. */
export function violation(t: Thread, oracle: OracleName | UserOracle, message: string, where: { addr?: number; obj?: number; refs?: ViolationRefs } = {}): never {
  Atomics.add(t.m, CTL_VIOLATIONS, 1);
  Atomics.store(t.m, CTL_ABORT, 1);
  Atomics.notify(t.m, CTL_ABORT);
  throw new Violation({ oracle, message, cpu: t.tid, thread: t.name, step: t.step, ...where });
}
