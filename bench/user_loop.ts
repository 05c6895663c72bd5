// The user-test figures' program: two threads storing to words of their own, `n` times each, so
// that the engine's own cost per point (and per hand-off) is all that is measured.
import { defineTest, type TestDef } from '../src/index.js';

function loop(n: number): TestDef {
  return defineTest({
    memory: { a: 0, b: 0 },
    threads: [
      (t) => {
        for (let i = 0; i < n; i++) t.store('a', i);
      },
      (t) => {
        for (let i = 0; i < n; i++) t.store('b', i);
      },
    ],
  });
}

export const short = loop(20_000);
export const long = loop(1_000_000);
