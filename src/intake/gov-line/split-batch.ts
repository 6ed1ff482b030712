/**
 * Cuts an `<AppealBatch>` into the raw text of each `<Header>` without building a tree, so that each
 * Header is parsed on its own (on this thread, one small tree at a time, or in worker threads). One
 * linear scan; comments, CDATA sections and processing instructions are skipped whole, so a
 * `</Header>` inside them does not end a Header. Each piece is a complete document on its own: 1207
 * uses no namespaces and, with DTDs refused, no entities beyond the predefined five.
 */
import { INTAKE_LIMITS, UnreadableDocumentError } from '../types.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits, type ScannedTag, scanXml, tagName } from './xml-scan.js';

export const BATCH_ROOT = 'AppealBatch';
export const MESSAGE_ROOT = 'Header';

export function wrongRoot(name: string): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'XML_WRONG_ROOT',
    `The root element is <${name}>; the Government hotline line accepts a 1207 <${MESSAGE_ROOT}> or an ` +
      `<${BATCH_ROOT}> of them.`,
    name,
  );
}

export function unexpectedInBatch(name: string): UnreadableDocumentError {
  const what = name === '#text' ? 'text' : `<${name}>`;
  return new UnreadableDocumentError(
    'BATCH_UNEXPECTED_ELEMENT',
    `<${BATCH_ROOT}> may hold only <${MESSAGE_ROOT}> elements, but holds ${what}. Remove it and resend the batch.`,
    `${BATCH_ROOT}.${name}`,
  );
}

function tooLarge(): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'BATCH_TOO_LARGE',
    `The batch holds more than ${INTAKE_LIMITS.maxItemsPerBatch} messages, the most accepted in one request. ` +
      'Split it and resend.',
    BATCH_ROOT,
  );
}

export interface BatchLayout {
  /** 'Header' for a single message, 'AppealBatch' for a batch. */
  rootName: string;
  /** The root's start tag as written, e.g. `<AppealBatch batch_id="7">`. */
  rootTag: string;
  /** Where each Header element starts and ends (end exclusive), in document order. */
  headers: { start: number; end: number }[];
}

/**
 * Where the Headers of a 1207 document are: each Header of an AppealBatch, or the root itself when it
 * is a single Header. Throws XML_WRONG_ROOT, BATCH_UNEXPECTED_ELEMENT (an element other than Header, or
 * text, inside the batch), BATCH_TOO_LARGE (past `maxHeaders`, before scanning further) and the
 * scanner's XML_DOCTYPE_FORBIDDEN, XML_TOO_DEEP, XML_ATTRIBUTE_TOO_LONG, XML_MALFORMED.
 */
export function layoutBatch(
  text: string,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  maxHeaders: number = INTAKE_LIMITS.maxItemsPerBatch,
  /** Called with the layout so far as each Header of a batch is found: work may start before the scan ends. */
  onHeader?: (layout: Readonly<BatchLayout>) => void,
): BatchLayout {
  const layout: BatchLayout = { rootName: '', rootTag: '', headers: [] };
  let headerStart = -1;
  const tag = (t: ScannedTag) => {
    if (t.depth === 1) {
      if (t.kind === 'close') {
        if (layout.rootName === MESSAGE_ROOT) layout.headers.push({ start: headerStart, end: t.end });
        return;
      }
      layout.rootName = tagName(text, t);
      layout.rootTag = text.slice(t.start, t.end);
      if (layout.rootName !== BATCH_ROOT && layout.rootName !== MESSAGE_ROOT)
        throw wrongRoot(layout.rootName);
      headerStart = t.start;
      if (t.kind === 'empty' && layout.rootName === MESSAGE_ROOT)
        layout.headers.push({ start: t.start, end: t.end });
    } else if (t.depth === 2 && layout.rootName === BATCH_ROOT) {
      if (t.kind !== 'close' && tagName(text, t) !== MESSAGE_ROOT) throw unexpectedInBatch(tagName(text, t));
      if (t.kind === 'open') headerStart = t.start;
      else {
        layout.headers.push({ start: t.kind === 'empty' ? t.start : headerStart, end: t.end });
        if (layout.headers.length > maxHeaders) throw tooLarge();
        onHeader?.(layout);
      }
    }
  };
  const onText = (start: number, end: number, depth: number) => {
    if (depth === 1 && layout.rootName === BATCH_ROOT && /\S/.test(text.slice(start, end))) {
      throw unexpectedInBatch('#text');
    }
  };
  scanXml(text, { tag, text: onText }, limits);
  return layout;
}
