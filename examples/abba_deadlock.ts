// Two mutexes taken in opposite orders: each thread holds one and sleeps on the other (ABBA).
// Fixed: both take them in the same order.
import { defineTest, type TestThread } from '../src/index.js';

const both = (first: string, second: string) => (t: TestThread): void => {
  t.lock(first);
  t.lock(second);
  t.add('transfers', 1);
  t.unlock(second);
  t.unlock(first);
};

export default defineTest({
  locks: { a: 'mutex', b: 'mutex' },
  memory: { transfers: 0 },
  threads: { left: both('a', 'b'), right: both('b', 'a') },
});

export const fixed = defineTest({
  locks: { a: 'mutex', b: 'mutex' },
  memory: { transfers: 0 },
  threads: { left: both('a', 'b'), right: both('a', 'b') },
});
