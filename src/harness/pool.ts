// A piscina pool of worker threads, kept between runs (spawning a worker costs 45–65 ms here) and
// sized so that every thread of a run runs at once: a queued CPU could never ack an IPI, and a
// queued deterministic thread could never take the token.
import { Piscina } from 'piscina';

export class ReusedPool {
  private pool: Piscina | null = null;

  constructor(private readonly workerFile: URL) {}

  /** The pool with exactly `threads` threads (a pool of another size is replaced). */
  get(threads: number): Piscina {
    if (this.pool !== null && this.pool.options.maxThreads === threads) return this.pool;
    void this.pool?.destroy();
    this.pool = new Piscina({
      filename: this.workerFile.href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
    return this.pool;
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    await p?.destroy();
  }
}
