// `faultline matrix`: the detection matrix of every catalog bug, as Markdown and JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { matrixMarkdown, runMatrix } from '../harness/matrix.js';
import { closeDetPool } from '../harness/explore.js';
import { closePool } from '../harness/stress.js';
import { floatArg, intArg } from './options.js';
import { UsageError } from './errors.js';

export function matrixCommand(): Command {
  return new Command('matrix')
    .description('run every bug switch under stress and under explore (random; pct d = 1, 2, 3) and write a detection matrix')
    .option('--schedules <n>', 'schedules per explore trial', intArg, 1000)
    .option('--seconds <s>', 'seconds per stress trial', floatArg, 3)
    .option('--trials <n>', 'trials (seed ranges) per cell', intArg, 3)
    .option('--jobs <n>', 'explore groups in parallel', intArg, Math.max(1, Math.floor(availableParallelism() / 2)))
    .option('--out <dir>', 'where matrix.md and matrix.json are written', 'faultline-matrix')
    .action(async (f: { schedules: number; seconds: number; trials: number; jobs: number; out: string }) => {
      if (f.schedules < 1 || f.trials < 1 || !(f.seconds > 0)) throw new UsageError('--schedules, --trials and --seconds must be positive');
      const opts = { ...f, onCell: (bug: string, c: { mode: string; detected: number; trials: number; median: number | null }) => console.error(`${bug} / ${c.mode}: ${c.detected}/${c.trials}${c.median !== null ? `, median ${c.median}` : ''}`) };
      try {
        const rows = await runMatrix(opts);
        const md = matrixMarkdown(rows, opts);
        mkdirSync(f.out, { recursive: true });
        writeFileSync(join(f.out, 'matrix.md'), md);
        writeFileSync(join(f.out, 'matrix.json'), JSON.stringify({ options: f, rows }, null, 2) + '\n');
        console.log(md);
        console.log(`written: ${join(f.out, 'matrix.md')}, ${join(f.out, 'matrix.json')}`);
      } finally {
        await closeDetPool();
        await closePool();
      }
    });
}
