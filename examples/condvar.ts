// A consumer that tests the flag without the mutex, then waits: the producer's signal can fall
// between the test and the wait, and the consumer sleeps forever. Fixed: test and wait under the
// mutex, in a loop.
import { defineTest, type TestThread } from '../src/index.js';

const producer = (t: TestThread): void => {
  t.lock('m');
  t.store('ready', 1);
  t.signal('cv');
  t.unlock('m');
};

export default defineTest({
  locks: { m: 'mutex', cv: 'condvar' },
  memory: { ready: 0 },
  threads: {
    producer,
    consumer: (t) => {
      if (t.load('ready') === 0) {
        t.lock('m');
        t.wait('cv', 'm');
        t.unlock('m');
      }
    },
  },
});

export const fixed = defineTest({
  locks: { m: 'mutex', cv: 'condvar' },
  memory: { ready: 0 },
  threads: {
    producer,
    consumer: (t) => {
      t.lock('m');
      while (t.load('ready') === 0) t.wait('cv', 'm');
      t.unlock('m');
    },
  },
});
