// Loading a user test module (its default export, made with defineTest) once per thread: the
// coordinator and every worker of the pool import the same file.
import { dirname } from 'node:path';
import { isModuleRef, ModuleCache, resolveModuleRef, splitModuleRef } from '../lib/module_ref.js';
import type { Program } from '../harness/program.js';
import { loadRwsem } from '../locking/rwsem_module.js';
import { testProgram } from './program.js';
import { defineTest, TestDefError, type TestDef } from './test.js';

const tests = new ModuleCache<Program>(
  'test',
  async (def, ref) => {
    if (typeof def !== 'object' || def === null) throw new TestDefError(`test ${ref}: the export is not a test (export default defineTest({...}))`);
    let test = defineTest(def as TestDef);
    // a test may name its own rwsem module (relative to the test's file): every thread that runs
    // the test loads it
    if (test.rwsem !== undefined && isModuleRef(test.rwsem)) {
      test = { ...test, rwsem: resolveModuleRef(test.rwsem, dirname(splitModuleRef(ref).file)) };
      try {
        await loadRwsem(test.rwsem!);
      } catch (e) {
        throw new TestDefError(`test ${ref}: ${(e as Error).message}`);
      }
    }
    const program = testProgram(test);
    // a setup that throws is the test's mistake, said once here rather than by every run
    try {
      program.boot(new Int32Array(program.words), 0);
    } catch (e) {
      throw new TestDefError(`test ${ref}: setup threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    return program;
  },
  (m) => new TestDefError(/no default export$/.test(m) ? `${m} (export default defineTest({...}))` : m),
);

/** Imports the module of `ref` (a path, with #export to pick another export than the default)
 * and makes its program; a module that is not a test is a TestDefError. */
export function loadTest(ref: string): Promise<Program> {
  return tests.load(ref);
}

/** A test loaded before in this thread. */
export function loadedTest(ref: string): Program {
  return tests.get(ref);
}
