// The trace writer at scale: 1,000,000 recorder-shaped events through writeChromeTrace, in a
// process of its own so its peak RSS is this job's alone. Run by bench/run.ts (section i); prints JSON.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent } from '../src/profile/types.js';
import { writeChromeTrace } from '../src/report/perfetto.js';

export interface TraceWriteBench {
  events: number;
  writeSeconds: number;
  fileMB: number;
  /** peak resident set of the process once the events are built, and after the write */
  peakRssMBBeforeWrite: number;
  peakRssMB: number;
}

const THREADS = ['cpu0', 'cpu1', 'cpu2', 'cpu3', 'migrator0'];

/** Faults with a wait, a hold and a wake flow in them, and a counter: the mix a stress run records. */
function events(n: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; out.length < n; i++) {
    const tid = i % THREADS.length;
    const from = (tid + 1) % THREADS.length;
    const t = i * 2.5;
    out.push(
      { name: 'fault', cat: 'mm', ph: 'X', ts: t, dur: 2, pid: 1, tid, args: { vpn: i & 255, write: true, tried: false } },
      { name: 'wait mm0.mmap_sem', cat: 'lock', ph: 'X', ts: t + 0.1, dur: 0.5, pid: 1, tid, args: { at: 'fault:mmap_sem' } },
      { name: 'hold ptl(page 3)', cat: 'lock', ph: 'b', id: 2 * i, ts: t + 0.7, pid: 1, tid, args: { at: 'fault:finish_fault:ptl', thread: THREADS[tid] } },
      { name: 'hold ptl(page 3)', cat: 'lock', ph: 'e', id: 2 * i, ts: t + 0.9, pid: 1, tid },
      { name: 'wake mm0.mmap_sem', cat: 'flow', ph: 'X', ts: t + 0.05, dur: 0, pid: 1, tid: from },
      { name: 'wake mm0.mmap_sem', cat: 'flow', ph: 's', id: i, ts: t + 0.05, pid: 1, tid: from },
      { name: 'wake mm0.mmap_sem', cat: 'flow', ph: 'X', ts: t + 0.6, dur: 0, pid: 1, tid },
      { name: 'wake mm0.mmap_sem', cat: 'flow', ph: 'f', id: i, bp: 'e', ts: t + 0.6, pid: 1, tid },
      { name: 'pte install', cat: 'mm', ph: 'i', s: 't', ts: t + 1.5, pid: 1, tid, args: { mm: 0, vpn: i & 255, pte: '0x73f' } },
      { name: 'mm0.mmap_sem', cat: 'counter', ph: 'C', ts: t + 1.9, pid: 1, tid, args: { readers: 1, waiters: 0 } },
    );
  }
  return out;
}

const mb = (kb: number): number => Math.round(kb / 1024);

export function benchTraceWrite(n = 1_000_000): TraceWriteBench {
  const list = events(n);
  const peakRssMBBeforeWrite = mb(process.resourceUsage().maxRSS);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-trace-'));
  try {
    const file = join(dir, 'trace.json');
    const t0 = performance.now();
    const { events: written } = writeChromeTrace(file, { events: list, capped: false, cap: 0 }, { threadNames: THREADS, unit: 'ns' });
    const writeSeconds = (performance.now() - t0) / 1000;
    return { events: written, writeSeconds, fileMB: Math.round(statSync(file).size / 2 ** 20), peakRssMBBeforeWrite, peakRssMB: mb(process.resourceUsage().maxRSS) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) console.log(JSON.stringify(benchTraceWrite()));
