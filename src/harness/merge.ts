// Merges explore results of disjoint seed ranges (the shards of one exploration, run on several
// machines) into the result one run over their union would give: the schedules summed, the
// failures in seed order with one shrunk failure kept per oracle and shrunk interleaving, the
// coverage recomputed from the union of the ordered pairs, lockstat rows summed per class. Files
// from another faultline build, machine, test, strategy or budget are refused, as are overlapping
// seed ranges.
import type { ExploreJson } from '../cli/explore_json.js';
import type { LockstatRow } from '../profile/types.js';
import { label } from '../sched/labels.js';
import { summarizeCoverage } from './coverage.js';

export class MergeError extends Error {}

/** What must be equal for two results to be parts of one exploration. */
function identity(d: ExploreJson): string {
  return JSON.stringify({
    version: d.tool.version, commit: d.tool.commit.replace(/-dirty$/, ''), strategy: d.strategy, test: d.test ?? null, config: d.config ?? null,
    maxSteps: d.maxSteps, moves: d.moves, coverage: d.coverage !== undefined,
  });
}

function differences(a: ExploreJson, b: ExploreJson): string {
  if (a.tool.version !== b.tool.version || a.tool.commit.replace(/-dirty$/, '') !== b.tool.commit.replace(/-dirty$/, '')) return `faultline ${a.tool.version} (${a.tool.commit}) and ${b.tool.version} (${b.tool.commit})`;
  // the machine first: the strategy as run is calibrated on it, so a machine change shows there too
  if ((a.test ?? null) !== (b.test ?? null) || JSON.stringify(a.config ?? null) !== JSON.stringify(b.config ?? null)) return 'different machines or tests';
  if (a.maxSteps !== b.maxSteps || a.moves !== b.moves) return 'different --max-steps or --moves';
  if (JSON.stringify(a.strategy) !== JSON.stringify(b.strategy)) return 'different strategies';
  return 'one measured coverage and the other did not';
}

type Files = { file: string; doc: ExploreJson }[];

export function mergeExplore(files: Files): ExploreJson {
  if (files.length === 0) throw new MergeError('nothing to merge');
  const first = files[0]!;
  for (const f of files.slice(1)) {
    if (identity(f.doc) !== identity(first.doc)) throw new MergeError(`${first.file} and ${f.file} are not parts of one exploration: ${differences(first.doc, f.doc)}`);
  }
  const ranges = files.map((f) => ({ file: f.file, lo: f.doc.seeds.start, hi: f.doc.seeds.start + f.doc.seeds.count })).sort((a, b) => a.lo - b.lo);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.lo < ranges[i - 1]!.hi) throw new MergeError(`${ranges[i - 1]!.file} and ${ranges[i]!.file} overlap (seeds ${ranges[i]!.lo}..${Math.min(ranges[i]!.hi, ranges[i - 1]!.hi) - 1})`);
  }
  const start = ranges[0]!.lo;
  const docs = files.map((f) => f.doc);
  const { $schema, tool, command, strategy, test, config, maxSteps, moves } = first.doc;
  const schedules = docs.reduce((n, d) => n + d.schedules, 0);
  const seconds = Math.max(...docs.map((d) => d.seconds));
  return {
    $schema, tool, command, interrupted: docs.find((d) => d.interrupted !== null)?.interrupted ?? null,
    schedules, schedulesPerSec: docs.reduce((n, d) => n + d.schedulesPerSec, 0), seconds,
    strategy, ...(test !== undefined ? { test } : {}), ...(config !== undefined ? { config } : {}), maxSteps, moves,
    exhausted: docs.every((d) => d.exhausted),
    seeds: { start, count: ranges.at(-1)!.hi - start },
    merged: files.map((f) => f.file),
    failures: mergeFailures(docs),
    errors: docs.flatMap((d) => d.errors),
    ...(first.doc.coverage ? { coverage: mergeCoverage(docs, start, schedules) } : {}),
    ...(docs.some((d) => lockstatOf(d)) ? { lockstat: mergeLockstat(docs.map(lockstatOf).filter((r): r is LockstatRow[] => r !== undefined)) } : {}),
  };
}

/** Every failure, by seed; of the shrunk ones, one per oracle and shrunk interleaving (each shard
 * shrinks the first failure of each oracle it found: the same race often shrinks to one schedule). */
function mergeFailures(docs: readonly ExploreJson[]): ExploreJson['failures'] {
  const seen = new Set<string>();
  return docs.flatMap((d) => d.failures).sort((a, b) => a.seed - b.seed).map((f) => {
    if (!f.shrunk) return f;
    const key = `${f.oracle} ${f.shrunk.traceHash}`;
    if (!seen.has(key)) {
      seen.add(key);
      return f;
    }
    const { shrunk: _dropped, ...rest } = f;
    return rest;
  });
}

/** The union of the ordered pairs, each at its first schedule counted over the whole range. */
function mergeCoverage(docs: readonly ExploreJson[], start: number, schedules: number): NonNullable<ExploreJson['coverage']> {
  const first = new Map<string, { a: number; b: number; first: number }>();
  for (const d of docs) {
    const offset = d.seeds.start - start;
    for (const p of d.coverage!.orderedPairs) {
      const key = `${p.a}\n${p.b}`;
      const at = p.first + offset;
      const had = first.get(key);
      if (had === undefined || at < had.first) first.set(key, { a: label(p.a), b: label(p.b), first: at });
    }
  }
  const lost = docs.reduce((n, d) => n + d.coverage!.lost, 0);
  return summarizeCoverage({ pairs: [...first.values()], lost }, schedules);
}

function lockstatOf(d: ExploreJson): LockstatRow[] | undefined {
  return (d as { lockstat?: LockstatRow[] }).lockstat;
}

/** Lockstat rows summed per class: counts and totals add, minima and maxima hold, averages follow. */
function mergeLockstat(parts: readonly LockstatRow[][]): LockstatRow[] {
  const by = new Map<string, LockstatRow>();
  const points = (a: { label: string; count: number }[], b: { label: string; count: number }[]): { label: string; count: number }[] => {
    const m = new Map<string, number>();
    for (const p of [...a, ...b]) m.set(p.label, (m.get(p.label) ?? 0) + p.count);
    return [...m].map(([l, count]) => ({ label: l, count })).sort((x, y) => y.count - x.count || x.label.localeCompare(y.label)).slice(0, Math.max(a.length, b.length));
  };
  for (const r of parts.flat()) {
    const o = by.get(r.class);
    if (!o) {
      by.set(r.class, { ...r, contentionPoints: [...r.contentionPoints], holderPoints: [...r.holderPoints] });
      continue;
    }
    o.waittimeMin = o.contentions === 0 ? r.waittimeMin : r.contentions === 0 ? o.waittimeMin : Math.min(o.waittimeMin, r.waittimeMin);
    o.holdtimeMin = o.holdSamples === 0 ? r.holdtimeMin : r.holdSamples === 0 ? o.holdtimeMin : Math.min(o.holdtimeMin, r.holdtimeMin);
    o.conBounces += r.conBounces;
    o.contentions += r.contentions;
    o.waittimeMax = Math.max(o.waittimeMax, r.waittimeMax);
    o.waittimeTotal += r.waittimeTotal;
    o.acqBounces += r.acqBounces;
    o.acquisitions += r.acquisitions;
    o.holdtimeMax = Math.max(o.holdtimeMax, r.holdtimeMax);
    o.holdtimeTotal += r.holdtimeTotal;
    o.holdSamples += r.holdSamples;
    o.waittimeAvg = o.contentions ? o.waittimeTotal / o.contentions : 0;
    o.holdtimeAvg = o.holdSamples ? o.holdtimeTotal / o.holdSamples : 0;
    o.contentionPoints = points(o.contentionPoints, r.contentionPoints);
    o.holderPoints = points(o.holderPoints, r.holderPoints);
  }
  return [...by.values()].sort((a, b) => b.contentions - a.contentions || a.class.localeCompare(b.class));
}
