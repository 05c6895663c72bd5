// SIGINT/SIGTERM: stop within a second, summarize what ran, write every output, exit 130/143,
// and leave nothing running.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { cli, runAndSignal, scratch } from './run.js';

/** stress's progress line (every 2 s when stderr is not a terminal) once faults happen: the run is under way */
const PROGRESS = /\d+\.\d s \| faults [1-9]/;

/** Whether a process is still alive (ps, as a user would check). */
function alive(pid: number): boolean {
  return spawnSync('ps', ['-p', String(pid)], { encoding: 'utf8' }).status === 0;
}

test('SIGINT mid-stress: the summary, --json, --lockstat-csv and --trace are written, exit 130, no orphan', async (t) => {
  const dir = scratch();
  const r = await runAndSignal(dir, ['stress', '--seconds', '60', '--json', 's.json', '--lockstat-csv', 's.csv', '--trace', 's.trace.json', '--trace-cap', '2000'], 'SIGINT', PROGRESS);
  t.is(r.code, 130, r.stdout + r.stderr);
  t.regex(r.stdout, /interrupted by SIGINT/);
  t.regex(r.stdout, /faults\s+\d+/);
  const json = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { interrupted: string; seconds: number; faults: number };
  t.is(json.interrupted, 'SIGINT');
  t.true(json.seconds < 30 && json.faults > 0, `${json.seconds} s, ${json.faults} faults`);
  t.true(existsSync(join(dir, 's.csv')));
  t.true(existsSync(join(dir, 's.trace.json')));
  t.false(alive(r.pid));
});

test('SIGTERM mid-stress: exit 143 within a second of the signal (plus writing)', async (t) => {
  const dir = scratch();
  const r = await runAndSignal(dir, ['stress', '--seconds', '60', '--json', 's.json'], 'SIGTERM', PROGRESS);
  t.is(r.code, 143, r.stdout + r.stderr);
  // a second to stop, plus writing the outputs, on a loaded 2-core machine
  t.true(r.exitMs < 5000, `exited ${Math.round(r.exitMs)} ms after the signal`);
  t.true(existsSync(join(dir, 's.json')));
});

test('SIGINT mid-explore: failures found so far are written, with --json and --junit, exit 130', async (t) => {
  const dir = scratch();
  const r = await runAndSignal(dir, ['explore', '--seeds', '1..1000000', '--bug', 'no-tlb-flush', '--json', 'e.json', '--junit', 'e.xml', '--schedule-dir', 'sd', '--heartbeat', '0.5'], 'SIGINT', /explore: \d+\/\d+ schedules, \d+\/s, [1-9]\d* failing/);
  t.is(r.code, 130, r.stdout + r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')) as { interrupted: string; schedules: number; failures: { scheduleFile: string }[] };
  t.is(json.interrupted, 'SIGINT');
  t.true(json.schedules > 0 && json.schedules < 1_000_000);
  t.true(json.failures.length > 0);
  t.is(readdirSync(join(dir, 'sd')).length, json.failures.length, 'every failure found has its schedule file');
  t.regex(readFileSync(join(dir, 'e.xml'), 'utf8'), /<testsuites/);
  t.false(alive(r.pid));
});

test('SIGINT mid-matrix: the rows finished are written, exit 130', async (t) => {
  const dir = scratch();
  const r = await runAndSignal(dir, ['matrix', '--trials', '1', '--schedules', '100', '--seconds', '0.5', '--out', 'm'], 'SIGINT', /clean \/ stress/);
  t.is(r.code, 130, r.stdout + r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'm', 'matrix.json'), 'utf8')) as { interrupted: string };
  t.is(json.interrupted, 'SIGINT');
});

test('Ctrl-C in a terminal gives the cursor and line wrap back (explore with its progress bar, under script(1)\'s pty)', async (t) => {
  const dir = scratch();
  const marker = `tty-${process.pid}-${Date.now()}`;
  const out = join(dir, 'tty.out');
  const child = spawn('script', ['-qfec', `${process.execPath} ${cli} explore --seeds 1..1000000 --schedule-dir ${marker}`, out], { cwd: dir, stdio: 'ignore' });
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
  // the bar is up once its first frame is in the pty's output
  for (let i = 0; i < 600 && !(existsSync(out) && readFileSync(out).includes('schedules |')); i++) await new Promise((r) => setTimeout(r, 50));
  spawnSync('pkill', ['-INT', '-f', `^${process.execPath} .*${marker}`]);
  await done;
  const s = readFileSync(out);
  t.true(s.includes('interrupted by SIGINT'), s.toString());
  t.true(s.lastIndexOf('\x1b[?25h') > s.lastIndexOf('\x1b[?25l'), 'the cursor is shown again');
  t.true(s.lastIndexOf('\x1b[?7h') > s.lastIndexOf('\x1b[?7l'), 'line wrap is on again');
});
