import test from 'ava';
import { lock_vma_under_rcu, mmap_write_lock, mmap_write_unlock, vma_end_read, vma_start_write } from '../../src/mm/mmap_lock.js';
import { window_vpn } from '../../src/mm/vma.js';
import { LINE, MM_LOCK_SEQ, VMA_LOCK, VMA_LOCK_SEQ } from '../../src/shm/layout.js';
import { parks, script } from '../locking/script.js';

/** cpu0 and cpu1 on mm 0, which maps object 0 at its home window (slot 0). */
function vmaLocks() {
  const x = script({ cpus: 2, migrators: 0, processes: 1, objects: 1, pages: 2 });
  return { ...x, cpu0: x.task(0), cpu1: x.task(1), vpn: window_vpn(x.task(0), 0) };
}

test('vma_start_write stamps the VMA with the mm\'s lock sequence: per-VMA-lock faults fall back to mmap_lock until mmap_lock is released', (t) => {
  const x = vmaLocks();
  mmap_write_lock(x.cpu0, 0, 0);
  vma_start_write(x.cpu0, 0, 0);
  t.is(x.m[x.lay.vma(0, 0, VMA_LOCK_SEQ)], x.m[x.lay.mmw(0, MM_LOCK_SEQ)]);
  t.is(lock_vma_under_rcu(x.cpu1, 0, x.vpn), -1, 'write-locked: the fault takes mmap_lock instead');
  mmap_write_unlock(x.cpu0, 0, 0);
  t.not(x.m[x.lay.vma(0, 0, VMA_LOCK_SEQ)], x.m[x.lay.mmw(0, MM_LOCK_SEQ)], 'the release bumped the sequence: every stamp is stale');
  t.is(lock_vma_under_rcu(x.cpu1, 0, x.vpn), 0, 'now the fault read-locks the VMA');
  vma_end_read(x.cpu1, 0, 0);
});

test('vma_start_write waits for the VMA\'s readers to leave', (t) => {
  const x = vmaLocks();
  t.is(lock_vma_under_rcu(x.cpu1, 0, x.vpn), 0);
  mmap_write_lock(x.cpu0, 0, 0);
  t.true(parks(() => vma_start_write(x.cpu0, 0, 0)), 'the writer sleeps on the VMA lock');
  const idx = x.sleeps.at(-1)!.idx;
  const lock = x.lay.vma(0, 0, VMA_LOCK);
  t.true(idx >= lock && idx < lock + LINE, 'on a word of the VMA\'s own rwsem');
});

test('an address no VMA covers gets no VMA lock', (t) => {
  const x = vmaLocks();
  t.is(lock_vma_under_rcu(x.cpu1, 0, x.vpn + 2), -1);
});
