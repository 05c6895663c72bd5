// `faultline bugs`: the catalog of bug switches.
import { Command } from 'commander';
import { BUG_CATALOG, type BugInfo } from '../bugs/catalog.js';
import { flagOf } from './options.js';

/** The explore flags of a bug's scenario, beyond --bug NAME. */
export function bugScenarioArgs(b: BugInfo): string[] {
  const sc = b.scenario ?? {};
  const out: string[] = [];
  for (const [k, v] of Object.entries(sc.config ?? {})) out.push(flagOf(k), String(v));
  for (const w of sc.with ?? []) out.push('--bug', w);
  if (sc.strategy?.name) out.push('--strategy', sc.strategy.name);
  if (sc.strategy?.switchProbability !== undefined) out.push('--switch-prob', String(sc.strategy.switchProbability));
  if (sc.moves !== undefined) out.push('--moves', String(sc.moves));
  return out;
}

export function bugsCommand(): Command {
  return new Command('bugs')
    .description('list the bug switches: name, origin, the oracle that catches it, its depth')
    .option('--json', 'print the catalog as a JSON array of {name, origin, oracle, depth}')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        console.log(JSON.stringify(BUG_CATALOG.map(({ name, origin, oracle, depth, where, scenario }) => ({ name, origin, oracle, depth, where, ...(scenario ? { scenario } : {}) })), null, 2));
        return;
      }
      for (const b of BUG_CATALOG) {
        const needs = b.scenario ? `  (explore with ${bugScenarioArgs(b).join(' ')})` : '';
        console.log(`${b.name}  [oracle ${b.oracle}, depth ${b.depth}]${needs}\n  ${b.origin}\n  where: ${b.where}\n`);
      }
    });
}
