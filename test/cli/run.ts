// Runs the faultline CLI as a user does (a separate node process), in a scratch directory.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { checkJsonOutput, type JsonOutput } from '../../src/cli/json_outputs.js';

export const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'faultline-cli-'));
}

export type Run = SpawnSyncReturns<string>;

export function run(cwd: string, args: string[], env: Record<string, string> = {}, timeout = 120_000): Run {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, timeout, env: { ...process.env, ...env } });
}

/** Exit 2 with exactly one line on stderr (commander's usage hint aside) and no stack trace. */
export function oneLineError(t: ExecutionContext, r: Run, mention?: RegExp): void {
  t.is(r.status, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help') && !l.startsWith('(Did you mean'));
  t.is(lines.length, 1, r.stderr);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  if (mention) t.regex(r.stderr, mention);
}

/** Starts the CLI, sends `signal` once its stderr matches `ready` (the work is under way), and
 * resolves with its exit code, its output and how long it took to exit after the signal. */
export function runAndSignal(cwd: string, args: string[], signal: NodeJS.Signals, ready: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; pid: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (signalledAt === 0 && ready.test(stderr)) {
        signalledAt = performance.now();
        child.kill(signal);
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, pid: child.pid ?? -1, exitMs: performance.now() - signalledAt });
    });
  });
}

/** The `npx faultline …` commands a run printed for its user. */
export function printedCommands(text: string): string[][] {
  return [...text.matchAll(/npx faultline ([^\n`]+)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

/** A JSON output a command wrote into `dir`, checked against its schema (throws what is wrong). */
export function readOutput<T>(dir: string, file: string, name: JsonOutput): T {
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  const bad = checkJsonOutput(name, doc);
  if (bad !== null) throw new Error(`${name} --json: ${bad}`);
  return doc as T;
}
