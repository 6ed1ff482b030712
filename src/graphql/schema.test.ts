import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from './schema.js';

describe('the checked-in SDL', () => {
  it('matches the schema the code builds (run `npm run schema:print` after changing the API)', () => {
    const checkedIn = readFileSync(resolve(import.meta.dirname, '../../schema/gateway.graphql'), 'utf8');
    expect(printSortedSchema()).toBe(checkedIn);
  });

  it('is printed sorted, so that a diff shows only real changes', () => {
    const types = [...printSortedSchema().matchAll(/^(?:type|input|enum|scalar) (\w+)/gm)].map(
      (m) => m[1] ?? '',
    );
    // graphql's lexicographicSortSchema orders by code unit ('JSON' before 'JobName').
    expect(types).toEqual([...types].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
