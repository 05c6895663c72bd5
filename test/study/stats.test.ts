import test from 'ava';
import { median, medianCI, pairedT } from '../../src/study/stats.js';

test('median of odd and even counts', (t) => {
  t.is(median([3, 1, 2]), 2);
  t.is(median([4, 1, 3, 2]), 2.5);
  t.is(median([7]), 7);
});

test('the bootstrap interval holds the median, stays within the data, and is the same every time', (t) => {
  const xs = [10, 12, 9, 11, 30];
  const a = medianCI(xs);
  t.is(a.median, 11);
  t.true(a.lo <= a.median && a.median <= a.hi);
  t.true(a.lo >= 9 && a.hi <= 30);
  t.deepEqual(medianCI(xs), a, 'seeded resampling');
  t.deepEqual(medianCI([5]), { median: 5, lo: 5, hi: 5 });
});

test('paired t-test: a consistent shift is significant, noise around zero is not, no difference at all gives p = 1', (t) => {
  const a = [100, 120, 90, 110, 105];
  const shifted = a.map((x, i) => x + 10 + (i % 2));
  const s = pairedT(a, shifted);
  t.true(s.p < 0.001, String(s.p));
  t.true(Math.abs(s.meanChange - 10.4 / 105) < 1e-9);
  const noisy = pairedT(a, [101, 119, 91, 109, 105]);
  t.true(noisy.p > 0.5, String(noisy.p));
  t.is(pairedT(a, a).p, 1);
  // the same differences as a textbook example: d = 1, 2, 3, 4, 5 → t = 4.243 with 4 dof, p = 0.0132
  t.true(Math.abs(pairedT([0, 0, 0, 0, 0], [1, 2, 3, 4, 5]).p - 0.0132) < 0.0005);
});
