// Debian's headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
// NUL-terminated JSON on fds 3 and 4), so a test can load a page, see every console error and
// uncaught exception, and evaluate expressions in it, with no browser-automation dependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
const COMMAND_MS = 30_000;

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface Page {
  /** console errors, uncaught exceptions and error log entries, in the order they came */
  errors: string[];
  /** the value of a JavaScript expression in the page (awaited if it is a promise) */
  evaluate<T>(expression: string): Promise<T>;
}

export class Chromium {
  private readonly child: ChildProcess;
  private readonly profile: string;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Message) => void)[] = [];
  private nextId = 0;
  private buffer = '';
  private exited = false;

  constructor() {
    this.profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
    const args = ['--headless', '--disable-gpu', '--no-sandbox', '--remote-debugging-pipe', `--user-data-dir=${this.profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,2000', 'about:blank'];
    this.child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const gone = (why: string): void => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
    };
    this.child.on('exit', (code, signal) => gone(`chromium exited (${signal ?? code})`));
    this.child.on('error', (e) => gone(`chromium could not start: ${e.message}`));
    (this.child.stdio[4] as Readable).on('data', (d: Buffer) => this.receive(d.toString('utf8')));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const m = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      const p = m.id !== undefined ? this.pending.get(m.id) : undefined;
      if (p) {
        this.pending.delete(m.id!);
        if (m.error) p.reject(new Error(m.error.message));
        else p.resolve(m);
      } else for (const l of this.listeners) l(m);
    }
  }

  private send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error('chromium exited'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`chromium did not answer ${method} within ${COMMAND_MS} ms`));
      }, COMMAND_MS);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        f();
      };
      this.pending.set(id, { resolve: (m) => done(() => resolve(m.result ?? {})), reject: (e) => done(() => reject(e)) });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Opens `file` in a new tab and resolves once its load event has fired. */
  async open(file: string): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const errors: string[] = [];
    let loaded: () => void = () => {};
    const load = new Promise<void>((r) => (loaded = r));
    this.listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Page.loadEventFired') loaded();
      else if (m.method === 'Runtime.exceptionThrown') errors.push(`uncaught: ${describeException(p.exceptionDetails)}`);
      else if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) errors.push(`console.${String(p.type)}: ${(p.args as { value?: unknown; description?: string }[]).map((a) => a.value ?? a.description).join(' ')}`);
      else if (m.method === 'Log.entryAdded' && (p.entry as { level: string }).level === 'error') errors.push(`log: ${(p.entry as { text: string }).text}`);
    });
    for (const domain of ['Runtime', 'Log', 'Page']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await load;
    return {
      errors,
      evaluate: async <T>(expression: string): Promise<T> => {
        const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as { result: { value: T }; exceptionDetails?: unknown };
        if (r.exceptionDetails) throw new Error(`evaluate failed: ${describeException(r.exceptionDetails)}`);
        return r.result.value;
      },
    };
  }

  /** Closes the browser (killing it if it does not exit) and removes its profile directory. */
  async close(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.send('Browser.close').catch(() => this.child.kill('SIGKILL'));
      await gone;
      clearTimeout(kill);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

function describeException(d: unknown): string {
  const e = d as { text?: string; exception?: { description?: string }; url?: string; lineNumber?: number } | undefined;
  return `${e?.exception?.description ?? e?.text ?? 'unknown'}${e?.url ? ` (${e.url}:${(e.lineNumber ?? 0) + 1})` : ''}`;
}
