/** Writes the sorted SDL to schema/gateway.graphql (`npm run schema:print`). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printSortedSchema } from './schema.js';

const target = resolve(import.meta.dirname, '../../schema/gateway.graphql');
writeFileSync(target, printSortedSchema());
console.log(`wrote ${target}`);
