import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-position.js';

/** V8 names the position for some errors; where it does, the scanner must agree with it. */
function v8Position(text: string): number | null | 'valid' {
  try {
    JSON.parse(text);
    return 'valid';
  } catch (e) {
    const found = /at position (\d+)/.exec(String(e))?.[1];
    return found === undefined ? null : Number(found);
  }
}

describe('jsonErrorOffset', () => {
  it.each([
    ['[1,]', 3],
    ['{"a" 1}', 5],
    ['{"a": tru}', 9],
    ['{"a": "\\x"}', 8],
    ['{"a": "\\u12G4"}', 11],
    ['{"a": -}', 7],
    ['{"a": 1.}', 8],
    ['[1] x', 4],
    ['{"a": [}', 7],
    ['{', 1],
  ])('%j breaks at %i', (text, offset) => {
    expect(v8Position(text)).not.toBe('valid');
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with V8 wherever V8 names a position', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '0', 'x', ' '))
      .map(([json, at, insert]) => {
        const i = at % (json.length + 1);
        return json.slice(0, i) + insert + json.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(broken, (text) => {
        const v8 = v8Position(text);
        if (typeof v8 === 'number') expect(jsonErrorOffset(text)).toBe(v8);
      }),
      { numRuns: 2000 },
    );
  });
});
