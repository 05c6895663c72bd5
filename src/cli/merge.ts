// `faultline merge FILE...`: the --json of explores over disjoint seed ranges (the shards of one
// exploration) as one result (harness/merge.ts). Files that are not parts of one exploration are
// bad input (exit 2); the merged result exits as explore would (1 when it holds a failure).
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { mergeExplore, MergeError } from '../harness/merge.js';
import { schemaRef } from '../version.js';
import type { ExploreJson } from './explore_json.js';
import { readJsonOutput } from './json_outputs.js';
import { GROUP } from './options.js';
import { UsageError } from './errors.js';
import { checkOutputFile, OutputLog } from './outputs.js';
import { finish } from './finish.js';

interface MergeFlags {
  json?: string;
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge the --json of explores over disjoint seed ranges (explore --shard I/N on N machines) into the result of one explore')
    .argument('<files...>', 'explore --json files of one exploration (same faultline, machine or test, strategy and budget)')
    .addOption(new Option('--json <file>', "write the merged result ('-': standard output)").helpGroup(GROUP.output))
    .action((files: string[], flags: MergeFlags) => {
      process.exitCode = run(files, flags);
    });
}

function run(files: string[], flags: MergeFlags): number {
  if (flags.json !== undefined) checkOutputFile('--json', flags.json);
  let merged: ExploreJson;
  try {
    merged = mergeExplore(files.map((file) => ({ file, doc: readJsonOutput<ExploreJson>('explore', file, file) })));
  } catch (e) {
    throw e instanceof MergeError ? new UsageError(e.message) : e;
  }
  const end = merged.seeds.start + merged.seeds.count - 1;
  const gaps = merged.schedules < merged.seeds.count ? `, ${merged.seeds.count - merged.schedules} of them not run (a gap between the files, or an interrupted part)` : '';
  console.log(`faultline merge: ${files.length} file${files.length === 1 ? '' : 's'}, seeds ${merged.seeds.start}..${end}${gaps}: ${merged.schedules} schedules, ${merged.failures.length} failing`);
  for (const f of merged.failures.filter((x) => x.shrunk)) console.log(`  ${f.oracle} at seed ${f.seed}, shrunk: npx faultline replay --schedule ${f.shrunk!.scheduleFile}`);
  if (merged.coverage) console.log(`  coverage: ${merged.coverage.bothOrders} of ${merged.coverage.pairs} conflicting pairs seen in both orders`);
  for (const e of merged.errors) console.log(`  faultline failed: ${e.split('\n')[0]}`);
  const out = new OutputLog();
  if (flags.json !== undefined) {
    const doc = { ...merged, $schema: schemaRef('explore.schema.json', flags.json === '-' ? null : dirname(flags.json)) };
    out.write('--json', flags.json, JSON.stringify(doc, null, 2) + '\n');
  }
  return finish({ violation: merged.failures.length > 0, internal: merged.errors.length > 0 }, out);
}
