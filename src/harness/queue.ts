// An exploration as jobs on a real queue (BullMQ over Redis): the submitter cuts the seed range into
// chunks, one job each; any number of `faultline worker` processes, on any machines, take jobs, run
// the chunk's explore and return its result with the failures' schedule files; the submitter merges
// the results (harness/merge.ts). A worker killed mid-job leaves the job's lock to expire: BullMQ
// then hands the job to another worker (a stalled job), so nothing is lost and nothing is counted
// twice (a job's result is stored once, when it completes).
import { Redis } from 'ioredis';
import type { ExploreJson } from '../cli/explore_json.js';
import type { DetFlags } from '../cli/det_options.js';

/** One queue for every exploration; a submission's jobs are named after its run id. */
export const QUEUE_NAME = 'faultline-explore';

export interface ExploreJobData {
  /** the submission's id: its jobs are `${run}:${index}` */
  run: string;
  index: number;
  /** what the spec is made of, as explore's own flags (the worker builds the same spec from them) */
  flags: DetFlags & { coverage?: boolean };
  seeds: { start: number; count: number };
}

export interface ExploreJobResult {
  json: ExploreJson;
  /** the failures' schedule files, by the name the worker gave them */
  files: Record<string, string>;
}

/** How long a job's lock lives without a heartbeat from its worker: a worker killed mid-job frees its
 * job this long after it died, and a stalled-job check runs at half that period. */
export const LOCK_MS = 6000;
export const STALLED_CHECK_MS = 3000;

export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  maxRetriesPerRequest: null;
}

/** redis://host:port[/db] → the connection options of ioredis and BullMQ. */
export function redisOptions(url: string): RedisConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue must be a redis://HOST:PORT URL, got '${url}'`);
  }
  if (u.protocol !== 'redis:' || u.hostname === '') throw new Error(`--queue must be a redis://HOST:PORT URL, got '${url}'`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname, port: u.port === '' ? 6379 : Number(u.port), db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}), ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    // BullMQ's blocking connections must not give up on a command
    maxRetriesPerRequest: null,
  };
}

/** Connects once, or fails within `timeoutMs` with the reason (a submitter must not hang on a
 * wrong URL). */
export async function probeRedis(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // the connection's own error (ECONNREFUSED, ENOTFOUND) says more than the command's
  let cause: Error | null = null;
  client.on('error', (e: Error) => (cause ??= e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(`cannot reach Redis at ${url}: ${(cause ?? (e as Error)).message}`);
  } finally {
    client.disconnect();
  }
}

/** The chunks of a seed range: `chunk` seeds each, the last one shorter. */
export function chunks(seeds: { start: number; count: number }, chunk: number): { start: number; count: number }[] {
  const out: { start: number; count: number }[] = [];
  for (let off = 0; off < seeds.count; off += chunk) out.push({ start: seeds.start + off, count: Math.min(chunk, seeds.count - off) });
  return out;
}
