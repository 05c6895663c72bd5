// Every command faultline prints for its user to run is run here, and accepted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { printedCommands, run, scratch } from './run.js';

const dir = scratch();

function runPrinted(t: import('ava').ExecutionContext, text: string, allowed: number[]): void {
  const cmds = printedCommands(text);
  t.true(cmds.length > 0, text);
  for (const args of cmds) {
    // a stress rerun is free-running: the same workload, maybe another interleaving
    const r = run(dir, args[0] === 'stress' ? [...args, '--quiet'] : args);
    t.true(allowed.includes(r.status ?? -1), `npx faultline ${args.join(' ')} → ${r.status}\n${r.stderr}`);
  }
}

test('stress: the rerun and explore commands of a violation run, and find it', (t) => {
  const r = run(dir, ['stress', '--seconds', '10', '--bug', 'no-tlb-flush', '--seed', '9', '--watchdog', '20', '--quiet']);
  t.is(r.status, 1);
  t.regex(r.stdout, /npx faultline stress --seed 9 .*--bug no-tlb-flush --watchdog 20/);
  t.notRegex(r.stdout, /explore .*--(seconds|ops 0|noise|migrate-rate)\b/);
  runPrinted(t, r.stdout, [1]);
});

test('stress: the next steps of a clean run are accepted', (t) => {
  const r = run(dir, ['stress', '--seconds', '0.5', '--quiet']);
  t.is(r.status, 0);
  runPrinted(t, r.stdout.replace('--lockstat', ''), [0, 1]);
});

test('stress: the rerun of a crashed worker (with --debug) is accepted', (t) => {
  const r = run(dir, ['stress', '--seconds', '0.5', '--quiet'], { FAULTLINE_CRASH: 'cpu0' });
  t.is(r.status, 3);
  for (const args of printedCommands(r.stdout)) t.is(run(dir, args, { FAULTLINE_CRASH: 'cpu0' }).status, 3, args.join(' '));
});

test('explore: every replay line it prints reproduces', (t) => {
  const r = run(dir, ['explore', '--seeds', '1..12', '--bug', 'no-tlb-flush', '--strategy', 'random', '--switch-prob', '0.1', '--quiet']);
  t.is(r.status, 1);
  runPrinted(t, r.stdout, [1]);
});

test('explore: an enumerated failure\'s replay line reproduces', (t) => {
  const r = run(dir, ['explore', '--strategy', 'bounded', '--bound', '1', '--exhaustive', '--ops', '4', '--bug', 'remap-bug-on-set', '--stop-on-first', '--quiet']);
  t.is(r.status, 1, r.stdout + r.stderr);
  runPrinted(t, r.stdout, [1]);
});

test('replay: the command in its HTML report reproduces the run', (t) => {
  const r = run(dir, ['replay', '--seed', '2', '--bug', 'no-tlb-flush', '--report', 'rep']);
  t.is(r.status, 1, r.stderr);
  const html = readFileSync(join(dir, 'rep', 'index.html'), 'utf8').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
  runPrinted(t, [...html.matchAll(/npx faultline [^<"]+/g)].map((m) => m[0]).join('\n'), [1]);
});
