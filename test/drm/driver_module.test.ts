// --driver FILE: a driver written against faultline/kernel runs in every thread of explore and
// stress, its mistakes are found and replayed like the built-in drivers', and a module that is not
// a driver is one line, exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { oneLineError, run, scratch } from '../cli/run.js';

const dir = scratch();
const driver = fileURLToPath(new URL('../../examples/driver.js', import.meta.url));

test('the example driver stays clean over 1,500 schedules, and under stress', (t) => {
  const r = run(dir, ['explore', '--driver', driver, '--seeds', '1..1500', '--quiet', '--json', 'clean.json']);
  t.is(r.status, 0, r.stdout + r.stderr);
  const j = JSON.parse(readFileSync(join(dir, 'clean.json'), 'utf8')) as { schedules: number; config: { driver: string } };
  t.is(j.schedules, 1500);
  t.is(j.config.driver, driver);
  const s = run(dir, ['stress', '--driver', driver, '--seconds', '1', '--quiet']);
  t.is(s.status, 0, s.stdout + s.stderr);
});

test('its unreserved variant is found, and the printed replay and schedule commands reproduce it', (t) => {
  const r = run(dir, ['explore', '--driver', `${driver}#unreserved`, '--seeds', '1..2000', '--stop-on-first', '--quiet', '--json', 'found.json']);
  t.is(r.status, 1, r.stdout + r.stderr);
  const f = (JSON.parse(readFileSync(join(dir, 'found.json'), 'utf8')) as { failures: { seed: number; oracle: string; replay: string; scheduleFile: string }[] }).failures[0]!;
  t.log(`seed ${f.seed}: ${f.oracle}`);
  t.true(f.replay.includes(`--driver ${driver}#unreserved`), f.replay);
  const again = run(dir, f.replay.replace(/^npx faultline /, '').split(' '));
  t.is(again.status, 1, again.stdout);
  t.regex(again.stdout, new RegExp(`VIOLATION ${f.oracle}`));
  // the schedule file names the module relative to itself, and replays from another folder
  t.regex(f.scheduleFile, /-driver-unreserved-[0-9a-f]{16}\.schedule\.json$/, 'named after the module it ran');
  const file = JSON.parse(readFileSync(join(dir, f.scheduleFile), 'utf8')) as { config: { driver: string } };
  t.false(file.config.driver.startsWith('/'), file.config.driver);
  const sched = run('/', ['replay', '--schedule', join(dir, f.scheduleFile)]);
  t.is(sched.status, 1, sched.stdout + sched.stderr);
  t.regex(sched.stdout, /^reproduced: /m);
});

test('a driver module that is missing, not a module, or not a driver: one line, exit 2', (t) => {
  oneLineError(t, run(dir, ['explore', '--driver', 'nosuch.js']), /cannot load driver .*nosuch\.js/);
  oneLineError(t, run(dir, ['stress', '--driver', 'driver.txt']), /--driver.*must be ttm, ttm-pfnmap, 2006 or a module \(FILE\.js\[#export\]\)/);
  writeFileSync(join(dir, 'half.mjs'), 'export default { fault: () => 0x100 };\n');
  oneLineError(t, run(dir, ['explore', '--driver', 'half.mjs']), /driver \S*half\.mjs: defineDriver: move must be a function/);
  oneLineError(t, run(dir, ['explore', '--driver', `${driver}#nosuch`]), /driver .* has no export 'nosuch'/);
  writeFileSync(join(dir, 'bad.yaml'), 'machine:\n  driver: driver.ts\n');
  oneLineError(t, run(dir, ['explore', '--scenario', 'bad.yaml']), /machine\.driver/);
});
