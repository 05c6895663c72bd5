// `faultline bugs`: every catalog entry says which Linux era its mechanism belongs to, and whether the
// model shows the cited source's own mechanism or an analogue of it (then why), in JSON and in text.
import test from 'ava';
import { ERA_DESIGNS } from '../../src/bugs/catalog.js';
import { BUG_NAMES } from '../../src/bugs/switches.js';
import { run, scratch } from './run.js';

interface Entry {
  name: string;
  era: { design: string; fix?: string };
  mechanism: { kind: string; reason?: string };
  absent?: Record<string, string>;
}

const dir = scratch();

test('bugs --json: an era and a mechanism for every bug, a reason for every analogue', (t) => {
  const r = run(dir, ['bugs', '--json']);
  t.is(r.status, 0, r.stderr);
  const entries = (JSON.parse(r.stdout) as { bugs: Entry[] }).bugs;
  t.deepEqual(entries.map((e) => e.name), [...BUG_NAMES]);
  for (const e of entries) {
    t.true((ERA_DESIGNS as readonly string[]).includes(e.era.design), `${e.name}: era ${e.era.design}`);
    if (e.era.fix !== undefined) t.regex(e.era.fix, /^[^\n]+$/, `${e.name}: fix on one line`);
    t.true(e.mechanism.kind === 'cited' || e.mechanism.kind === 'analogue', `${e.name}: mechanism ${e.mechanism.kind}`);
    if (e.mechanism.kind === 'analogue') t.regex(e.mechanism.reason ?? '', /^[^\n]{20,}$/, `${e.name}: an analogue says why, on one line`);
    else t.is(e.mechanism.reason, undefined, `${e.name}: a cited mechanism has no reason`);
  }
  t.true(entries.some((e) => e.mechanism.kind === 'analogue') && entries.some((e) => e.mechanism.kind === 'cited'));
});

test('bugs: each entry prints its era and its mechanism, one line each', (t) => {
  const json = (JSON.parse(run(dir, ['bugs', '--json']).stdout) as { bugs: Entry[] }).bugs;
  const r = run(dir, ['bugs']);
  t.is(r.status, 0, r.stderr);
  const blocks = r.stdout.trim().split('\n\n');
  t.is(blocks.length, json.length);
  for (const [i, e] of json.entries()) {
    const lines = blocks[i]!.split('\n');
    t.true(lines[0]!.startsWith(`${e.name}  [oracle `), lines[0]);
    const era = lines.filter((l) => l.startsWith('  era: '));
    const mechanism = lines.filter((l) => l.startsWith('  mechanism: '));
    t.deepEqual(era, [`  era: ${e.era.design}${e.era.fix ? `; fix: ${e.era.fix}` : ''}`], e.name);
    t.deepEqual(mechanism, [`  mechanism: ${e.mechanism.kind === 'analogue' ? `analogue: ${e.mechanism.reason}` : 'cited'}`], e.name);
    t.deepEqual(lines.filter((l) => l.startsWith('  not on --driver ')), Object.entries(e.absent ?? {}).map(([d, why]) => `  not on --driver ${d}: ${why}`), e.name);
  }
});
