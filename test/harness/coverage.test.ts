import test from 'ava';
import { mergePairs, summarizeCoverage } from '../../src/harness/coverage.js';
import { label } from '../../src/sched/labels.js';

const [A, B, C] = [label('cov:a'), label('cov:b'), label('cov:c')];

test('groups merge to the earliest schedule of each ordered pair; lost pairs add up', (t) => {
  const m = mergePairs([
    { pairs: [{ a: A, b: B, first: 7 }, { a: B, b: A, first: 3 }], lost: 1 },
    { pairs: [{ a: A, b: B, first: 2 }], lost: 2 },
  ]);
  t.deepEqual(m.pairs.map((p) => [p.a, p.b, p.first]).sort(), [[A, B, 2], [B, A, 3]].sort());
  t.is(m.lost, 3);
});

test('the summary counts pairs of labels seen, and seen in both orders, over schedules (a hand-computed example)', (t) => {
  // A→B at 1, B→A at 4: both orders from schedule 4; A→C at 2 only; C→C at 3 (a label with itself: both at once)
  const s = summarizeCoverage({ pairs: [{ a: A, b: B, first: 1 }, { a: A, b: C, first: 2 }, { a: C, b: C, first: 3 }, { a: B, b: A, first: 4 }], lost: 0 }, 4, 4);
  t.is(s.pairs, 3);
  t.is(s.bothOrders, 2);
  t.is(s.fraction, 2 / 3);
  t.deepEqual(s.curve, [
    { schedules: 1, pairs: 1, bothOrders: 0 },
    { schedules: 2, pairs: 2, bothOrders: 0 },
    { schedules: 3, pairs: 3, bothOrders: 1 },
    { schedules: 4, pairs: 3, bothOrders: 2 },
  ]);
  t.deepEqual(s.oneOrder, ['cov:a → cov:c']);
});

test('no pairs: zero coverage, not a division by zero', (t) => {
  const s = summarizeCoverage({ pairs: [], lost: 0 }, 10, 5);
  t.is(s.fraction, 0);
  t.deepEqual(s.curve.map((p) => p.schedules), [2, 4, 6, 8, 10]);
});
