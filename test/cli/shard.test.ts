// Sharded explores merged from the command line: the shards' shrunk failures and the replays merge
// prints (test/harness/merge.test.ts checks that merged shards are the whole explore); bad shard
// specs and files of different explorations are bad input; the deployment examples are well formed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import type { ExploreJson } from '../../src/cli/explore_json.js';
import { oneLineError, printedCommands, readOutput, run, scratch } from './run.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** An exploration in 4 shards, each shard's --json merged. */
function mergedShards(dir: string, args: string[]): { merged: ExploreJson; mergeRun: ReturnType<typeof run> } {
  const base = ['explore', '--seeds', '1..12', '--quiet', '--jobs', '2', ...args];
  for (let i = 0; i < 4; i++) {
    const p = run(dir, [...base, '--shard', `${i}/4`, '--json', `part-${i}.json`, '--schedule-dir', `part-${i}`]);
    if (p.status !== 0 && p.status !== 1) throw new Error(p.stdout + p.stderr);
    if (!new RegExp(`shard ${i}/4: seeds ${1 + 3 * i}\\.\\.${3 * (i + 1)}`).test(p.stdout)) throw new Error(p.stdout);
  }
  const mergeRun = run(dir, ['merge', 'part-0.json', 'part-1.json', 'part-2.json', 'part-3.json', '--json', 'merged.json']);
  return { merged: readOutput<ExploreJson>(dir, 'merged.json', 'explore'), mergeRun };
}

test('shrunk failures: one kept per oracle and shrunk interleaving, and the replay commands merge prints reproduce', (t) => {
  const dir = scratch();
  const { merged, mergeRun } = mergedShards(dir, ['--strategy', 'random', '--bug', 'no-tlb-flush', '--shrink-budget', '20']);
  t.regex(mergeRun.stdout, /^faultline merge: 4 files, seeds 1\.\.12: 12 schedules, \d+ failing$/m);
  t.deepEqual(merged.merged, ['part-0.json', 'part-1.json', 'part-2.json', 'part-3.json']);
  const shrunk = merged.failures.filter((f) => f.shrunk);
  t.true(shrunk.length >= 1);
  t.is(new Set(shrunk.map((f) => `${f.oracle} ${f.shrunk!.traceHash}`)).size, shrunk.length);
  const cmds = printedCommands(mergeRun.stdout);
  t.is(cmds.length, shrunk.length);
  for (const c of cmds) {
    const r = run(dir, c);
    t.is(r.status, 1, r.stdout);
    t.regex(r.stdout, /^reproduced: /m);
  }
});

test('bad shard specs, and strategies that cannot be cut into seed ranges: exit 2 and one line', (t) => {
  const dir = scratch();
  for (const spec of ['5/4', '4/4', '0/0', 'a/b', '1', '-1/4']) oneLineError(t, run(dir, ['explore', '--seeds', '1..10', '--shard', spec]), /--shard/);
  oneLineError(t, run(dir, ['explore', '--seeds', '1..3', '--shard', '0/4']), /--shard 0\/4: more shards than the 3 seeds of --seeds/);
  oneLineError(t, run(dir, ['explore', '--strategy', 'bounded', '--exhaustive', '--shard', '0/2']), /--shard does not apply to --exhaustive/);
  oneLineError(t, run(dir, ['explore', '--strategy', 'cover', '--shard', '0/2']), /--shard does not apply to --strategy cover/);
});

test('merge refuses files of different explorations and overlapping ranges: exit 2 and one line', (t) => {
  const dir = scratch();
  const part = (name: string, args: string[]): void => {
    const r = run(dir, ['explore', '--quiet', '--json', name, ...args]);
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
  };
  part('a.json', ['--seeds', '1..10']);
  part('b.json', ['--seeds', '11..20', '--cpus', '3']);
  part('c.json', ['--seeds', '5..14']);
  part('d.json', ['--seeds', '11..20', '--strategy', 'random']);
  oneLineError(t, run(dir, ['merge', 'a.json', 'b.json']), /a\.json and b\.json are not parts of one exploration: different machines or tests/);
  oneLineError(t, run(dir, ['merge', 'a.json', 'd.json']), /not parts of one exploration: different strategies/);
  oneLineError(t, run(dir, ['merge', 'a.json', 'c.json']), /a\.json and c\.json overlap \(seeds 5\.\.10\)/);
  oneLineError(t, run(dir, ['merge', 'a.json', 'nothing.json']), /nothing\.json: /);
  const version = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as ExploreJson;
  version.tool.version = '0.0.1';
  version.seeds = { start: 21, count: 10 };
  const other = join(dir, 'old.json');
  writeFileSync(other, JSON.stringify(version));
  oneLineError(t, run(dir, ['merge', 'a.json', 'old.json']), /not parts of one exploration: faultline 0\.1\.0 .* and 0\.0\.1/);
});

test('the Kubernetes Indexed Job and the CI matrix run the shards and merge them', (t) => {
  const job = parse(readFileSync(join(ROOT, 'deploy/k8s/explore-job.yaml'), 'utf8')) as { kind: string; spec: { completionMode: string; completions: number; parallelism: number; template: { spec: { containers: { args: string[]; env: { name: string }[] }[] } } } };
  t.is(job.kind, 'Job');
  t.is(job.spec.completionMode, 'Indexed');
  t.is(job.spec.completions, 8);
  const c = job.spec.template.spec.containers[0]!;
  t.is(c.args[c.args.indexOf('--shard') + 1], `$(JOB_COMPLETION_INDEX)/${job.spec.completions}`);
  t.true(c.env.some((e) => e.name === 'JOB_COMPLETION_INDEX'));
  const ci = parse(readFileSync(join(ROOT, 'deploy/ci/github-shards.yml'), 'utf8')) as { jobs: Record<string, { strategy?: { matrix: { index: number[] } }; steps: { run?: string }[] }> };
  const n = ci.jobs.shard!.strategy!.matrix.index.length;
  t.true(ci.jobs.shard!.steps.some((s) => s.run?.includes(`--shard \${{ matrix.index }}/${n}`)));
  t.true(ci.jobs.merge!.steps.some((s) => s.run?.startsWith('npx faultline merge part-*.json')));
  t.regex(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /ENTRYPOINT \["node", "\/faultline\/dist\/src\/cli\/main\.js"\]/);
});
