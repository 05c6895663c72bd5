// `faultline bugs`: the catalog of bug switches.
import { Command } from 'commander';
import { BUG_CATALOG } from '../bugs/catalog.js';

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
        const needs = b.scenario ? `  (needs ${[b.scenario.cpus ? `--cpus ${b.scenario.cpus}` : '', ...(b.scenario.with ?? []).map((w) => `--bug ${w}`)].filter(Boolean).join(' ')})` : '';
        console.log(`${b.name}  [oracle ${b.oracle}, depth ${b.depth}]${needs}\n  ${b.origin}\n  where: ${b.where}\n`);
      }
    });
}
