// Which program a run spec runs: the built-in machine, or a user test loaded from its file.
import { loadedTest, loadTest } from '../api/load.js';
import type { Config } from '../config.js';
import { loadDriver } from '../drm/driver.js';
import { isModuleRef } from '../lib/module_ref.js';
import { loadRwsem } from '../locking/rwsem_module.js';
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

/** Loads the spec's modules in this thread (a user test; the machine's driver and rwsem modules)
 * and returns its program; a module that is not what it should be is a UserModuleError. */
export async function loadProgram(spec: DetRunSpec): Promise<Program> {
  if (spec.test !== undefined) await loadTest(spec.test.file);
  else await loadMachineModules(spec.cfg);
  return programOf(spec);
}

/** The machine's --driver FILE and --rwsem FILE, imported in this thread. */
export async function loadMachineModules(cfg: Config): Promise<void> {
  if (isModuleRef(cfg.driver)) await loadDriver(cfg.driver);
  if (isModuleRef(cfg.rwsem)) await loadRwsem(cfg.rwsem);
}
