// A checker for the properties the trace viewers rely on: named tracks, slices that nest on each
// thread track, async slices that pair, and flows whose ends bind to slices. Perfetto drops (or
// silently misplaces) whatever breaks them, so every trace the tests produce goes through it.

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M', 'P', 'N', 'O', 'D', 'R']);
/** phases whose id pairs events: Perfetto reads a string id as hex and drops the event otherwise */
const ID_PHASES = new Set(['s', 't', 'f', 'b', 'n', 'e']);

/** An event as read from a file: any phase letter. */
interface Loose {
  name?: string;
  cat?: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  id?: unknown;
  bp?: string;
  args?: Record<string, unknown>;
  index: number;
}

/** A slice on a thread track, in integer ns (µs floats would make touching slices overlap). */
interface Slice {
  start: number;
  end: number;
  name: string;
}

const ns = (us: number): number => Math.round(us * 1000);
const goodId = (id: unknown): boolean => (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || (typeof id === 'string' && /^(0x)?[0-9a-f]+$/i.test(id));

/**
 * Problems a viewer would trip on, as readable lines (empty when the trace is sound): events without
 * names or with bad fields, tracks without a thread_name, B/E that do not balance per track, slices
 * (B/E and X) that overlap on a track without nesting, async b/e that do not pair, flow and async ids
 * Perfetto cannot read, flow starts without a finish (and finishes without a start), and flow ends
 * not bound to a slice on their track at their timestamp.
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

  const events: Loose[] = [];
  (list as unknown[]).forEach((raw, index) => {
    const e = check(raw, index, problems);
    if (e) events.push(e);
  });

  const key = (pid: number, tid: number): string => `${pid}/${tid}`;
  const threadNames = new Map<string, string>();
  const byTrack = new Map<string, Loose[]>();
  for (const e of events) {
    if (e.ph === 'M') {
      if (e.name === 'thread_name' && typeof e.args?.name === 'string') threadNames.set(key(e.pid, e.tid), e.args.name);
      continue;
    }
    const k = key(e.pid, e.tid);
    let l = byTrack.get(k);
    if (!l) byTrack.set(k, (l = []));
    l.push(e);
  }
  const trackName = (k: string): string => `pid ${k.split('/')[0]} tid ${k.split('/')[1]}${threadNames.has(k) ? ` (${threadNames.get(k)})` : ''}`;
  for (const k of byTrack.keys()) if (!threadNames.has(k)) problems.push(`${trackName(k)}: events but no thread_name metadata`);

  const inTimeOrder = (a: Loose, b: Loose): number => a.ts - b.ts || a.index - b.index;
  const slices = new Map<string, Slice[]>();
  for (const [k, l] of byTrack) {
    l.sort(inTimeOrder);
    const s = trackSlices(l, (p) => problems.push(`${trackName(k)}: ${p}`));
    nesting(s, (p) => problems.push(`${trackName(k)}: ${p}`));
    slices.set(k, s);
  }
  asyncPairs(events.filter((e) => e.ph === 'b' || e.ph === 'e').sort(inTimeOrder), problems);
  flows(events, (k) => binder(slices.get(k) ?? []), (e) => trackName(key(e.pid, e.tid)), (e) => key(e.pid, e.tid), problems);
  return problems;
}

/** The event's own fields; null when it cannot be placed on a track. */
function check(raw: unknown, index: number, problems: string[]): Loose | null {
  if (!raw || typeof raw !== 'object') {
    problems.push(`event #${index}: not an object`);
    return null;
  }
  const e = raw as Partial<Loose>;
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
  if (ID_PHASES.has(e.ph ?? '')) {
    if (e.id === undefined) problems.push(`${where}: ${e.ph === 's' || e.ph === 't' || e.ph === 'f' ? 'flow' : 'async'} event without id`);
    else if (!goodId(e.id)) problems.push(`${where}: id ${JSON.stringify(e.id)} is neither a number nor a hex string`);
  }
  if (e.ph === 'M' && (e.name === 'thread_name' || e.name === 'process_name') && typeof e.args?.name !== 'string') problems.push(`${where}: ${e.name} without args.name`);
  return ok ? { ...(e as Loose), index } : null;
}

/** The B/E and X slices of one track (in time order); B never ended reach to infinity. */
function trackSlices(l: Loose[], problem: (p: string) => void): Slice[] {
  const open: Loose[] = [];
  const out: Slice[] = [];
  for (const e of l) {
    if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (!b) problem(`E at ts ${e.ts} without a matching B`);
      else out.push({ start: ns(b.ts), end: ns(e.ts), name: b.name ?? '' });
    } else if (e.ph === 'X') out.push({ start: ns(e.ts), end: ns(e.ts + (e.dur ?? 0)), name: e.name ?? '' });
  }
  for (const b of open) {
    problem(`B ${JSON.stringify(b.name)} at ts ${b.ts} is never ended`);
    out.push({ start: ns(b.ts), end: Infinity, name: b.name ?? '' });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Slices on one track must nest: one that starts inside another ends inside it too. */
function nesting(s: Slice[], problem: (p: string) => void): void {
  const stack: Slice[] = [];
  for (const c of s) {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= c.start) stack.pop();
    const top = stack[stack.length - 1];
    if (top && c.end > top.end) problem(`${JSON.stringify(c.name)} at ts ${c.start / 1000} overlaps ${JSON.stringify(top.name)} (ts ${top.start / 1000}..${top.end / 1000}) without nesting`);
    else stack.push(c);
  }
}

/** Nestable async slices pair by pid, category and id; an end needs an open begin. */
function asyncPairs(l: Loose[], problems: string[]): void {
  const open = new Map<string, Loose[]>();
  for (const e of l) {
    const k = JSON.stringify([e.pid, e.cat ?? '', e.id ?? null]);
    let st = open.get(k);
    if (e.ph === 'b') {
      if (!st) open.set(k, (st = []));
      st.push(e);
    } else if (!st || st.length === 0) problems.push(`async end ${JSON.stringify(e.name)} id ${String(e.id)} at ts ${e.ts} has no open begin`);
    else st.pop();
  }
  for (const st of open.values()) for (const b of st) problems.push(`async begin ${JSON.stringify(b.name)} id ${String(b.id)} at ts ${b.ts} is never ended`);
}

/** For one track: is there a slice around `t`, and one starting at or after it? (ns) */
interface Binder {
  enclosing(t: number): boolean;
  following(t: number): boolean;
}

function binder(s: Slice[]): Binder {
  // s is sorted by start: the furthest end among the slices starting at or before t decides
  const maxEnd: number[] = [];
  for (const x of s) maxEnd.push(Math.max(x.end, maxEnd[maxEnd.length - 1] ?? -Infinity));
  const lastStartingBy = (t: number): number => {
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid]!.start <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  return {
    enclosing: (t) => {
      const i = lastStartingBy(t);
      return i >= 0 && maxEnd[i]! >= t;
    },
    following: (t) => s.length > 0 && s[s.length - 1]!.start >= t,
  };
}

/** Flows (v1): a start and a finish share cat, name and id; each must bind to a slice on its track. */
function flows(events: Loose[], binderOf: (track: string) => Binder, trackName: (e: Loose) => string, trackOf: (e: Loose) => string, problems: string[]): void {
  const groups = new Map<string, { s: Loose[]; f: Loose[] }>();
  const binders = new Map<string, Binder>();
  for (const e of events) {
    if (e.ph !== 's' && e.ph !== 'f') continue;
    const fk = JSON.stringify([e.cat ?? '', e.name ?? '', e.id ?? null]);
    let g = groups.get(fk);
    if (!g) groups.set(fk, (g = { s: [], f: [] }));
    (e.ph === 's' ? g.s : g.f).push(e);
    const tk = trackOf(e);
    let b = binders.get(tk);
    if (!b) binders.set(tk, (b = binderOf(tk)));
    const t = ns(e.ts);
    if (e.ph === 's' && !b.enclosing(t)) problems.push(`flow start ${JSON.stringify(e.name)} id ${String(e.id)} at ts ${e.ts} on ${trackName(e)} is not inside a slice`);
    if (e.ph === 'f' && !(e.bp === 'e' ? b.enclosing(t) : b.following(t)))
      problems.push(`flow end ${JSON.stringify(e.name)} id ${String(e.id)} at ts ${e.ts} on ${trackName(e)} has no slice to bind to`);
  }
  for (const g of groups.values()) {
    const first = g.s[0] ?? g.f[0]!;
    const name = JSON.stringify(first.name);
    const id = String(first.id);
    if (g.f.length === 0) problems.push(`flow start ${name} id ${id} has no matching f`);
    else if (g.s.length === 0) problems.push(`flow end ${name} id ${id} has no matching s`);
    else if (Math.min(...g.f.map((e) => e.ts)) < Math.min(...g.s.map((e) => e.ts))) problems.push(`flow ${name} id ${id} ends before it starts`);
  }
}
