/**
 * A linear scanner over the markup of an XML text, run BEFORE xml2js sees it. It does not build
 * anything: it jumps from `<` to `<` with indexOf, skips comments, CDATA sections and processing
 * instructions whole, and walks quoted attribute values with indexOf too, so it costs a fraction of
 * a parse. It enforces what sax does not: no DTD (`<!DOCTYPE`, `<!ENTITY`, any other `<!` declaration),
 * a nesting bound, an attribute-value bound, one root element (closed by its own name) and nothing but
 * markup around it, and the XML declaration only at the very start. Everything else about
 * well-formedness (matching names of inner tags, attribute syntax, entities) is left to sax, which
 * reports it with a line and column; readers that parse pieces of a document apart rely on this scan
 * for the document as a whole.
 */
import { UnreadableDocumentError } from '../types.js';

export interface ScanLimits {
  /** Deepest element nesting allowed; the root element is at depth 1. */
  maxDepth: number;
  /** Longest attribute value allowed, in characters of the raw text. */
  maxAttributeChars: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxDepth: 64, maxAttributeChars: 64 * 1024 };

/** One element tag as the scanner saw it. The object is reused between calls: copy what you keep. */
export interface ScannedTag {
  kind: 'open' | 'close' | 'empty';
  /** Depth of the element the tag belongs to: 1 for the root. */
  depth: number;
  /** Offset of the `<`. */
  start: number;
  /** Offset just past the `>`. */
  end: number;
  /** Offset just past the element name (the name begins at start + 1, or start + 2 for a close tag). */
  nameEnd: number;
}

export function tagName(text: string, tag: ScannedTag): string {
  return text.slice(tag.start + (tag.kind === 'close' ? 2 : 1), tag.nameEnd);
}

export interface ScanVisitor {
  tag(tag: ScannedTag): void;
  /** Character data between `start` and `end` (text, or a whole CDATA section) inside an element at `depth`. */
  text?(start: number, end: number, depth: number): void;
}

/** 1-based line and column of `offset`; counted only when an error is reported. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function lineAndColumn(text: string, offset: number): string {
  const { line, column } = positionOf(text, offset);
  return `line ${line}, column ${column}`;
}

function malformed(text: string, offset: number, what: string): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'XML_MALFORMED',
    `The XML is not well-formed: ${what} at ${lineAndColumn(text, offset)}.`,
  );
}

function declarationError(text: string, offset: number): UnreadableDocumentError {
  const what = /^<!\s*([A-Za-z]*)/.exec(text.slice(offset, offset + 20))?.[1] ?? '';
  return new UnreadableDocumentError(
    'XML_DOCTYPE_FORBIDDEN',
    `The document carries a <!${what || '…'}> declaration at ${lineAndColumn(text, offset)}; DTDs and ` +
      'entity declarations are refused on this line. Send the 1207 message without a DOCTYPE.',
  );
}

const isNameEnd = (c: number): boolean =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;

/** Offset just past the `>` of the start tag at `lt`; checks attribute-value lengths on the way. */
function endOfStartTag(text: string, lt: number, limits: ScanLimits, tag: ScannedTag): number {
  let j = lt + 1;
  while (j < text.length && !isNameEnd(text.charCodeAt(j))) j++;
  tag.nameEnd = j;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x3e) return j + 1;
    if (c === 0x3c) throw malformed(text, j, "a '<' inside a tag");
    if (c === 0x22 || c === 0x27) {
      const close = text.indexOf(c === 0x22 ? '"' : "'", j + 1);
      if (close === -1) throw malformed(text, j, 'an attribute value that never ends');
      if (close - j - 1 > limits.maxAttributeChars) {
        throw new UnreadableDocumentError(
          'XML_ATTRIBUTE_TOO_LONG',
          `An attribute value at ${lineAndColumn(text, j)} is ${close - j - 1} characters long; at most ` +
            `${limits.maxAttributeChars} are accepted. Send large content as element text (e.g. DocTransfer).`,
        );
      }
      j = close;
    }
  }
  throw malformed(text, lt, 'a tag that never ends');
}

/** Offset just past the comment, CDATA section or processing instruction at `lt`, or -1 if it is none. */
function endOfSkippable(text: string, lt: number, depth: number, begin: number): number {
  const next = text.charCodeAt(lt + 1);
  let terminator: string;
  if (next === 0x3f) {
    // After `<?xml`, white space or `?` makes an XML declaration; so does any other non-ASCII
    // character (a target beginning with "xml" is reserved anyway), which keeps the verdict the same
    // when the text is scanned as UTF-8 bytes, where a non-ASCII space is a lead byte (see read.ts).
    if (lt !== begin && /^<\?xml[\s?\u0080-\uffff]/.test(text.slice(lt, lt + 6))) {
      throw malformed(text, lt, 'an XML declaration that is not at the very start');
    }
    terminator = '?>';
  } else if (text.startsWith('<!--', lt)) terminator = '-->';
  else if (text.startsWith('<![CDATA[', lt)) {
    if (depth === 0) throw malformed(text, lt, 'a CDATA section outside the root element');
    terminator = ']]>';
  } else if (next === 0x21) throw declarationError(text, lt);
  else return -1;
  const end = text.indexOf(terminator, lt + 2);
  if (end === -1)
    throw malformed(text, lt, `a '${text.slice(lt, lt + 4)}…' that never ends with '${terminator}'`);
  return end + terminator.length;
}

/**
 * Walks every element tag of `text` in document order and hands it to `visitor.tag`. Throws
 * UnreadableDocumentError with XML_DOCTYPE_FORBIDDEN, XML_TOO_DEEP, XML_ATTRIBUTE_TOO_LONG or
 * XML_MALFORMED (no root, text or a second element outside the root, unterminated markup).
 */
export function scanXml(text: string, visitor: ScanVisitor, limits: ScanLimits = DEFAULT_SCAN_LIMITS): void {
  const tag: ScannedTag = { kind: 'open', depth: 0, start: 0, end: 0, nameEnd: 0 };
  let depth = 0;
  let rootName: string | null = null;
  let rootDone = false;
  const begin = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = begin; ; ) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? text.length : lt;
    if (depth === 0 && /\S/.test(text.slice(i, textEnd))) {
      throw malformed(text, i + (/\S/.exec(text.slice(i))?.index ?? 0), 'text outside the root element');
    }
    if (depth > 0 && i < textEnd) visitor.text?.(i, textEnd, depth);
    if (lt === -1) break;
    const skipped = endOfSkippable(text, lt, depth, begin);
    if (skipped !== -1) {
      if (depth > 0 && text.charCodeAt(lt + 2) === 0x5b) visitor.text?.(lt, skipped, depth);
      i = skipped;
      continue;
    }
    tag.start = lt;
    if (text.charCodeAt(lt + 1) === 0x2f) {
      const gt = text.indexOf('>', lt + 2);
      if (gt === -1) throw malformed(text, lt, 'a close tag that never ends');
      if (depth === 0) throw malformed(text, lt, 'a close tag without an open one');
      tag.kind = 'close';
      tag.depth = depth--;
      tag.end = gt + 1;
      let n = lt + 2;
      while (n < gt && !isNameEnd(text.charCodeAt(n))) n++;
      tag.nameEnd = n;
      if (depth === 0) {
        if (text.slice(lt + 2, n) !== rootName)
          throw malformed(text, lt, `a close tag that does not match <${rootName}>`);
        rootDone = true;
      }
    } else {
      if (rootDone) throw malformed(text, lt, 'a second element after the root element');
      tag.end = endOfStartTag(text, lt, limits, tag);
      tag.kind = text.charCodeAt(tag.end - 2) === 0x2f ? 'empty' : 'open';
      tag.depth = depth + 1;
      if (tag.depth > limits.maxDepth) {
        throw new UnreadableDocumentError(
          'XML_TOO_DEEP',
          `Elements are nested deeper than ${limits.maxDepth} levels at ${lineAndColumn(text, lt)}; ` +
            'a 1207 message needs fewer than ten.',
        );
      }
      if (depth === 0) rootName = text.slice(lt + 1, tag.nameEnd);
      if (tag.kind === 'open') depth++;
      else if (depth === 0) rootDone = true;
    }
    visitor.tag(tag);
    i = tag.end;
  }
  if (!rootDone) throw malformed(text, text.length, depth === 0 ? 'no root element' : 'an unclosed element');
}

export interface XmlOutline {
  rootName: string;
  /** Elements directly inside the root. */
  rootChildCount: number;
}

/** The root's name and how many elements it holds, from one scan. */
export function outlineXml(text: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): XmlOutline {
  const outline: XmlOutline = { rootName: '', rootChildCount: 0 };
  const tag = (t: ScannedTag) => {
    if (t.depth === 1 && t.kind !== 'close') outline.rootName = tagName(text, t);
    else if (t.depth === 2 && t.kind !== 'close') outline.rootChildCount++;
  };
  scanXml(text, { tag }, limits);
  return outline;
}
