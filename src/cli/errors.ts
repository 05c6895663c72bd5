// The exit-code contract every command keeps (README "Exit codes", `faultline --help`).
import { UserModuleError } from '../lib/module_ref.js';

export const EXIT_CLEAN = 0;
/** a violation, a lock-order cycle, or a replay that reproduced its failure */
export const EXIT_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;
/** faultline itself failed: an internal error or a crashed worker */
export const EXIT_INTERNAL = 3;
/** a replay that diverged from its schedule file or did not reproduce what it recorded */
export const EXIT_NOT_REPRODUCED = 4;
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export const EXIT_CODES_HELP = `Exit codes:
  0    clean
  1    a violation found (or a lock-order cycle, or a replay that reproduced its failure)
  2    bad input (one line on stderr)
  3    faultline itself failed (an internal error or a crashed worker; --debug prints the stack)
  4    a replay that diverged or did not reproduce what its schedule file recorded
  130  interrupted (SIGINT), 143 terminated (SIGTERM): what ran is summarized and written`;

/** Bad input detected after flag parsing: printed as one line, exit 2. */
export class UsageError extends Error {}

/** Loading a user's module (test, driver, rwsem): one that is not what it should be is bad input. */
export async function loadingModules<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw e instanceof UserModuleError ? new UsageError(e.message) : e;
  }
}

let debug = false;

/** --debug: stacks of internal errors and crashed workers are printed in full. */
export function setDebug(on: boolean): void {
  debug = on;
}

/** An error's first line, or its whole stack under --debug. */
export function describeError(e: unknown): string {
  const text = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e);
  return debug ? text : text.split('\n')[0]!;
}

/** A crash text (a stack from a worker) as the user should see it. */
export function describeCrash(text: string): string {
  return debug ? text : text.split('\n')[0]!;
}

/** Where an internal error sends the user (the project has no public tracker address yet). */
export const REPORT_HINT = 'this is a bug in faultline: report it with the output of --debug and `faultline --version`';
