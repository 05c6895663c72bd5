import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { CTL_PROGRESS, Layout } from '../../src/shm/layout.js';
import { label } from '../../src/sched/labels.js';
import { renderInterleaving, traceRows } from '../../src/report/interleaving.js';
import { machineProgram } from '../../src/harness/machine_program.js';
import { threadNames } from '../../src/harness/lockdump.js';

test('the interleaving shows PTE values in hex, as the violations print them, and other words in decimal', (t) => {
  const cfg = makeConfig({ cpus: 2, migrators: 1 });
  const lay = new Layout(cfg);
  const L = label('walk:pte');
  // two steps: cpu0 reads PTE 1 of page-table page 0 (0x23f), the migrator reads the progress word (63)
  const trace = Int32Array.from([0, L, lay.ptes + 1, 0x23f, 2, L, CTL_PROGRESS, 63]);
  const rows = traceRows(machineProgram(cfg, 0), { sched: trace, traceBase: 0, traceLen: 2 }, 0, 2);
  t.deepEqual(rows.map((r) => [r.value, r.shown]), [[0x23f, '0x23f'], [63, '63']]);
  const text = renderInterleaving(threadNames(cfg), rows);
  t.regex(text, /walk:pte pte\(page 0\)\[1\]=0x23f/);
  t.regex(text, /walk:pte progress=63/);
});
