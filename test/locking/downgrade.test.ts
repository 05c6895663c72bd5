import test from 'ava';
import { MM_MMAP_SEM, RW_COUNT, RW_OWNER, RW_READERS } from '../../src/shm/layout.js';
import { down_read_trylock, down_write, downgrade_write, up_read } from '../../src/locking/rwsem.js';
import { machine } from '../check/machine.js';

test('downgrade_write: the writer becomes a reader; other readers get in, a writer does not', (t) => {
  const x = machine();
  const s = x.lay.mmw(0, MM_MMAP_SEM);
  const [w, r] = [x.task(0), x.task(1)];
  down_write(w, s, 1);
  t.false(down_read_trylock(r, s, 1), 'no reader beside the writer');
  downgrade_write(w, s, 1);
  t.is(x.m[s + RW_OWNER], 0);
  t.is(x.m[s + RW_READERS], 1 << 0);
  t.true(down_read_trylock(r, s, 1), 'a reader joins the downgraded holder');
  t.is(x.m[s + RW_READERS], (1 << 0) | (1 << 1));
  up_read(r, s, 1);
  up_read(w, s, 1);
  t.is(x.m[s + RW_COUNT], 0, 'count word back to zero');
  t.is(x.m[s + RW_READERS], 0);
});
