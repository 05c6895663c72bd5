import test from 'ava';
import { PG_ANON, PG_MAPCOUNT, PG_PINCOUNT } from '../../src/shm/layout.js';
import { check_dma_target } from '../../src/check/dma_target.js';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detSpec, fired, machine, type Machine } from './machine.js';

test.after.always(closeDetPool);

// the device writes word G (object 0 page 1) for mm 0; frame 10 is a free system frame (objects use frames 0-7)
const G = 8;
const OTHER = 10;

const check = (x: Machine, page: number, mm = 0): string | null => fired(() => check_dma_target(x.task(0), mm, G, page));

test('quiet: the write lands in the object page the user sees', (t) => {
  const x = machine();
  t.is(check(x, x.m[x.lay.backing(0, 1)]!), null);
});

test('fires: the pinned object page is no longer the object\'s (it moved under the pin)', (t) => {
  const x = machine();
  const old = x.m[x.lay.backing(0, 1)]!;
  x.m[x.lay.backing(0, 1)] = OTHER;
  t.is(check(x, old), 'dma-target');
});

test('private copies: mapped, or unmapped but still pinned, is quiet; unpinned or another process\'s fires', (t) => {
  const x = machine();
  x.m[x.lay.page(OTHER, PG_ANON)] = x.lay.anonId(0, 0, 1);
  x.m[x.lay.page(OTHER, PG_MAPCOUNT)] = 1;
  t.is(check(x, OTHER), null);
  x.m[x.lay.page(OTHER, PG_MAPCOUNT)] = 0;
  x.m[x.lay.page(OTHER, PG_PINCOUNT)] = 1;
  t.is(check(x, OTHER), null, 'the process unmapped its copy; the pin keeps the page');
  t.is(check(x, OTHER, 1), 'dma-target', 'mm 0\'s copy is not what mm 1 sees');
  x.m[x.lay.page(OTHER, PG_PINCOUNT)] = 0;
  t.is(check(x, OTHER), 'dma-target');
});

test.serial('a page moved while pinned (R9) is caught by dma-target; DMA on the correct protocol is not', async (t) => {
  const info = BUG_CATALOG.find((b) => b.name === 'migrate-pinned-page')!;
  const bad = await explore({ spec: detSpec({ ...info.scenario!.config, bugs: ['migrate-pinned-page'] }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  t.is(bad.failures[0]?.violation.oracle, 'dma-target');
  const good = await explore({ spec: detSpec({ pDma: 0.2, pPrivate: 0.5, placement: 'system', pMigratePage: 0.5 }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(good.failures, [], good.failures[0]?.violation.message);
});
