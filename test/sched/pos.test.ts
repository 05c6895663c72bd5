import test from 'ava';
import { PosStrategy, posPriority } from '../../src/sched/strategies/pos.js';
import { positions, runToy, toyState, TOY_LABEL, type ToyEvent } from './toy.js';

test('pos re-draws the priorities of the events that race with the one executed, and only those', (t) => {
  const s = toyState();
  const pos = new PosStrategy(s, 0);
  pos.init(7, 4);
  // threads 1, 2, 3 stop at a read of word 5, a read of word 6, a write of word 6
  pos.next(1, 0b1111, false, TOY_LABEL, 5, false);
  pos.next(2, 0b1111, false, TOY_LABEL, 6, false);
  pos.next(3, 0b1111, false, TOY_LABEL, 6, true);
  // thread 0 writes word 5, then reads word 6
  pos.next(0, 0b1111, false, TOY_LABEL, 5, true);
  const before = [1, 2, 3].map((tid) => posPriority(s, 0, tid));
  pos.next(0, 0b1111, false, TOY_LABEL, 6, false);
  t.not(posPriority(s, 0, 1), before[0], 'read of the word just written: a race');
  t.is(posPriority(s, 0, 2), before[1], 'another word');
  t.is(posPriority(s, 0, 3), before[2], 'another word');
  // its read of word 6 executes: the write of word 6 races with it, the read does not
  pos.next(0, 0b1111, false, TOY_LABEL, 9, false);
  t.is(posPriority(s, 0, 2), before[1], 'two reads never race');
  t.not(posPriority(s, 0, 3), before[2], 'read then write of the same word: a race');
});

test('pos puts a racing pair at the end of two long threads in either order about equally often', (t) => {
  // each thread: 12 writes of its own words, then a write of the shared word 1
  const thread = (tid: number): ToyEvent[] => [...Array.from({ length: 12 }, (_, i) => ({ word: 100 * (tid + 1) + i, write: true })), { word: 1, write: true }];
  const program = [thread(0), thread(1)];
  const s = toyState();
  let bFirst = 0;
  const runs = 4000;
  for (let seed = 1; seed <= runs; seed++) {
    const at = positions(runToy(program, new PosStrategy(s, 0), seed), 2);
    if (at[1]![12]! < at[0]![12]!) bFirst++;
  }
  t.log(`thread 1's racing write first in ${bFirst} of ${runs} runs`);
  t.true(bFirst > 0.3 * runs && bFirst < 0.7 * runs);
});
