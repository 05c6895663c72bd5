import test from 'ava';
import { check_may_sleep, check_release, check_rwsem_exclusive } from '../../src/check/locks.js';
import { fired, machine } from './machine.js';

test('lock-state: a release by a thread that does not hold the lock; by the holder it is quiet', (t) => {
  const t0 = machine().task(0);
  t.is(fired(() => check_release(t0, 100, t0.lockId, 'spinlock')), null);
  t.is(fired(() => check_release(t0, 100, t0.lockId + 1, 'spinlock')), 'lock-state');
  t.is(fired(() => check_release(t0, 100, 0, 'spinlock')), 'lock-state', 'nobody held it');
});

test('lock-state: a writer together with readers, either way round; alone it is quiet', (t) => {
  const t0 = machine().task(0);
  t.is(fired(() => check_rwsem_exclusive(t0, 100, 0, 0, true)), null);
  t.is(fired(() => check_rwsem_exclusive(t0, 100, 0, 0b10, true)), 'lock-state');
  t.is(fired(() => check_rwsem_exclusive(t0, 100, 2, 0, false)), 'lock-state');
  t.is(fired(() => check_rwsem_exclusive(t0, 100, 0, 0b10, false)), null, 'readers share');
});

test('lock-state: a sleeping lock taken while a spinlock is held', (t) => {
  const t0 = machine().task(0);
  t.is(fired(() => check_may_sleep(t0, 1, 'mutex', 100)), 'lock-state');
  t.is(fired(() => check_may_sleep(t0, 0, 'mutex', 100)), null);
});
