// Output paths are checked before any work: a run of minutes must not end in an unwritable path.
// Node's recursive mkdir does not return under /proc, so every parent is checked by hand.
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { columnWidth } from '../report/interleaving.js';

/** Pseudo-filesystems: writes there are not files (and /proc can hang a recursive mkdir). */
const PSEUDO = ['/proc', '/sys'];

function pseudo(abs: string): boolean {
  return PSEUDO.some((p) => abs === p || abs.startsWith(p + sep));
}

function kind(abs: string): 'file' | 'dir' | 'other' | null {
  try {
    const st = statSync(abs);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // ENOTDIR: a parent on the way is a file
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'other';
    throw e;
  }
}

function writable(abs: string): boolean {
  try {
    accessSync(abs, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** `--json -` means standard output. */
export const STDOUT = '-';

/** A file faultline will write: its directory exists and is writable, and it is not a directory. */
export function checkOutputFile(flag: string, file: string): void {
  if (file === STDOUT) return;
  const abs = resolve(file);
  const bad = (why: string): never => {
    throw new UsageError(`cannot write ${flag} ${file}: ${why}`);
  };
  if (pseudo(abs)) bad('it is on a pseudo-filesystem (/proc, /sys)');
  const k = kind(abs);
  if (k === 'dir') bad('it is a directory');
  if (k === 'other') bad('it is not a regular file, or a parent is not a directory');
  if (k === 'file' && !writable(abs)) bad('permission denied');
  const parent = dirname(abs);
  const pk = kind(parent);
  if (pk === null) bad(`the directory ${dirname(file)} does not exist`);
  if (pk !== 'dir') bad(`${dirname(file)} is not a directory`);
  if (k === null && !writable(parent)) bad(`the directory ${dirname(file)} is not writable`);
}

/** A directory faultline will write into: created now (parents included) if the nearest existing
 * ancestor is a writable directory, so the run cannot fail on it later. */
export function prepareOutputDir(flag: string, dir: string): void {
  const abs = resolve(dir);
  const bad = (why: string): never => {
    throw new UsageError(`cannot write ${flag} ${dir}: ${why}`);
  };
  if (pseudo(abs)) bad('it is on a pseudo-filesystem (/proc, /sys)');
  let at = abs;
  let k = kind(at);
  while (k === null) {
    at = dirname(at);
    k = kind(at);
  }
  if (k !== 'dir') bad(`${at === abs ? 'it' : at} is not a directory`);
  if (!writable(at)) bad(`${at === abs ? 'it' : at} is not writable`);
  if (at !== abs) {
    try {
      mkdirSync(abs, { recursive: true });
    } catch (e) {
      bad((e as Error).message);
    }
  }
}

/** Writes one output; a failure is one line naming the flag. */
function writeOutput(flag: string, file: string, text: string): void {
  if (file === STDOUT) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${flag} ${file}: ${(e as Error).message}`);
  }
}

/** The outputs of one command, written in order; a failed write is remembered as one line and
 * does not stop the others. */
export class OutputLog {
  readonly failed: string[] = [];

  write(flag: string, file: string, text: string): void {
    this.attempt(flag, file, () => writeOutput(flag, file, text));
  }

  attempt(flag: string, file: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      this.failed.push(e instanceof UsageError ? e.message : `cannot write ${flag} ${file}: ${(e as Error).message}`);
    }
  }
}

/** The interleaving's column width: to fit the terminal, or the default when not on one. */
export function interleavingWidth(threads: number): number {
  return columnWidth(threads, process.stdout.isTTY ? process.stdout.columns : undefined);
}
