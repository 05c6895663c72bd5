// `faultline study NAME`: a grid of stress runs that answers one design question (study/studies.ts),
// with medians, intervals and paired tests, as a table, JSON, CSV, and an HTML page of charts with
// each chart also as an SVG file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { closePool } from '../harness/stress.js';
import { runStudy, type StudyResult } from '../study/grid.js';
import { STUDIES, studyOf, type Study } from '../study/studies.js';
import { chartSvg } from '../study/charts.js';
import { studyCsv, studyHtml, studyText } from '../study/report.js';
import { GROUP, intIn, numIn } from './options.js';
import { UsageError } from './errors.js';
import { checkOutputFile, OutputLog, prepareOutputDir } from './outputs.js';
import { readJsonOutput, stamped } from './json_outputs.js';
import { finish } from './finish.js';
import { interrupted, onInterrupt } from './interrupt.js';

interface StudyFlags {
  reps: number;
  seconds: number;
  warmup?: number;
  seed: number;
  json?: string;
  csv?: string;
  out: string;
  from?: string;
  quiet?: boolean;
}

export function studyCommand(): Command {
  return new Command('study')
    .description(`run a study: a grid of stress runs that answers one design question (${STUDIES.map((s) => s.name).join(', ')})`)
    .argument('<name>', STUDIES.map((s) => `${s.name}: ${s.question}`).join('\n'))
    .addOption(new Option('--reps <n>', 'runs per point and variant (each variant runs the same seeds)').argParser(intIn(1, 100)).default(5).helpGroup(GROUP.run))
    .addOption(new Option('--seconds <s>', 'measured seconds per run').argParser(numIn(0, 3600, true)).default(2).helpGroup(GROUP.run))
    .addOption(new Option('--warmup <s>', 'seconds run and discarded before each measured window (default: a tenth of --seconds, at most 1)').argParser(numIn(0, 3600)).helpGroup(GROUP.run))
    .addOption(new Option('--seed <n>', 'seed of the first repetition (repetition r runs seed + r)').argParser(intIn(0, 0xffffffff - 100)).default(1).helpGroup(GROUP.run))
    .addOption(new Option('--json <file>', "write every run, the summaries and the tests as JSON ('-': standard output)").helpGroup(GROUP.output))
    .addOption(new Option('--csv <file>', 'write one row per run as CSV').helpGroup(GROUP.output))
    .addOption(new Option('--out <dir>', 'where the HTML page (index.html) and one SVG per metric go').default('faultline-study').helpGroup(GROUP.output))
    .addOption(new Option('--from <file>', "no runs: the tables, charts and files of a study's earlier --json, drawn again").helpGroup(GROUP.run))
    .addOption(new Option('--quiet', 'no progress bar').helpGroup(GROUP.output))
    .action(async (name: string, flags: StudyFlags) => {
      process.exitCode = await run(name, flags);
    });
}

async function run(name: string, flags: StudyFlags): Promise<number> {
  const study = studyOf(name);
  if (!study) throw new UsageError(`unknown study '${name}' (known: ${STUDIES.map((s) => s.name).join(', ')})`);
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  if (flags.csv !== undefined) checkOutputFile('--csv', flags.csv);
  prepareOutputDir('--out', flags.out);
  const result = flags.from !== undefined ? earlier(flags.from, name) : await measure(study, name, flags);
  if (interrupted()) console.log(`interrupted by ${interrupted()}: the results cover the runs that finished`);
  console.log(studyText(result));
  const out = new OutputLog();
  const charts = result.cells.length === 0 ? [] : await Promise.all(result.metrics.map(async (m) => ({ metric: m.key, svg: await chartSvg(study, result, m.key) })));
  for (const c of charts) out.attempt('--out', flags.out, () => writeFileSync(join(flags.out, `${name}-${c.metric}.svg`), c.svg));
  out.write('--out', join(flags.out, 'index.html'), studyHtml(result, charts));
  if (flags.json !== undefined) out.write('--json', flags.json, JSON.stringify(stamped('study', flags.json, { command: 'study', ...result }), null, 1) + '\n');
  if (flags.csv !== undefined) out.write('--csv', flags.csv, studyCsv(result));
  console.log(`\ncharts: ${join(flags.out, 'index.html')} and ${charts.length} SVG files beside it`);
  return finish({ violation: result.violations > 0 }, out);
}

/** A study's --json, checked against its schema and its name. */
function earlier(file: string, name: string): StudyResult {
  const r = readJsonOutput<StudyResult & { $schema?: string; tool?: unknown; command?: string }>('study', file, `--from ${file}`);
  if (r.study !== name) throw new UsageError(`--from ${file}: a ${r.study} study, not ${name}`);
  const { $schema: _s, tool: _t, command: _c, ...result } = r;
  return result;
}

async function measure(study: Study, name: string, flags: StudyFlags): Promise<StudyResult> {
  const abort = new AbortController();
  const unregister = onInterrupt(() => abort.abort());
  const bar = !flags.quiet && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: `study ${name} {bar} {value}/{total} runs | {eta_formatted} left`, hideCursor: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic)
    : null;
  try {
    return await runStudy(study, {
      reps: flags.reps, seconds: flags.seconds, warmupSeconds: flags.warmup ?? Math.min(1, flags.seconds / 10), seed: flags.seed, abort: abort.signal,
      onRun: (done, total) => {
        if (bar) {
          if (done === 1) bar.start(total, 0);
          bar.update(done);
        } else if (!flags.quiet && (done % 10 === 0 || done === total)) process.stderr.write(`study ${name}: ${done}/${total} runs\n`);
      },
    });
  } finally {
    bar?.stop();
    unregister();
    await closePool();
  }
}
