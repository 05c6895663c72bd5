import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { FO_STATE, IPI_ACK, IPI_END, IPI_REQ, IPI_START, Layout, MM_PGD, PG_REFCOUNT } from '../../src/shm/layout.js';
import { label } from '../../src/sched/labels.js';
import { TRACE_WAIT } from '../../src/sched/det_layout.js';
import { mk_pte } from '../../src/mm/pte.js';
import { explainRace } from '../../src/report/explain.js';
import type { ViolationInfo } from '../../src/check/violation.js';

// a tiny machine: cpu0, cpu1, migrator0; vpn 1 of mm 0 is entry 1 of page-table page 0
const cfg = makeConfig({ cpus: 2, migrators: 1, ptrsPerPte: 4 });
const lay = new Layout(cfg);
const names = ['cpu0', 'cpu1', 'migrator0'];
const PTE = lay.pte(0, 1);
const P = mk_pte(5, false, true, false);
const violation: ViolationInfo = {
  oracle: 'stale-tlb', message: "frame 5 freed while cpu1's TLB still maps it", cpu: 2, thread: 'migrator0', step: 0,
  refs: { mm: 0, vpn: 1, cpu: 1, frame: 5 },
};

/** A run's trace from rows of [thread, label, word, value found], and the machine it left. */
function run(rows: [number, string | [string], number, number][], end: Record<number, number>): { trace: { sched: Int32Array; traceBase: number; traceLen: number }; m: Int32Array } {
  // [label]: a wait's row
  const sched = Int32Array.from(rows.flatMap(([t, l, w, v]) => [t, typeof l === 'string' ? label(l) : label(l[0]) | TRACE_WAIT, w, v]));
  const m = new Int32Array(lay.words);
  m[lay.mmw(0, MM_PGD)] = 1; // pgd[0] → page-table page 0
  for (const [w, v] of Object.entries(end)) m[Number(w)] = v;
  return { trace: { sched, traceBase: 0, traceLen: rows.length }, m };
}

type Row = Parameters<typeof run>[0][number];

/** The story of the whole run, whitespace squeezed. */
function story(rows: Row[], end: Record<number, number>): string[] {
  const { trace, m } = run(rows, end);
  return explainRace(lay, names, trace, m, violation, rows.length).map((l) => l.replace(/\s+/g, ' ').trim());
}

const BOX = lay.ipiBox(1, 2);

/** migrator0 posts a flush IPI to cpu1 for [start, end) and waits; cpu1 runs it. The machine's
 * box words as the run leaves them. */
function flushIpi(start: number, end: number): { rows: Row[]; box: Record<number, number> } {
  return {
    rows: [
      [2, 'ipi:send', BOX + IPI_START, 0],
      [2, 'ipi:send', BOX + IPI_END, 0],
      [2, 'ipi:send', BOX + IPI_REQ, 0],
      // the sender waits on the ack word: a read of the target's word, not an event of its own
      [2, ['ipi:wait_ack'], BOX + IPI_ACK, 0],
      [1, 'ipi:service', BOX + IPI_ACK, 0],
    ],
    box: { [BOX + IPI_START]: start, [BOX + IPI_END]: end, [BOX + IPI_REQ]: 1, [BOX + IPI_ACK]: 1 },
  };
}

test('explain tells a missing shootdown in the order the accesses ran: an access stopped at by a switch runs when its thread resumes', (t) => {
  t.deepEqual(story([
    [1, 'walk:pte', PTE, P],
    [1, 'user:load', -1, 0],
    // the migrator stops before its zap: cpu0 walks first and still finds the PTE
    [2, 'zap_pte_range:ptl', PTE, P],
    [0, 'walk:pte', PTE, P],
    [0, 'thread:exit', -1, 0],
    [2, 'page:ref', lay.page(5, PG_REFCOUNT), 1],
    [2, 'frames:free', lay.fo(5, FO_STATE), 1],
    [2, 'thread:exit', -1, 0],
    [1, 'thread:exit', -1, 0],
  ], { [PTE]: 0, [lay.page(5, PG_REFCOUNT)]: 0, [lay.fo(5, FO_STATE)]: 0 }), [
    'step 0 cpu1 walked the page table for vpn 1: frame 5, now in its TLB',
    'step 3 cpu0 walked the page table for vpn 1: frame 5, now in its TLB',
    'step 2↷ migrator0 cleared the PTE of vpn 1 (it mapped frame 5) in zap_pte_range',
    'step 5 migrator0 dropped the last reference to page 5 (page:ref)',
    'step 6 migrator0 freed frame 5',
    'no flush IPI reached cpu1 after migrator0 changed that PTE at step 2',
    "then migrator0: stale-tlb: frame 5 freed while cpu1's TLB still maps it",
  ]);
});

test('explain names the IPIs to the CPU the violation is about, and claims no missing flush once that CPU ran one', (t) => {
  // the request's range: vpns [1, 2)
  const ipi = flushIpi(1, 2);
  t.deepEqual(story([
    [0, 'walk:pte', PTE, P],
    [0, 'user:load', -1, 0],
    [1, 'walk:pte', PTE, P],
    [1, 'walk:pte', PTE, P],
    [1, 'user:load', -1, 0],
    [2, 'zap_pte_range:ptl', PTE, P],
    ...ipi.rows,
    [1, 'thread:exit', -1, 0],
    [2, 'thread:exit', -1, 0],
  ], { [PTE]: 0, ...ipi.box }), [
    // the story starts at the violating CPU's last fill (said once, though it walked twice)
    '(1 earlier events on these words left out: replay shows every step)',
    'step 2 cpu1 walked the page table for vpn 1: frame 5, now in its TLB',
    'step 5 migrator0 cleared the PTE of vpn 1 (it mapped frame 5) in zap_pte_range',
    'step 8 migrator0 sent cpu1 a flush IPI',
    'step 10 cpu1 ran the flush IPI from migrator0',
    "then migrator0: stale-tlb: frame 5 freed while cpu1's TLB still maps it",
  ]);
});

test('a flush IPI for other addresses is said to be one, and does not count as the missing flush', (t) => {
  const ipi = flushIpi(7, 9);
  t.deepEqual(story([
    [1, 'walk:pte', PTE, P],
    [1, 'user:load', -1, 0],
    [2, 'zap_pte_range:ptl', PTE, P],
    ...ipi.rows,
    [1, 'thread:exit', -1, 0],
    [2, 'thread:exit', -1, 0],
  ], { [PTE]: 0, ...ipi.box }), [
    'step 0 cpu1 walked the page table for vpn 1: frame 5, now in its TLB',
    'step 2 migrator0 cleared the PTE of vpn 1 (it mapped frame 5) in zap_pte_range',
    'step 5 migrator0 sent cpu1 a flush IPI (for other addresses)',
    'step 7 cpu1 ran the flush IPI from migrator0 (for other addresses)',
    'no flush IPI reached cpu1 after migrator0 changed that PTE at step 2',
    "then migrator0: stale-tlb: frame 5 freed while cpu1's TLB still maps it",
  ]);
});
