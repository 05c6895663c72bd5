// The faultline version and git commit, stamped into --version and every file faultline writes,
// so that a result can be traced to the code that produced it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/** The package root: dist/src → two levels up. */
const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ToolStamp {
  name: 'faultline';
  version: string;
  /** the git commit of the package checkout, with "-dirty" for uncommitted changes; "unknown" outside git */
  commit: string;
}

/** The stamp as every written document carries it. */
export const TOOL_SCHEMA = z.object({ name: z.literal('faultline'), version: z.string(), commit: z.string() }).describe('the faultline that wrote it');

let stamp: ToolStamp | null = null;

function gitCommit(): string {
  if (!existsSync(`${root}.git`)) return 'unknown';
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    const head = git('rev-parse', '--short=12', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}

/** A JSON Schema shipped with this faultline (schemas/NAME), as an absolute path. */
export function schemaFile(name: string): string {
  return `${root}schemas/${name}`;
}

/** What a document names as its `$schema`: schemas/NAME of this faultline, relative to `dir`,
 * the folder the document is written to (null: standard output or the library, absolute). */
export function schemaRef(name: string, dir: string | null): string {
  return dir === null ? schemaFile(name) : relative(resolve(dir), schemaFile(name));
}

export function toolStamp(): ToolStamp {
  stamp ??= {
    name: 'faultline',
    version: (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version,
    commit: gitCommit(),
  };
  return stamp;
}
