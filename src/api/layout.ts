// Where a user test's words live: the same control and per-thread lines as the machine (the
// scheduler's abort word, each thread's wait and rwsem-waiter words), then the test's locks, then
// its memory, each under the name the test gave it.
import { LINE, LK_STRIDE, RW_FIELD_NAMES, type ThreadLines } from '../shm/layout.js';

export const LOCK_KINDS = ['mutex', 'spinlock', 'rwsem', 'condvar', 'barrier'] as const;
export type LockKind = (typeof LOCK_KINDS)[number];

/** Words each kind of lock takes: a lock word and its waiter count; an rwsem's fields; a
 * condition variable's sequence; a barrier's arrivals and generation. */
const LOCK_WORDS: Record<LockKind, number> = { mutex: LK_STRIDE, spinlock: LK_STRIDE, rwsem: LINE, condvar: 1, barrier: 2 };

export interface Region {
  name: string;
  /** 'word' or 'array' for memory, the kind of lock otherwise */
  kind: 'word' | 'array' | LockKind;
  base: number;
  size: number;
  /** memory: the initial values */
  init: number[];
}

export class TestLayout implements ThreadLines {
  readonly thread = 3 * LINE;
  readonly regions: Region[] = [];
  readonly byName = new Map<string, Region>();
  readonly words: number;

  constructor(
    readonly threads: number,
    locks: Record<string, LockKind>,
    memory: Record<string, number | number[]>,
  ) {
    let at = this.thread + threads * LINE;
    const add = (r: Omit<Region, 'base'>): void => {
      const region = { ...r, base: at };
      at += r.size;
      this.regions.push(region);
      this.byName.set(r.name, region);
    };
    for (const [name, kind] of Object.entries(locks)) add({ name, kind, size: LOCK_WORDS[kind], init: [] });
    for (const [name, v] of Object.entries(memory)) {
      add(Array.isArray(v) ? { name, kind: 'array', size: v.length, init: v } : { name, kind: 'word', size: 1, init: [v] });
    }
    this.words = at;
  }

  th(tid: number, field: number): number {
    return this.thread + tid * LINE + field;
  }

  /** The region holding word `idx`, if any. */
  regionOf(idx: number): Region | undefined {
    return this.regions.find((r) => idx >= r.base && idx < r.base + r.size);
  }

  /** "balance", "ring[2]", "m.waiters", "rw.count" (the same field names as the machine's rwsems). */
  describe(idx: number): string {
    const r = this.regionOf(idx);
    if (r === undefined) return idx < this.thread ? `control[${idx}]` : `thread${Math.floor((idx - this.thread) / LINE)}[${(idx - this.thread) % LINE}]`;
    const off = idx - r.base;
    switch (r.kind) {
      case 'word':
        return r.name;
      case 'array':
        return `${r.name}[${off}]`;
      case 'mutex':
      case 'spinlock':
        return off === 0 ? r.name : `${r.name}.waiters`;
      case 'rwsem':
        return `${r.name}.${RW_FIELD_NAMES[off] ?? off}`;
      case 'condvar':
        return `${r.name}.seq`;
      case 'barrier':
        return `${r.name}.${off === 0 ? 'arrived' : 'generation'}`;
    }
  }
}

