// Writes the JSON Schemas made from the same source as the validators (run by `npm run schemas`;
// a test fails when a committed schema is out of date).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../dist/src/scenario/scenario.js';

const file = new URL('../schemas/scenario.schema.json', import.meta.url);
writeFileSync(file, JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
