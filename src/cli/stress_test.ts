// `faultline stress --test FILE`: a user test run again and again on real threads for a while.
// Free-running interleavings are not reproducible: a failure comes with the explore command that
// finds it deterministically.
import { relative, resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { closeStressPool, stressProgram, type ProgramStressResult } from '../harness/program_stress.js';
import { loadTest } from '../api/load.js';
import { describeCrash, loadingModules, UsageError } from './errors.js';
import { checkOutputFile, OutputLog } from './outputs.js';
import { stamped } from './json_outputs.js';
import { interrupted, onInterrupt } from './interrupt.js';
import { finish } from './finish.js';
import type { MachineFlags } from './options.js';

interface StressTestFlags extends MachineFlags {
  json?: string;
  watchdog: number;
  lockstat?: boolean;
  lockdep?: boolean;
  trace?: string;
  report?: string;
}

export async function stressTest(flags: StressTestFlags, file: string): Promise<number> {
  if (flags.lockstat || flags.lockdep || flags.trace !== undefined || flags.report !== undefined) throw new UsageError('--lockstat, --lockdep, --trace and --report profile the built-in machine only, not --test');
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  const ref = resolve(file);
  await loadingModules(loadTest(ref));
  const abort = new AbortController();
  const unregister = onInterrupt(() => abort.abort());
  let r: ProgramStressResult;
  const seed = flags.seed ?? DEFAULT_CONFIG.seed;
  try {
    r = await stressProgram(ref, { seed, noise: flags.noise ?? 0, strictWaits: flags.strictWaits === true, seconds: flags.seconds ?? DEFAULT_CONFIG.seconds, watchdogMs: flags.watchdog * 1000, abort: abort.signal });
  } finally {
    unregister();
    await closeStressPool();
  }
  const shown = relative(process.cwd(), ref);
  if (interrupted()) console.log(`interrupted by ${interrupted()}: the summary covers what ran`);
  console.log(`faultline stress --test ${shown}: ${r.runs} runs in ${r.seconds.toFixed(2)} s (${Math.round(r.runsPerSec)} runs/s), ${r.failure ? 'a failing run' : r.hang ? 'hung' : 'no failing run'}`);
  for (const e of r.errors) console.log(`  faultline failed: ${describeCrash(e)}`);
  const explore = `npx faultline explore --test ${shown} --stop-on-first`;
  if (r.failure) {
    const v = r.failure.violation;
    console.log(`\nVIOLATION ${v.oracle} on ${v.thread} in run ${r.failure.run} (setup seed ${r.failure.seed}): ${v.message}`);
    console.log(`free-running interleavings differ run to run; to find it deterministically, with a schedule to replay:\n  ${explore}`);
  } else if (r.hang) {
    console.log(`\nno run finished for ${flags.watchdog} s: a deadlock or a livelock (the threads were aborted); to see the wait-for cycle or the spinning thread:\n  ${explore}`);
  }
  const out = new OutputLog();
  if (flags.json !== undefined) {
    out.write('--json', flags.json, JSON.stringify(stamped('stress-test', flags.json, { command: 'stress', test: ref, interrupted: interrupted(), seed, ...r, explore }), null, 2) + '\n');
  }
  return finish({ violation: r.failure !== null || r.hang, internal: r.errors.length > 0 }, out);
}
