// explore --queue redis://HOST:PORT: the seed range cut into jobs of --chunk seeds on a BullMQ queue
// (harness/queue.ts), run by `faultline worker` processes anywhere, merged here into the result one
// explore would give; the failures' schedule files are written to --schedule-dir.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { chunks, probeRedis, QUEUE_NAME, redisOptions, type ExploreJobData, type ExploreJobResult } from '../harness/queue.js';
import { mergeExplore } from '../harness/merge.js';
import type { SeedRange } from '../harness/shard.js';
import type { DetFlags } from './det_options.js';
import type { ExploreJson } from './explore_json.js';
import { UsageError } from './errors.js';
import { onInterrupt } from './interrupt.js';

const POLL_MS = 300;
/** a job whose worker threw is tried again, on any worker, this many times in all */
const ATTEMPTS = 3;

export interface QueuedRun {
  merged: ExploreJson | null;
  /** jobs that failed for good: their seed ranges and why */
  lost: string[];
  /** jobs removed by --stop-on-first or an interrupt before any worker took them */
  removed: number;
}

/** `flags`: explore's, as the workers rebuild the spec from them (with `coverage` when asked). */
export async function exploreOnQueue(url: string, flags: DetFlags & { coverage?: boolean }, seeds: SeedRange, o: { chunk: number; stopOnFirst: boolean; scheduleDir: string; quiet: boolean }): Promise<QueuedRun> {
  let connection;
  try {
    connection = redisOptions(url);
    await probeRedis(url);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const queue = new Queue<ExploreJobData, ExploreJobResult, 'explore'>(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  const run = randomUUID().slice(0, 8);
  const parts = chunks(seeds, o.chunk);
  const ids = parts.map((_, i) => `${run}-${i}`);
  let stop = false;
  const unregister = onInterrupt(() => (stop = true));
  try {
    await queue.addBulk(parts.map((s, i) => ({
      name: 'explore', data: { run, index: i, flags, seeds: s },
      opts: { jobId: ids[i]!, attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: false, removeOnFail: false },
    })));
    if (!o.quiet) process.stderr.write(`explore: ${parts.length} jobs of up to ${o.chunk} seeds on ${url} (run ${run}); start workers with: npx faultline worker --queue ${url}\n`);
    const done = new Map<string, ExploreJobResult>();
    const lost: string[] = [];
    let removed = 0;
    let lastLine = '';
    const pending = new Set(ids);
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const job = (await queue.getJob(id)) as Job<ExploreJobData, ExploreJobResult> | undefined;
        if (!job) {
          pending.delete(id);
          continue;
        }
        const state = await job.getState();
        if (state === 'completed') {
          done.set(id, job.returnvalue);
          pending.delete(id);
          if (o.stopOnFirst && job.returnvalue.json.failures.length > 0) stop = true;
        } else if (state === 'failed' && job.attemptsMade >= ATTEMPTS) {
          const s = job.data.seeds;
          lost.push(`seeds ${s.start}..${s.start + s.count - 1}: ${job.failedReason}`);
          pending.delete(id);
        }
      }
      if (stop) {
        // jobs no worker has taken yet go; the ones running finish and count
        for (const id of [...pending]) {
          const job = await queue.getJob(id);
          if (job && ['waiting', 'delayed', 'prioritized'].includes(await job.getState())) {
            await job.remove();
            pending.delete(id);
            removed++;
          }
        }
      }
      const line = `explore: ${done.size}/${parts.length} jobs done, ${[...done.values()].reduce((n, r) => n + r.json.schedules, 0)} schedules, ${[...done.values()].reduce((n, r) => n + r.json.failures.length, 0)} failing`;
      if (!o.quiet && line !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = line;
      if (pending.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    for (const r of done.values()) {
      for (const [name, text] of Object.entries(r.files)) writeFileSync(join(o.scheduleDir, name), text);
      for (const f of r.json.failures) f.scheduleFile = join(o.scheduleDir, f.scheduleFile.split('/').at(-1)!);
    }
    const results = ids.filter((id) => done.has(id)).map((id) => ({ file: `job ${id}`, doc: done.get(id)!.json }));
    return { merged: results.length > 0 ? mergeExplore(results) : null, lost, removed };
  } finally {
    unregister();
    await queue.close();
  }
}
