// One search of a (mutant) build by its CLI, judged by the exit code (README "Exit codes"):
// 0 survived, 1 killed (an oracle fired), 3 crashed (the mistake broke the model itself).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export type Verdict = 'killed' | 'survived' | 'crashed' | 'timeout' | 'error';

export interface Outcome {
  verdict: Verdict;
  /** the first violation's oracle (killed) */
  oracle?: string;
  /** explore: schedules run up to and including the first failing one (seeds start at 1, one job) */
  schedules?: number;
  /** the violation, or what went wrong */
  message?: string;
  seconds: number;
}

interface ExploreJson { schedules: number; failures: { seed: number; oracle: string; message: string }[] }
interface StressJson { violations: { oracle: string; message: string }[] }

/** Runs `node cli args… --json jsonPath` and reads its verdict; killed after timeoutMs. */
export function search(cli: string, args: string[], jsonPath: string, timeoutMs: number): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--json', jsonPath], { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      let out: Outcome;
      try {
        out = { seconds, ...verdictOf(code, jsonPath, stderr) };
      } catch (e) {
        out = { seconds, verdict: 'error', message: `exit ${code}, unreadable --json: ${(e as Error).message}` };
      }
      rmSync(jsonPath, { force: true });
      resolve(out);
    });
  });
}

function verdictOf(code: number | null, jsonPath: string, stderr: string): Omit<Outcome, 'seconds'> {
  const said = /faultline failed: (.*)/.exec(stderr)?.[1] ?? stderr.trim().split('\n').pop();
  if (code === null) return { verdict: 'timeout' };
  if (code === 0) return { verdict: 'survived' };
  if (code === 3) return { verdict: 'crashed', message: said };
  if (code !== 1) return { verdict: 'error', message: `exit ${code}: ${said}` };
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Partial<ExploreJson & StressJson>;
  if (json.failures) {
    const first = json.failures.reduce((a, b) => (b.seed < a.seed ? b : a));
    return { verdict: 'killed', oracle: first.oracle, schedules: first.seed, message: first.message };
  }
  const v = json.violations?.[0];
  return { verdict: 'killed', oracle: v?.oracle, message: v?.message };
}
