// faultline as a user meets it: `npm pack`, the tarball installed into a fresh project, a user's
// own test imported from 'faultline', explored and replayed from the command line and from code,
// and type-checked against the shipped declarations.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'faultline-user-'));
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });

const USER_TEST = `import { defineTest } from 'faultline';

// two threads take a ticket with load-then-store: both may get the same one
export default defineTest({
  memory: { next: 0, a: -1, b: -1 },
  threads: {
    a: (t) => { const n = t.load('next'); t.store('next', n + 1); t.store('a', n); },
    b: (t) => { const n = t.load('next'); t.store('next', n + 1); t.store('b', n); },
  },
  check: ({ a, b }) => a !== b || \`both threads took ticket \${a}\`,
});
`;

test.before(() => {
  // dist/ is built (ava compiles it before any test): pack without running prepare again
  const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', project], repo).trim().split('\n').pop()!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'module', private: true }));
  npm(['install', '--prefer-offline', '--no-package-lock', join(project, tarball)], project);
  writeFileSync(join(project, 'tickets.mjs'), USER_TEST);
});

test.serial('the tarball ships the library, its types and the command, and no tests', (t) => {
  const pkg = join(project, 'node_modules', 'faultline');
  const files = (d: string): string[] => readdirSync(d, { recursive: true }).map(String);
  t.true(files(pkg).includes(join('dist', 'src', 'index.d.ts')));
  t.true(files(pkg).includes(join('dist', 'workers', 'det_host.js')));
  t.false(files(pkg).some((f) => f.startsWith(join('dist', 'test'))), 'tests stay out of the package');
});

test.serial('npx faultline explore --test finds the user\'s bug, and the printed replay shows it', (t) => {
  const r = spawnSync('npx', ['faultline', 'explore', '--test', 'tickets.mjs', '--seeds', '1..200', '--quiet'], { cwd: project, encoding: 'utf8' });
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /test:check on check: both threads took ticket 0/);
  const schedule = /npx faultline (replay --schedule \S+)/.exec(r.stdout)![1]!.split(' ');
  const again = spawnSync('npx', ['faultline', ...schedule], { cwd: project, encoding: 'utf8' });
  t.is(again.status, 1, again.stdout + again.stderr);
  t.regex(again.stdout, /a:load:next/);
  t.regex(again.stdout, /reproduced: test:check/);
});

test.serial('explore() and replay() from code return the failure and its interleaving', (t) => {
  writeFileSync(join(project, 'run.mjs'), `import { explore, replay } from 'faultline';
const r = await explore({ test: 'tickets.mjs', seeds: { start: 1, count: 200 }, stopOnFirst: true });
const again = await replay({ schedule: r.failures[0].scheduleFile });
console.log(JSON.stringify({ oracle: r.failures[0].oracle, reproduced: again.reproduced, interleaving: again.interleaving }));
`);
  const out = JSON.parse(execFileSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' })) as { oracle: string; reproduced: boolean; interleaving: string };
  t.is(out.oracle, 'test:check');
  t.true(out.reproduced);
  t.regex(out.interleaving, /b:store:next/);
});

test.serial('a TypeScript user test type-checks against the shipped declarations, and a wrong call does not', (t) => {
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['tickets.ts'] }));
  const tsc = join(repo, 'node_modules', '.bin', 'tsc');
  writeFileSync(join(project, 'tickets.ts'), USER_TEST);
  const ok = spawnSync(tsc, ['-p', '.'], { cwd: project, encoding: 'utf8' });
  t.is(ok.status, 0, ok.stdout + ok.stderr);
  writeFileSync(join(project, 'tickets.ts'), USER_TEST.replace("t.store('a', n)", "t.store('a')"));
  const bad = spawnSync(tsc, ['-p', '.'], { cwd: project, encoding: 'utf8' });
  t.not(bad.status, 0);
  t.regex(bad.stdout, /tickets\.ts.*Expected 2-3 arguments/);
});

test.serial("a driver module importing 'faultline/kernel' runs under explore --driver, in TypeScript too", (t) => {
  // maps without the object's reservation (R1): a move's unmap can slip between look and PTE
  const driver = `import { bo_of_vma, defineDriver, ttm_bo_move, ttm_bo_vm_fault_reserved } from 'faultline/kernel';
export default defineDriver({
  fault: (t, vmf) => ttm_bo_vm_fault_reserved(t, vmf, bo_of_vma(t, vmf)),
  move: (t, obj) => ttm_bo_move(t, obj, false),
});
`;
  writeFileSync(join(project, 'my_driver.mjs'), driver);
  const r = spawnSync('npx', ['faultline', 'explore', '--driver', 'my_driver.mjs', '--seeds', '1..2000', '--stop-on-first', '--quiet'], { cwd: project, encoding: 'utf8' });
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /FAIL seed \d+: /);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['my_driver.ts'] }));
  writeFileSync(join(project, 'my_driver.ts'), driver);
  const ok = spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: project, encoding: 'utf8' });
  t.is(ok.status, 0, ok.stdout + ok.stderr);
});
