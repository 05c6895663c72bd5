// `faultline matrix`: the detection matrix of every catalog bug, as Markdown and JSON; exit 1 when
// a catalog bug goes undetected or the clean protocol raises a violation.
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { matrixFailures, matrixMarkdown, runMatrix, type MatrixRow } from '../harness/matrix.js';
import { closeDetPool } from '../harness/explore.js';
import { closePool } from '../harness/stress.js';
import { builtInOrModule, collectBug, GROUP, intIn, numIn } from './options.js';
import { loadingModules } from './errors.js';
import { loadMachineModules } from '../harness/programs.js';
import type { BugName } from '../bugs/switches.js';
import { DRIVERS, makeConfig, type DriverChoice } from '../config.js';
import { checkOutputFile, OutputLog, prepareOutputDir } from './outputs.js';
import { stamped } from './json_outputs.js';
import { interrupted, onInterrupt } from './interrupt.js';
import { finish } from './finish.js';
import { junitXml } from '../report/junit.js';

interface MatrixFlags {
  schedules: number;
  seconds: number;
  trials: number;
  jobs: number;
  out: string;
  junit?: string;
  bug: BugName[];
  driver: DriverChoice;
}

export function matrixCommand(): Command {
  const R = GROUP.run;
  return new Command('matrix')
    .description('run every bug switch under stress and under explore (random; pct d = 1, 2, 3; pos; surw; portfolio) and write a detection matrix')
    .addOption(new Option('--schedules <n>', 'schedules per explore trial').argParser(intIn(1, 10_000_000)).default(1000).helpGroup(R))
    .addOption(new Option('--seconds <s>', 'seconds per stress trial').argParser(numIn(0, 3600, true)).default(3).helpGroup(R))
    .addOption(new Option('--trials <n>', 'trials (seed ranges) per cell').argParser(intIn(1, 1000)).default(3).helpGroup(R))
    .addOption(new Option('--jobs <n>', 'explore groups in parallel').argParser(intIn(1, 16)).default(Math.max(1, Math.floor(availableParallelism() / 2))).helpGroup(R))
    .addOption(new Option('--bug <name>', 'run only this catalog bug (repeatable; the clean row always runs)').argParser(collectBug).default([]).helpGroup(R))
    .addOption(new Option('--driver <name|file>', "the buffer objects' driver every run uses (see stress --help)").argParser(builtInOrModule(DRIVERS)).default('ttm').helpGroup(R))
    .addOption(new Option('--out <dir>', 'where matrix.md and matrix.json are written (created if missing)').default('faultline-matrix').helpGroup(GROUP.output))
    .addOption(new Option('--junit <file>', 'write a JUnit XML report (a test case per catalog bug) for CI dashboards').helpGroup(GROUP.output))
    .action(async (f: MatrixFlags) => {
      await loadingModules(loadMachineModules(makeConfig({ driver: f.driver })));
      prepareOutputDir('--out', f.out);
      if (f.junit !== undefined) checkOutputFile('--junit', f.junit);
      const abort = new AbortController();
      const unregister = onInterrupt(() => abort.abort());
      const opts = { ...f, bugs: f.bug, abort: abort.signal, onCell: (bug: string, c: { mode: string; detected: number; trials: number; median: number | null }) => console.error(`${bug} / ${c.mode}: ${c.detected}/${c.trials}${c.median !== null ? `, median ${c.median}` : ''}`) };
      let rows: MatrixRow[];
      try {
        rows = await runMatrix(opts);
      } finally {
        unregister();
        await closeDetPool();
        await closePool();
      }
      const md = matrixMarkdown(rows, opts);
      const failed = matrixFailures(rows);
      console.log(md);
      if (interrupted()) console.log(`interrupted by ${interrupted()}: ${rows.length} rows finished`);
      for (const line of failed) console.log(`FAILED ${line}`);
      const out = new OutputLog();
      const { out: _dir, junit: _junit, bug: _bugs, ...options } = f;
      out.write('--out', join(f.out, 'matrix.json'), JSON.stringify(stamped('matrix', join(f.out, 'matrix.json'), { command: 'matrix', interrupted: interrupted(), options: { ...options, bugs: f.bug }, rows, failed }), null, 2) + '\n');
      out.write('--out', join(f.out, 'matrix.md'), md);
      if (f.junit !== undefined) out.write('--junit', f.junit, junitXml('faultline matrix', rows.map((r) => junitCase(r, failed))));
      console.log(`written: ${join(f.out, 'matrix.md')}, ${join(f.out, 'matrix.json')}${f.junit !== undefined ? `, ${f.junit}` : ''}`);
      process.exitCode = finish({ violation: failed.length > 0 }, out);
    });
}

function junitCase(r: MatrixRow, failed: string[]): { group: string; name: string; failure?: { message: string; details: string } } {
  const cells = r.cells.map((c) => `${c.mode}: ${c.detected}/${c.trials}`).join(', ');
  const why = failed.find((l) => l.startsWith(r.bug === 'clean' ? 'clean protocol' : `${r.bug}:`));
  return { group: 'catalog', name: r.bug, ...(why ? { failure: { message: why, details: cells } } : {}) };
}
