// The queued rwsem variants' policies, one hand-written interleaving each (see script.ts): where
// reader-pref and writer-pref part from phase-fair.
import test from 'ava';
import { MM_MMAP_SEM, RW_COUNT, RW_READERS, RW_RGEN, RW_RWAIT, RW_WNEXT, RW_WWAIT } from '../../src/shm/layout.js';
import { down_read, down_write, up_read, up_write } from '../../src/locking/rwsem.js';
import { BIAS, WAITERS, WRITER } from '../../src/locking/rwsem_linux.js';
import type { RwsemVariant } from '../../src/config.js';
import { parks, script } from './script.js';

const L = 1;

function setup(cpus: number, rwsem: RwsemVariant) {
  const x = script({ cpus, rwsem });
  return { x, s: x.lay.mmw(0, MM_MMAP_SEM), t: Array.from({ length: cpus }, (_, tid) => x.task(tid)) };
}

for (const rwsem of ['phase-fair', 'reader-pref'] as const) {
  test(`${rwsem}: a reader arriving while readers hold the lock and a writer waits ${rwsem === 'reader-pref' ? 'gets in' : 'queues behind the writer'}`, (t) => {
    const { x, s, t: [r1, w, r2] } = setup(3, rwsem);
    down_read(r1!, s, L);
    t.true(parks(() => down_write(w!, s, L)), 'the writer queues behind the reader');
    const got = !parks(() => down_read(r2!, s, L));
    t.is(got, rwsem === 'reader-pref');
    t.is(x.m[s + RW_READERS], rwsem === 'reader-pref' ? (1 << r1!.tid) | (1 << r2!.tid) : 1 << r1!.tid);
    // the writer gets the lock only once the last reader is out
    up_read(r1!, s, L);
    if (rwsem === 'reader-pref') {
      t.is(x.m[s + RW_COUNT], BIAS | WAITERS, 'r2 still reads; the writer waits');
      up_read(r2!, s, L);
    }
    t.is(x.m[s + RW_COUNT] & WRITER, WRITER, 'handed to the writer');
    t.is(x.m[s + RW_WWAIT], 0);
  });
}

for (const rwsem of ['phase-fair', 'writer-pref'] as const) {
  test(`${rwsem}: a writer's release with a reader and a writer queued hands on to ${rwsem === 'writer-pref' ? 'the writer' : 'the reader'}`, (t) => {
    const { x, s, t: [w0, r, w1] } = setup(3, rwsem);
    down_write(w0!, s, L);
    t.true(parks(() => down_read(r!, s, L)));
    t.true(parks(() => down_write(w1!, s, L)));
    const [rgen, wnext] = [x.m[s + RW_RGEN]!, x.m[s + RW_WNEXT]!];
    up_write(w0!, s, L);
    if (rwsem === 'writer-pref') {
      t.is(x.m[s + RW_WNEXT], wnext + 1, 'the queued writer was granted');
      t.is(x.m[s + RW_RGEN], rgen, 'the reader was not');
      t.is(x.m[s + RW_COUNT], WRITER | WAITERS, 'held for write, the reader still queued');
      t.is(x.m[s + RW_RWAIT], 1);
    } else {
      t.is(x.m[s + RW_RGEN], rgen + 1, 'the queued reader was granted');
      t.is(x.m[s + RW_WNEXT], wnext, 'the writer was not');
      t.is(x.m[s + RW_COUNT], BIAS | WAITERS, 'held for read, the writer still queued');
    }
  });
}
