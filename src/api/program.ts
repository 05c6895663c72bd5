// A user test as a program of the deterministic engine: boot writes its initial memory and runs
// its setup, each thread runs its function, the end-of-run check reads a snapshot. An exception a
// thread function throws is the test's own failure (oracle test:exception), not faultline's.
import type { Program } from '../harness/program.js';
import { guarded } from '../harness/guard.js';
import { explainStuckWith, type WaitTarget } from '../harness/waitfor.js';
import { rwsem_holders } from '../locking/rwsem.js';
import { RW_RGEN, RW_WAIT_LOCK, RW_WNEXT } from '../shm/layout.js';
import type { ViolationInfo } from '../check/violation.js';
import { TestLayout } from './layout.js';
import { TestThread, threadEntries } from './thread.js';
import type { MemoryInit, Snapshot, TestDef, ThreadFn } from './test.js';

export function testProgram(def: TestDef): Program<TestThread> {
  const fns: ThreadFn[] = Array.isArray(def.threads) ? def.threads : Object.values(def.threads);
  const names = Array.isArray(def.threads) ? fns.map((_, i) => `t${i}`) : Object.keys(def.threads);
  const lay = new TestLayout(fns.length, def.locks ?? {}, def.memory ?? {});
  const name = (tid: number): string => names[tid] ?? `t${tid}`;
  const entries = names.map((n) => threadEntries(lay, n));

  const view = (m: Int32Array): MemoryInit => ({
    get: (n, i = 0) => m[at(lay, n, i)]!,
    set: (n, v, i = 0) => void (m[at(lay, n, i)] = v),
  });
  const snapshot = (m: Int32Array): Snapshot => {
    const out: Snapshot = {};
    for (const r of lay.regions) {
      if (r.kind === 'word') out[r.name] = m[r.base]!;
      else if (r.kind === 'array') out[r.name] = Array.from(m.subarray(r.base, r.base + r.size));
    }
    return out;
  };

  const waitTarget = (m: Int32Array, idx: number): WaitTarget => {
    const r = lay.regionOf(idx);
    const what = lay.describe(idx);
    if (r === undefined) return { what, holders: [] };
    if (r.kind === 'mutex' || r.kind === 'spinlock') return { what: r.name, holders: [Atomics.load(m, r.base) - 1].filter((h) => h >= 0) };
    if (r.kind === 'rwsem') {
      const off = idx - r.base;
      if (off === RW_WAIT_LOCK) return { what, holders: [Atomics.load(m, idx) - 1].filter((h) => h >= 0) };
      const h = rwsem_holders(m, r.base);
      return { what: `${r.name} (${off === RW_RGEN ? 'read' : off === RW_WNEXT ? 'write' : what})`, holders: [h.writer, ...h.readers].filter((x) => x >= 0) };
    }
    // a condition variable, a barrier, a futex word: a count, nobody holds it
    return { what, holders: [], counter: true };
  };
  const heldLocks = (m: Int32Array): string[] => {
    const lines: string[] = [];
    for (const r of lay.regions) {
      if (r.kind === 'mutex' || r.kind === 'spinlock') {
        const h = Atomics.load(m, r.base);
        if (h > 0) lines.push(`${r.name} held by ${name(h - 1)}`);
      } else if (r.kind === 'rwsem') {
        const h = rwsem_holders(m, r.base);
        if (h.writer >= 0) lines.push(`${r.name} held for write by ${name(h.writer)}`);
        if (h.readers.length > 0) lines.push(`${r.name} held for read by ${h.readers.map(name).join(', ')}`);
      }
    }
    return lines;
  };

  return {
    threads: fns.length,
    words: lay.words,
    lines: lay,
    locks: {
      words: lay.words,
      // each lock of the test is a class of its own; condition variables and barriers are not locks
      classOf: (idx) => {
        const r = lay.regionOf(idx);
        return r !== undefined && r.base === idx && (r.kind === 'mutex' || r.kind === 'spinlock' || r.kind === 'rwsem') ? { cls: r.name, rw: r.kind === 'rwsem', instance: r.name } : null;
      },
      counted: (idx) => {
        const r = lay.regionOf(idx);
        return r !== undefined && r.kind === 'rwsem' && r.base === idx;
      },
    },
    boot(m, seed) {
      m.fill(0);
      for (const r of lay.regions) r.init.forEach((v, i) => (m[r.base + i] = v));
      def.setup?.(view(m), seed);
    },
    thread: (m, tid, sched) => new TestThread(m, tid, sched, lay, entries[tid]!, def.rwsem ?? 'linux', name(tid)),
    run: (t) =>
      guarded(t, () => {
        fns[t.tid]!(t);
        t.progress();
      }, {
        describe: (idx) => lay.describe(idx),
        foreign: (e): ViolationInfo => ({ oracle: 'test:exception', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), cpu: t.tid, thread: t.name, step: t.step }),
      }),
    finalCheck(m) {
      if (def.check === undefined) return null;
      let r: ReturnType<NonNullable<TestDef['check']>>;
      try {
        r = def.check(snapshot(m));
      } catch (e) {
        r = `check threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      }
      if (r === undefined || r === true) return null;
      return { oracle: 'test:check', message: r === false ? 'the end-of-run check returned false' : String(r), cpu: -1, thread: 'check', step: 0 };
    },
    threadName: name,
    describeWord: (idx) => lay.describe(idx),
    showValue: (_idx, v) => String(v),
    explainStuck: (m, oracle, sched) => explainStuckWith({ name, waitTarget: (idx) => waitTarget(m, idx), heldLocks: () => heldLocks(m) }, oracle, sched),
  };
}

function at(lay: TestLayout, name: string, i: number): number {
  const r = lay.byName.get(name);
  if (r === undefined || (r.kind !== 'word' && r.kind !== 'array')) throw new Error(`setup: no memory named '${name}'`);
  if (!(Number.isInteger(i) && i >= 0 && i < r.size)) throw new RangeError(`setup: ${name}[${i}] out of range [0, ${r.size})`);
  return r.base + i;
}
