#!/usr/bin/env node
// Screenshots a faultline HTML report with Debian's headless Chromium, to check that it renders.
//   node scripts/screenshot-report.mjs <report-dir> <out.png>
// Prints the PNG's path. Exit 2 (one line) on bad arguments or when /usr/bin/chromium is missing.
// Not used by the tests; needs `apt-get install chromium`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 90_000;

function fail(message, code = 2) {
  process.stderr.write(`screenshot-report: ${message}\n`);
  process.exit(code);
}

const [dirArg, pngArg] = process.argv.slice(2);
if (!dirArg || !pngArg || process.argv.length > 4) fail('usage: node scripts/screenshot-report.mjs <report-dir> <out.png>');
const page = join(resolve(dirArg), 'index.html');
if (!existsSync(page)) fail(`no report at ${page}`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is not installed (apt-get install chromium)`);

const png = resolve(pngArg);
mkdirSync(dirname(png), { recursive: true });
rmSync(png, { force: true });
const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${profile}`,
  '--window-size=1400,2400',
  `--screenshot=${png}`,
  pathToFileURL(page).href,
];

const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => {
  stderr = (stderr + d.toString()).slice(-4000);
});
const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
child.on('error', (e) => {
  clearTimeout(timer);
  rmSync(profile, { recursive: true, force: true });
  fail(`could not start ${CHROMIUM}: ${e.message}`, 1);
});
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  rmSync(profile, { recursive: true, force: true });
  if (!existsSync(png) || statSync(png).size === 0) {
    const last = stderr.trim().split('\n').at(-1) ?? '';
    fail(`chromium exited (${signal ?? code}) without writing ${png}${last ? `: ${last}` : ''}`, 1);
  }
  process.stdout.write(`${png}\n`);
});
