// explore --queue on a real Redis (Debian's redis-server, started here on a loopback port) with
// real worker processes: one of them killed mid-job, the merged result is still the one explore
// over the whole range gives; a second submission gives the same result; a wrong URL is one line,
// at once; a worker that loses Redis says so and retries.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import test from 'ava';
import { Redis } from 'ioredis';
import type { ExploreJson } from '../../src/cli/explore_json.js';
import { cli, oneLineError, printedCommands, readOutput, run, scratch } from './run.js';

const REDIS = '/usr/bin/redis-server';
const inCi = !['', '0', 'false'].includes(process.env.CI ?? '');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  for (let i = 0; i < 50; i++) {
    try {
      await client.connect().catch(() => {});
      if ((await client.ping()) === 'PONG') break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.disconnect();
  return p;
}

interface Proc {
  child: ChildProcess;
  out: string;
  exited: Promise<number | null>;
}

function start(cwd: string, args: string[]): Proc {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', exited: new Promise((resolve) => child.on('close', resolve)) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}

const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
  return cond();
};

const essence = (j: ExploreJson) => ({ schedules: j.schedules, seeds: j.seeds, failures: j.failures.map((f) => [f.seed, f.oracle, f.traceHash]), errors: j.errors });
const ARGS = ['--seeds', '1..40', '--strategy', 'random', '--bug', 'no-tlb-flush'];

if (!existsSync(REDIS) && !inCi) {
  test.skip(`explore --queue: SKIPPED, ${REDIS} is not installed (apt-get install redis-server); CI fails instead`, () => {});
} else {
  test.serial('a queue run with 3 workers, one killed mid-job, equals the explore of the whole range; a second submission gives the same result', async (t) => {
    if (!existsSync(REDIS)) return t.fail(`${REDIS} is missing: apt-get install -y redis-server (.ci/run installs it)`);
    const dir = scratch();
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = await startRedis(port);
    const workers: Proc[] = [];
    try {
      const submit = start(dir, ['explore', '--queue', url, ...ARGS, '--chunk', '10', '--json', 'q.json', '--schedule-dir', 'qs']);
      t.true(await until(() => /start workers with: npx faultline worker --queue/.test(submit.out), 20_000), submit.out);
      // the command the submitter printed, as a user runs it
      const [cmd] = printedCommands(submit.out).filter((c) => c[0] === 'worker');
      for (let i = 0; i < 3; i++) workers.push(start(dir, cmd!));
      const victim = await Promise.race(workers.map((w) => until(() => /took job/.test(w.out), 30_000).then(() => w)));
      const job = /took job (\S+)/.exec(victim.out)![1]!;
      victim.child.kill('SIGKILL');
      t.is(await submit.exited, 1, submit.out);
      t.notRegex(victim.out, new RegExp(`done job ${job}:`), 'killed before it finished the job');
      t.true(workers.some((w) => w !== victim && new RegExp(`took job ${job} `).test(w.out)), 'another worker took the stalled job');
      const queued = readOutput<ExploreJson>(dir, 'q.json', 'explore');
      const whole = run(dir, ['explore', ...ARGS, '--no-shrink', '--quiet', '--json', 'whole.json', '--schedule-dir', 'ws']);
      t.is(whole.status, 1);
      t.deepEqual(essence(queued), essence(readOutput<ExploreJson>(dir, 'whole.json', 'explore')));
      // the printed schedule replays reproduce from the submitter's --schedule-dir
      const replay = printedCommands(submit.out).find((c) => c[0] === 'replay' && c[1] === '--schedule')!;
      const again = run(dir, replay);
      t.is(again.status, 1, again.stdout);
      t.regex(again.stdout, /^reproduced: /m);
      // a fresh queue, the same submission: the same result but for the timings and the job names
      const flush = new Redis({ port, host: '127.0.0.1' });
      await flush.flushall();
      flush.disconnect();
      const second = start(dir, ['explore', '--queue', url, ...ARGS, '--chunk', '10', '--json', 'q2.json', '--schedule-dir', 'qs2']);
      t.is(await second.exited, 1, second.out);
      const strip = (j: ExploreJson): object => {
        const { seconds: _s, schedulesPerSec: _r, merged: _m, failures, ...rest } = j;
        return { ...rest, failures: failures.map((f) => ({ ...f, scheduleFile: f.scheduleFile.replace(/^qs2?\//, '') })) };
      };
      t.deepEqual(strip(readOutput<ExploreJson>(dir, 'q2.json', 'explore')), strip(queued));
      // a worker that loses Redis says so and keeps trying
      redis.kill('SIGKILL');
      t.true(await until(() => workers.filter((w) => w !== victim).every((w) => /lost Redis at .*retrying with back-off/.test(w.out)), 15_000), workers.map((w) => w.out).join('\n'));
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      redis.kill('SIGKILL');
    }
  });
}

test('an unreachable Redis: exit 2 and one line within seconds; --queue with --shard or an exhaustive run: exit 2', async (t) => {
  const dir = scratch();
  const port = await freePort();
  const t0 = Date.now();
  oneLineError(t, run(dir, ['explore', '--queue', `redis://127.0.0.1:${port}`, '--seeds', '1..10']), new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  t.true(Date.now() - t0 < 15_000);
  oneLineError(t, run(dir, ['explore', '--queue', 'http://x', '--seeds', '1..10']), /--queue must be a redis:\/\/HOST:PORT URL/);
  oneLineError(t, run(dir, ['explore', '--queue', `redis://127.0.0.1:${port}`, '--shard', '0/2']), /--queue and --shard do not go together/);
  oneLineError(t, run(dir, ['explore', '--queue', `redis://127.0.0.1:${port}`, '--strategy', 'bounded', '--exhaustive']), /--queue does not apply to --exhaustive/);
});
