// Names every lock currently held and the word each thread sleeps on: the hang report.
import type { Config } from '../config.js';
import { BO_RESV, Layout, LK_STRIDE, MM_MMAP_SEM, PG_LOCKED, TH_WAIT_IDX, VMA_LOCK } from '../shm/layout.js';
import { lockOf } from '../shm/words.js';
import { rwsem_holders } from '../locking/rwsem.js';

export function threadName(cfg: Config, tid: number): string {
  return tid < cfg.cpus ? `cpu${tid}` : `migrator${tid - cfg.cpus}`;
}

/** Every thread's name, by tid (the timeline's tracks). */
export function threadNames(cfg: Config): string[] {
  return Array.from({ length: cfg.cpus + cfg.migrators }, (_, t) => threadName(cfg, t));
}

/** Names the lock (or word) at index `idx`. */
export function lockName(cfg: Config, idx: number): string {
  return lockOf(new Layout(cfg), idx);
}

/** Every rw_semaphore of the machine: i_mmap_rwsem, each mm's mmap_sem, each VMA's vm_lock. */
export function allRwsems(cfg: Config): number[] {
  const lay = new Layout(cfg);
  const out = [lay.iMmap];
  for (let mm = 0; mm < cfg.processes; mm++) {
    out.push(lay.mmw(mm, MM_MMAP_SEM));
    for (let v = 0; v < lay.maxVmas; v++) out.push(lay.vma(mm, v, VMA_LOCK));
  }
  return out;
}

export function lockDump(cfg: Config, m: Int32Array): string[] {
  const lay = new Layout(cfg);
  const lines: string[] = [];
  const name = (tid: number): string => threadName(cfg, tid);
  const rw = (what: string, s: number): void => {
    const h = rwsem_holders(m, s);
    if (h.writer >= 0) lines.push(`${what} held for write by ${name(h.writer)}`);
    if (h.readers.length) lines.push(`${what} held for read by ${h.readers.map(name).join(', ')}`);
  };
  for (const s of allRwsems(cfg)) rw(lockName(cfg, s), s);
  for (let obj = 0; obj < cfg.objects; obj++) {
    const h = Atomics.load(m, lay.bow(obj, BO_RESV));
    if (h) lines.push(`bo${obj}.resv held by ${name(h - 1)}`);
  }
  for (let pp = 0; pp < lay.ptePages; pp++) {
    const h = Atomics.load(m, lay.ptl + pp * LK_STRIDE);
    if (h) lines.push(`ptl[pte page ${pp}] held by ${name(h - 1)}`);
  }
  for (let s = 0; s < lay.sysFrames; s++) {
    const h = Atomics.load(m, lay.page(s, PG_LOCKED));
    if (h) lines.push(`page${s}.lock held by ${name(h - 1)}`);
  }
  for (let tid = 0; tid < lay.threads; tid++) {
    const w = Atomics.load(m, lay.th(tid, TH_WAIT_IDX));
    if (w) lines.push(`${name(tid)} sleeps on ${lockName(cfg, w - 1)}`);
  }
  return lines;
}
