// Replaying a schedule file against an edited test: the decisions before the edit are followed,
// and the replay reports the first one the edited code no longer reaches.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { explore, replay, StrategyError } from '../../src/index.js';
import { scratch } from '../cli/run.js';

const api = new URL('../../src/index.js', import.meta.url).href;
const dir = scratch();
const file = join(dir, 'deposit.mjs');

const source = (bob: string): string => `import { defineTest } from '${api}';
export default defineTest({
  memory: { balance: 0 },
  threads: {
    alice: (t) => t.store('balance', t.load('balance') + 1),
    bob: (t) => { ${bob} },
  },
  check: ({ balance }) => balance === 2 || 'lost update',
});
`;

test.serial('an edit of one thread: replay follows the decisions before it and reports the first one it no longer reaches', async (t) => {
  writeFileSync(file, source("t.store('balance', t.load('balance') + 1);"));
  const r = await explore({ test: file, strategy: { name: 'random', switchProbability: 0.5 }, seeds: { start: 1, count: 300 }, scheduleDir: join(dir, 's') });
  // a schedule with a decision taken at one of bob's load or store points (which the edit removes)
  const gone = /^bob:(load|store):/;
  const withBob = r.failures.map((f) => ({ f, decisions: (JSON.parse(readFileSync(f.scheduleFile, 'utf8')) as { decisions: { label: string }[] }).decisions })).find((x) => x.decisions.some((d) => gone.test(d.label)));
  if (withBob === undefined) return t.fail('no schedule decides at a point of bob');
  const at = withBob.decisions.findIndex((d) => gone.test(d.label));
  t.true((await replay({ schedule: withBob.f.scheduleFile })).reproduced);
  // bob now deposits with one atomic add: its load and store points are gone
  writeFileSync(file, source("t.add('balance', 1);"));
  const edited = await replay({ schedule: withBob.f.scheduleFile });
  t.false(edited.reproduced);
  t.regex(edited.verdict ?? '', new RegExp(`diverged at decision ${at} of ${withBob.decisions.length} \\(thread 1 at bob:(load|store):balance #1\\)`));
});

test.serial("explore()'s strategy options: one the named strategy does not read, or out of range, is a StrategyError before anything runs", async (t) => {
  writeFileSync(file, source("t.store('balance', t.load('balance') + 1);"));
  await t.throwsAsync(explore({ test: file, strategy: { name: 'random', depth: 2 } }), { instanceOf: StrategyError, message: 'depth applies to pct, not random' });
  await t.throwsAsync(explore({ test: file, strategy: { name: 'pct', depth: 40 } }), { instanceOf: StrategyError, message: 'depth must be at most 16' });
  const r = await explore({ test: file, strategy: { name: 'pct', depth: 2 }, seeds: { start: 1, count: 20 }, scheduleDir: join(dir, 's2') });
  t.is(r.strategy.name, 'pct');
  t.deepEqual(Object.keys(r.strategy).sort(), ['depth', 'name', 'steps']);
});
