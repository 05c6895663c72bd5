// SIGINT/SIGTERM: the running command is asked to stop (it then prints what ran and writes its
// outputs) and the process exits 130/143. A second signal exits at once.
import { EXIT_SIGINT, EXIT_SIGTERM } from './errors.js';

let caught: NodeJS.Signals | null = null;
const stoppers = new Set<() => void>();

/** Registers what stops the current work; returns the unregister function. */
export function onInterrupt(stop: () => void): () => void {
  stoppers.add(stop);
  if (caught !== null) stop();
  return () => stoppers.delete(stop);
}

export function interrupted(): NodeJS.Signals | null {
  return caught;
}

function exitCodeOf(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? EXIT_SIGINT : EXIT_SIGTERM;
}

export function interruptExitCode(): number | null {
  return caught === null ? null : exitCodeOf(caught);
}

/** A terminal left with the cursor hidden or line wrap off (a progress bar) is put back. */
function restoreTerminal(): void {
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h');
}

export function installSignalHandlers(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (caught !== null) {
        restoreTerminal();
        process.exit(exitCodeOf(sig));
      }
      caught = sig;
      process.stderr.write(`\nfaultline: ${sig}: stopping, writing what ran so far (again to quit at once)\n`);
      for (const stop of stoppers) stop();
    });
  }
  process.on('exit', restoreTerminal);
}
