// Outputs that cannot be written fail before any work (exit 2, one line); every file faultline
// writes names the faultline that wrote it; `--json -` is standard output.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { checkJsonOutput, type JsonOutput } from '../../src/cli/json_outputs.js';
import { schemaFile } from '../../src/version.js';
import { oneLineError, run, scratch } from './run.js';

const dir = scratch();
writeFileSync(join(dir, 'a-file'), 'x');
mkdirSync(join(dir, 'a-dir'));

const BAD_FILES: [string, string][] = [
  ['a missing directory', 'no/such/dir/out'],
  ['a parent that is a file', 'a-file/out'],
  ['a directory', 'a-dir'],
  ['a path under /proc', '/proc/self/faultline-out'],
];

const FILE_FLAGS: [string, string[]][] = [
  ['stress --json', ['stress', '--seconds', '30', '--quiet', '--json']],
  ['stress --trace', ['stress', '--seconds', '30', '--quiet', '--trace']],
  ['stress --lockstat-csv', ['stress', '--seconds', '30', '--quiet', '--lockstat-csv']],
  ['explore --json', ['explore', '--quiet', '--json']],
  ['explore --junit', ['explore', '--quiet', '--junit']],
  ['replay --json', ['replay', '--seed', '1', '--json']],
  ['replay --trace', ['replay', '--seed', '1', '--trace']],
  ['matrix --junit', ['matrix', '--junit']],
];

for (const [flag, args] of FILE_FLAGS) {
  test(`${flag} to an unwritable path fails at start-up with exit 2`, (t) => {
    for (const [what, path] of BAD_FILES) {
      const t0 = performance.now();
      const r = run(dir, [...args, path], {}, 20_000);
      t.true(performance.now() - t0 < 15_000, `${what}: before any work`);
      oneLineError(t, r, new RegExp(`${flag.split(' ')[1]!}`));
    }
  });
}

const DIR_FLAGS: [string, string[]][] = [
  ['stress --report', ['stress', '--seconds', '30', '--quiet', '--report']],
  ['explore --schedule-dir', ['explore', '--quiet', '--bug', 'no-tlb-flush', '--schedule-dir']],
  ['matrix --out', ['matrix', '--out']],
];

for (const [flag, args] of DIR_FLAGS) {
  test(`${flag} to an unusable directory fails at start-up with exit 2 (a /proc path does not hang)`, (t) => {
    for (const path of ['a-file', 'a-file/sub', '/proc/self/faultline-out', '/proc/faultline/x']) {
      oneLineError(t, run(dir, [...args, path], {}, 20_000), new RegExp(flag.split(' ')[1]!));
    }
  });
}

test('a missing output directory is created before the run', (t) => {
  const r = run(dir, ['explore', '--seeds', '1..30', '--bug', 'no-tlb-flush', '--stop-on-first', '--quiet', '--schedule-dir', 'new/deep/dir']);
  t.is(r.status, 1, r.stderr);
  t.true(readdirSync(join(dir, 'new/deep/dir')).some((f) => f.endsWith('.schedule.json')));
});

test('--json - writes the JSON alone to standard output; JSON and schedule files carry the version and commit', (t) => {
  const r = run(dir, ['explore', '--seeds', '1..30', '--bug', 'no-tlb-flush', '--stop-on-first', '--quiet', '--json', '-', '--schedule-dir', 'stamped']);
  t.is(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { tool: { name: string; version: string; commit: string }; failures: { scheduleFile: string }[] };
  t.is(out.tool.name, 'faultline');
  t.regex(out.tool.version, /^\d+\.\d+\.\d+/);
  t.regex(out.tool.commit, /^([0-9a-f]{12}(-dirty)?|unknown)$/);
  t.regex(r.stderr, /FAIL seed/, 'the summary went to stderr');
  const sched = JSON.parse(readFileSync(join(dir, out.failures[0]!.scheduleFile), 'utf8')) as { tool: unknown };
  t.deepEqual(sched.tool, out.tool);
  const s = run(dir, ['stress', '--seconds', '0.3', '--quiet', '--json', '-']);
  t.is(s.status, 0);
  t.is((JSON.parse(s.stdout) as { tool: { name: string } }).tool.name, 'faultline');
});

test('every --json output (replay, stress, stress --test, matrix, bugs) has the shape of its JSON Schema and names it', (t) => {
  mkdirSync(join(dir, 'out'), { recursive: true });
  const test = fileURLToPath(new URL('../../examples/lost_update.js', import.meta.url));
  const written: [JsonOutput, string[], string, number][] = [
    ['replay', ['replay', '--seed', '2', '--bug', 'no-tlb-flush', '--json'], 'out/replay.json', 1],
    ['stress', ['stress', '--seconds', '0.3', '--quiet', '--lockstat', '--json'], 'out/stress.json', 0],
    ['stress-test', ['stress', '--test', `${test}#fixed`, '--seconds', '1', '--quiet', '--json'], 'out/stress-test.json', 0],
  ];
  for (const [name, args, file, status] of written) {
    const r = run(dir, [...args, file]);
    t.is(r.status, status, `${name}: ${r.stdout}${r.stderr}`);
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $schema: string };
    t.is(checkJsonOutput(name, doc), null, name);
    t.is(doc.$schema, `../${relative(dir, schemaFile(`${name}.schema.json`))}`, name);
  }
  const m = run(dir, ['matrix', '--bug', 'remap-bug-on-set', '--trials', '1', '--schedules', '30', '--seconds', '0.3', '--out', 'out/m']);
  t.is(m.status, 0, m.stdout + m.stderr);
  const matrix = JSON.parse(readFileSync(join(dir, 'out/m/matrix.json'), 'utf8')) as { $schema: string };
  t.is(checkJsonOutput('matrix', matrix), null);
  t.true(existsSync(resolve(dir, 'out/m', matrix.$schema)));
  const bugs = JSON.parse(run(dir, ['bugs', '--json']).stdout) as { $schema: string };
  t.is(checkJsonOutput('bugs', bugs), null);
  t.true(isAbsolute(bugs.$schema) && existsSync(bugs.$schema));
  t.regex(checkJsonOutput('stress', { ...bugs, command: 'stress' }) ?? '', /^interrupted: must be a string$/);
});

test('explore keeps every failure under names that never overwrite another run\'s', (t) => {
  const args = ['explore', '--seeds', '1..40', '--bug', 'no-tlb-flush', '--quiet', '--json', 'all.json', '--schedule-dir', 'keep'];
  const r = run(dir, args);
  t.is(r.status, 1);
  const out = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as { failures: { seed: number; oracle: string; scheduleFile: string }[] };
  t.true(out.failures.length > 10, 'more than the ten shown');
  t.regex(r.stdout, /and \d+ more failing schedules/);
  const files = readdirSync(join(dir, 'keep'));
  // one schedule file per failure, and a shrunk one beside the first failure of each oracle
  t.is(files.filter((f) => !f.endsWith('.shrunk.schedule.json')).length, out.failures.length);
  t.is(files.filter((f) => f.endsWith('.shrunk.schedule.json')).length, new Set(out.failures.map((f) => f.oracle)).size);
  // another strategy over the same seeds adds its own files
  t.is(run(dir, [...args.slice(0, -4), '--strategy', 'random', '--schedule-dir', 'keep']).status, 1);
  t.true(readdirSync(join(dir, 'keep')).length > files.length);
  for (const f of files) t.true(readdirSync(join(dir, 'keep')).includes(f));
});

test('explore --json has the shape of its JSON Schema and names it, relative to the file (absolute on standard output)', (t) => {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  const r = run(dir, ['explore', '--seeds', '1..30', '--bug', 'no-tlb-flush', '--quiet', '--json', 'sub/e.json']);
  t.is(r.status, 1, r.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'sub', 'e.json'), 'utf8')) as { $schema: string; failures: unknown[] };
  t.is(checkJsonOutput('explore', doc), null);
  t.true(doc.failures.length > 0);
  t.regex(doc.$schema, /^\.\.\/.*schemas\/explore\.schema\.json$/);
  t.true(existsSync(resolve(dir, 'sub', doc.$schema)));
  const out = run(dir, ['explore', '--seeds', '1..3', '--quiet', '--json', '-']);
  const piped = JSON.parse(out.stdout) as { $schema: string };
  t.is(checkJsonOutput('explore', piped), null);
  t.true(isAbsolute(piped.$schema) && existsSync(piped.$schema));
  t.regex(checkJsonOutput('explore', { ...piped, schedules: -1 }) ?? '', /^schedules: must be at least 0$/);
});
