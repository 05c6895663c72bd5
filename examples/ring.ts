// A single-producer ring: the producer publishes the new head before it writes the slot, so the
// consumer can read a slot not written yet. Fixed: write the slot, then publish the head.
import { defineTest, type TestThread } from '../src/index.js';

const SLOTS = 4;

function consumer(t: TestThread): void {
  for (let tail = 0; tail < SLOTS; ) {
    if (t.load('head') === tail) {
      t.futexWait('head', tail); // sleep while the ring is empty (no spinning: a spinner could starve the producer)
      continue;
    }
    const v = t.load('ring', tail);
    t.check(v === 100 + tail, 'unpublished-read', `slot ${tail} read as ${v} before the producer wrote it`);
    tail++;
  }
}

export default defineTest({
  memory: { head: 0, ring: new Array<number>(SLOTS).fill(0) },
  threads: {
    producer: (t) => {
      for (let i = 0; i < SLOTS; i++) {
        t.store('head', i + 1);
        t.futexWake('head');
        t.store('ring', 100 + i, i);
      }
    },
    consumer,
  },
});

export const fixed = defineTest({
  memory: { head: 0, ring: new Array<number>(SLOTS).fill(0) },
  threads: {
    producer: (t) => {
      for (let i = 0; i < SLOTS; i++) {
        t.store('ring', 100 + i, i);
        t.store('head', i + 1);
        t.futexWake('head');
      }
    },
    consumer,
  },
});
