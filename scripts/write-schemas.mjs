// Writes the JSON Schemas made from the same source as the validators (run by `npm run schemas`;
// a test fails when a committed schema is out of date).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../dist/src/scenario/scenario.js';
import { scheduleJsonSchema } from '../dist/src/sched/schedule_file.js';
import { JSON_OUTPUTS, outputJsonSchema } from '../dist/src/cli/json_outputs.js';

const schemas = [['scenario', scenarioJsonSchema()], ['schedule', scheduleJsonSchema()], ...Object.keys(JSON_OUTPUTS).map((name) => [name, outputJsonSchema(name)])];
for (const [name, schema] of schemas) {
  const file = new URL(`../schemas/${name}.schema.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${file.pathname}`);
}
