/**
 * Reading and writing the XML of Trembita SOAP messages with xml2js 0.6.2.
 *
 * Reading is namespace-aware (a security server may choose other prefixes than ours) and hardened:
 * the body is capped, a `<!DOCTYPE` is refused before sax sees it (strict sax then knows only the five
 * predefined entities, so nothing is ever expanded), and the xml2js tree is copied into plain `XNode`s
 * whose children are arrays and whose attributes live in a Map — no element or attribute name ever
 * becomes a property key downstream, so `__proto__` and friends are just names.
 */
import { Builder, Parser, type ParserOptions } from 'xml2js';

export interface XNode {
  /** Namespace URI ('' when none). */
  readonly ns: string;
  /** Local name. */
  readonly name: string;
  /** Attributes by `{uri}local` (plain `local` when unqualified). */
  readonly attrs: ReadonlyMap<string, string>;
  /** The element's own text, concatenated. */
  readonly text: string;
  readonly children: readonly XNode[];
}

export class XmlReadError extends Error {}

const MAX_DEPTH = 64;

/** Names xml2js would assign onto its own objects; renamed for the parse only (`$ns.local` keeps the real one). */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '_', '$', '$ns']);
const safeKey = (name: string): string => (RESERVED.has(name) ? `_x_${name}` : name);

const PARSER_OPTIONS: ParserOptions = {
  strict: true,
  async: false,
  xmlns: true,
  explicitRoot: true,
  explicitArray: true,
  explicitCharkey: true,
  trim: false,
  normalize: false,
  normalizeTags: false,
  charkey: '_',
  attrkey: '$',
  tagNameProcessors: [safeKey],
  attrNameProcessors: [safeKey],
};

interface RawAttr {
  value: string;
  local: string;
  uri: string;
}

function convert(raw: Record<string, unknown>, depth: number): XNode {
  if (depth > MAX_DEPTH) throw new XmlReadError(`elements nest deeper than ${MAX_DEPTH} levels`);
  const ns = raw.$ns as { uri: string; local: string };
  const attrs = new Map<string, string>();
  const rawAttrs = (raw.$ ?? {}) as Record<string, RawAttr>;
  for (const key of Object.keys(rawAttrs)) {
    const a = rawAttrs[key] as RawAttr;
    if (a.uri === 'http://www.w3.org/2000/xmlns/') continue;
    attrs.set(a.uri ? `{${a.uri}}${a.local}` : a.local, a.value);
  }
  const children: XNode[] = [];
  for (const key of Object.keys(raw)) {
    if (key === '$' || key === '_' || key === '$ns') continue;
    for (const child of raw[key] as Record<string, unknown>[]) children.push(convert(child, depth + 1));
  }
  const text = typeof raw._ === 'string' ? raw._ : '';
  return { ns: ns.uri, name: ns.local, attrs, text, children };
}

/** Parses one document (UTF-8 bytes or text). Throws XmlReadError with a short reason. */
export function parseXml(body: Uint8Array | string, maxBytes: number): XNode {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > maxBytes) throw new XmlReadError(`the message is larger than ${maxBytes} bytes`);
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new XmlReadError('the message is not valid UTF-8');
  }
  if (/<!DOCTYPE/i.test(text)) throw new XmlReadError('a document type declaration (<!DOCTYPE) is refused');
  let outcome: { error: unknown; value: unknown } | undefined;
  try {
    new Parser(PARSER_OPTIONS).parseString(text, (error, value) => {
      outcome ??= { error, value };
    });
  } catch (error) {
    outcome ??= { error, value: undefined };
  }
  if (outcome?.error) {
    const why = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    throw new XmlReadError(`the XML is not well-formed: ${why.split('\n')[0]}`);
  }
  const value = outcome?.value as Record<string, unknown> | null | undefined;
  const root = value ? Object.values(value)[0] : undefined;
  if (typeof root !== 'object' || root === null) throw new XmlReadError('the message has no root element');
  return convert(root as Record<string, unknown>, 0);
}

export function childrenOf(el: XNode, ns: string, name: string): XNode[] {
  return el.children.filter((c) => c.ns === ns && c.name === name);
}

export function childOf(el: XNode, ns: string, name: string): XNode | undefined {
  return el.children.find((c) => c.ns === ns && c.name === name);
}

/** Text of a child element, or null when the element is absent. */
export function textOf(el: XNode, ns: string, name: string): string | null {
  const c = childOf(el, ns, name);
  return c ? c.text : null;
}

// XML 1.0 cannot carry these at all (xmlbuilder throws on them): control characters and lone surrogates.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe to put into XML: characters XML 1.0 cannot carry become U+FFFD. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

const BUILDER = new Builder({
  xmldec: { version: '1.0', encoding: 'UTF-8' },
  renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  headless: false,
});

/** Renders an xml2js object tree (`$` attributes, `_` text) as a UTF-8 document with a declaration. */
export function buildXml(tree: Record<string, unknown>): string {
  return `${BUILDER.buildObject(tree)}\n`;
}
