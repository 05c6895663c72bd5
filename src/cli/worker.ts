// `faultline worker --queue redis://HOST:PORT`: takes exploration jobs from the queue (harness/queue.ts)
// until stopped, runs each chunk's explore here and returns its result with the failures' schedule
// files. Run any number of them, on any machines with the same faultline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { Worker, type Job } from 'bullmq';
import { closeDetPool, explore } from '../harness/explore.js';
import { LOCK_MS, QUEUE_NAME, redisOptions, STALLED_CHECK_MS, type ExploreJobData, type ExploreJobResult } from '../harness/queue.js';
import { detSpecFromFlags, loadModulesOf } from './det_options.js';
import { exploreJson, failureList } from './explore_json.js';
import { ScheduleWriter } from './schedule_writer.js';
import { GROUP, intIn } from './options.js';
import { UsageError } from './errors.js';
import { onInterrupt } from './interrupt.js';

interface WorkerFlags {
  queue: string;
  jobs: number;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('take explore jobs from a queue (explore --queue) and run them here, until stopped (Ctrl-C)')
    .addOption(new Option('--queue <url>', 'the Redis the submitter uses (redis://HOST:PORT)').makeOptionMandatory().helpGroup(GROUP.run))
    .addOption(new Option('--jobs <n>', 'schedules run in parallel within a job').argParser(intIn(1, 64)).default(1).helpGroup(GROUP.run))
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await run(flags);
    });
}

async function runJob(job: Job<ExploreJobData, ExploreJobResult>, jobs: number): Promise<ExploreJobResult> {
  const { flags, seeds } = job.data;
  const spec = { ...detSpecFromFlags(flags), ...(flags.coverage ? { coverage: true } : {}) };
  await loadModulesOf(spec);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-job-'));
  try {
    const writer = new ScheduleWriter(dir, spec);
    const r = await explore({ spec, seedStart: seeds.start, seedCount: seeds.count, jobs, stopOnFirst: false, maxSchedules: 0, onFailure: (seed) => writer.add(seed) });
    await writer.writeAll(r);
    const failures = failureList(spec, writer);
    const files = Object.fromEntries(failures.map((f) => [basename(f.scheduleFile), readFileSync(f.scheduleFile, 'utf8')]));
    return { json: exploreJson(spec, r, failures, [...r.errors, ...writer.internal, ...writer.unwritten], null), files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(flags: WorkerFlags): Promise<number> {
  let connection;
  try {
    connection = {
      ...redisOptions(flags.queue),
      // a lost Redis is retried with back-off, and said once per outage
      retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const worker = new Worker<ExploreJobData, ExploreJobResult>(QUEUE_NAME, (job) => {
    console.log(`faultline worker: took job ${job.id} (seeds ${job.data.seeds.start}..${job.data.seeds.start + job.data.seeds.count - 1})`);
    return runJob(job, flags.jobs);
  }, { connection, concurrency: 1, lockDuration: LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: 3 });
  let down = false;
  worker.on('error', (e) => {
    if (!down) console.error(`faultline worker: lost Redis at ${flags.queue} (${e.message}): retrying with back-off`);
    down = true;
  });
  worker.on('ready', () => {
    if (down) console.error(`faultline worker: back on Redis at ${flags.queue}`);
    down = false;
  });
  worker.on('completed', (job, r) => console.log(`faultline worker: done job ${job.id}: ${r.json.schedules} schedules, ${r.json.failures.length} failing`));
  worker.on('failed', (job, e) => console.error(`faultline worker: job ${job?.id} failed: ${e.message}`));
  console.log(`faultline worker: waiting for jobs on ${flags.queue}`);
  await new Promise<void>((resolve) => {
    onInterrupt(() => resolve());
  });
  await worker.close();
  await closeDetPool();
  return 0;
}
