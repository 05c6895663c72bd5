import test from 'ava';
import * as L from '../../src/shm/layout.js';
import { BO_FIELDS, CTL_FIELDS, describeWord, FO_FIELDS, IPI_FIELDS, lockOf, MM_FIELDS, PG_FIELDS, regionOf, TH_FIELDS, TLB_FIELDS, VMA_FIELDS } from '../../src/shm/words.js';
import { makeConfig } from '../../src/config.js';
import { closeDetPool } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, tracedRun } from '../../src/harness/det_run.js';
import { strategyOf } from '../../src/sched/strategies/index.js';
import { TRACE_STRIDE } from '../../src/sched/det_layout.js';

test.after.always(closeDetPool);

/** The layout's constants with a prefix, but for those that are sizes, values or regions. */
function fields(prefix: string, not: string[] = []): [string, number][] {
  return Object.entries(L).filter(([k, v]) => k.startsWith(prefix) && typeof v === 'number' && !k.endsWith('_STRIDE') && !not.includes(k)) as [string, number][];
}

const TABLES: [string, Readonly<Record<number, string>> | readonly string[], string[]][] = [
  ['CTL_', CTL_FIELDS, []],
  ['ST_', L.STAT_NAMES, []],
  ['TH_', TH_FIELDS, []],
  ['IPI_', IPI_FIELDS, []],
  ['FO_', FO_FIELDS, []],
  ['PG_', PG_FIELDS, []],
  ['RW_', L.RW_FIELD_NAMES, []],
  // the mmap_lock, the page-table lock and the pgd are regions of their own
  ['MM_', MM_FIELDS, ['MM_MMAP_SEM', 'MM_PT_LOCK', 'MM_PGD']],
  // VMA_LOCK is the vm_lock rwsem; VMA_FREE… are values of VMA_ATTACHED
  ['VMA_', VMA_FIELDS, ['VMA_LOCK', 'VMA_FREE', 'VMA_IN_TREE', 'VMA_UNMAPPING']],
  ['BO_', BO_FIELDS, ['BO_BACKING']],
  ['TLB_', TLB_FIELDS, []],
];

for (const [prefix, names, not] of TABLES) {
  test(`every ${prefix}* field the layout defines has a name`, (t) => {
    const all = fields(prefix, not);
    t.true(all.length > 0);
    for (const [k, v] of all) t.truthy((names as Record<number, string | undefined>)[v], `${k} = ${v} has no name`);
  });
}

test('every word a deterministic run touches has a name: no field left unnamed, no bare word number', async (t) => {
  const cfg = makeConfig({ ...SMALL_SCENARIO, pLazy: 0.1, pDma: 0.1, pPrivate: 0.3, faultLock: 'vma' });
  const lay = new L.Layout(cfg);
  const seen = new Set<number>();
  for (const seed of [1, 2, 3, 4]) {
    const r = await tracedRun(detRunSpec({ cfg, strategy: strategyOf({ name: 'random' }), trace: true }), seed);
    for (let i = 0; i < r.traceLen; i++) seen.add(r.sched[r.traceBase + i * TRACE_STRIDE + 2]!);
  }
  seen.delete(-1);
  t.true(seen.size > 100);
  for (const idx of seen) {
    const name = describeWord(lay, idx);
    t.notRegex(name, /\?\d+|^word \d+$|^control\[\d+\]$/, `word ${idx}: ${name}`);
    t.not(regionOf(lay, idx).kind, 'none');
  }
});

test('a word names its lock: every field of an rwsem, a mutex and its waiters word', (t) => {
  const lay = new L.Layout(makeConfig({}));
  t.is(lockOf(lay, lay.mmw(0, L.MM_MMAP_SEM + L.RW_WAITLIST)), 'mm0.mmap_sem');
  t.is(lockOf(lay, lay.vma(0, 1, L.RW_OWNER)), 'mm0.vma1.vm_lock');
  t.is(lockOf(lay, lay.bow(2, L.BO_RESV + 1)), 'bo2.resv');
  t.is(lockOf(lay, lay.page(3, L.PG_LOCKED + 1)), 'page3.lock');
  t.is(lockOf(lay, lay.ptlOf(4)), 'ptl(page 4)');
  t.is(lockOf(lay, lay.mmw(0, L.MM_TLB_GEN)), 'mm0.tlb_gen', 'not a lock: its own name');
});
