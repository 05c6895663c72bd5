// A thread's profile recorder: lockstat counters per class, lock-order edges (class held →
// class taken, read/write aware), contention records and timeline events, all thread-local and
// handed back as a ProfilePart when the thread is done.
import { RW_READERS, RW_RWAIT, RW_WWAIT } from '../shm/layout.js';
import { labelName } from '../sched/labels.js';
import type { LockClass, LockNaming } from './lock_class.js';
import { OPEN_FAULT, OPEN_FENCE_WAIT, OPEN_IPI_WAIT, OPEN_LOCK_WAIT, OPEN_MIGRATION, OPEN_SHOOTDOWN, type Probe } from './probe.js';
import type { ContentionRecord, LockOrderEdge, TimeUnit, TraceEvent } from './types.js';

export interface ProfileOptions {
  lockstat: boolean;
  lockdep: boolean;
  trace: boolean;
  /** measure the hold time of one acquisition in this many (clock reads cost ~40 ns in stress) */
  holdSample: number;
  /** timeline events kept per thread */
  traceCap: number;
}

/** Counters of one lockstat row, before merging. */
export interface ClassAcc {
  conBounces: number;
  contentions: number;
  waitMin: number;
  waitMax: number;
  waitTotal: number;
  acqBounces: number;
  acquisitions: number;
  holdMin: number;
  holdMax: number;
  holdTotal: number;
  holdSamples: number;
  contentionPoints: Record<string, number>;
  holderPoints: Record<string, number>;
}

export interface ProfilePart {
  unit: TimeUnit;
  classes: Record<string, ClassAcc>;
  contentions: ContentionRecord[];
  edges: LockOrderEdge[];
  events: TraceEvent[];
  capped: boolean;
  /** contention records not kept past CONTENTION_CAP (the lockstat counters still count them) */
  contentionsDropped: number;
}

const MODE_NAME = ['X', 'R', 'W'] as const;
/** Contention records kept per thread for the pivots; the lockstat counters are never capped. */
export const CONTENTION_CAP = 20_000;

/** A profiled lock word: its class and the lockstat counters of each mode, resolved once. */
interface Entry {
  c: LockClass;
  id: number;
  /** counters by mode (X, R, W): rw classes have -R and -W rows, the others one row */
  acc: ClassAcc[];
}

const MAX_HELD = 64;
const MAX_OPEN = 64;
export class Recorder implements Probe {
  readonly on = true;
  /** by lock word: its entry, null for words that are not profiled, undefined until first seen */
  private readonly entries: (Entry | null | undefined)[] = [];
  private readonly classIds = new Map<string, number>();
  private readonly acc: Record<string, ClassAcc> = {};
  /** by contended lock word: label + 1 of its last acquirer when the wait began (0: unknown) */
  private readonly holderAt = new Map<number, number>();
  // the locks this thread holds, as parallel arrays (no allocation per acquisition)
  private readonly heldEntry: (Entry | null)[] = new Array<Entry | null>(MAX_HELD).fill(null);
  private readonly heldLk = new Int32Array(MAX_HELD);
  private readonly heldMode = new Int32Array(MAX_HELD);
  private readonly heldLabel = new Int32Array(MAX_HELD);
  private readonly heldSince = new Float64Array(MAX_HELD);
  private depth = 0;
  // spans and waits begun (open) and not yet ended: they follow the call stack, so a stack
  private readonly openKind = new Int32Array(MAX_OPEN);
  private readonly openKey = new Int32Array(MAX_OPEN);
  private readonly openSince = new Float64Array(MAX_OPEN);
  private openDepth = 0;
  private readonly edges = new Map<number, LockOrderEdge>();
  private readonly contentions: ContentionRecord[] = [];
  private contentionsDropped = 0;
  private readonly events: TraceEvent[] = [];
  private capped = false;
  private acquisitions = 0;

  constructor(
    private readonly locks: LockNaming,
    private readonly m: Int32Array,
    private readonly tid: number,
    private readonly thread: string,
    private readonly clock: () => number,
    private readonly unit: TimeUnit,
    shared: SharedArrayBuffer,
    private readonly opts: ProfileOptions,
  ) {
    const words = locks.words;
    this.lastOwner = new Int32Array(shared, 0, words);
    this.releaser = new Int32Array(shared, words * 4, words);
    this.releasedAt = new Float64Array(shared, words * 8, words);
    this.lastLabel = new Int32Array(shared, words * 16, words);
  }

  /** per machine word, shared by the run's threads: who acquired it last (acq-bounces) and at
   * which point (label + 1: the holder point a waiter charges, as the kernel's lock->ip), and who
   * let the next waiter in, and when (the start of its wake-up flow): the last release of an
   * exclusive lock, an rwsem's last hand-off to its queue */
  private readonly lastOwner: Int32Array;
  private readonly lastLabel: Int32Array;
  private readonly releaser: Int32Array;
  private readonly releasedAt: Float64Array;
  /** flow and hold ids of this thread (tid in the high bits: unique in the run) */
  private ids = 0;

  open(kind: number, key: number): number {
    const now = this.clock();
    // like the kernel's lock_contended: the holder point is where the lock was last taken as the wait begins
    if (kind === OPEN_LOCK_WAIT && this.entryOf(key) !== null) this.holderAt.set(key, this.lastLabel[key]!);
    if (this.opts.trace) {
      const d = this.openDepth;
      if (d < MAX_OPEN) {
        this.openKind[d] = kind;
        this.openKey[d] = key;
        this.openSince[d] = now;
      }
      this.openDepth = d + 1;
    }
    return now;
  }

  acquired(lk: number, mode: number, label: number, trylock: boolean): void {
    const e = this.entryOf(lk);
    if (e === null) return;
    const a = e.acc[mode]!;
    a.acquisitions++;
    const last = this.lastOwner[lk]!;
    if (last !== this.tid + 1) {
      // written only when it changes: a shared line written on every acquisition would itself bounce
      if (last !== 0) a.acqBounces++;
      this.lastOwner[lk] = this.tid + 1;
    }
    if (this.lastLabel[lk] !== label + 1) this.lastLabel[lk] = label + 1;
    if (this.opts.lockdep && !trylock && this.depth > 0) this.addEdges(e, mode, label);
    const d = this.depth;
    if (d === MAX_HELD) return;
    this.heldEntry[d] = e;
    this.heldLk[d] = lk;
    this.heldMode[d] = mode;
    this.heldLabel[d] = label;
    this.heldSince[d] = this.opts.holdSample <= 1 || this.acquisitions++ % this.opts.holdSample === 0 ? this.clock() : -1;
    this.depth = d + 1;
    if (this.opts.trace && e.c.cls === 'mmap_lock') this.counter(lk, e.c);
  }

  released(lk: number, mode: number): void {
    let i = this.depth - 1;
    while (i >= 0 && this.heldLk[i] !== lk) i--;
    if (i < 0) return;
    const e = this.heldEntry[i]!;
    const since = this.heldSince[i]!;
    const label = this.heldLabel[i]!;
    for (let j = i + 1; j < this.depth; j++) {
      this.heldEntry[j - 1] = this.heldEntry[j]!;
      this.heldLk[j - 1] = this.heldLk[j]!;
      this.heldMode[j - 1] = this.heldMode[j]!;
      this.heldLabel[j - 1] = this.heldLabel[j]!;
      this.heldSince[j - 1] = this.heldSince[j]!;
    }
    this.depth--;
    if (since >= 0) {
      const now = this.clock();
      const d = now - since;
      const a = e.acc[mode]!;
      a.holdSamples++;
      a.holdTotal += d;
      if (d < a.holdMin) a.holdMin = d;
      if (d > a.holdMax) a.holdMax = d;
      if (this.opts.trace) this.hold(e, mode, label, since, now);
    }
    if (this.opts.trace) {
      // every release, not only those that saw a waiter: a waiter may queue between that look
      // and the unlock, and is then let in by this release all the same. An rwsem's waiters are
      // let in by its hand-off instead.
      if (!e.c.rw) this.letIn(lk);
      if (e.c.cls === 'mmap_lock') this.counter(lk, e.c);
    }
  }

  handoff(lk: number): void {
    if (this.opts.trace) this.letIn(lk);
  }

  private letIn(lk: number): void {
    this.releaser[lk] = this.tid + 1;
    this.releasedAt[lk] = this.ts(this.clock());
  }

  /** A timed hold as an async slice: holds on one thread overlap without nesting (the reservation
   * is dropped while the page lock is still held), which slices on the thread track may not. */
  private hold(e: Entry, mode: number, label: number, since: number, now: number): void {
    if (this.events.length + 2 > this.opts.traceCap) {
      this.capped = true;
      return;
    }
    const name = `hold ${e.c.instance}${e.c.rw ? `-${MODE_NAME[mode]}` : ''}`;
    const id = this.nextId();
    this.events.push({ name, cat: 'lock', ph: 'b', id, ts: this.ts(since), pid: 1, tid: this.tid, args: { at: labelName(label), thread: this.thread } });
    this.events.push({ name, cat: 'lock', ph: 'e', id, ts: this.ts(now), pid: 1, tid: this.tid });
  }

  waited(lk: number, mode: number, label: number, since: number, holder: number): void {
    this.close();
    const e = this.entryOf(lk);
    if (e === null) return;
    const c = e.c;
    const held = this.holderAt.get(lk) ?? 0;
    this.holderAt.delete(lk);
    const now = this.clock();
    this.recordWait(c.rw ? `${c.cls}-${MODE_NAME[mode]}` : c.cls, c.instance, label, since, now, holder !== 0 && holder !== this.tid + 1, held);
    const from = this.releaser[lk]! - 1;
    const at = this.releasedAt[lk]!;
    // the release that let us in happened during this wait; an older one let someone else in
    if (this.opts.trace && from >= 0 && from !== this.tid && at >= this.ts(since)) {
      const id = this.nextId();
      const name = `wake ${c.instance}`;
      // both ends bind to a zero-length slice: a flow needs a slice on its own thread's track
      this.push({ name, cat: 'flow', ph: 'X', ts: at, dur: 0, pid: 1, tid: from });
      this.push({ name, cat: 'flow', ph: 's', id, ts: at, pid: 1, tid: from });
      this.flowEnd('f', id, name, this.ts(now));
    }
  }

  waitedFor(cls: string, instance: string, label: number, since: number): void {
    this.close();
    this.recordWait(cls, instance, label, since, this.clock(), true, 0);
  }

  span(name: string, cat: string, since: number, args?: Record<string, unknown>): void {
    this.close();
    if (!this.opts.trace) return;
    const now = this.clock();
    this.push({ name, cat, ph: 'X', ts: this.ts(since), dur: this.dur(since, now), pid: 1, tid: this.tid, ...(args ? { args } : {}) });
  }

  instant(name: string, cat: string, args?: Record<string, unknown>): void {
    if (!this.opts.trace) return;
    this.push({ name, cat, ph: 'i', s: 't', ts: this.ts(this.clock()), pid: 1, tid: this.tid, ...(args ? { args } : {}) });
  }

  flow(phase: 's' | 'f', id: number, name: string): void {
    if (this.opts.trace) this.flowEnd(phase, id, name, this.ts(this.clock()));
  }

  /** One end of a flow at `ts` on this track: a flow binds to a slice, a zero-length one marks the point. */
  private flowEnd(phase: 's' | 'f', id: number, name: string, ts: number): void {
    this.push({ name, cat: 'flow', ph: 'X', ts, dur: 0, pid: 1, tid: this.tid });
    this.push({ name, cat: 'flow', ph: phase, id, ts, pid: 1, tid: this.tid, ...(phase === 'f' ? { bp: 'e' as const } : {}) });
  }

  /** The run is over on this thread (deterministic groups reuse their recorder for the next one).
   * A violation is an instant on this track; the spans, waits and timed holds it unwound out of
   * begin here and end with the trace (mergeProfile closes them). */
  stop(violation?: { oracle: string; message: string }): void {
    if (this.opts.trace) {
      if (violation) this.push({ name: `VIOLATION ${violation.oracle}`, cat: 'violation', ph: 'i', s: 't', ts: this.ts(this.clock()), pid: 1, tid: this.tid, args: { message: violation.message } });
      for (let i = 0; i < Math.min(this.openDepth, MAX_OPEN); i++) {
        const what = this.describeOpen(this.openKind[i]!, this.openKey[i]!);
        if (what) this.push({ ...what, ph: 'B', ts: this.ts(this.openSince[i]!), pid: 1, tid: this.tid, args: { ...what.args, unfinished: true } });
      }
      for (let i = 0; i < this.depth; i++) {
        const e = this.heldEntry[i]!;
        if (this.heldSince[i]! < 0) continue;
        const name = `hold ${e.c.instance}${e.c.rw ? `-${MODE_NAME[this.heldMode[i]!]}` : ''}`;
        this.push({ name, cat: 'lock', ph: 'b', id: this.nextId(), ts: this.ts(this.heldSince[i]!), pid: 1, tid: this.tid, args: { at: labelName(this.heldLabel[i]!), thread: this.thread, unfinished: true } });
      }
    }
    this.openDepth = 0;
    this.depth = 0;
  }

  private describeOpen(kind: number, key: number): { name: string; cat: string; args: Record<string, unknown> } | null {
    switch (kind) {
      case OPEN_FAULT:
        return { name: 'fault', cat: 'mm', args: { vpn: key } };
      case OPEN_MIGRATION:
        return { name: 'migration', cat: 'drm', args: { obj: key } };
      case OPEN_SHOOTDOWN:
        return { name: 'shootdown', cat: 'tlb', args: { cpus: key } };
      case OPEN_LOCK_WAIT: {
        const e = this.entryOf(key);
        return e && { name: `wait ${e.c.instance}`, cat: 'lock', args: {} };
      }
      case OPEN_IPI_WAIT:
        return { name: `wait cpu${key}`, cat: 'lock', args: {} };
      case OPEN_FENCE_WAIT:
        return { name: `wait bo${key}`, cat: 'lock', args: {} };
    }
    return null;
  }

  /** Ends the innermost open span or wait (each open is ended once, in call order). */
  private close(): void {
    if (this.opts.trace && this.openDepth > 0) this.openDepth--;
  }

  private nextId(): number {
    return this.tid * 2 ** 32 + ++this.ids;
  }

  part(): ProfilePart {
    return { unit: this.unit, classes: this.acc, contentions: this.contentions, edges: [...this.edges.values()], events: this.events, capped: this.capped, contentionsDropped: this.contentionsDropped };
  }

  /** `held`: label + 1 of the point that held the lock when the wait began, 0 if none is known
   * (a non-lock wait, or a lock not yet taken in this run) */
  private recordWait(key: string, instance: string, label: number, since: number, now: number, bounce: boolean, held: number): void {
    const d = now - since;
    const a = this.accByKey(key);
    a.contentions++;
    if (bounce) a.conBounces++;
    a.waitTotal += d;
    if (d < a.waitMin) a.waitMin = d;
    if (d > a.waitMax) a.waitMax = d;
    const where = labelName(label);
    a.contentionPoints[where] = (a.contentionPoints[where] ?? 0) + 1;
    if (held !== 0) {
      const holder = labelName(held - 1);
      a.holderPoints[holder] = (a.holderPoints[holder] ?? 0) + 1;
    }
    if (this.contentions.length < CONTENTION_CAP) this.contentions.push({ class: key, instance, cpu: this.thread, label: where, wait: d });
    else this.contentionsDropped++;
    if (this.opts.trace) this.push({ name: `wait ${instance}`, cat: 'lock', ph: 'X', ts: this.ts(since), dur: this.dur(since, now), pid: 1, tid: this.tid, args: { at: where } });
  }

  private addEdges(e: Entry, mode: number, label: number): void {
    for (let i = 0; i < this.depth; i++) {
      const h = this.heldEntry[i]!;
      const hm = this.heldMode[i]!;
      const key = ((h.id * 3 + hm) * 256 + e.id) * 3 + mode;
      const have = this.edges.get(key);
      if (have) have.count++;
      else this.edges.set(key, { from: h.c.cls, to: e.c.cls, fromMode: MODE_NAME[hm]!, toMode: MODE_NAME[mode]!, label: labelName(label), thread: this.thread, count: 1 });
    }
  }

  private counter(lk: number, c: LockClass): void {
    if (!this.opts.trace || !this.locks.counted(lk)) return;
    const mask = Atomics.load(this.m, lk + RW_READERS);
    let readers = 0;
    for (let v = mask; v !== 0; v &= v - 1) readers++;
    const waiters = Atomics.load(this.m, lk + RW_RWAIT) + Atomics.load(this.m, lk + RW_WWAIT);
    this.push({ name: c.instance, cat: 'counter', ph: 'C', ts: this.ts(this.clock()), pid: 1, tid: this.tid, args: { readers, waiters } });
  }

  private push(e: TraceEvent): void {
    if (this.events.length < this.opts.traceCap) this.events.push(e);
    else this.capped = true;
  }

  /** trace timestamps are µs: whole ns / 1000 in stress (so slices that touch do not overlap by a
   * rounding error), one step = 1 µs in deterministic runs */
  private ts(t: number): number {
    return this.unit === 'ns' ? Math.round(t) / 1000 : t;
  }

  private dur(since: number, now: number): number {
    return this.unit === 'ns' ? (Math.round(now) - Math.round(since)) / 1000 : now - since;
  }

  private entryOf(lk: number): Entry | null {
    let e = this.entries[lk];
    if (e === undefined) {
      const c = this.locks.classOf(lk);
      if (c === null) e = null;
      else {
        let id = this.classIds.get(c.cls);
        if (id === undefined) this.classIds.set(c.cls, (id = this.classIds.size));
        const acc = c.rw ? [this.accByKey(`${c.cls}-X`), this.accByKey(`${c.cls}-R`), this.accByKey(`${c.cls}-W`)] : [this.accByKey(c.cls), this.accByKey(c.cls), this.accByKey(c.cls)];
        e = { c, id, acc };
      }
      this.entries[lk] = e;
    }
    return e;
  }

  private accByKey(key: string): ClassAcc {
    let a = this.acc[key];
    if (a === undefined) {
      a = {
        conBounces: 0, contentions: 0, waitMin: Infinity, waitMax: 0, waitTotal: 0, acqBounces: 0, acquisitions: 0,
        holdMin: Infinity, holdMax: 0, holdTotal: 0, holdSamples: 0, contentionPoints: {}, holderPoints: {},
      };
      this.acc[key] = a;
    }
    return a;
  }
}
