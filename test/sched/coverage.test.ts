import test from 'ava';
import { ConflictCoverage, coverageWords } from '../../src/sched/coverage.js';

const WORDS = 8;
const fresh = (): ConflictCoverage => new ConflictCoverage(new Int32Array(coverageWords(WORDS)), 0, WORDS);
const pairs = (c: ConflictCoverage): string[] => c.read().pairs.map((p) => `${p.a}>${p.b}@${p.first}`).sort();

test('an access pairs with the last conflicting access of its word by another thread: a write with any, a read with a write', (t) => {
  const c = fresh();
  c.note(0, 10, 3, true, 1); // t0 writes word 3 (label 10)
  c.note(0, 11, 3, false, 1); // its own read: no pair
  c.note(1, 20, 3, false, 1); // t1 reads: after t0's write
  c.note(1, 21, 3, false, 1); // again: the same pair, seen already
  c.note(0, 12, 3, true, 1); // t0 writes: after t1's read (the last access)
  c.note(1, 22, 4, true, 1); // another word: nothing before it
  t.deepEqual(pairs(c), ['10>20@1', '10>21@1', '21>12@1'].sort());
  t.true(c.has(10, 20));
  t.false(c.has(20, 10));
});

test('two reads never conflict; a new run forgets the last accesses but keeps the pairs and when they were first seen', (t) => {
  const c = fresh();
  c.note(0, 1, 2, false, 1);
  c.note(1, 2, 2, false, 1);
  t.deepEqual(pairs(c), []);
  c.note(0, 3, 5, true, 1);
  c.note(1, 4, 5, true, 1);
  t.deepEqual(pairs(c), ['3>4@1']);
  // run 2: t1's write comes first; nothing of run 1 is paired with it
  c.note(1, 4, 5, true, 2);
  t.deepEqual(pairs(c), ['3>4@1']);
  c.note(0, 3, 5, true, 2);
  t.deepEqual(pairs(c), ['3>4@1', '4>3@2']);
  t.is(c.read().lost, 0);
});

test('words outside the machine are not noted', (t) => {
  const c = fresh();
  c.note(0, 1, -1, true, 1);
  c.note(1, 2, -1, true, 1);
  c.note(0, 1, WORDS, true, 1);
  c.note(1, 2, WORDS, true, 1);
  t.deepEqual(pairs(c), []);
});
