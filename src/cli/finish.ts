// How a command ends: one exit code from what it found, in the contract's order of precedence,
// and the outputs that could not be written said once each.
import { EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_INTERNAL, EXIT_NOT_REPRODUCED, EXIT_VIOLATION } from './errors.js';
import { interruptExitCode } from './interrupt.js';
import type { OutputLog } from './outputs.js';

export interface Outcome {
  /** a violation, a lock-order cycle, a replay that reproduced its failure */
  violation: boolean;
  /** faultline itself failed (a crashed worker, a scheduler that stopped making progress) */
  internal?: boolean;
  /** a replay that diverged or did not reproduce */
  notReproduced?: boolean;
}

export function finish(o: Outcome, out: OutputLog): number {
  for (const line of out.failed) console.error(`faultline: ${line}`);
  const signal = interruptExitCode();
  if (signal !== null) return signal;
  if (o.internal) return EXIT_INTERNAL;
  if (o.notReproduced) return EXIT_NOT_REPRODUCED;
  if (o.violation) return EXIT_VIOLATION;
  return out.failed.length > 0 ? EXIT_BAD_INPUT : EXIT_CLEAN;
}
