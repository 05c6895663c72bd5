import { readFileSync } from 'node:fs';
import test from 'ava';
import { ORACLES } from '../../src/check/oracles.js';

test('the README names every oracle in its oracle section', (t) => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Oracles'), readme.indexOf('### Bug switches'));
  for (const o of ORACLES) t.true(section.includes(`\`${o}\``), o);
});
