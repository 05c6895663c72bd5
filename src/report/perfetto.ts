// The timeline as Chrome Trace Event JSON (opens in https://ui.perfetto.dev and chrome://tracing),
// with metadata naming the process and every thread track, and a checker for the properties the
// viewers rely on (balanced B/E per track, flows with both ends bound to slices, named tracks).
import type { ProfileData, TimeUnit, TraceEvent } from '../profile/types.js';

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ns';
  metadata: Record<string, unknown>;
}

/** The name of the process every track belongs to. */
export const PROCESS_NAME = 'faultline';

/** Metadata events this module writes itself (incoming ones with these names are replaced). */
const OWN_METADATA = new Set(['process_name', 'process_sort_index', 'thread_name', 'thread_sort_index']);

/**
 * The trace file's JSON object: the events as recorded (their `ts`/`dur` are already in the format's
 * microseconds: wall-clock ns / 1000, or one logical step per µs), `M` events naming the process
 * "faultline" and each thread track (`thread_name`, `thread_sort_index` from `meta.threadNames[tid]`),
 * and a note, in the metadata and as a global instant, when events were dropped past the per-thread cap.
 * Flow events whose other end is missing (cut off by the cap) are left out and counted in the metadata.
 */
export function toChromeTrace(trace: ProfileData['trace'], meta: { threadNames: string[]; unit: TimeUnit }): ChromeTrace {
  const events: TraceEvent[] = [];
  const tracks = new Map<number, Set<number>>();
  const track = (pid: number, tid: number): void => {
    let s = tracks.get(pid);
    if (!s) tracks.set(pid, (s = new Set()));
    s.add(tid);
  };
  let lastTs = 0;
  for (const e of trace.events) {
    if (e.ph === 'M' && OWN_METADATA.has(e.name)) continue;
    const out: TraceEvent = { ...e };
    if (e.args) out.args = { ...e.args };
    events.push(out);
    track(e.pid, e.tid);
    lastTs = Math.max(lastTs, out.ts + (out.dur ?? 0));
  }
  // A flow with one end only cannot be drawn: its other half was dropped past a thread's cap.
  const flowKey = (e: TraceEvent): string => JSON.stringify([e.cat ?? '', e.name ?? '', e.id ?? null]);
  const ends = { s: new Set<string>(), f: new Set<string>() };
  for (const e of events) if (e.ph === 's' || e.ph === 'f') ends[e.ph].add(flowKey(e));
  const before = events.length;
  const kept = events.filter((e) => (e.ph === 's' ? ends.f.has(flowKey(e)) : e.ph === 'f' ? ends.s.has(flowKey(e)) : true));
  const unmatchedFlows = before - kept.length;
  events.length = 0;
  events.push(...kept);

  const mainPid = trace.events.find((e) => e.ph !== 'M')?.pid ?? 0;
  meta.threadNames.forEach((_, tid) => track(mainPid, tid));
  const threadName = (tid: number): string => meta.threadNames[tid] ?? `thread${tid}`;

  const metadata: TraceEvent[] = [];
  const pids = [...tracks.keys()].sort((a, b) => a - b);
  for (const pid of pids) {
    const name = pids.length > 1 ? `${PROCESS_NAME} (${pid})` : PROCESS_NAME;
    metadata.push({ name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid: 0, args: { name } });
    metadata.push({ name: 'process_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid, tid: 0, args: { sort_index: pid } });
    for (const tid of [...tracks.get(pid)!].sort((a, b) => a - b)) {
      metadata.push({ name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { name: threadName(tid) } });
      metadata.push({ name: 'thread_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { sort_index: tid } });
    }
  }

  const capText = trace.cap > 0 ? `${trace.cap} events per thread` : 'the per-thread event cap';
  const note = trace.capped ? `events past ${capText} were dropped; a capped thread's timeline ends early` : undefined;
  if (note) {
    const firstTid = Math.min(...(tracks.get(mainPid) ?? new Set([0])));
    events.push({ name: `trace capped at ${capText}`, cat: 'faultline', ph: 'i', s: 'g', ts: lastTs, pid: mainPid, tid: firstTid, args: { note } });
  }
  return {
    traceEvents: [...metadata, ...events],
    displayTimeUnit: 'ns',
    metadata: {
      tool: PROCESS_NAME,
      unit: meta.unit,
      timestamps: meta.unit === 'ns' ? 'wall-clock time in microseconds' : 'logical scheduling steps, drawn as 1 µs per step',
      threads: meta.threadNames,
      events: trace.events.length,
      capped: trace.capped,
      cap: trace.cap,
      ...(note ? { note } : {}),
      ...(unmatchedFlows ? { unmatchedFlowEventsDropped: unmatchedFlows } : {}),
    },
  };
}

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M', 'P', 'N', 'O', 'D', 'R']);

/** An event as read from a file: any phase letter. */
type LooseEvent = Omit<TraceEvent, 'ph'> & { ph: string };

interface Interval {
  start: number;
  end: number;
}

/**
 * Problems a viewer would trip on, as readable lines (empty when the trace is sound): events without
 * names or with bad fields, tracks without a thread_name, B/E that do not balance per track,
 * flow starts without a finish (and finishes without a start), and flow ends not bound to a slice.
 */
export function validateChromeTrace(obj: unknown): string[] {
  const problems: string[] = [];
  let list: unknown;
  if (Array.isArray(obj)) list = obj;
  else if (obj && typeof obj === 'object' && Array.isArray((obj as { traceEvents?: unknown }).traceEvents)) {
    list = (obj as { traceEvents: unknown[] }).traceEvents;
    const unit = (obj as { displayTimeUnit?: unknown }).displayTimeUnit;
    if (unit !== undefined && unit !== 'ms' && unit !== 'ns') problems.push(`displayTimeUnit ${JSON.stringify(unit)} is neither "ms" nor "ns"`);
  } else return ['not a trace: expected an array of events or an object with a traceEvents array'];

  const events: (LooseEvent & { index: number })[] = [];
  (list as unknown[]).forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') {
      problems.push(`event #${index}: not an object`);
      return;
    }
    const e = raw as Partial<LooseEvent>;
    const where = `event #${index} (${e.ph ?? '?'} ${JSON.stringify(e.name ?? null)})`;
    let ok = true;
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) {
      problems.push(`${where}: unknown phase ${JSON.stringify(e.ph)}`);
      ok = false;
    }
    if (e.ph !== 'E' && (typeof e.name !== 'string' || e.name.length === 0)) problems.push(`${where}: missing name`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) {
      problems.push(`${where}: ts is not a finite number`);
      ok = false;
    }
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) {
      problems.push(`${where}: pid/tid are not integers`);
      ok = false;
    }
    if (e.ph === 'X' && (typeof e.dur !== 'number' || !(e.dur >= 0))) problems.push(`${where}: X event without a non-negative dur`);
    if (e.ph === 'C' && !(e.args && Object.values(e.args).some((v) => typeof v === 'number'))) problems.push(`${where}: counter without numeric args`);
    if ((e.ph === 's' || e.ph === 't' || e.ph === 'f') && e.id === undefined) problems.push(`${where}: flow event without id`);
    if (e.ph === 'M' && (e.name === 'thread_name' || e.name === 'process_name') && typeof e.args?.name !== 'string') problems.push(`${where}: ${e.name} without args.name`);
    if (ok) events.push({ ...(e as LooseEvent), index });
  });

  const key = (pid: number, tid: number): string => `${pid}/${tid}`;
  const threadNames = new Map<string, string>();
  const used = new Map<string, { pid: number; tid: number }>();
  for (const e of events) {
    if (e.ph === 'M') {
      if (e.name === 'thread_name' && typeof e.args?.name === 'string') threadNames.set(key(e.pid, e.tid), e.args.name);
    } else used.set(key(e.pid, e.tid), { pid: e.pid, tid: e.tid });
  }
  const trackName = (k: string): string => `pid ${k.split('/')[0]} tid ${k.split('/')[1]}${threadNames.has(k) ? ` (${threadNames.get(k)})` : ''}`;
  for (const [k] of used) if (!threadNames.has(k)) problems.push(`${trackName(k)}: events but no thread_name metadata`);

  // B/E balance per track, in time order (stable, so equal timestamps keep file order).
  const byTrack = new Map<string, (LooseEvent & { index: number })[]>();
  for (const e of events) {
    if (e.ph === 'M') continue;
    const k = key(e.pid, e.tid);
    let l = byTrack.get(k);
    if (!l) byTrack.set(k, (l = []));
    l.push(e);
  }
  const slices = new Map<string, Interval[]>();
  for (const [k, l] of byTrack) {
    l.sort((a, b) => a.ts - b.ts || a.index - b.index);
    const open: LooseEvent[] = [];
    const iv: Interval[] = [];
    for (const e of l) {
      if (e.ph === 'B') open.push(e);
      else if (e.ph === 'E') {
        const b = open.pop();
        if (!b) problems.push(`${trackName(k)}: E at ts ${e.ts} without a matching B`);
        else iv.push({ start: b.ts, end: e.ts });
      } else if (e.ph === 'X') iv.push({ start: e.ts, end: e.ts + (e.dur ?? 0) });
    }
    for (const b of open) {
      problems.push(`${trackName(k)}: B ${JSON.stringify(b.name)} at ts ${b.ts} is never ended`);
      iv.push({ start: b.ts, end: Infinity });
    }
    slices.set(k, iv);
  }

  // Flows (v1): a start and a finish share cat, name and id; each must bind to a slice on its track.
  const flows = new Map<string, { s: LooseEvent[]; f: LooseEvent[] }>();
  for (const e of events) {
    if (e.ph !== 's' && e.ph !== 'f') continue;
    const fk = JSON.stringify([e.cat ?? '', e.name ?? '', e.id ?? null]);
    let g = flows.get(fk);
    if (!g) flows.set(fk, (g = { s: [], f: [] }));
    (e.ph === 's' ? g.s : g.f).push(e);
    const iv = slices.get(key(e.pid, e.tid)) ?? [];
    const enclosed = iv.some((s) => s.start <= e.ts && e.ts <= s.end);
    const following = iv.some((s) => s.start >= e.ts);
    if (e.ph === 's' && !enclosed) problems.push(`flow start ${JSON.stringify(e.name)} id ${String(e.id)} at ts ${e.ts} on ${trackName(key(e.pid, e.tid))} is not inside a slice`);
    if (e.ph === 'f' && !(enclosed && e.bp === 'e') && !(e.bp !== 'e' && following))
      problems.push(`flow end ${JSON.stringify(e.name)} id ${String(e.id)} at ts ${e.ts} on ${trackName(key(e.pid, e.tid))} has no slice to bind to`);
  }
  for (const [, g] of flows) {
    const name = g.s[0]?.name ?? g.f[0]?.name;
    const id = String((g.s[0] ?? g.f[0])?.id);
    if (g.f.length === 0) problems.push(`flow start ${JSON.stringify(name)} id ${id} has no matching f`);
    else if (g.s.length === 0) problems.push(`flow end ${JSON.stringify(name)} id ${id} has no matching s`);
    else if (Math.min(...g.f.map((e) => e.ts)) < Math.min(...g.s.map((e) => e.ts))) problems.push(`flow ${JSON.stringify(name)} id ${id} ends before it starts`);
  }
  return problems;
}
