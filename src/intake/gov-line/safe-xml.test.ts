import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../types.js';
import { elementParser, parseXmlDocument, type SafeXmlOptions } from './safe-xml.js';
import { attribute, elements, textOf, type XmlElement } from './xml-node.js';

function refusal(body: Buffer | string, opts?: SafeXmlOptions): UnreadableDocumentError {
  try {
    parseXmlDocument(body, opts);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
/** "Привіт, Єва! Їжак" in windows-1251. */
const CP1251_TEXT = [
  0xcf, 0xf0, 0xe8, 0xe2, 0xb3, 0xf2, 0x2c, 0x20, 0xaa, 0xe2, 0xe0, 0x21, 0x20, 0xaf, 0xe6, 0xe0, 0xea,
];

describe('decoding by the XML declaration', () => {
  it('decodes windows-1251 (and its cp1251 alias) into the right Cyrillic', () => {
    for (const label of ['windows-1251', 'CP1251']) {
      const doc = parseXmlDocument(
        bytes(`<?xml version="1.0" encoding="${label}"?><a n="`, CP1251_TEXT, '"/>'),
      );
      expect(attribute(doc.root, 'n')).toBe('Привіт, Єва! Їжак');
    }
  });

  it('reads UTF-8 by default, with or without a byte-order mark', () => {
    expect(textOf(parseXmlDocument(bytes('<a>Запоріжжя</a>')).root)).toBe('Запоріжжя');
    expect(textOf(parseXmlDocument(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?><a>ґ</a>')).root)).toBe(
      'ґ',
    );
    expect(textOf(parseXmlDocument('\uFEFF<a>ї</a>').root)).toBe('ї');
  });

  it('refuses bytes that are not valid UTF-8', () => {
    expect(refusal(bytes('<a n="', CP1251_TEXT, '"/>')).code).toBe('XML_ENCODING_INVALID');
    expect(refusal(bytes('<?xml version="1.0" encoding="UTF-8"?><a>', [0xc3, 0x28], '</a>')).code).toBe(
      'XML_ENCODING_INVALID',
    );
  });

  it('refuses a charset it does not read, naming it', () => {
    const unknown = refusal(bytes('<?xml version="1.0" encoding="x-unknown"?><a/>'));
    expect(unknown).toMatchObject({ code: 'XML_CHARSET_UNSUPPORTED' });
    expect(unknown.message).toContain('"x-unknown"');
    expect(refusal(bytes("<?xml version='1.0' encoding='KOI8-R'?><a/>")).code).toBe(
      'XML_CHARSET_UNSUPPORTED',
    );
    expect(refusal(bytes([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00])).code).toBe('XML_CHARSET_UNSUPPORTED');
  });

  it('refuses a UTF-8 byte-order mark on a body that declares windows-1251', () => {
    expect(refusal(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0" encoding="windows-1251"?><a/>')).code).toBe(
      'XML_ENCODING_INVALID',
    );
  });
});

describe('hostile documents', () => {
  it('refuses external entities (XXE) and entity expansion (billion laughs) before parsing', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE Header [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Header>&xxe;</Header>';
    const lol = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">';
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [${lol}]><Header>${'&lol2;'.repeat(1000)}</Header>`;
    for (const doc of [xxe, laughs, '<!doctype a><a/>', '<a><!ENTITY x "y"></a>']) {
      expect(refusal(doc).code).toBe('XML_DOCTYPE_FORBIDDEN');
    }
    expect(refusal(xxe).message).toContain('<!DOCTYPE>');
  });

  it('never expands an entity beyond the five predefined ones', () => {
    expect(refusal('<a>&xxe;</a>').code).toBe('XML_MALFORMED');
    expect(textOf(parseXmlDocument('<a>&lt;&amp;&gt;&quot;&apos;&#x0406;&#1111;</a>').root)).toBe('<&>"\'Ії');
  });

  it('reads a DOCTYPE quoted inside a comment or CDATA as text, not as a declaration', () => {
    const doc = parseXmlDocument('<!-- <!DOCTYPE x> --><a><![CDATA[<!DOCTYPE html><!ENTITY y>]]></a>');
    expect(textOf(doc.root)).toBe('<!DOCTYPE html><!ENTITY y>');
  });

  it('keeps __proto__, constructor and prototype names away from Object.prototype', () => {
    const doc = parseXmlDocument(
      '<Header __proto__="a" constructor="b"><__proto__ polluted="yes"><constructor prototype="x" polluted="1"/>' +
        '</__proto__><prototype polluted="2"/><toString/><_>t</_></Header>',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(doc.root).sort()).toEqual([
      '$',
      '_x__',
      '_x___proto__',
      '_x_prototype',
      '_x_toString',
    ]);
    // sax itself drops an attribute named __proto__ (it assigns it on a plain object, a no-op for a string).
    expect({ ...doc.root.$ }).toEqual({ _x_constructor: 'b' });
    const [proto] = elements(doc.root, '_x___proto__');
    expect(elements(proto as XmlElement, '_x_constructor')[0]?.$?._x_prototype).toBe('x');
    expect(elements(doc.root, 'constructor')).toEqual([]);
  });

  it('builds every object of the tree without a prototype', () => {
    const doc = parseXmlDocument('<a x="1"><b y="2"><c>t</c></b><b/><d/></a>');
    const walk = (el: XmlElement): void => {
      expect(Object.getPrototypeOf(el)).toBeNull();
      if (el.$) expect(Object.getPrototypeOf(el.$)).toBeNull();
      for (const [key, value] of Object.entries(el))
        if (key !== '$' && key !== '_') (value as XmlElement[]).forEach(walk);
    };
    walk(doc.root);
  });

  it('refuses 10,000 nested elements quickly, and allows 64', () => {
    const started = performance.now();
    expect(refusal(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`).code).toBe('XML_TOO_DEEP');
    expect(performance.now() - started).toBeLessThan(200);
    expect(parseXmlDocument(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`).rootName).toBe('a');
    expect(refusal(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`).code).toBe('XML_TOO_DEEP');
    expect(refusal('<a><b><c/></b></a>', { maxDepth: 2 }).code).toBe('XML_TOO_DEEP');
  });

  it('refuses an attribute value over 64 KiB, but not long element text', () => {
    expect(refusal(`<a v="${'x'.repeat(2 * 1024 * 1024)}"/>`).code).toBe('XML_ATTRIBUTE_TOO_LONG');
    expect(attribute(parseXmlDocument(`<a v='${'x'.repeat(64 * 1024)}'/>`).root, 'v')).toHaveLength(
      64 * 1024,
    );
    expect(textOf(parseXmlDocument(`<a>${'x'.repeat(2 * 1024 * 1024)}</a>`).root)).toHaveLength(
      2 * 1024 * 1024,
    );
  });
});

describe('well-formedness', () => {
  it("reports sax's reason with the line and column", () => {
    const error = refusal('<a>\n<b></c></a>');
    expect(error.code).toBe('XML_MALFORMED');
    expect(error.message).toBe('The XML is not well-formed: Unexpected close tag at line 2, column 7.');
  });

  it('refuses text or a second element outside the root, a misplaced declaration, unterminated markup', () => {
    for (const doc of [
      '<a/>trailing',
      '<a/><b/>',
      '{"json": true}',
      '',
      '   ',
      '<a>',
      '<a><!-- x</a>',
      '<a b="1/>',
      '<a></b>',
      '<a><?xml version="1.0"?></a>',
      '<a>\n<b>\n</a>',
    ]) {
      expect(refusal(doc).code, doc).toBe('XML_MALFORMED');
    }
  });

  it('accepts comments and processing instructions around the root', () => {
    expect(parseXmlDocument('<?xml version="1.0"?>\n<!-- c --><?pi x?><a/>\n<!-- after -->\n').rootName).toBe(
      'a',
    );
  });
});

describe('shape of the tree', () => {
  it('puts attributes under $, text under _ and every child element in an array', () => {
    const { root, rootName, rootChildCount } = parseXmlDocument(
      '<r a="1"> <b>x</b><b c="2"/><e/>  <t>  y  </t></r>',
    );
    expect({ rootName, rootChildCount }).toEqual({ rootName: 'r', rootChildCount: 4 });
    expect(JSON.parse(JSON.stringify(root))).toEqual({
      $: { a: '1' },
      b: [{ _: 'x' }, { $: { c: '2' } }],
      e: [{}],
      t: [{ _: '  y  ' }],
    });
  });

  it('lets the caller refuse a document from its outline before the full parse', () => {
    let seen: unknown;
    const refuse = (outline: unknown) => {
      seen = outline;
      throw new UnreadableDocumentError('NOPE', 'no');
    };
    expect(refusal('<r><x/><y><z/></y></r>', { inspect: refuse }).code).toBe('NOPE');
    expect(seen).toEqual({ rootName: 'r', rootChildCount: 2 });
  });
});

describe('one parser for many messages', () => {
  const messageOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'parsed';
  };

  it('reads every text as it would alone, whatever failed before it', () => {
    const texts = [
      '<Header><Document a="1"/></Header>',
      '<Header><Document a="1"></Header>',
      '<Header>text</Header><extra/>',
      '<Header><Document a="1"',
      '<Header a="Ціни &amp; тарифи"><Document/></Header>',
      '<Header><Document a="x" a="y"/></Header>',
      '<Header/>',
    ];
    const shared = elementParser();
    // Every order of failures and successes: the shared parser answers as a fresh one does.
    for (const first of texts) {
      for (const second of texts) {
        messageOf(() => shared(first));
        expect(messageOf(() => shared(second))).toBe(messageOf(() => elementParser()(second)));
      }
    }
    expect(shared('<Header><Document a="1"/></Header>')).toMatchObject({ Document: [{ $: { a: '1' } }] });
  });
});
