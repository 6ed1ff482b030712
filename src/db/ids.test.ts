import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('UUID v7 ids', () => {
  it('are valid version-7 UUIDs, unique, and sort by creation time', () => {
    const ids = [newId(1_700_000_000_000), newId(1_700_000_000_001), newId(1_800_000_000_000)];
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => newId())).size).toBe(10_000);
    expect(newId(0x0123_4567_89ab).startsWith('01234567-89ab-7')).toBe(true);
  });
});
