// The human-readable end of a stress run.
import type { StressResult } from '../harness/stress.js';

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(n % 1 ? 1 : 0));
const us = (ns: number): string => `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 1)} µs`;

export function formatSummary(r: StressResult): string {
  const c = r.config;
  const t = r.measured;
  const cpus = r.perThread.slice(0, c.cpus);
  const lines = [
    `faultline stress: ${c.cpus} CPUs, ${c.migrators} migrator(s), ${c.processes} processes, ${c.objects} objects × ${c.pages} pages, prefault ${c.prefault}, fault lock ${c.faultLock}, seed ${r.seed}${c.bugs.length ? `, bugs: ${c.bugs.join(', ')}` : ''}`,
    `  measured ${r.seconds.toFixed(2)} s${r.warmupSeconds > 0 ? ` after a ${r.warmupSeconds.toFixed(2)} s warm-up (discarded)` : ''}; ${r.wallSeconds.toFixed(2)} s in all`,
    `  accesses    ${fmt(t.accesses).padStart(9)}  ${fmt(r.accessesPerSec).padStart(8)}/s   (TLB hits on first try ${fmt(t.tlbHits)})`,
    `  faults      ${fmt(r.faults).padStart(9)}  ${fmt(r.faultsPerSec).padStart(8)}/s   (retries ${fmt(t.retries)}, SIGSEGV ${fmt(t.segv)}, PTEs installed ${fmt(t.pteInstalls)})`,
    `  migrations  ${fmt(r.migrations).padStart(9)}  ${fmt(r.migrationsPerSec).padStart(8)}/s`,
    `  shootdowns  ${fmt(r.shootdowns).padStart(9)}  ${fmt(r.shootdownsPerSec).padStart(8)}/s   (IPIs sent ${fmt(t.ipisSent)}, acked ${fmt(t.ipisReceived)})`,
    `  mmap/munmap ${fmt(t.mmaps)}/${fmt(t.munmaps)}, mprotect ${fmt(t.mprotects)}, mremap ${fmt(t.mremaps)}, copy-on-write ${fmt(t.cows)}`,
    ...(c.faultLock === 'vma' ? [`  per-VMA-lock faults ${fmt(t.vmaLockFaults)}, fell back to mmap_sem ${fmt(t.vmaLockFallbacks)}`] : []),
    `  per CPU     accesses ${cpus.map((p) => fmt(p.accesses)).join(' / ')}, faults ${cpus.map((p) => fmt(p.faults)).join(' / ')}`,
    `  fault latency p50 ${us(r.latencyNs.p50)}, p90 ${us(r.latencyNs.p90)}, p99 ${us(r.latencyNs.p99)}, p99.9 ${us(r.latencyNs.p999)}, max ${us(r.latencyNs.max)} (${fmt(r.latencyNs.count)} faults)`,
    `  violations  ${r.violations.length}`,
  ];
  for (const v of r.violations) lines.push(`    ${v.oracle} [${v.thread}, step ${v.step}${v.obj !== undefined ? `, object ${v.obj}` : ''}${v.addr !== undefined ? `, vpn ${v.addr}` : ''}]: ${v.message}`);
  if (r.crash) lines.push(`  CRASH in ${r.crash.thread}: ${r.crash.error.split('\n')[0]}`);
  return lines.join('\n');
}

export function formatProgress(elapsed: number, faults: number, migrations: number, shootdowns: number, violations: number): string {
  const r = (n: number): string => fmt(n / Math.max(elapsed, 1e-3));
  return `${elapsed.toFixed(1)} s  faults ${r(faults)}/s  migrations ${r(migrations)}/s  shootdowns ${r(shootdowns)}/s  violations ${violations}`;
}
