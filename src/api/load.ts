// Loading a user test module (its default export, made with defineTest) once per thread: the
// coordinator and every worker of the pool import the same file.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Program } from '../harness/program.js';
import { testProgram } from './program.js';
import { defineTest, TestDefError, type TestDef } from './test.js';

/** by path#export: the program, and the file's modification time when it was imported */
const loaded = new Map<string, { program: Program; version: number }>();

/** `path/to/test.js#name`: the module's export `name` (default: its default export). */
function splitTestRef(ref: string): { file: string; exportName: string } {
  const m = /^(.*)#([A-Za-z_$][\w$]*)$/.exec(ref);
  return m ? { file: m[1]!, exportName: m[2]! } : { file: ref, exportName: 'default' };
}

/** Imports the module of `ref` (a path, with #export to pick another export than the default)
 * and makes its program; a module that is not a test is a TestDefError. */
export async function loadTest(ref: string): Promise<Program> {
  const { file, exportName } = splitTestRef(ref);
  const path = resolve(file);
  // a test edited since it was loaded is loaded again (a library user's process lives on)
  const version = existsSync(path) ? statSync(path).mtimeMs : 0;
  const key = `${path}#${exportName}`;
  const known = loaded.get(key);
  if (known !== undefined && known.version === version) return known.program;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pathToFileURL(path).href}?mtime=${version}`)) as Record<string, unknown>;
  } catch (e) {
    throw new TestDefError(`cannot load test ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const def = mod[exportName];
  if (typeof def !== 'object' || def === null) {
    throw new TestDefError(exportName === 'default' ? `test ${file} has no default export (export default defineTest({...}))` : `test ${file} has no export '${exportName}'`);
  }
  const program = testProgram(defineTest(def as TestDef));
  // a setup that throws is the test's mistake, said once here rather than by every run
  try {
    program.boot(new Int32Array(program.words), 0);
  } catch (e) {
    throw new TestDefError(`test ${file}: setup threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  loaded.set(key, { program, version });
  return program;
}

/** A test loaded before in this thread. */
export function loadedTest(ref: string): Program {
  const { file, exportName } = splitTestRef(ref);
  const p = loaded.get(`${resolve(file)}#${exportName}`);
  if (p === undefined) throw new Error(`test ${ref} was not loaded in this thread (loadTest first)`);
  return p.program;
}
