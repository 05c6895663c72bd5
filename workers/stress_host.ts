// Piscina task entry: one thread of a program running free (`stress --test`), run after run.
import { loadTest } from '../src/api/load.js';
import { stressThread, type StressRunOptions, type StressThreadResult } from '../src/harness/program_stress.js';

export interface StressTask extends StressRunOptions {
  test: string;
  machine: SharedArrayBuffer;
  control: SharedArrayBuffer;
  tid: number;
}

export default async function run(task: StressTask): Promise<StressThreadResult> {
  const program = await loadTest(task.test);
  return stressThread(program, new Int32Array(task.machine), new Int32Array(task.control), task.tid, task);
}
