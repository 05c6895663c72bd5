// The timeline as Chrome Trace Event JSON (opens in https://ui.perfetto.dev and chrome://tracing),
// with metadata naming the process and every thread track. writeChromeTrace streams it to a file
// in chunks, so a run of any length can be written; toChromeTrace builds the same object in memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import { toolStamp } from '../version.js';
import type { ProfileData, TimeUnit, TraceEvent } from '../profile/types.js';

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ns';
  metadata: Record<string, unknown>;
}

export interface TraceMeta {
  threadNames: string[];
  unit: TimeUnit;
}

/** The name of the process every track belongs to. */
export const PROCESS_NAME = 'faultline';

/** Metadata events this module writes itself (incoming ones with these names are replaced). */
const OWN_METADATA = new Set(['process_name', 'process_sort_index', 'thread_name', 'thread_sort_index']);

/** What the file holds besides the recorded events, and which recorded events it keeps. */
interface Plan {
  /** `M` events naming the process(es) and every thread track */
  head: TraceEvent[];
  keep: (e: TraceEvent) => boolean;
  /** the global instant saying the trace was capped, after the events */
  tail: TraceEvent[];
  metadata: Record<string, unknown>;
  /** events written after the head */
  events: number;
}

/** Perfetto pairs a flow's ends by category, name and id. */
const flowKey = (e: TraceEvent): string => `${e.cat}\u0000${e.name}\u0000${String(e.id)}`;

function plan(trace: ProfileData['trace'], meta: TraceMeta): Plan {
  const tracks = new Map<number, Set<number>>();
  const track = (pid: number, tid: number): void => {
    let s = tracks.get(pid);
    if (!s) tracks.set(pid, (s = new Set()));
    s.add(tid);
  };
  let lastTs = 0;
  let mainPid: number | undefined;
  let events = 0;
  const ends = { s: new Set<string>(), f: new Set<string>() };
  const flows: { e: TraceEvent; key: string }[] = [];
  for (const e of trace.events) {
    if (e.ph === 'M' && OWN_METADATA.has(e.name)) continue;
    events++;
    track(e.pid, e.tid);
    if (e.ph !== 'M') mainPid ??= e.pid;
    lastTs = Math.max(lastTs, e.ts + (e.dur ?? 0));
    if (e.ph === 's' || e.ph === 'f') {
      const key = flowKey(e);
      ends[e.ph].add(key);
      flows.push({ e, key });
    }
  }
  // A flow with one end only cannot be drawn: its other half was dropped past a thread's cap.
  const unmatched = new Set<TraceEvent>();
  for (const { e, key } of flows) if (!ends[e.ph === 's' ? 'f' : 's'].has(key)) unmatched.add(e);
  const unmatchedFlows = unmatched.size;
  events -= unmatchedFlows;
  const keep = (e: TraceEvent): boolean => (e.ph === 'M' ? !OWN_METADATA.has(e.name) : !unmatched.has(e));

  mainPid ??= 0;
  meta.threadNames.forEach((_, tid) => track(mainPid!, tid));
  const threadName = (tid: number): string => meta.threadNames[tid] ?? `thread${tid}`;
  const head: TraceEvent[] = [];
  const pids = [...tracks.keys()].sort((a, b) => a - b);
  for (const pid of pids) {
    const name = pids.length > 1 ? `${PROCESS_NAME} (${pid})` : PROCESS_NAME;
    head.push({ name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid: 0, args: { name } });
    head.push({ name: 'process_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid, tid: 0, args: { sort_index: pid } });
    for (const tid of [...tracks.get(pid)!].sort((a, b) => a - b)) {
      head.push({ name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { name: threadName(tid) } });
      head.push({ name: 'thread_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { sort_index: tid } });
    }
  }

  const capText = trace.cap > 0 ? `${trace.cap} events per thread` : 'the per-thread event cap';
  const note = trace.capped ? `events past ${capText} were dropped; a capped thread's timeline ends early` : undefined;
  const tail: TraceEvent[] = [];
  if (note) {
    let firstTid = Infinity;
    for (const tid of tracks.get(mainPid) ?? [0]) firstTid = Math.min(firstTid, tid);
    tail.push({ name: `trace capped at ${capText}`, cat: 'faultline', ph: 'i', s: 'g', ts: lastTs, pid: mainPid, tid: firstTid, args: { note } });
  }
  const metadata = {
    tool: PROCESS_NAME,
    // the format is Chrome's trace event format (no $schema of ours): the writer is named here
    faultline: toolStamp(),
    unit: meta.unit,
    timestamps: meta.unit === 'ns' ? 'wall-clock time in microseconds' : 'logical scheduling steps, drawn as 1 µs per step',
    threads: meta.threadNames,
    events: trace.events.length,
    capped: trace.capped,
    cap: trace.cap,
    ...(note ? { note } : {}),
    ...(unmatchedFlows ? { unmatchedFlowEventsDropped: unmatchedFlows } : {}),
  };
  return { head, keep, tail, metadata, events: events + tail.length };
}

/**
 * The trace file's JSON object: the events as recorded (their `ts`/`dur` are already in the format's
 * microseconds: wall-clock ns / 1000, or one logical step per µs), `M` events naming the process
 * "faultline" and each thread track (`thread_name`, `thread_sort_index` from `meta.threadNames[tid]`),
 * and a note, in the metadata and as a global instant, when events were dropped past the per-thread cap.
 * Flow events whose other end is missing (cut off by the cap) are left out and counted in the metadata.
 */
export function toChromeTrace(trace: ProfileData['trace'], meta: TraceMeta): ChromeTrace {
  const p = plan(trace, meta);
  const traceEvents = p.head;
  for (const e of trace.events) if (p.keep(e)) traceEvents.push(e.args ? { ...e, args: { ...e.args } } : { ...e });
  for (const e of p.tail) traceEvents.push(e);
  return { traceEvents, displayTimeUnit: 'ns', metadata: p.metadata };
}

/** Bytes of JSON gathered before each write: large enough for few syscalls, small enough to stay cheap. */
const CHUNK = 1 << 20;

/**
 * Writes toChromeTrace's object to `file`, a chunk at a time through one file descriptor: memory
 * stays at the recorded events plus one chunk, whatever their number. Returns how many events
 * were written after the metadata. Errors (no such directory, no permission) are thrown as is.
 */
export function writeChromeTrace(file: string, trace: ProfileData['trace'], meta: TraceMeta): { events: number } {
  const p = plan(trace, meta);
  const fd = openSync(file, 'w');
  try {
    writeAll(fd, '{"traceEvents":[\n');
    let chunk: string[] = [];
    let size = 0;
    let sep = '';
    const put = (e: TraceEvent): void => {
      const json = JSON.stringify(e);
      chunk.push(sep, json);
      sep = ',\n';
      size += json.length;
      if (size >= CHUNK) {
        writeAll(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    };
    for (const e of p.head) put(e);
    for (const e of trace.events) if (p.keep(e)) put(e);
    for (const e of p.tail) put(e);
    chunk.push(`\n],\n"displayTimeUnit":"ns",\n"metadata":${JSON.stringify(p.metadata)}}\n`);
    writeAll(fd, chunk.join(''));
  } finally {
    closeSync(fd);
  }
  return { events: p.events };
}

function writeAll(fd: number, text: string): void {
  const b = Buffer.from(text);
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
}
