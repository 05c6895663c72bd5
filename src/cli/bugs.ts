// `faultline bugs`: the catalog of bug switches.
import { Command } from 'commander';
import { BUG_CATALOG, scenarioOptions, type BugInfo, type Era, type Mechanism } from '../bugs/catalog.js';
import { flagOf } from './options.js';
import { stamped } from './json_outputs.js';

/** The explore flags of a bug's scenario, beyond --bug NAME. */
export function bugScenarioArgs(b: BugInfo): string[] {
  // the bug's own switch is the caller's to name: its companions are printed
  return scenarioOptions(b).flatMap(([k, v]) => (k === 'bug' ? (v as string[]).slice(1).flatMap((w) => ['--bug', w]) : [flagOf(k), String(v)]));
}

/** One line: the Linux design the mechanism belongs to, and where its fix landed. */
export function eraLine(era: Era): string {
  return era.fix ? `${era.design}; fix: ${era.fix}` : era.design;
}

/** One line: cited, or analogue with the reason. */
export function mechanismLine(m: Mechanism): string {
  return m.kind === 'cited' ? 'cited' : `analogue: ${m.reason}`;
}

export function bugsCommand(): Command {
  return new Command('bugs')
    .description('list the bug switches: name, origin, era, cited mechanism or analogue, the oracle that catches it, its depth')
    .option('--json', 'print the catalog as JSON: { $schema, tool, command, bugs: [{name, origin, era, mechanism, oracle, depth, where, scenario, absent}] }')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        const bugs = BUG_CATALOG.map(({ name, origin, era, mechanism, oracle, depth, where, scenario, absent }) => ({ name, origin, era, mechanism, oracle, depth, where, ...(scenario ? { scenario } : {}), ...(absent ? { absent } : {}) }));
        console.log(JSON.stringify(stamped('bugs', '-', { command: 'bugs', bugs }), null, 2));
        return;
      }
      for (const b of BUG_CATALOG) {
        const needs = b.scenario ? `  (explore with ${bugScenarioArgs(b).join(' ')})` : '';
        const absent = Object.entries(b.absent ?? {}).map(([driver, why]) => `\n  not on --driver ${driver}: ${why}`).join('');
        console.log(`${b.name}  [oracle ${b.oracle}, depth ${b.depth}]${needs}\n  ${b.origin}\n  era: ${eraLine(b.era)}\n  mechanism: ${mechanismLine(b.mechanism)}\n  where: ${b.where}${absent}\n`);
      }
    });
}
