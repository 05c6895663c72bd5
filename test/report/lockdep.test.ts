import test from 'ava';
import { formatLockOrder } from '../../src/report/lockdep_report.js';
import { makeProfile } from './fixture.js';

test('lockdep report: a 2-cycle names both classes, each edge point label and thread, and the scenario', (t) => {
  const lo = makeProfile().lockOrder;
  const text = formatLockOrder(lo);
  t.regex(text, /WARNING: possible circular locking dependency detected/);
  t.is(text.match(/WARNING: possible circular/g)!.length, 1, 'one block per cycle');
  t.regex(text, /mmap_lock --> resv --> mmap_lock/);
  t.regex(text, /checked 4 dependency edges between 4 lock classes/);
  // the closing edge is the acquisition being attempted
  t.regex(text, /cpu1 is trying to acquire lock:\n\s+\(mmap_lock\)\{R\}, at: execbuf:copy_from_user/);
  t.regex(text, /but task is already holding lock:\n\s+\(resv\)\{X\}/);
  // the chain: #1 is the older edge, #0 the closing one, each with label and thread
  const i1 = text.indexOf('-> #1 (resv){X}:');
  const i0 = text.indexOf('-> #0 (mmap_lock){R}:');
  t.true(i1 > 0 && i0 > i1, 'chain printed #1 then #0');
  t.regex(text.slice(i1, i0), /ttm_fault:reserve[\s\S]*taken by cpu0 while holding \(mmap_lock\)\{R\}.*seen 14 times/);
  t.regex(text.slice(i0), /execbuf:copy_from_user[\s\S]*taken by cpu1 while holding \(resv\)\{X\}.*seen 1 time\b/);
  t.regex(text, /Possible unsafe locking scenario:/);
  t.regex(text, /rlock\(mmap_lock\);/);
  t.regex(text, /\*\*\* DEADLOCK \*\*\*/);
});

test('lockdep report: edges of a cycle are matched by their ends, not their order', (t) => {
  const lo = makeProfile().lockOrder;
  const swapped = { ...lo, cycles: [{ ...lo.cycles[0]!, edges: [...lo.cycles[0]!.edges].reverse() }] };
  t.is(formatLockOrder(swapped), formatLockOrder(lo));
});

test('lockdep report: no cycle is one line with the number of edges checked', (t) => {
  const lo = makeProfile().lockOrder;
  const text = formatLockOrder({ edges: lo.edges, cycles: [] });
  t.false(text.includes('\n'));
  t.regex(text, /no circular locking dependency/);
  t.regex(text, /4 dependency edges/);
  t.regex(formatLockOrder({ edges: [], cycles: [] }), /checked 0 dependency edges between 0 lock classes/);
  t.regex(formatLockOrder({ edges: [lo.edges[2]!], cycles: [] }), /checked 1 dependency edge between 2 lock classes/);
});

test('lockdep report: a 3-cycle lists every class', (t) => {
  const e = (from: string, to: string, label: string, thread: string) => ({ from, to, fromMode: 'X' as const, toMode: 'X' as const, label, thread, count: 1 });
  const edges = [e('a', 'b', 'p:ab', 'cpu0'), e('b', 'c', 'p:bc', 'cpu1'), e('c', 'a', 'p:ca', 'migrator0')];
  const text = formatLockOrder({ edges, cycles: [{ chain: ['a', 'b', 'c', 'a'], edges, scenario: '' }] });
  t.regex(text, /a --> b --> c --> a/);
  for (const l of ['p:ab', 'p:bc', 'p:ca', 'migrator0']) t.true(text.includes(l), l);
  t.true(text.indexOf('-> #2 (b){X}') < text.indexOf('-> #1 (c){X}') && text.indexOf('-> #1 (c){X}') < text.indexOf('-> #0 (a){X}'));
});
