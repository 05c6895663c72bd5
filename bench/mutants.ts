// npm run mutants: the mutation test of issue 10 §5. Every mutant of test/mutants/mutants.ts is
// built (a temporary copy of the sources with the mistake, compiled) and searched by explore with
// each strategy, up to --schedules schedules and stopping at the first violation, and by one short
// stress run; the unmutated build gets the same budget as a sanity row (once per flag set the
// mutants use). Writes <out>/mutants.json and <out>/mutants.md (default faultline-bench/,
// untracked) and prints the Markdown.
//   npm run mutants -- [--schedules N] [--strategies random,pct1,…,stress] [--stress-ops N]
//                      [--only id,id] [--parallel N] [--timeout S] [--out DIR]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { STRATEGY_NAMES } from '../src/sched/strategies/index.js';
import { toolStamp } from '../src/version.js';
import { buildMutant, removeBuild, ROOT } from '../test/mutants/build.js';
import { MUTANTS, type Mutant } from '../test/mutants/mutants.js';
import { search, type Outcome } from '../test/mutants/search.js';

const { values: opt } = parseArgs({
  options: {
    schedules: { type: 'string', default: '2000' },
    strategies: { type: 'string' },
    'stress-ops': { type: 'string', default: '50000' },
    only: { type: 'string' },
    parallel: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '900' },
    out: { type: 'string', default: 'faultline-bench' },
  },
});
const SCHEDULES = Number(opt.schedules);
const STRESS_OPS = Number(opt['stress-ops']);
const TIMEOUT_MS = Number(opt.timeout) * 1000;

/** A column of the table: one way of searching a build. */
interface Column { label: string; args: string[] }

/** Every strategy the CLI knows today (pct at depths 1–3), then the stress run. */
function allColumns(): Column[] {
  const explore = ['explore', '--seeds', `1..${SCHEDULES}`, '--jobs', '1', '--stop-on-first', '--quiet'];
  const cols = STRATEGY_NAMES.flatMap((name): Column[] => name === 'pct'
    ? [1, 2, 3].map((d) => ({ label: `pct${d}`, args: [...explore, '--strategy', 'pct', '--depth', String(d)] }))
    : [{ label: name, args: [...explore, '--strategy', name] }]);
  // a busy host can leave a thread unscheduled for the default watchdog's 10 s: not a deadlock
  return [...cols, { label: 'stress', args: ['stress', '--ops', String(STRESS_OPS), '--watchdog', '60', '--quiet'] }];
}

const picked = opt.strategies?.split(',');
const COLUMNS = allColumns().filter((c) => !picked || picked.includes(c.label));
const mutants = MUTANTS.filter((m) => !opt.only || opt.only.split(',').includes(m.id));
if (COLUMNS.length === 0 || mutants.length === 0 || !(SCHEDULES >= 1) || !(STRESS_OPS >= 1)) {
  console.error(`mutants: nothing to run (columns: ${allColumns().map((c) => c.label).join(', ')}; ids from test/mutants/mutants.ts)`);
  process.exit(2);
}

interface Row { id: string; args: string[]; build?: string; results: Record<string, Outcome> }

/** Runs every column against one CLI, one after another (schedule files and JSON go to `scratch`). */
async function searchAll(cli: string, args: string[], scratch: string): Promise<Record<string, Outcome>> {
  const results: Record<string, Outcome> = {};
  for (const c of COLUMNS) {
    const extra = c.label === 'stress' ? [] : ['--schedule-dir', join(scratch, 'schedules')];
    results[c.label] = await search(cli, [...c.args, ...extra, ...args], join(scratch, `${c.label}.json`), TIMEOUT_MS);
  }
  return results;
}

async function runMutant(m: Mutant): Promise<Row> {
  const built = buildMutant(m);
  try {
    if ('error' in built) return { id: m.id, args: m.args ?? [], build: built.error, results: {} };
    return { id: m.id, args: m.args ?? [], results: await searchAll(built.cli, m.args ?? [], built.dir) };
  } finally {
    removeBuild(built);
  }
}

/** The unmutated build under the same budget, once per flag set. */
async function runSanity(args: string[]): Promise<Row> {
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-mutant-sanity-'));
  try {
    return { id: `(unmutated${args.length ? ' ' + args.join(' ') : ''})`, args, results: await searchAll(join(ROOT, 'dist/src/cli/main.js'), args, scratch) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function cell(o: Outcome | undefined): string {
  if (!o) return 'n/a';
  if (o.verdict === 'killed') return o.schedules === undefined ? `${o.oracle}` : `${o.oracle} @${o.schedules}`;
  if (o.verdict === 'survived') return '·';
  return o.verdict;
}

const startedAt = performance.now();
const jobs: (() => Promise<Row>)[] = [
  ...[...new Set(mutants.map((m) => JSON.stringify(m.args ?? [])))].map((a) => () => runSanity(JSON.parse(a) as string[])),
  ...mutants.map((m) => () => runMutant(m)),
];
const done: Row[] = new Array(jobs.length);
let next = 0;
await Promise.all(Array.from({ length: Math.max(1, Number(opt.parallel)) }, async () => {
  while (next < jobs.length) {
    const i = next++;
    const row = await jobs[i]!();
    done[i] = row;
    console.error(`[${done.filter(Boolean).length}/${jobs.length}] ${row.id}: ${row.build ?? COLUMNS.map((c) => `${c.label} ${cell(row.results[c.label])}`).join(', ')}`);
  }
}));
const sanity = done.slice(0, jobs.length - mutants.length);
const rows = done.slice(jobs.length - mutants.length);

/** Per column: mutants killed by an oracle, by a crash, and the kill ratio counting both. */
function tally(pick: (r: Row) => Outcome[]): { killed: number; crashed: number; survived: number; other: number; ratio: number; ratioKillable: number } {
  let killed = 0;
  let crashed = 0;
  let survived = 0;
  for (const r of rows) {
    const vs = pick(r).map((o) => o.verdict);
    if (vs.includes('killed')) killed++;
    else if (vs.includes('crashed')) crashed++;
    else if (vs.length > 0 && vs.every((v) => v === 'survived')) survived++;
  }
  const killable = rows.filter((r) => !isEquivalent(r.id)).length;
  const equivalentKilled = rows.filter((r) => isEquivalent(r.id) && pick(r).some((o) => o.verdict === 'killed' || o.verdict === 'crashed')).length;
  return { killed, crashed, survived, other: rows.length - killed - crashed - survived, ratio: (killed + crashed) / rows.length, ratioKillable: (killed + crashed - equivalentKilled) / killable };
}
function isEquivalent(id: string): boolean {
  return mutants.some((m) => m.id === id && m.equivalent !== undefined);
}
const killableCount = mutants.filter((m) => m.equivalent === undefined).length;
const exploreLabels = COLUMNS.map((c) => c.label).filter((l) => l !== 'stress');
const killRatio = {
  ...Object.fromEntries(COLUMNS.map((c) => [c.label, tally((r) => (r.results[c.label] ? [r.results[c.label]!] : []))])),
  'any explore': tally((r) => exploreLabels.flatMap((l) => (r.results[l] ? [r.results[l]!] : []))),
  any: tally((r) => Object.values(r.results)),
};
const survivors = rows.filter((r) => !Object.values(r.results).some((o) => o.verdict === 'killed' || o.verdict === 'crashed')).map((r) => r.id);
const seconds = Math.round((performance.now() - startedAt) / 1000);

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const header = ['mutant', ...COLUMNS.map((c) => c.label)];
const md = [
  `# Mutation test: ${rows.length} mutants, explore ≤ ${SCHEDULES} schedules per strategy (stop at the first violation), stress ${STRESS_OPS} ops per CPU`,
  '',
  `Cells: the oracle that killed the mutant @ the schedule of first detection; \`·\` survived; \`crashed\` the model itself broke (exit 3, counted as a kill). Run took ${seconds} s.`,
  '',
  line(header),
  line(header.map(() => '---')),
  ...sanity.map((r) => line([r.id, ...COLUMNS.map((c) => cell(r.results[c.label]))])),
  ...rows.map((r) => line([r.args.length ? `${r.id} (${r.args.join(' ')})` : r.id, ...COLUMNS.map((c) => (r.build ? `build failed: ${r.build}` : cell(r.results[c.label])))])),
  '',
  line(['kill ratio', 'killed', 'crashed', 'survived', 'timeout/error', '(killed + crashed) / mutants', 'over the non-equivalent']),
  line(['---', '---', '---', '---', '---', '---', '---']),
  ...Object.entries(killRatio).map(([k, v]) => line([k, String(v.killed), String(v.crashed), String(v.survived), String(v.other), `${v.killed + v.crashed}/${rows.length} (${pct(v.ratio)})`, `${pct(v.ratioKillable)} of ${killableCount}`])),
  '',
  `Survived every search: ${survivors.length ? survivors.join(', ') : 'none'}.`,
  '',
  '## The mutants',
  '',
  ...mutants.map((m) => `- \`${m.id}\` (${m.file}): ${m.why}${m.equivalent ? ` — **equivalent**: ${m.equivalent}` : ''}`),
  '',
].join('\n');

const out = resolve(opt.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'mutants.json'), JSON.stringify({
  tool: toolStamp(), schedules: SCHEDULES, stressOps: STRESS_OPS, columns: COLUMNS, seconds, killRatio, survivors,
  sanity, mutants: rows.map((r, i) => ({ ...mutants[i], ...r })),
}, null, 2));
writeFileSync(join(out, 'mutants.md'), md);
console.log(md);
// the unmutated build must stay clean under the same budget, or the kills mean nothing
if (sanity.some((r) => Object.values(r.results).some((o) => o.verdict !== 'survived'))) process.exitCode = 1;
console.error(`wrote ${join(out, 'mutants.json')} and ${join(out, 'mutants.md')}`);
