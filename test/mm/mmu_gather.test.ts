import test from 'ava';
import { labelName } from '../../src/sched/labels.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { zap_page_range_single } from '../../src/mm/unmap.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { MM_FLUSH_PENDING, MM_TLB_GEN, PG_REFCOUNT } from '../../src/shm/layout.js';
import type { BugName } from '../../src/bugs/switches.js';
import { machine } from '../check/machine.js';

/** One CPU whose mm 0 maps object 0 (2 pages at vpn 0 and 1, both installed by the fault's
 * prefault) with page 0 in its TLB;
 * every point's label is recorded, with the page's reference count and the PTE at that moment. */
function faulted(bugs: BugName[] = []) {
  const points: string[] = [];
  const x = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, pages: 2, bugs }, true, (label) => {
    if (ptep >= 0) points.push(`${labelName(label)} refs=${x.m[x.lay.page(page, PG_REFCOUNT)]} pte=${x.m[ptep]}`);
  });
  let ptep = -1;
  const page = x.m[x.lay.backing(0, 0)]!;
  const t = x.task(0);
  if (!user_access(t, 0, 0, 0, 0, false)) throw new Error('the access failed');
  ptep = x.lay.pte(pte_page(t, 0, 0, 0), 0);
  return { ...x, t, points, ptep, page };
}

test('unhook, flush, then free: the PTE is cleared under the PTL, the TLBs are flushed, and only then the page\'s reference goes', (t) => {
  const x = faulted();
  const refs = x.m[x.lay.page(x.page, PG_REFCOUNT)]!;
  zap_page_range_single(x.t, 0, 0, 0, 2);
  const clear = x.points.findIndex((p) => p.startsWith('zap_pte_range:ptl') && p.endsWith('pte=0'));
  const flush = x.points.findIndex((p) => p.startsWith('tlb:flush:gen'));
  const put = x.points.findIndex((p) => p.startsWith('page:ref'));
  t.true(clear >= 0 && flush > clear && put > flush, x.points.join('\n'));
  t.regex(x.points[flush]!, new RegExp(`refs=${refs} `), 'the page still holds the PTE\'s reference while the flush goes out');
  t.is(x.m[x.lay.page(x.page, PG_REFCOUNT)], refs - 1);
});

test('a second zapper that finds the PTEs already clear still flushes while another zap is in flight (tlb_flush_pending > 1); nested-zap-skips-flush does not', (t) => {
  for (const [bugs, flushes] of [[[], 1], [['nested-zap-skips-flush'], 0]] as const) {
    const x = faulted([...bugs]);
    x.m.fill(0, x.ptep, x.ptep + 2); // another zapper cleared them and has not flushed yet
    x.m[x.lay.mmw(0, MM_FLUSH_PENDING)] = 1;
    const gen = x.m[x.lay.mmw(0, MM_TLB_GEN)]!;
    zap_page_range_single(x.t, 0, 0, 0, 2);
    t.is(x.m[x.lay.mmw(0, MM_TLB_GEN)]! - gen, flushes, bugs.join() || 'correct');
    t.is(x.m[x.lay.mmw(0, MM_FLUSH_PENDING)], 1, 'the gather withdrew its own announcement only');
  }
});

test('alone, a zap that clears nothing flushes nothing', (t) => {
  const x = faulted();
  x.m.fill(0, x.ptep, x.ptep + 2);
  const gen = x.m[x.lay.mmw(0, MM_TLB_GEN)]!;
  zap_page_range_single(x.t, 0, 0, 0, 2);
  t.is(x.m[x.lay.mmw(0, MM_TLB_GEN)], gen);
});
