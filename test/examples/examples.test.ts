// Every example a user copies: explore finds its bug within 2,000 schedules, the schedule file
// replays it, and its fixed variant stays clean over 10,000 schedules.
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { explore, replay } from '../../src/index.js';
import { scratch } from '../cli/run.js';

const EXAMPLES: { name: string; oracle: string }[] = [
  { name: 'lost_update', oracle: 'test:check' },
  { name: 'abba_deadlock', oracle: 'deadlock' },
  { name: 'seqlock', oracle: 'test:torn-read' },
  { name: 'condvar', oracle: 'deadlock' },
  { name: 'ring', oracle: 'test:unpublished-read' },
  { name: 'depth3', oracle: 'test:order' },
];

const dir = scratch();
const file = (name: string): string => fileURLToPath(new URL(`../../examples/${name}.js`, import.meta.url));

for (const ex of EXAMPLES) {
  test.serial(`${ex.name}: explore finds the bug (${ex.oracle}) and its schedule file replays it`, async (t) => {
    const r = await explore({ test: file(ex.name), seeds: { start: 1, count: 2000 }, scheduleDir: `${dir}/${ex.name}`, stopOnFirst: true });
    t.deepEqual(r.errors, []);
    const f = r.failures[0];
    if (f === undefined) return t.fail('no failure found');
    t.is(f.oracle, ex.oracle, f.message);
    t.regex(f.replay, new RegExp(`npx faultline replay --test \\S*examples/${ex.name}\\.js --strategy portfolio --seed ${f.seed}`));
    const again = await replay({ schedule: f.scheduleFile });
    t.true(again.reproduced, again.verdict);
    t.is(String(again.violation?.oracle), ex.oracle);
    t.is(again.traceHash, f.traceHash);
  });

  test.serial(`${ex.name}: the fixed variant stays clean over 10,000 schedules`, async (t) => {
    const r = await explore({ test: `${file(ex.name)}#fixed`, seeds: { start: 1, count: 10_000 }, jobs: 2, scheduleDir: `${dir}/${ex.name}-fixed` });
    t.is(r.schedules, 10_000);
    t.deepEqual(r.failures, []);
    t.deepEqual(r.errors, []);
  });
}
