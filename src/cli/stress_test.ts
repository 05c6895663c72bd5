// `faultline stress --test FILE`: a user test run again and again on real threads for a while.
// Free-running interleavings are not reproducible: a failure comes with the explore command that
// finds it deterministically.
import { relative, resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { closeStressPool, stressProgram, type ProgramStressResult } from '../harness/program_stress.js';
import { loadTest } from '../api/load.js';
import { describeCrash, loadingModules } from './errors.js';
import { checkProfileOutputs, printProfile, profileJson, profileOptionsFrom, writeProfile, type ProfileFlags } from './profile_options.js';
import { threadNamesOf } from '../harness/program.js';
import { checkOutputFile, OutputLog } from './outputs.js';
import { stamped } from './json_outputs.js';
import { interrupted, onInterrupt } from './interrupt.js';
import { finish } from './finish.js';
import type { MachineFlags } from './options.js';

interface StressTestFlags extends MachineFlags, ProfileFlags {
  json?: string;
  watchdog: number;
}

export async function stressTest(flags: StressTestFlags, file: string): Promise<number> {
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  checkProfileOutputs(flags);
  const profile = profileOptionsFrom(flags);
  const ref = resolve(file);
  const program = await loadingModules(loadTest(ref));
  const abort = new AbortController();
  const unregister = onInterrupt(() => abort.abort());
  let r: ProgramStressResult;
  const seed = flags.seed ?? DEFAULT_CONFIG.seed;
  try {
    r = await stressProgram(ref, { seed, noise: flags.noise ?? 0, strictWaits: flags.strictWaits === true, seconds: flags.seconds ?? DEFAULT_CONFIG.seconds, watchdogMs: flags.watchdog * 1000, abort: abort.signal, ...(profile ? { profile } : {}) });
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
  const { profile: data, ...result } = r;
  const cycle = data ? printProfile(flags, data) : false;
  if (cycle && flags.lockdep) console.log('\nlockdep: a lock-order cycle was found (see above): exit 1');
  const out = new OutputLog();
  if (flags.json !== undefined) {
    out.write('--json', flags.json, JSON.stringify(stamped('stress-test', flags.json, { command: 'stress', test: ref, interrupted: interrupted(), seed, ...result, explore, ...(data ? profileJson(data) : {}) }), null, 2) + '\n');
  }
  if (data) {
    const v = r.failure?.violation;
    writeProfile(flags, data, {
      title: `faultline stress --test ${shown}`, config: { test: ref, seed }, summary: [`${r.runs} runs in ${r.seconds.toFixed(2)} s on real threads; times in wall-clock ns`], threadNames: threadNamesOf(program),
      verdict: v || r.hang || r.errors.length > 0 || (cycle && flags.lockdep) ? 'fail' : 'pass', command: `npx faultline stress --test ${shown} --seed ${seed}`,
      ...(v ? { violation: { oracle: v.oracle, thread: v.thread, message: v.message } } : {}),
    }, out);
  }
  return finish({ violation: r.failure !== null || r.hang || (cycle && flags.lockdep === true), internal: r.errors.length > 0 }, out);
}
