// Merging the threads' recorders into one ProfileData: lockstat rows, the lock-order graph and
// its cycles (with a two-CPU deadlock scenario each), and the timeline.
import { CONTENTION_CAP, type ClassAcc, type ProfilePart } from './recorder.js';
import type { LockOrderCycle, LockOrderEdge, LockstatRow, ProfileData, TimeUnit, TraceEvent } from './types.js';

function top(points: Record<string, number>, n: number): { label: string; count: number }[] {
  return Object.entries(points).map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, n);
}

function add(into: ClassAcc, a: ClassAcc): void {
  into.conBounces += a.conBounces;
  into.contentions += a.contentions;
  into.waitMin = Math.min(into.waitMin, a.waitMin ?? Infinity);
  into.waitMax = Math.max(into.waitMax, a.waitMax);
  into.waitTotal += a.waitTotal;
  into.acqBounces += a.acqBounces;
  into.acquisitions += a.acquisitions;
  into.holdMin = Math.min(into.holdMin, a.holdMin ?? Infinity);
  into.holdMax = Math.max(into.holdMax, a.holdMax);
  into.holdTotal += a.holdTotal;
  into.holdSamples += a.holdSamples;
  for (const [k, v] of Object.entries(a.contentionPoints)) into.contentionPoints[k] = (into.contentionPoints[k] ?? 0) + v;
  for (const [k, v] of Object.entries(a.holderPoints)) into.holderPoints[k] = (into.holderPoints[k] ?? 0) + v;
}

export function mergeProfile(parts: ProfilePart[], unit: TimeUnit): Omit<ProfileData, 'faultLatency' | 'throughput'> {
  const classes: Record<string, ClassAcc> = {};
  for (const p of parts) {
    for (const [k, a] of Object.entries(p.classes)) {
      classes[k] ??= { conBounces: 0, contentions: 0, waitMin: Infinity, waitMax: 0, waitTotal: 0, acqBounces: 0, acquisitions: 0, holdMin: Infinity, holdMax: 0, holdTotal: 0, holdSamples: 0, contentionPoints: {}, holderPoints: {} };
      add(classes[k]!, a);
    }
  }
  const r = (x: number): number => Math.round(x * 100) / 100;
  const lockstat: LockstatRow[] = Object.entries(classes).filter(([, a]) => a.acquisitions > 0 || a.contentions > 0).map(([cls, a]) => ({
    class: cls,
    conBounces: a.conBounces,
    contentions: a.contentions,
    waittimeMin: a.contentions ? r(a.waitMin) : 0,
    waittimeMax: r(a.waitMax),
    waittimeTotal: r(a.waitTotal),
    waittimeAvg: a.contentions ? r(a.waitTotal / a.contentions) : 0,
    acqBounces: a.acqBounces,
    acquisitions: a.acquisitions,
    holdtimeMin: a.holdSamples ? r(a.holdMin) : 0,
    holdtimeMax: r(a.holdMax),
    holdtimeTotal: r(a.holdTotal),
    holdtimeAvg: a.holdSamples ? r(a.holdTotal / a.holdSamples) : 0,
    holdSamples: a.holdSamples,
    contentionPoints: top(a.contentionPoints, 4),
    holderPoints: top(a.holderPoints, 4),
  })).sort((x, y) => y.contentions - x.contentions || y.acquisitions - x.acquisitions);

  const edgeMap = new Map<string, LockOrderEdge>();
  for (const p of parts) {
    for (const e of p.edges) {
      const key = `${e.from}:${e.fromMode}>${e.to}:${e.toMode}`;
      const have = edgeMap.get(key);
      if (have) have.count += e.count;
      else edgeMap.set(key, { ...e });
    }
  }
  const edges = [...edgeMap.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const events = parts.flatMap((p) => p.events).sort((a, b) => a.ts - b.ts);
  closeOpenSpans(events);
  return {
    unit,
    lockstat,
    contentions: parts.flatMap((p) => p.contentions),
    contentionCap: { perThread: CONTENTION_CAP, dropped: parts.reduce((n, p) => n + p.contentionsDropped, 0) },
    lockOrder: { edges, cycles: findCycles(edges) },
    trace: { events, capped: parts.some((p) => p.capped), cap: 0 },
  };
}

/** Spans a thread was still in when it stopped (B without E on its track, b without e) end with
 * the trace, innermost first, so that viewers draw them rather than drop them. */
function closeOpenSpans(events: TraceEvent[]): void {
  let end = 0;
  const open = new Map<string, TraceEvent[]>();
  const async = new Map<string, TraceEvent>();
  for (const e of events) {
    end = Math.max(end, e.ts + (e.dur ?? 0));
    if (e.ph === 'B' || e.ph === 'E') {
      const k = `${e.pid}/${e.tid}`;
      let st = open.get(k);
      if (!st) open.set(k, (st = []));
      if (e.ph === 'B') st.push(e);
      else st.pop();
    } else if (e.ph === 'b') async.set(`${e.pid}/${e.cat}/${String(e.id)}`, e);
    else if (e.ph === 'e') async.delete(`${e.pid}/${e.cat}/${String(e.id)}`);
  }
  for (const st of open.values()) {
    for (let i = st.length - 1; i >= 0; i--) events.push({ name: st[i]!.name, cat: st[i]!.cat, ph: 'E', ts: end, pid: st[i]!.pid, tid: st[i]!.tid });
  }
  for (const b of async.values()) events.push({ name: b.name, cat: b.cat, ph: 'e', id: b.id!, ts: end, pid: b.pid, tid: b.tid });
}

/** Simple cycles in the class graph (self-edges are same-class nesting, not an ordering). */
export function findCycles(edges: LockOrderEdge[]): LockOrderCycle[] {
  const out = new Map<string, LockOrderCycle>();
  const from = new Map<string, LockOrderEdge[]>();
  for (const e of edges) if (e.from !== e.to) from.set(e.from, [...(from.get(e.from) ?? []), e]);
  const walk = (start: string, at: string, path: LockOrderEdge[]): void => {
    if (path.length > 6) return;
    for (const e of from.get(at) ?? []) {
      if (e.to === start) {
        const cyc = [...path, e];
        const chain = [start, ...cyc.map((x) => x.to)];
        const key = [...chain.slice(0, -1)].sort().join(',');
        if (!out.has(key)) out.set(key, { chain, edges: cyc, scenario: scenario(cyc) });
      } else if (!path.some((p) => p.from === e.to) && e.to > start) {
        walk(start, e.to, [...path, e]);
      }
    }
  };
  for (const c of from.keys()) walk(c, c, []);
  return [...out.values()];
}

function scenario(cycle: LockOrderEdge[]): string {
  const [a, b] = [cycle[0]!, cycle[cycle.length - 1]!];
  const lock = (cls: string, mode: string): string => `${mode === 'R' ? 'down_read' : mode === 'W' ? 'down_write' : 'lock'}(${cls})`;
  const w = 34;
  const row = (l: string, r: string): string => `  ${l.padEnd(w)}${r}`;
  return [
    ' Possible unsafe locking scenario:',
    row('CPU0', 'CPU1'),
    row('----', '----'),
    row(`${lock(a.from, a.fromMode)};`, ''),
    row('', `${lock(b.from, b.fromMode)};`),
    row('', `${lock(b.to, b.toMode)};   /* at ${b.label} */`),
    row(`${lock(a.to, a.toMode)};   /* at ${a.label} */`, ''),
    '',
    ' *** DEADLOCK ***',
  ].join('\n');
}
