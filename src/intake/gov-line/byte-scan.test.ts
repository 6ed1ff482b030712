/**
 * The byte scan of a large UTF-8 batch (layoutUtf8Batch) against the text scan it stands in for
 * (layoutGovLineDocument): whenever the byte scan accepts a document, the text scan must accept it
 * too, with the same Headers and origin. (When the byte scan refuses, the text path decides, so a
 * refusal by it is never wrong, only slower.)
 */
import { describe, expect, it } from 'vitest';
import { corpusHeader } from '../../../test/bench/gov-line-corpus.js';
import { UnreadableDocumentError } from '../types.js';
import { layoutGovLineDocument, layoutUtf8Batch } from './read.js';

type Verdict = { ok: true; headers: string[]; origin: Record<string, string> } | { ok: false; code: string };

function textVerdict(body: Buffer): Verdict {
  try {
    const layout = layoutGovLineDocument(body);
    return {
      ok: true,
      headers: layout.headers.map((h) => layout.text.slice(h.start, h.end)),
      origin: layout.origin,
    };
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return { ok: false, code: error.code };
    throw error;
  }
}

function byteVerdict(body: Buffer): Verdict | null {
  const layout = layoutUtf8Batch(body);
  if (!layout) return null;
  return {
    ok: true,
    headers: layout.headers.map((h) => layout.bytes.toString('utf8', h.start, h.end)),
    origin: layout.origin,
  };
}

const HEADERS = [corpusHeader(1), corpusHeader(2), '<Header/>', corpusHeader(3)];
const batchOf = (
  inner: string,
  head = '<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch batch_id="пакет-7">',
) => Buffer.from(`${head}\n${inner}\n</AppealBatch>\n`);

/** What may be slipped between, before or after the Headers: markup, odd spaces, odd characters. */
const PIECES = [
  '<?xml\u00a0version="1.0"?>',
  '<?xml\u3000?>',
  '<?xml\u2028?>',
  '<?xml version="1.0"?>',
  '<?xmlж дані?>',
  '<?обробка дані?>',
  '<!-- <Header> у коментарі </Header> -->',
  '<![CDATA[ <Header/> ]]>',
  '\u00a0',
  '\u2028',
  '\u0085',
  '\ufeff',
  '\u000b',
  'ж',
  '<Примітка/>',
  '<Header attr="a > b"/>',
  "<Header attr='ґ\"'/>",
  '<!DOCTYPE x>',
  '</Header>',
  '<Header>',
  ' ',
];

describe('the byte scan of a UTF-8 batch', () => {
  it('accepts the same well-formed batch as the text scan, with the same Headers and origin', () => {
    const body = batchOf(HEADERS.join('\n'));
    const bytes = byteVerdict(body);
    expect(bytes).not.toBeNull();
    expect(bytes).toEqual(textVerdict(body));
    expect(bytes).toMatchObject({ origin: { batch_id: 'пакет-7' }, headers: { length: 4 } });
  });

  it('refuses an XML declaration after the start however it is spaced, as the text scan does', () => {
    for (const decl of [
      '<?xml\u00a0version="1.0"?>',
      '<?xml\u3000?>',
      '<?xml\u2028?>',
      '<?xml version="1.0"?>',
    ]) {
      const body = batchOf(`${HEADERS[0]}\n${decl}\n${HEADERS[1]}`);
      expect(byteVerdict(body), decl).toBeNull();
      expect(textVerdict(body), decl).toEqual({ ok: false, code: 'XML_MALFORMED' });
    }
  });

  it('never accepts what the text scan refuses, nor reads it differently (every piece at every place)', () => {
    let accepted = 0;
    for (const piece of PIECES) {
      for (let at = 0; at <= HEADERS.length; at++) {
        const inner = [...HEADERS.slice(0, at), piece, ...HEADERS.slice(at)].join('\n');
        for (const body of [
          batchOf(inner),
          Buffer.concat([batchOf(HEADERS.join('\n')), Buffer.from(piece)]),
        ]) {
          const bytes = byteVerdict(body);
          if (bytes === null) continue;
          accepted++;
          expect(bytes, JSON.stringify(piece)).toEqual(textVerdict(body));
        }
      }
    }
    // Some pieces are harmless (comments, CDATA is refused at depth 1 as text, spaces): the loop compared real cases.
    expect(accepted).toBeGreaterThan(20);
  });

  it('inside a Header, pieces are left to that Header, and the Headers read the same', () => {
    for (const piece of PIECES) {
      const header = (HEADERS[0] as string).replace('<Document ', `${piece}<Document `);
      const body = batchOf([header, HEADERS[1]].join('\n'));
      const bytes = byteVerdict(body);
      if (bytes !== null) expect(bytes, JSON.stringify(piece)).toEqual(textVerdict(body));
    }
  });

  it('leaves other bodies to the text path: a single Header, windows-1251, invalid UTF-8', () => {
    expect(layoutUtf8Batch(Buffer.from(`<?xml version="1.0"?>\n${HEADERS[0]}`))).toBeNull();
    expect(
      layoutUtf8Batch(Buffer.from('<?xml version="1.0" encoding="windows-1251"?>\n<AppealBatch/>')),
    ).toBeNull();
    const broken = batchOf(HEADERS.join('\n'));
    broken[broken.indexOf(Buffer.from('пакет'))] = 0xff;
    expect(layoutUtf8Batch(broken)).toBeNull();
    expect(textVerdict(broken)).toEqual({ ok: false, code: 'XML_ENCODING_INVALID' });
  });
});
