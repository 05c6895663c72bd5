import test from 'ava';
import { DataOracle } from '../../src/check/data.js';
import { fired, machine } from './machine.js';

// word 0 is cpu0's (owner = word % cpus), word 1 is cpu1's
test('lost-write: the owner reads back something other than its last token; its own token is quiet', (t) => {
  const x = machine();
  const d = new DataOracle(x.task(0));
  const token = d.nextToken(0);
  t.is(fired(() => d.checkLoad(0, token, 0, 0)), null);
  t.is(fired(() => d.checkLoad(0, token - 1, 0, 0)), 'lost-write');
});

test('stale-read: another CPU\'s word goes backwards; forwards or the same is quiet', (t) => {
  const x = machine();
  const d = new DataOracle(x.task(0));
  t.is(fired(() => d.checkLoad(1, 5, 0, 0)), null);
  t.is(fired(() => d.checkLoad(1, 5, 0, 0)), null);
  t.is(fired(() => d.checkLoad(1, 7, 0, 0)), null);
  t.is(fired(() => d.checkLoad(1, 6, 0, 0)), 'stale-read');
});
