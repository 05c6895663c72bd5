// A synthetic profile with known numbers, shared by the report tests (and usable to render a sample report).
import type { ContentionRecord, LockstatRow, ProfileData, TraceEvent } from '../../src/profile/types.js';

function row(cls: string, contentions: number, waitTotal: number, extra: Partial<LockstatRow> = {}): LockstatRow {
  const acquisitions = extra.acquisitions ?? contentions * 10 + 100;
  return {
    class: cls,
    conBounces: Math.floor(contentions / 2),
    contentions,
    waittimeMin: contentions ? 120 : 0,
    waittimeMax: contentions ? waitTotal / 4 : 0,
    waittimeTotal: waitTotal,
    waittimeAvg: contentions ? waitTotal / contentions : 0,
    acqBounces: Math.floor(acquisitions / 3),
    acquisitions,
    holdtimeMin: 80,
    holdtimeMax: 250_000,
    holdtimeTotal: acquisitions * 900,
    holdtimeAvg: 900,
    holdSamples: acquisitions,
    contentionPoints: [],
    holderPoints: [],
    ...extra,
  };
}

/** Lockstat rows in a scrambled order; by contentions they are ptl, mmap_lock-R, ipi_ack, mmap_lock-W, resv, i_mmap_rwsem-R, page_lock. */
export const LOCKSTAT: LockstatRow[] = [
  row('resv', 7, 84_000, { holderPoints: [{ label: 'ttm_move:reserve', count: 5 }, { label: 'execbuf:reserve', count: 2 }], contentionPoints: [{ label: 'ttm_fault:trylock_resv', count: 7 }] }),
  row('mmap_lock-W', 12, 3_600_000, {
    contentionPoints: [{ label: 'munmap:down_write', count: 9 }, { label: 'mmap:down_write', count: 3 }],
    holderPoints: [{ label: 'fault:down_read', count: 12 }],
  }),
  row('page_lock', 0, 0),
  row('ptl', 95, 190_000, {
    // six points, unsorted: the table keeps the top 4 by count
    contentionPoints: [
      { label: 'pte:lock_a', count: 3 },
      { label: 'pte:lock_b', count: 40 },
      { label: 'pte:lock_c', count: 1 },
      { label: 'pte:lock_d', count: 30 },
      { label: 'pte:lock_e', count: 20 },
      { label: 'pte:lock_f', count: 1 },
    ],
    holderPoints: [{ label: 'zap:pte_lock', count: 60 }, { label: 'insert_pfn:pte_lock', count: 35 }],
    holdSamples: 200,
    acquisitions: 1050,
  }),
  row('mmap_lock-R', 40, 1_000_000, {
    contentionPoints: [{ label: 'fault:down_read', count: 38 }, { label: 'madvise:down_read', count: 2 }],
    holderPoints: [{ label: 'munmap:down_write', count: 30 }, { label: 'mmap:down_write', count: 10 }],
    waittimeAvg: 25_000,
    waittimeMax: 400_000,
  }),
  row('i_mmap_rwsem-R', 3, 9_000),
  // a wait that is not a lock: no holder points
  row('ipi_ack', 20, 500_000, { contentionPoints: [{ label: 'tlb:wait_acks', count: 20 }] }),
];

export const CONTENTION_ORDER = ['ptl', 'mmap_lock-R', 'ipi_ack', 'mmap_lock-W', 'resv', 'i_mmap_rwsem-R', 'page_lock'];

const rec = (label: string, wait: number, cpu: string, instance: string, cls: string): ContentionRecord => ({ class: cls, instance, cpu, label, wait });

/**
 * By point: A = 4 × 10 (contended 4, total 40, max 10, avg 10); B = 100 + 5 (2, 105, 100, 52.5);
 * C = 60 (1, 60, 60, 60). So contended → A B C, wait_total → B C A, wait_max → B C A, avg_wait → C B A.
 * By cpu: cpu0 = A,A,B(100) = 120 over 3; cpu1 = A,A,B(5),C = 85 over 4.
 */
export const CONTENTIONS: ContentionRecord[] = [
  rec('A', 10, 'cpu0', 'mm0.mmap_sem', 'mmap_lock-R'),
  rec('A', 10, 'cpu1', 'mm0.mmap_sem', 'mmap_lock-R'),
  rec('B', 100, 'cpu0', 'bo1.resv', 'resv'),
  rec('A', 10, 'cpu0', 'mm1.mmap_sem', 'mmap_lock-R'),
  rec('C', 60, 'cpu1', 'ptl(page 5)', 'ptl'),
  rec('B', 5, 'cpu1', 'bo1.resv', 'resv'),
  rec('A', 10, 'cpu1', 'mm0.mmap_sem', 'mmap_lock-W'),
];

export const THREADS = ['cpu0', 'cpu1', 'migrator0'];

const ev = (e: Partial<TraceEvent> & Pick<TraceEvent, 'ph' | 'ts' | 'tid'>): TraceEvent => ({ name: 'x', cat: 'faultline', pid: 1, ...e });

/** cpu0 and cpu1 fault (B/E with nested X lock holds), the migrator zaps and a flow runs zap → refault on cpu1. Times in trace µs, as the recorder writes them. */
export const TRACE_EVENTS: TraceEvent[] = [
  ev({ name: 'fault', ph: 'B', ts: 1_000, tid: 0, args: { vpn: 3 } }),
  ev({ name: 'mmap_lock-R held', ph: 'X', ts: 1_200, dur: 3_000, tid: 0 }),
  ev({ name: 'pte installed', ph: 'i', s: 't', ts: 3_900, tid: 0 }),
  ev({ name: 'fault', ph: 'E', ts: 4_500, tid: 0 }),
  ev({ name: 'zap', ph: 'X', ts: 5_000, dur: 4_000, tid: 2 }),
  ev({ name: 'zap→refault', cat: 'flow', ph: 's', id: 1, ts: 6_000, tid: 2 }),
  ev({ name: 'readers', ph: 'C', ts: 6_000, tid: 2, args: { mmap_lock: 2 } }),
  ev({ name: 'fault', ph: 'B', ts: 9_500, tid: 1 }),
  ev({ name: 'zap→refault', cat: 'flow', ph: 'f', bp: 'e', id: 1, ts: 9_600, tid: 1 }),
  ev({ name: 'ptl held', ph: 'X', ts: 9_700, dur: 500, tid: 1 }),
  ev({ name: 'fault', ph: 'E', ts: 11_000, tid: 1 }),
];

export function makeProfile(over: Partial<ProfileData> = {}): ProfileData {
  return {
    unit: 'ns',
    lockstat: LOCKSTAT,
    contentions: CONTENTIONS,
    contentionCap: { perThread: 20_000, dropped: 0 },
    lockOrder: {
      edges: [
        { from: 'mmap_lock', to: 'resv', fromMode: 'R', toMode: 'X', label: 'ttm_fault:reserve', thread: 'cpu0', count: 14 },
        { from: 'resv', to: 'mmap_lock', fromMode: 'X', toMode: 'R', label: 'execbuf:copy_from_user', thread: 'cpu1', count: 1 },
        { from: 'mmap_lock', to: 'ptl', fromMode: 'R', toMode: 'X', label: 'fault:pte_lock', thread: 'cpu0', count: 300 },
        { from: 'resv', to: 'page_lock', fromMode: 'X', toMode: 'X', label: 'ttm_move:lock_page', thread: 'migrator0', count: 9 },
      ],
      cycles: [
        {
          chain: ['mmap_lock', 'resv', 'mmap_lock'],
          edges: [
            { from: 'mmap_lock', to: 'resv', fromMode: 'R', toMode: 'X', label: 'ttm_fault:reserve', thread: 'cpu0', count: 14 },
            { from: 'resv', to: 'mmap_lock', fromMode: 'X', toMode: 'R', label: 'execbuf:copy_from_user', thread: 'cpu1', count: 1 },
          ],
          scenario: [
            ' Possible unsafe locking scenario:',
            '',
            '       CPU0                    CPU1',
            '       ----                    ----',
            '  rlock(mmap_lock);',
            '                               lock(resv);',
            '                               rlock(mmap_lock);  <- waits behind a queued writer',
            '  lock(resv);',
          ].join('\n'),
        },
      ],
    },
    trace: { events: TRACE_EVENTS, capped: false, cap: 100_000 },
    faultLatency: {
      p50: 2_100,
      p90: 6_400,
      p99: 21_000,
      p999: 85_000,
      max: 160_000,
      count: 10_000,
      histogram: [
        { valueNs: 1_000, count: 2_000 },
        { valueNs: 2_000, count: 3_500 },
        { valueNs: 4_000, count: 2_500 },
        { valueNs: 8_000, count: 1_200 },
        { valueNs: 16_000, count: 600 },
        { valueNs: 32_000, count: 150 },
        { valueNs: 64_000, count: 40 },
        { valueNs: 128_000, count: 9 },
        { valueNs: 256_000, count: 1 },
      ],
    },
    throughput: Array.from({ length: 10 }, (_, i) => ({
      t: (i + 1) * 0.5,
      faultsPerSec: 40_000 + 3_000 * Math.sin(i),
      accessesPerSec: 2_000_000 + 150_000 * Math.cos(i),
      migrationsPerSec: 800 + 120 * (i % 3),
    })),
    ...over,
  };
}
