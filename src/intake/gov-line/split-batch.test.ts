import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../types.js';
import { readGovLineDocument } from './read.js';
import { layoutBatch } from './split-batch.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './xml-scan.js';

/** The raw text of each Header, as the readers slice it from the layout. */
function splitBatch(text: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): string[] {
  return layoutBatch(text, limits, Number.POSITIVE_INFINITY).headers.map((h) => text.slice(h.start, h.end));
}

import { batch, message } from './test-support.js';

function refusalCode(text: string): string {
  try {
    splitBatch(text);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return error.code;
    throw error;
  }
  throw new Error('expected the batch to be refused');
}

describe('splitBatch', () => {
  it('cuts a batch into the exact text of each Header, in order', () => {
    const a = '<Header n="1"><Document idnumber="A"/></Header>';
    const b = '<Header n="2"/>';
    const c = '<Header n="3">\n  <x>текст</x>\n</Header>';
    expect(
      splitBatch(`<?xml version="1.0"?>\n<AppealBatch batch_id="1">\n  ${a}\n  ${b}${c}\n</AppealBatch>\n`),
    ).toEqual([a, b, c]);
  });

  it('is not fooled by </Header> inside CDATA, a comment, a processing instruction or an attribute value', () => {
    const tricky =
      '<Header a="1 > 0"><Document annotation="x &gt; y"><Note><![CDATA[ </Header><Header> ]]></Note>' +
      '<!-- </Header> --><?note </Header>?></Document></Header>';
    const text = `<AppealBatch><!-- <Header>commented out</Header> -->${tricky}<Header/></AppealBatch>`;
    expect(splitBatch(text)).toEqual([tricky, '<Header/>']);
  });

  it('returns a single Header document whole', () => {
    const xml = message();
    expect(splitBatch(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`)).toEqual([xml]);
    expect(splitBatch('<Header/>')).toEqual(['<Header/>']);
  });

  it('returns nothing for an empty batch', () => {
    expect(splitBatch('<AppealBatch/>')).toEqual([]);
    expect(splitBatch('<AppealBatch>\n</AppealBatch>')).toEqual([]);
  });

  it('refuses what the reader refuses: wrong root, foreign elements, DTDs, depth', () => {
    expect(refusalCode('<Appeals><Header/></Appeals>')).toBe('XML_WRONG_ROOT');
    expect(refusalCode('<AppealBatch><Header/><Note/></AppealBatch>')).toBe('BATCH_UNEXPECTED_ELEMENT');
    expect(refusalCode('<!DOCTYPE a><AppealBatch/>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(
      refusalCode(`<AppealBatch><Header>${'<a>'.repeat(99)}${'</a>'.repeat(99)}</Header></AppealBatch>`),
    ).toBe('XML_TOO_DEEP');
    expect(refusalCode('<AppealBatch><Header>')).toBe('XML_MALFORMED');
  });

  it('yields pieces that read exactly as the batch does', () => {
    const text = readFileSync(
      new URL('../../../schema/gov-line/examples/06-batch.xml', import.meta.url),
      'utf8',
    );
    const whole = readGovLineDocument(text);
    const pieces = splitBatch(text).map((piece, i) => {
      const [outcome] = readGovLineDocument(piece);
      return outcome?.ok ? { ...outcome, index: i } : outcome;
    });
    expect(pieces).toHaveLength(3);
    const withoutBatchId = whole.map((o) => {
      if (!o.ok) return o;
      const { batch_id: _batchId, ...origin } = o.item.origin;
      return { ...o, item: { ...o.item, origin } };
    });
    expect(pieces).toEqual(withoutBatchId);
  });

  it('scans 10,000 Headers in linear time', () => {
    const text = batch(
      ...Array.from({ length: 10_000 }, (_, i) => message({ document: { idnumber: `D-${i}` } })),
    );
    const started = performance.now();
    const pieces = splitBatch(text);
    expect(pieces).toHaveLength(10_000);
    expect(pieces[9_999]).toContain('idnumber="D-9999"');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
