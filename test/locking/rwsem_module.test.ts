// --rwsem FILE: the user's rw_semaphore replaces the built-in one under mmap_sem (and in a user
// test's locks); faultline's bookkeeping around it still checks exclusion, so a module that lets a
// reader in beside a writer is caught.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { oneLineError, run, scratch } from '../cli/run.js';
import { explore } from '../../src/index.js';
import { closeDetPool } from '../../src/harness/explore.js';

test.after.always(closeDetPool);

const dir = scratch();
const rwsem = fileURLToPath(new URL('../../examples/rwsem.js', import.meta.url));
const api = new URL('../../src/index.js', import.meta.url).href;

test('the example rwsem as mmap_sem: clean over 1,500 schedules and under stress', (t) => {
  const r = run(dir, ['explore', '--rwsem', rwsem, '--seeds', '1..1500', '--quiet']);
  t.is(r.status, 0, r.stdout + r.stderr);
  const s = run(dir, ['stress', '--rwsem', rwsem, '--seconds', '1', '--quiet']);
  t.is(s.status, 0, s.stdout + s.stderr);
});

test('its racy variant lets a reader in beside a writer: the lock oracle fires', (t) => {
  const r = run(dir, ['explore', '--rwsem', `${rwsem}#racy`, '--seeds', '1..2000', '--stop-on-first', '--quiet', '--json', 'racy.json']);
  t.is(r.status, 1, r.stdout + r.stderr);
  const f = (JSON.parse(readFileSync(join(dir, 'racy.json'), 'utf8')) as { failures: { oracle: string; message: string; replay: string }[] }).failures[0]!;
  t.is(f.oracle, 'lock-state', f.message);
  t.regex(f.message, /rwsem/);
  const again = run(dir, f.replay.replace(/^npx faultline /, '').split(' '));
  t.is(again.status, 1, again.stdout);
});

test("a user test names its own rwsem module, relative to the test's file", async (t) => {
  // the example, beside the test, importing faultline/kernel from this build
  writeFileSync(join(dir, 'rwsem.mjs'), readFileSync(rwsem, 'utf8').replace("from '../src/api/kernel.js'", `from '${new URL('../../src/api/kernel.js', import.meta.url).href}'`));
  const file = join(dir, 'readers.mjs');
  writeFileSync(file, `import { defineTest } from '${api}';
export default defineTest({
  rwsem: './rwsem.mjs',
  memory: { x: 0, seen: 0 },
  locks: { sem: 'rwsem' },
  threads: {
    writer: (t) => { t.downWrite('sem'); t.store('x', 1); t.store('x', 2); t.upWrite('sem'); },
    reader: (t) => { t.downRead('sem'); const v = t.load('x'); t.check(v !== 1, 'torn', 'saw the write half done'); t.upRead('sem'); },
  },
});
`);
  const good = await explore({ test: file, seeds: { start: 1, count: 300 }, scheduleDir: join(dir, 'g') });
  t.is(good.failures.length, 0);
  writeFileSync(file, readFileSync(file, 'utf8').replace("rwsem: './rwsem.mjs'", "rwsem: './rwsem.mjs#racy'"));
  const bad = await explore({ test: file, seeds: { start: 1, count: 2000 }, stopOnFirst: true, scheduleDir: join(dir, 'b') });
  t.true(bad.failures.length > 0);
  t.true(['lock-state', 'test:torn'].includes(bad.failures[0]!.oracle), bad.failures[0]!.oracle);
});

test('an rwsem module that is not one: one line, exit 2', (t) => {
  writeFileSync(join(dir, 'partial.mjs'), 'export default { down_read() {} };\n');
  oneLineError(t, run(dir, ['explore', '--rwsem', 'partial.mjs']), /rwsem \S*partial\.mjs: defineRwsem: down_read_trylock must be a function/);
  oneLineError(t, run(dir, ['stress', '--rwsem', 'fair']), /--rwsem.*must be linux, phase-fair, reader-pref, writer-pref or a module/);
});
