/**
 * A hardened front for xml2js 0.6.2 (sax underneath) for the XML that outside systems send us.
 *
 * Before xml2js runs: the bytes are decoded by the charset of the XML declaration (UTF-8 by default,
 * or windows-1251; nothing else), and one linear scan (xml-scan.ts) refuses any `<!DOCTYPE`/`<!ENTITY`,
 * nesting deeper than `maxDepth`, attribute values longer than `maxAttributeChars` and anything but
 * one root element. sax in strict mode then knows only the five predefined entities and character
 * references, so nothing is ever expanded.
 *
 * xml2js options (fixed, so every reader sees one shape, see xml-node.ts): strict; explicitArray —
 * every child element is an array; explicitCharkey + emptyTag — every element is an object, text
 * under `_`, attributes under `$`; no trimming or normalising (base64 and free text stay as sent);
 * element and attribute names that clash with Object.prototype or xml2js' own keys are prefixed with
 * `_x_`; afterwards every object of the tree gets a null prototype. Parsing is synchronous.
 */
import { isUtf8 } from 'node:buffer';
import { Parser, type ParserOptions } from 'xml2js';
import { UnreadableDocumentError } from '../types.js';
import { safeName, type XmlElement } from './xml-node.js';
import { DEFAULT_SCAN_LIMITS, outlineXml, positionOf, type ScanLimits, type XmlOutline } from './xml-scan.js';

export interface SafeXmlOptions extends Partial<ScanLimits> {
  /** Called after the pre-scan and before the parse: throw to refuse the document cheaply. */
  inspect?: (outline: XmlOutline) => void;
}

export interface XmlDocument {
  /** The root element's name as written. */
  rootName: string;
  root: XmlElement;
  rootChildCount: number;
}

const XML2JS_OPTIONS: ParserOptions = {
  strict: true,
  async: false,
  explicitRoot: true,
  explicitArray: true,
  explicitCharkey: true,
  emptyTag: () => Object.create(null),
  attrkey: '$',
  charkey: '_',
  trim: false,
  normalize: false,
  normalizeTags: false,
  mergeAttrs: false,
  xmlns: false,
  explicitChildren: false,
  tagNameProcessors: [safeName],
  attrNameProcessors: [safeName],
};

const SUPPORTED_CHARSETS = new Set(['utf-8', 'windows-1251']);
const DECODERS = new Map(
  [...SUPPORTED_CHARSETS].map((c) => [c, new TextDecoder(c, { fatal: true })] as const),
);

function unsupportedCharset(label: string): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'XML_CHARSET_UNSUPPORTED',
    `The XML declares the charset "${label}"; this line reads UTF-8 and windows-1251 only. ` +
      'Re-encode the message in UTF-8.',
  );
}

/** The canonical name of the charset the XML declaration names, or 'utf-8' when it names none. */
function declaredCharset(bytes: Uint8Array, hasBom: boolean): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw unsupportedCharset('UTF-16');
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  const declared = /^(?:\xef\xbb\xbf)?<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(head)?.[2];
  if (declared === undefined) return 'utf-8';
  let canonical: string;
  try {
    canonical = new TextDecoder(declared.trim()).encoding;
  } catch {
    throw unsupportedCharset(declared);
  }
  if (!SUPPORTED_CHARSETS.has(canonical)) throw unsupportedCharset(declared);
  if (hasBom && canonical !== 'utf-8') {
    throw new UnreadableDocumentError(
      'XML_ENCODING_INVALID',
      `The body starts with a UTF-8 byte-order mark but declares the charset "${declared}"; send one or the other.`,
    );
  }
  return canonical;
}

/**
 * The bytes of a body that declares UTF-8 (or nothing) and is valid UTF-8, without its byte-order mark
 * and without decoding them; null for any other body, which `decodeXmlBody` then decodes or refuses.
 * Throws XML_CHARSET_UNSUPPORTED / XML_ENCODING_INVALID for a declaration it would refuse too.
 */
export function validUtf8Bytes(body: Buffer): Buffer | null {
  const hasBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (declaredCharset(body, hasBom) !== 'utf-8') return null;
  const bytes = hasBom ? body.subarray(3) : body;
  return isUtf8(bytes) ? bytes : null;
}

/** Text of the body. A string is taken as already decoded; bytes are decoded by the declared charset. */
export function decodeXmlBody(body: Buffer | string): string {
  if (typeof body === 'string') return body;
  const hasBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  const charset = declaredCharset(body, hasBom);
  try {
    // The UTF-8 decoder drops a leading byte-order mark by itself.
    return (DECODERS.get(charset) as TextDecoder).decode(body);
  } catch {
    throw new UnreadableDocumentError(
      'XML_ENCODING_INVALID',
      `The body is not valid ${charset === 'utf-8' ? 'UTF-8' : charset}. Check the encoding the sender ` +
        'writes and the one its XML declaration names; they must agree.',
    );
  }
}

/** Where a piece parsed apart sits in its document, so that errors name the document's line and column. */
export interface PiecePosition {
  document: string;
  offset: number;
}

function malformed(error: unknown, at?: PiecePosition): UnreadableDocumentError {
  const message = error instanceof Error ? error.message : String(error);
  const sax = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(message);
  let where = '';
  if (sax) {
    const base = at ? positionOf(at.document, at.offset) : { line: 1, column: 1 };
    const line = Number(sax[2]);
    where = ` at line ${base.line + line}, column ${(line === 0 ? base.column - 1 : 0) + Number(sax[3])}`;
  }
  return new UnreadableDocumentError(
    'XML_MALFORMED',
    `The XML is not well-formed: ${sax ? sax[1] : message}${where}.`,
  );
}

/** Gives every object of the tree a null prototype. Recursion is bounded by the scan's maxDepth. */
function harden(el: Record<string, unknown>): void {
  Object.setPrototypeOf(el, null);
  for (const key in el) {
    const value = el[key];
    if (key === '$') Object.setPrototypeOf(value, null);
    else if (Array.isArray(value)) for (const child of value) harden(child);
  }
}

export type ElementParser = (text: string, at?: PiecePosition) => XmlElement;

/**
 * A parser for text that xml-scan.ts has already checked (a whole document, or one element cut out of
 * one), returning its root element. It reuses one xml2js Parser, which resets itself after every parse;
 * `async: false` makes xml2js call back before parseString returns.
 */
export function elementParser(): ElementParser {
  let parser = new Parser(XML2JS_OPTIONS);
  return (text, at) => {
    let outcome: { error: unknown; value: unknown } | undefined;
    try {
      parser.parseString(text, (error, value) => {
        outcome ??= { error, value };
      });
    } catch (error) {
      outcome ??= { error, value: undefined };
    }
    // A parse that failed can leave sax state behind (an error after the root closed, a half-read
    // tag): the next text gets a fresh parser, so it reads exactly as it would alone.
    if (outcome === undefined || outcome.error) parser = new Parser(XML2JS_OPTIONS);
    if (outcome === undefined) throw new Error('xml2js did not call back synchronously');
    if (outcome.error) throw malformed(outcome.error, at);
    // explicitRoot: the value is { rootName: rootElement }, and the scan let exactly one root through.
    const value = outcome.value as Record<string, unknown> | null;
    const root = value === null ? undefined : Object.values(value)[0];
    if (typeof root !== 'object' || root === null) {
      parser = new Parser(XML2JS_OPTIONS);
      throw malformed('the document has no root element', at);
    }
    harden(root as Record<string, unknown>);
    return root as XmlElement;
  };
}

/**
 * Decodes, checks and parses one XML document. Throws UnreadableDocumentError with XML_CHARSET_UNSUPPORTED,
 * XML_ENCODING_INVALID, XML_DOCTYPE_FORBIDDEN, XML_TOO_DEEP, XML_ATTRIBUTE_TOO_LONG or XML_MALFORMED, or
 * whatever `inspect` throws.
 */
export function parseXmlDocument(body: Buffer | string, opts: SafeXmlOptions = {}): XmlDocument {
  const text = decodeXmlBody(body);
  const limits: ScanLimits = {
    maxDepth: opts.maxDepth ?? DEFAULT_SCAN_LIMITS.maxDepth,
    maxAttributeChars: opts.maxAttributeChars ?? DEFAULT_SCAN_LIMITS.maxAttributeChars,
  };
  const outline = outlineXml(text, limits);
  opts.inspect?.(outline);
  const root = elementParser()(text);
  return { rootName: outline.rootName, root, rootChildCount: outline.rootChildCount };
}
