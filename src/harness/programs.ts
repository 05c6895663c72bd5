// Which program a run spec runs: the built-in machine, or a user test loaded from its file.
import { loadedTest, loadTest } from '../api/load.js';
import type { DetRunSpec } from './det_group.js';
import { machineProgram } from './machine_program.js';
import type { Program } from './program.js';

export interface TestRef {
  /** absolute path of the test module, with #name when the test is not its default export */
  file: string;
}

/** The spec's program; a user test must have been loaded in this thread (loadProgram). */
export function programOf(spec: DetRunSpec): Program {
  return spec.test !== undefined ? loadedTest(spec.test.file) : machineProgram(spec.cfg, spec.moves);
}

export async function loadProgram(spec: DetRunSpec): Promise<Program> {
  if (spec.test !== undefined) await loadTest(spec.test.file);
  return programOf(spec);
}
