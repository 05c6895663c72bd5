// An rw_semaphore of your own (--rwsem FILE): one count word, readers in its low bits, a writer
// bit above them; a thread that cannot get in sleeps on the word until it changes (a futex wait)
// and every release wakes all sleepers, who try again. Simple, and writers may starve. `racy`
// lets a reader in by looking for a writer and then adding itself in two steps: a writer can take
// the lock in between, and faultline's lock oracle sees a reader beside a writer.
import { defineRwsem, label, RW_COUNT, type Thread } from '../src/api/kernel.js';

const WRITER = 1 << 20;
const L = label('rwsem_example:count');

function down_read(t: Thread, s: number): void {
  for (;;) {
    const c = t.a.load(s + RW_COUNT, L);
    if ((c & WRITER) === 0 && t.a.cas(s + RW_COUNT, c, c + 1, L) === c) return;
    if ((c & WRITER) !== 0) t.a.block(s + RW_COUNT, c, L);
  }
}
function down_read_trylock(t: Thread, s: number): boolean {
  const c = t.a.load(s + RW_COUNT, L);
  return (c & WRITER) === 0 && t.a.cas(s + RW_COUNT, c, c + 1, L) === c;
}
function up_read(t: Thread, s: number): void {
  if (t.a.add(s + RW_COUNT, -1, L) === 1) t.a.wake(s + RW_COUNT);
}
function down_write(t: Thread, s: number): void {
  for (let c = t.a.cas(s + RW_COUNT, 0, WRITER, L); c !== 0; c = t.a.cas(s + RW_COUNT, 0, WRITER, L)) t.a.block(s + RW_COUNT, c, L);
}
function up_write(t: Thread, s: number): void {
  t.a.store(s + RW_COUNT, 0, L);
  t.a.wake(s + RW_COUNT);
}
/** the writer becomes one reader, atomically: no writer gets in between */
function downgrade_write(t: Thread, s: number): void {
  t.a.store(s + RW_COUNT, 1, L);
  t.a.wake(s + RW_COUNT);
}

export default defineRwsem({ down_read, down_read_trylock, up_read, down_write, up_write, downgrade_write });

export const racy = defineRwsem({
  down_read(t, s) {
    for (;;) {
      const c = t.a.load(s + RW_COUNT, L);
      if ((c & WRITER) !== 0) {
        t.a.block(s + RW_COUNT, c, L);
        continue;
      }
      t.a.add(s + RW_COUNT, 1, L);
      return;
    }
  },
  down_read_trylock, up_read, down_write, up_write, downgrade_write,
});
