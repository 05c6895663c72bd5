// Interleaving coverage of an explore (sched/coverage.ts measures it per group): the groups' ordered
// pairs merged (each with the first schedule that saw it), then counted as pairs of labels seen at
// all and seen in both orders, with the growth over schedules: when the both-orders count stops
// growing, more schedules of that strategy stop paying.
import type { OrderedPair } from '../sched/coverage.js';
import { labelName } from '../sched/labels.js';

export interface CoveragePoint {
  schedules: number;
  pairs: number;
  bothOrders: number;
}

export interface CoverageSummary {
  /** pairs of point labels seen conflicting (same word, two threads, one a write), in either order */
  pairs: number;
  /** of those, seen in both orders (a label paired with itself counts once seen) */
  bothOrders: number;
  /** bothOrders / pairs (0 when no pair was seen) */
  fraction: number;
  /** ordered pairs that did not fit the set (the counts are then lower bounds) */
  lost: number;
  /** the counts after the first n schedules */
  curve: CoveragePoint[];
  /** pairs seen in one order only, as `first → second`, the first few by label */
  oneOrder: string[];
  /** every ordered pair by its labels' names, with the first schedule that saw it (what merges
   * exactly with another explore's: `faultline merge`) */
  orderedPairs: { a: string; b: string; first: number }[];
}

/** The groups' ordered pairs as one set: each pair with the earliest schedule that saw it. */
export function mergePairs(parts: readonly { pairs: OrderedPair[]; lost: number }[]): { pairs: OrderedPair[]; lost: number } {
  const first = new Map<string, OrderedPair>();
  for (const part of parts) {
    for (const p of part.pairs) {
      const key = `${p.a},${p.b}`;
      const had = first.get(key);
      if (had === undefined || p.first < had.first) first.set(key, p);
    }
  }
  return { pairs: [...first.values()], lost: parts.reduce((n, p) => n + p.lost, 0) };
}

/** The counts over `schedules` schedules, with the curve at `points` evenly spaced schedule counts. */
export function summarizeCoverage(merged: { pairs: OrderedPair[]; lost: number }, schedules: number, points = 40): CoverageSummary {
  // per unordered pair: when each order was first seen (a self-pair has one order)
  const orders = new Map<string, { ab: number; ba: number; a: number; b: number }>();
  for (const p of merged.pairs) {
    const [lo, hi] = p.a <= p.b ? [p.a, p.b] : [p.b, p.a];
    const key = `${lo},${hi}`;
    const o = orders.get(key) ?? { ab: Infinity, ba: Infinity, a: lo, b: hi };
    if (p.a === lo) o.ab = Math.min(o.ab, p.first);
    if (p.a === hi) o.ba = Math.min(o.ba, p.first);
    orders.set(key, o);
  }
  const seenAt = (o: { ab: number; ba: number }): number => Math.min(o.ab, o.ba);
  const bothAt = (o: { ab: number; ba: number; a: number; b: number }): number => (o.a === o.b ? o.ab : Math.max(o.ab, o.ba));
  const all = [...orders.values()];
  const countAt = (n: number): CoveragePoint => ({ schedules: n, pairs: all.filter((o) => seenAt(o) <= n).length, bothOrders: all.filter((o) => bothAt(o) <= n).length });
  const marks = [...new Set(Array.from({ length: points }, (_, i) => Math.ceil(((i + 1) * schedules) / points)))].filter((n) => n >= 1);
  const end = countAt(schedules);
  const oneOrder = all.filter((o) => bothAt(o) === Infinity).map((o) => (o.ab < Infinity ? `${labelName(o.a)} → ${labelName(o.b)}` : `${labelName(o.b)} → ${labelName(o.a)}`)).sort();
  return {
    pairs: end.pairs, bothOrders: end.bothOrders, fraction: end.pairs === 0 ? 0 : end.bothOrders / end.pairs, lost: merged.lost,
    curve: marks.map(countAt), oneOrder: oneOrder.slice(0, 20),
    orderedPairs: merged.pairs.map((p) => ({ a: labelName(p.a), b: labelName(p.b), first: p.first })).sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b)),
  };
}
