/**
 * XML in and out for the SEV OVV adapter, with xml2js 0.6.2. Reading is hardened the way the
 * gateway's 1207 intake is (DESIGN.md, xml2js pitfalls), without importing it (adapters depend on
 * nothing in `src` but domain types): a size cap, `<!DOCTYPE`/`<!ENTITY` refused before parsing,
 * sax in strict mode (only the five predefined entities and character references, nothing is
 * expanded), names that clash with Object.prototype or xml2js' own keys renamed to `_x_<name>`, and
 * every object of the tree given a null prototype. Writing goes through xml2js' Builder, after
 * dropping the characters XML 1.0 cannot carry.
 */
import { Builder, Parser, type ParserOptions } from 'xml2js';

/** An element: attributes under `$`, text under `_`, each child name mapped to an array of elements. */
export interface XmlElement {
  readonly $?: Readonly<Record<string, string>>;
  readonly _?: string;
  readonly [child: string]: readonly XmlElement[] | Readonly<Record<string, string>> | string | undefined;
}

export class XmlReadError extends Error {
  override readonly name = 'XmlReadError';
}

const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '_', '$', 'cdata']);
const safeName = (name: string): string => (RESERVED.has(name) ? `_x_${name}` : name);

const PARSER_OPTIONS: ParserOptions = {
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
  tagNameProcessors: [safeName],
  attrNameProcessors: [safeName],
};

/** Replies and feed pages larger than this are not read (attachments never come back this way). */
export const MAX_XML_CHARS = 16 * 1024 * 1024;
const MAX_DEPTH = 64;

/** Every object of the tree gets a null prototype; deeper than MAX_DEPTH is refused. */
function harden(root: Record<string, unknown>): void {
  const stack: [Record<string, unknown>, number][] = [[root, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [el, depth] = next;
    if (depth > MAX_DEPTH) throw new XmlReadError(`nesting deeper than ${MAX_DEPTH} levels`);
    Object.setPrototypeOf(el, null);
    for (const key of Object.keys(el)) {
      const value = el[key];
      if (key === '$') Object.setPrototypeOf(value, null);
      else if (Array.isArray(value)) for (const child of value) stack.push([child, depth + 1]);
    }
  }
}

/** Parses one document and returns its root's name and element. Throws XmlReadError. */
export function parseXml(text: string): { name: string; root: XmlElement } {
  if (text.length > MAX_XML_CHARS) throw new XmlReadError(`more than ${MAX_XML_CHARS} characters`);
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(text)) throw new XmlReadError('a DOCTYPE or ENTITY declaration');
  let outcome: { error: unknown; value: unknown } | undefined;
  try {
    new Parser(PARSER_OPTIONS).parseString(text, (error, value) => {
      outcome ??= { error, value };
    });
  } catch (error) {
    outcome ??= { error, value: undefined };
  }
  if (outcome === undefined) throw new XmlReadError('the parser did not answer');
  if (outcome.error) {
    const why = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    throw new XmlReadError(`not well-formed XML (${why.split('\n')[0]})`);
  }
  const value = outcome.value as Record<string, unknown> | null;
  const [name, root] = value === null ? [] : (Object.entries(value)[0] ?? []);
  if (name === undefined || typeof root !== 'object' || root === null)
    throw new XmlReadError('no root element');
  harden(root as Record<string, unknown>);
  return { name, root: root as XmlElement };
}

const CHARSET = /^(?:\xef\xbb\xbf)?<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/;

/** Bytes as text by the charset their XML declaration names (UTF-8 unless it says windows-1251). */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256)).toString('latin1');
  const declared = CHARSET.exec(head)?.[2]?.trim().toLowerCase();
  const charset = declared === 'windows-1251' || declared === 'cp1251' ? 'windows-1251' : 'utf-8';
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch {
    throw new XmlReadError(`not valid ${charset}`);
  }
}

export function elements(el: XmlElement, name: string): readonly XmlElement[] {
  const value = el[name];
  return Array.isArray(value) ? (value as readonly XmlElement[]) : [];
}

export const firstElement = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el === undefined ? undefined : elements(el, name)[0];

/** An attribute, trimmed; null when absent or blank. */
export function attr(el: XmlElement | undefined, name: string): string | null {
  const value = el?.$?.[name]?.trim();
  return value ? value : null;
}

/** The element's text, trimmed; null when empty. */
export function text(el: XmlElement | undefined): string | null {
  const value = el?._?.trim();
  return value ? value : null;
}

/** What xml2js' Builder takes: attributes under `$`, text under `_`, children by name. */
export type XmlTree = { [key: string]: XmlTree | XmlTree[] | Record<string, string> | string };

// Everything outside XML 1.0's Char production: control characters, U+FFFE/U+FFFF, lone surrogates.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text XML can carry: characters it cannot are dropped. */
export const xmlSafe = (value: string): string => value.replace(NOT_XML, '');

/** Attributes without the absent or empty ones, every value made XML-safe. */
export function attrs(values: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const safe = value == null ? '' : xmlSafe(value);
    if (safe !== '') out[key] = safe;
  }
  return out;
}

/** An element with attributes and text. */
export const textElement = (value: string, attributes: Record<string, string> = {}): XmlTree => ({
  _: xmlSafe(value),
  $: attributes,
});

/** A document: UTF-8 declaration, two-space indent, LF line ends. */
export function buildXml(rootName: string, root: XmlTree): string {
  const builder = new Builder({
    rootName,
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });
  return `${builder.buildObject(root)}\n`;
}
