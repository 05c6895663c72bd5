// A user's module named on the command line or in a scenario (a test, a driver, an rwsem):
// `path/to/file.js` or `path/to/file.js#name` for another export than the default. Each thread
// imports it itself; a file edited since it was imported is imported again (a library user's
// process lives on).
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A user's module is not what it should be (cannot be imported, no such export, wrong shape):
 * the CLI says it in one line, exit 2. */
export class UserModuleError extends Error {}

/** A module reference names a JavaScript file, with an optional #export. */
export const MODULE_REF = /^(.*\.[cm]?js)(?:#([A-Za-z_$][\w$]*))?$/;

export function isModuleRef(s: string): boolean {
  return MODULE_REF.test(s);
}

/** `path/to/file.js#name`: the file and the export (default: the default export). */
export function splitModuleRef(ref: string): { file: string; exportName: string } {
  const m = /^(.*)#([A-Za-z_$][\w$]*)$/.exec(ref);
  return m ? { file: m[1]!, exportName: m[2]! } : { file: ref, exportName: 'default' };
}

/** The ref with its file made absolute (relative to `base`), its #export kept. */
export function resolveModuleRef(ref: string, base = '.'): string {
  const { file, exportName } = splitModuleRef(ref);
  return exportName === 'default' ? resolve(base, file) : `${resolve(base, file)}#${exportName}`;
}

/** The ref as a file `dir` records it: relative to `dir` (a built-in name stays as it is). */
export function relativeModuleRef(ref: string, dir: string): string {
  if (!isModuleRef(ref)) return ref;
  const { file, exportName } = splitModuleRef(ref);
  const rel = relative(resolve(dir), resolve(file));
  return exportName === 'default' ? rel : `${rel}#${exportName}`;
}

/** The file's modification time: a changed file is a new version of the module. */
export function moduleVersion(ref: string): number {
  const path = resolve(splitModuleRef(ref).file);
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** Imports the ref's export; `what` names the module in errors ('test', 'driver', …). Throws
 * Error with one line: the file cannot be imported, or it has no such export. */
export async function importExport(ref: string, what: string): Promise<unknown> {
  const { file, exportName } = splitModuleRef(ref);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pathToFileURL(resolve(file)).href}?mtime=${moduleVersion(ref)}`)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load ${what} ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!(exportName in mod)) throw new Error(exportName === 'default' ? `${what} ${file} has no default export` : `${what} ${file} has no export '${exportName}'`);
  return mod[exportName];
}

/** Modules of one kind (tests, drivers, rwsems) loaded in this thread, by absolute ref: each
 * thread imports them before it runs, then finds them synchronously. `make` turns the export
 * into what the caller keeps, throwing (a UserModuleError) when it is not one. */
export class ModuleCache<T> {
  private readonly loaded = new Map<string, { value: T; version: number }>();

  constructor(
    private readonly what: string,
    private readonly make: (exported: unknown, ref: string) => T | Promise<T>,
    /** the error for a file that cannot be imported or lacks the export */
    private readonly error: (message: string) => UserModuleError = (m) => new UserModuleError(m),
  ) {}

  async load(ref: string): Promise<T> {
    const key = resolveModuleRef(ref);
    const version = moduleVersion(key);
    const known = this.loaded.get(key);
    if (known !== undefined && known.version === version) return known.value;
    let exported: unknown;
    try {
      exported = await importExport(key, this.what);
    } catch (e) {
      throw this.error((e as Error).message);
    }
    const value = await this.make(exported, key);
    this.loaded.set(key, { value, version });
    return value;
  }

  /** A module loaded before in this thread. */
  get(ref: string): T {
    const l = this.loaded.get(resolveModuleRef(ref));
    if (l === undefined) throw new Error(`${this.what} ${ref} was not loaded in this thread (load it first)`);
    return l.value;
  }
}
