// Piscina task entry: one thread of a deterministic group, running schedules until told to quit.
import { groupThread, type DetRunSpec, type GroupThreadResult } from '../src/harness/det_group.js';
import { loadProgram } from '../src/harness/programs.js';

export interface DetTask {
  spec: DetRunSpec;
  machine: SharedArrayBuffer;
  sched: SharedArrayBuffer;
  control: SharedArrayBuffer;
  tid: number;
  profile?: SharedArrayBuffer;
}

export default async function run(task: DetTask): Promise<GroupThreadResult> {
  await loadProgram(task.spec); // a user test's module, once per worker
  return groupThread(task.spec, task.machine, task.sched, task.control, task.tid, task.profile);
}
