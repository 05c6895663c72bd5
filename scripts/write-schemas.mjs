// Writes the JSON Schemas made from the same source as the validators (run by `npm run schemas`;
// a test fails when a committed schema is out of date).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../dist/src/scenario/scenario.js';
import { scheduleJsonSchema } from '../dist/src/sched/schedule_file.js';
import { exploreJsonSchema } from '../dist/src/cli/explore_json.js';

for (const [name, schema] of [['scenario', scenarioJsonSchema()], ['schedule', scheduleJsonSchema()], ['explore', exploreJsonSchema()]]) {
  const file = new URL(`../schemas/${name}.schema.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${file.pathname}`);
}
