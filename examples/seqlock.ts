// A seqlock: the writer makes the sequence odd, writes both halves, makes it even again. A reader
// that does not retry when the sequence was odd or changed can see half an update. Fixed: it retries.
import { defineTest, type TestThread } from '../src/index.js';

function writer(t: TestThread): void {
  for (let v = 1; v <= 2; v++) {
    t.add('seq', 1);
    t.store('lo', v);
    t.store('hi', v);
    t.add('seq', 1);
    t.futexWake('seq');
  }
}

export default defineTest({
  memory: { seq: 0, lo: 0, hi: 0 },
  threads: {
    writer,
    reader: (t) => {
      t.load('seq');
      const lo = t.load('lo');
      const hi = t.load('hi');
      t.check(lo === hi, 'torn-read', `read lo=${lo} hi=${hi}: half of an update`);
    },
  },
});

export const fixed = defineTest({
  memory: { seq: 0, lo: 0, hi: 0 },
  threads: {
    writer,
    reader: (t) => {
      for (;;) {
        const s = t.load('seq');
        const lo = t.load('lo');
        const hi = t.load('hi');
        if (s % 2 === 0 && t.load('seq') === s) {
          t.check(lo === hi, 'torn-read', `read lo=${lo} hi=${hi}: half of an update`);
          return;
        }
        // a write is under way: sleep until it ends instead of spinning (a spinning reader
        // could starve the writer under a priority scheduler)
        if (s % 2 === 1) t.futexWait('seq', s);
      }
    },
  },
});
