// replay --schedule verifies: the decisions, the violation and the trace hash must agree with the
// file, or the run says how it did not reproduce and exits 4.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { oneLineError, run, scratch } from './run.js';

const dir = scratch();

/** A stale-tlb failure: without munmap, whose own return check (tlb-after-return) would often
 * catch the missing flush first. */
function found(): { path: string; file: Record<string, unknown> & { decisions: { label: string }[]; config: Record<string, unknown> } } {
  const r = run(dir, ['explore', '--seeds', '1..100', '--bug', 'no-tlb-flush', '--p-munmap', '0', '--stop-on-first', '--quiet', '--json', 'found.json']);
  if (r.status !== 1) throw new Error(`explore did not find the bug: ${r.stdout}${r.stderr}`);
  const path = join(dir, (JSON.parse(readFileSync(join(dir, 'found.json'), 'utf8')) as { failures: { scheduleFile: string }[] }).failures[0]!.scheduleFile);
  return { path, file: JSON.parse(readFileSync(path, 'utf8')) };
}

const original = found();

function tampered(name: string, edit: (f: typeof original.file) => void): string {
  const f = structuredClone(original.file);
  edit(f);
  const path = join(dir, `${name}.schedule.json`);
  writeFileSync(path, JSON.stringify(f));
  return path;
}

test('an untouched schedule file is reproduced: exit 1, one verdict line', (t) => {
  const r = run(dir, ['replay', '--schedule', original.path]);
  t.is(r.status, 1, r.stdout);
  t.regex(r.stdout, /^reproduced: stale-tlb, trace hash [0-9a-f]{16}, as recorded, all \d+ decisions followed$/m);
});

test("the race, anchored: after the violation, the last steps that touched its PTE and its frame (the CPU's walk that filled its TLB, the zap), also in --json", (t) => {
  const r = run(dir, ['replay', '--schedule', original.path, '--json', 'anchored.json']);
  t.is(r.status, 1, r.stdout);
  const m = /VIOLATION stale-tlb on \S+:\n.*(cpu\d+)'s TLB still maps it \(vpn (\d+) of mm (\d+)\)/.exec(r.stdout);
  t.truthy(m, r.stdout);
  const section = r.stdout.slice(r.stdout.indexOf('\nthe last '));
  t.regex(section, new RegExp(`^the last \\d+ steps that touched the PTE of vpn ${m![2]} in mm ${m![3]}, frame \\d+:`, 'm'));
  t.regex(section, /zap_pte_range/, 'the zap of that PTE');
  const cols = section.split('\n')[2]!.split('│').map((c) => c.trim());
  const cpuCol = cols.indexOf(m![1]!);
  t.true(section.split('\n').some((l) => /walk:pte/.test(l.split('│')[cpuCol] ?? '')), `${m![1]} walked the PTE (its TLB fill)`);
  const json = JSON.parse(readFileSync(join(dir, 'anchored.json'), 'utf8')) as { anchored?: { what: string[]; rows: unknown[] } };
  t.true((json.anchored?.rows.length ?? 0) > 0);
});

test('--explain tells the race in words: the TLB fill of the frame, the PTE cleared after it, no flush reaching that CPU; --json and the report say the same', (t) => {
  const r = run(dir, ['replay', '--schedule', original.path, '--explain', '--json', 'explain.json', '--report', 'explain-report']);
  t.is(r.status, 1, r.stdout);
  const v = /VIOLATION stale-tlb on \S+:\n.*frame (\d+) .*(cpu\d+)'s TLB still maps it \(vpn (\d+) of mm \d+\)/.exec(r.stdout);
  t.truthy(v, r.stdout);
  const [, frame, cpu, vpn] = v!;
  const story = r.stdout.slice(r.stdout.indexOf('what happened')).split('\n\n')[0]!.split('\n').slice(1).map((l) => l.trim());
  const fill = story.findIndex((l) => new RegExp(`^step \\d+↷? +${cpu} walked the page table for vpn ${vpn}: frame ${frame}, now in its TLB$`).test(l));
  t.true(fill >= 0, story.join('\n'));
  const cleared = story.findIndex((l, i) => i > fill && new RegExp(`cleared the PTE of vpn ${vpn} \\(it mapped frame ${frame}\\)`).test(l));
  t.true(cleared > fill, story.join('\n'));
  t.true(story.some((l) => l.includes(`no flush IPI reached ${cpu}`) || l.includes(`${cpu} changed that PTE itself`)), story.join('\n'));
  t.regex(story[story.length - 1]!, /^then +\S+: stale-tlb: /);
  const json = JSON.parse(readFileSync(join(dir, 'explain.json'), 'utf8')) as { explain: string[] };
  t.deepEqual(json.explain.map((l) => l.trim()), story);
  const html = readFileSync(join(dir, 'explain-report', 'index.html'), 'utf8');
  t.true(html.includes('<pre class="explain" id="explain">'), 'the report has the story');
  t.true(html.includes(`${cpu} walked the page table for vpn ${vpn}: frame ${frame}, now in its TLB`));
});

test('a tampered trace hash: exit 4, "did not reproduce exactly"', (t) => {
  const r = run(dir, ['replay', '--schedule', tampered('hash', (f) => (f.traceHash = '0123456789abcdef'))]);
  t.is(r.status, 4, r.stdout);
  t.regex(r.stdout, /did not reproduce exactly: the same violation \(stale-tlb\), but trace hash [0-9a-f]{16} \(recorded 0123456789abcdef\)/);
});

test('a tampered decision: exit 4, diverged at that decision', (t) => {
  const r = run(dir, ['replay', '--schedule', tampered('decision', (f) => (f.decisions[0]!.label = 'no:such-point'))]);
  t.is(r.status, 4, r.stdout);
  t.regex(r.stdout, /did not reproduce: the run diverged at decision 0 of \d+/);
});

test('a tampered config: exit 4 when it is valid but another machine, exit 2 naming the key when invalid', (t) => {
  const other = run(dir, ['replay', '--schedule', tampered('config', (f) => (f.config.placement = 'vram'))]);
  t.is(other.status, 4, other.stdout);
  t.regex(other.stdout, /did not reproduce/);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('badcfg', (f) => (f.config.cpus = 99))]), /config\.cpus: must be an integer in \[1, 16\]/);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('steps', (f) => (f.maxSteps = 1e15))]), /maxSteps/);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('seed', (f) => (f.seed = 77))]), /seed/);
});

test('flags that would change what the file describes are rejected with --schedule', (t) => {
  for (const args of [['--cpus', '3'], ['--bug', 'no-tlb-flush'], ['--seed', '5'], ['--strategy', 'random'], ['--max-steps', '5000']]) {
    oneLineError(t, run(dir, ['replay', '--schedule', original.path, ...args]), /cannot be combined with --schedule/);
  }
  const ok = run(dir, ['replay', '--schedule', original.path, '--window', '5', '--json', 'r.json']);
  t.is(ok.status, 1, ok.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { verdict: { reproduced: boolean; kind: string } };
  t.deepEqual([json.verdict.reproduced, json.verdict.kind], [true, 'reproduced']);
});

test('a schedule file names its JSON Schema; a field of the wrong shape is one line naming its path', (t) => {
  const schema = original.file.$schema as string;
  t.true(existsSync(resolve(dirname(original.path), schema)), schema);
  t.regex(schema, /schemas\/schedule\.schema\.json$/);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('thread', (f) => ((f.decisions[0] as unknown as { thread: number }).thread = 99))]), /malformed schedule file .*: decisions\.0\.thread: must be at most 30$/m);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('hashshape', (f) => (f.traceHash = 'xyz'))]), /traceHash: must be 16 hex digits/);
  // the strategy is one variant of the union: its own parameters, in range, and nothing else
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('depth', (f) => (f.strategy = { name: 'pct', depth: 99, steps: 100 }))]), /strategy\.depth: must be at most 16$/m);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('stray', (f) => (f.strategy = { name: 'random', switchProbability: 0.1, depth: 2 }))]), /strategy: unknown key 'depth'$/m);
  oneLineError(t, run(dir, ['replay', '--schedule', tampered('dfs', (f) => (f.strategy = { name: 'dfs' }))]), /strategy\.name: must be one of random, pct, pos, surw, cover, bounded, portfolio$/m);
});
