// The mutation test's machinery, fast: the mutant set cannot rot silently (every find text still
// occurs exactly once in its file), and a built mutant is killed by a small explore that leaves
// the unmutated build clean. The measurement itself is `npm run mutants`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { buildMutant, occurrences, removeBuild, ROOT } from './build.js';
import { MUTANTS } from './mutants.js';
import { search } from './search.js';

test('at least 24 mutants, distinct ids, each a real edit found exactly once in its file', (t) => {
  t.true(MUTANTS.length >= 24);
  t.is(new Set(MUTANTS.map((m) => m.id)).size, MUTANTS.length);
  for (const m of MUTANTS) {
    t.regex(m.file, /^src\/.+\.ts$/, m.id);
    t.true(m.edits.length > 0, m.id);
    let source = readFileSync(join(ROOT, m.file), 'utf8');
    for (const e of m.edits) {
      t.not(e.find, e.replace, m.id);
      t.is(occurrences(source, e.find), 1, `${m.id}: find text in ${m.file}`);
      source = source.replace(e.find, () => e.replace);
    }
  }
});

test('a built mutant is killed by a small explore; the unmutated build stays clean', async (t) => {
  const m = MUTANTS.find((x) => x.id === 'zap-skips-last-pte')!;
  const explore = ['explore', '--seeds', '1..20', '--jobs', '1', '--stop-on-first', '--quiet', '--strategy', 'random'];
  const built = buildMutant(m);
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-mutant-test-'));
  try {
    if ('error' in built) return t.fail(built.error);
    const mutated = await search(built.cli, [...explore, '--schedule-dir', join(scratch, 'schedules')], join(scratch, 'm.json'), 60_000);
    t.is(mutated.verdict, 'killed', JSON.stringify(mutated));
    t.truthy(mutated.oracle);
    t.true(mutated.schedules! >= 1 && mutated.schedules! <= 20);
    const clean = await search(join(ROOT, 'dist/src/cli/main.js'), [...explore, '--schedule-dir', join(scratch, 'schedules')], join(scratch, 'c.json'), 60_000);
    t.is(clean.verdict, 'survived', JSON.stringify(clean));
  } finally {
    removeBuild(built);
    rmSync(scratch, { recursive: true, force: true });
  }
});
