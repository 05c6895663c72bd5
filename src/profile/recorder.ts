// A thread's profile recorder: lockstat counters per class, lock-order edges (class held →
// class taken, read/write aware), contention records and timeline events, all thread-local and
// handed back as a ProfilePart when the thread is done.
import type { Config } from '../config.js';
import { Layout, MM_MMAP_SEM, RW_READERS, RW_RWAIT, RW_WWAIT } from '../shm/layout.js';
import { labelName } from '../sched/labels.js';
import { lockClassOf, type LockClass } from './lock_class.js';
import { MODE_R, MODE_W, type Probe } from './probe.js';
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
}

const MODE_NAME = ['X', 'R', 'W'] as const;
const CONTENTION_CAP = 20_000;

interface Held {
  lk: number;
  mode: number;
  c: LockClass;
  since: number;
  label: string;
}

export class Recorder implements Probe {
  readonly on = true;
  private readonly lay: Layout;
  private readonly classes = new Map<number, LockClass | null>();
  private readonly acc: Record<string, ClassAcc> = {};
  private readonly held: Held[] = [];
  private readonly edges = new Map<string, LockOrderEdge>();
  private readonly contentions: ContentionRecord[] = [];
  private readonly events: TraceEvent[] = [];
  private capped = false;
  private acquisitions = 0;

  constructor(
    cfg: Config,
    private readonly m: Int32Array,
    private readonly tid: number,
    private readonly thread: string,
    private readonly clock: () => number,
    private readonly unit: TimeUnit,
    shared: SharedArrayBuffer,
    private readonly opts: ProfileOptions,
  ) {
    this.lay = new Layout(cfg);
    const words = this.lay.words;
    this.lastOwner = new Int32Array(shared, 0, words);
    this.releaser = new Int32Array(shared, words * 4, words);
    this.releasedAt = new Float64Array(shared, words * 8, words);
  }

  /** per machine word, shared by the run's threads: who acquired it last (acq-bounces), and who
   * released it last while others waited, and when (the start of the wake-up flow) */
  private readonly lastOwner: Int32Array;
  private readonly releaser: Int32Array;
  private readonly releasedAt: Float64Array;
  private flows = 0;

  now(): number {
    return this.clock();
  }

  acquired(lk: number, mode: number, label: number, trylock: boolean): void {
    const c = this.classOf(lk);
    if (c === null) return;
    const a = this.accOf(c, mode);
    a.acquisitions++;
    const last = this.lastOwner[lk]!;
    if (last !== 0 && last !== this.tid + 1) a.acqBounces++;
    this.lastOwner[lk] = this.tid + 1;
    const where = labelName(label);
    a.holderPoints[where] = (a.holderPoints[where] ?? 0) + 1;
    if (this.opts.lockdep && !trylock) this.addEdges(c, mode, where);
    const sampled = this.opts.holdSample <= 1 || this.acquisitions++ % this.opts.holdSample === 0;
    this.held.push({ lk, mode, c, since: sampled ? this.clock() : -1, label: where });
    if (c.cls === 'mmap_sem') this.counter(lk, c);
  }

  released(lk: number, mode: number): void {
    let i = this.held.length - 1;
    while (i >= 0 && this.held[i]!.lk !== lk) i--;
    if (i < 0) return;
    const h = this.held[i]!;
    this.held.splice(i, 1);
    if (h.since >= 0) {
      const now = this.clock();
      const d = now - h.since;
      const a = this.accOf(h.c, mode);
      a.holdSamples++;
      a.holdTotal += d;
      if (d < a.holdMin) a.holdMin = d;
      if (d > a.holdMax) a.holdMax = d;
      if (this.opts.trace && (h.c.cls === 'mmap_sem' || h.c.cls === 'resv' || d > 0)) {
        this.push({ name: `hold ${h.c.instance}${h.c.rw ? `-${MODE_NAME[mode]}` : ''}`, cat: 'lock', ph: 'X', ts: this.ts(h.since), dur: this.ts(now) - this.ts(h.since), pid: 1, tid: this.tid, args: { at: h.label } });
      }
    }
    if (this.opts.trace && this.m[lk + 1] !== 0) {
      // someone waits: remember this release; the waiter that gets the lock draws the flow
      this.releaser[lk] = this.tid + 1;
      this.releasedAt[lk] = this.ts(this.clock());
    }
    if (h.c.cls === 'mmap_sem') this.counter(lk, h.c);
  }

  waited(lk: number, mode: number, label: number, since: number, holder: number): void {
    const c = this.classOf(lk);
    if (c === null) return;
    this.recordWait(c.rw ? `${c.cls}-${MODE_NAME[mode]}` : c.cls, c.instance, label, since, holder !== 0 && holder !== this.tid + 1);
    const from = this.releaser[lk]! - 1;
    if (this.opts.trace && from >= 0 && from !== this.tid) {
      const id = `wake.${this.tid}.${++this.flows}`;
      const name = `wake ${c.instance}`;
      const at = this.releasedAt[lk]!;
      this.push({ name, cat: 'flow', ph: 'X', ts: at, dur: 0, pid: 1, tid: from });
      this.push({ name, cat: 'flow', ph: 's', id, ts: at, pid: 1, tid: from });
      this.flow('f', id, name);
    }
  }

  waitedFor(cls: string, instance: string, label: number, since: number): void {
    this.recordWait(cls, instance, label, since, true);
  }

  span(name: string, cat: string, since: number, args?: Record<string, unknown>): void {
    if (!this.opts.trace) return;
    const now = this.clock();
    this.push({ name, cat, ph: 'X', ts: this.ts(since), dur: this.ts(now) - this.ts(since), pid: 1, tid: this.tid, ...(args ? { args } : {}) });
  }

  instant(name: string, cat: string, args?: Record<string, unknown>): void {
    if (!this.opts.trace) return;
    this.push({ name, cat, ph: 'i', s: 't', ts: this.ts(this.clock()), pid: 1, tid: this.tid, ...(args ? { args } : {}) });
  }

  flow(phase: 's' | 'f', id: string, name: string): void {
    if (!this.opts.trace) return;
    // a flow binds to a slice: a zero-length one marks the point on this track
    const ts = this.ts(this.clock());
    this.push({ name, cat: 'flow', ph: 'X', ts, dur: 0, pid: 1, tid: this.tid });
    this.push({ name, cat: 'flow', ph: phase, id, ts, pid: 1, tid: this.tid, ...(phase === 'f' ? { bp: 'e' as const } : {}) });
  }

  /** A new run on this thread (deterministic groups reuse their recorder): nothing is held. */
  beginRun(): void {
    this.held.length = 0;
  }

  part(): ProfilePart {
    return { unit: this.unit, classes: this.acc, contentions: this.contentions, edges: [...this.edges.values()], events: this.events, capped: this.capped };
  }

  private recordWait(key: string, instance: string, label: number, since: number, bounce: boolean): void {
    const now = this.clock();
    const d = now - since;
    const a = this.accByKey(key);
    a.contentions++;
    if (bounce) a.conBounces++;
    a.waitTotal += d;
    if (d < a.waitMin) a.waitMin = d;
    if (d > a.waitMax) a.waitMax = d;
    const where = labelName(label);
    a.contentionPoints[where] = (a.contentionPoints[where] ?? 0) + 1;
    if (this.contentions.length < CONTENTION_CAP) this.contentions.push({ class: key, instance, cpu: this.thread, label: where, wait: d });
    if (this.opts.trace) this.push({ name: `wait ${instance}`, cat: 'lock', ph: 'X', ts: this.ts(since), dur: this.ts(now) - this.ts(since), pid: 1, tid: this.tid, args: { at: where } });
  }

  private addEdges(c: LockClass, mode: number, where: string): void {
    for (const h of this.held) {
      const from = h.c.cls;
      const key = `${from}:${MODE_NAME[h.mode]}>${c.cls}:${MODE_NAME[mode]}`;
      const e = this.edges.get(key);
      if (e) e.count++;
      else this.edges.set(key, { from, to: c.cls, fromMode: MODE_NAME[h.mode]!, toMode: MODE_NAME[mode]!, label: where, thread: this.thread, count: 1 });
    }
  }

  private counter(lk: number, c: LockClass): void {
    if (!this.opts.trace || lk < this.lay.mm || (lk - this.lay.mm) % this.lay.mmStride !== MM_MMAP_SEM) return;
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

  /** trace timestamps are µs: ns / 1000 in stress, one step = 1 µs in deterministic runs */
  private ts(t: number): number {
    return this.unit === 'ns' ? t / 1000 : t;
  }

  private classOf(lk: number): LockClass | null {
    let c = this.classes.get(lk);
    if (c === undefined) {
      c = lockClassOf(this.lay, lk);
      this.classes.set(lk, c);
    }
    return c;
  }

  private accOf(c: LockClass, mode: number): ClassAcc {
    return this.accByKey(c.rw ? `${c.cls}-${mode === MODE_R ? 'R' : mode === MODE_W ? 'W' : 'X'}` : c.cls);
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
