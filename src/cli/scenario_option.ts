// --scenario FILE|@BUG on the commands that build a run: the file's values become the options'
// values before the action runs, except where a flag was typed (the flag wins).
import { Option, type Command } from 'commander';
import { loadScenario, ScenarioError } from '../scenario/scenario.js';
import { GROUP } from './options.js';
import { UsageError } from './errors.js';

/** Options that say the same thing two ways: a flag typed for one drops the scenario's other. */
const EITHER: [string, string][] = [['seconds', 'ops']];

export function addScenarioOption(cmd: Command): Command {
  cmd.addOption(new Option('--scenario <file>', 'a scenario file (JSON or YAML; schemas/scenario.schema.json), any schedule file or --json output, or @BUG for the catalog\'s scenario of a bug; flags typed override it').helpGroup(GROUP.run));
  return cmd.hook('preAction', (c) => applyScenario(c));
}

function applyScenario(cmd: Command): void {
  const ref = cmd.getOptionValue('scenario') as string | undefined;
  if (ref === undefined) return;
  let values;
  try {
    values = loadScenario(ref);
  } catch (e) {
    throw e instanceof ScenarioError ? new UsageError(e.message) : e;
  }
  const typed = (k: string): boolean => cmd.getOptionValueSource(k) === 'cli';
  for (const o of cmd.options) {
    const k = o.attributeName();
    if (!values.has(k) || typed(k)) continue;
    if (EITHER.some(([a, b]) => (k === a && typed(b)) || (k === b && typed(a)))) continue;
    cmd.setOptionValueWithSource(k, values.get(k), 'config');
  }
}
