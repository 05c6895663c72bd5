// A bug of depth 3: three orderings must all happen (a's store of x before b reads it, b's store
// of y before c reads it, and c's read of z before a stores z). Fixed: a stores z first, so a c
// that sees y = 1 also sees z = 1.
import { defineTest, type TestThread } from '../src/index.js';

const rest = {
  b: (t: TestThread): void => {
    if (t.load('x') === 1) t.store('y', 1);
  },
  c: (t: TestThread): void => {
    if (t.load('y') === 1) t.check(t.load('z') === 1, 'order', 'y is set but z is not: b saw x before a published z');
  },
};

export default defineTest({
  memory: { x: 0, y: 0, z: 0 },
  threads: {
    a: (t) => {
      t.store('x', 1);
      t.store('z', 1);
    },
    ...rest,
  },
});

export const fixed = defineTest({
  memory: { x: 0, y: 0, z: 0 },
  threads: {
    a: (t) => {
      t.store('z', 1);
      t.store('x', 1);
    },
    ...rest,
  },
});
