import test from 'ava';
import { ConfigError, makeConfig } from '../src/config.js';
import { Layout } from '../src/shm/layout.js';

test('defaults are valid and the layout regions do not overlap', (t) => {
  const cfg = makeConfig({});
  const lay = new Layout(cfg);
  const regions = [lay.stats, lay.thread, lay.ipi, lay.frameOracle, lay.pageMeta, lay.data, ...lay.alloc, lay.ptes, lay.ptl, lay.mm, lay.bo, lay.iMmap, lay.tlb, lay.words];
  for (let i = 1; i < regions.length; i++) t.true((regions[i] as number) > (regions[i - 1] as number), `region ${i} after region ${i - 1}`);
});

test('bad values are rejected with one-line messages', (t) => {
  for (const bad of [{ cpus: 0 }, { cpus: 2.5 }, { pages: -1 }, { prefault: '8' as never }, { noise: 2 }, { strictWaits: 'yes' as never }, { bugs: ['nope' as never] }, { tlbEntries: 30, tlbWays: 4 }, { seconds: 0, ops: 0 }]) {
    const e = t.throws(() => makeConfig(bad), { instanceOf: ConfigError });
    t.false(e!.message.includes('\n'));
  }
});
