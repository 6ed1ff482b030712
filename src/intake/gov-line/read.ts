/**
 * Reader for the Government hotline 1545: SEV OVV "1207" v1.5 XML pushed (or pulled) from the
 * Government Contact Center. A document is one `<Header>` message or an `<AppealBatch>` of them
 * (schema/gov-line/appeal-batch.xsd); each Header becomes one ReadOutcome, indexed in document order.
 *
 * One linear scan checks the whole document and finds the Headers (split-batch.ts); then each Header
 * is parsed once, on its own, and mapped at once. Small trees that die young keep the garbage
 * collector cheap: measured faster than one tree of the whole batch, and memory stays flat.
 * A Header that cannot be read is rejected alone — in a batch even one that is not well-formed XML
 * (the scan has already proved the batch's own structure); a document that cannot be read at all
 * throws UnreadableDocumentError. Everything is synchronous.
 */
import { INTAKE_LIMITS, type ReadOutcome, UnreadableDocumentError } from '../types.js';
import { ItemError } from './fields.js';
import { mapHeader } from './map-header.js';
import { decodeXmlBody, type ElementParser, elementParser, validUtf8Bytes } from './safe-xml.js';
import { BATCH_ROOT, layoutBatch, MESSAGE_ROOT } from './split-batch.js';
import { attribute, firstElement, type XmlElement } from './xml-node.js';
import { DEFAULT_SCAN_LIMITS } from './xml-scan.js';

/** One Header element → its outcome. Never throws: whatever goes wrong becomes this item's rejection. */
export function readGovLineHeader(
  header: XmlElement,
  index: number,
  origin: Record<string, string> = {},
): ReadOutcome {
  try {
    return { ok: true, index, item: mapHeader(header, { ...origin }) };
  } catch (error) {
    const doc = firstElement(header, 'Document');
    const externalId = (doc && attribute(doc, 'idnumber')?.trim()) || null;
    if (error instanceof ItemError) {
      return {
        ok: false,
        rejection: { index, externalId, path: error.path, code: error.code, message: error.message },
      };
    }
    const why = error instanceof Error ? error.message : String(error);
    const message = `The message could not be read (${why}); report this to the gateway team.`;
    return {
      ok: false,
      rejection: { index, externalId, path: MESSAGE_ROOT, code: 'INTERNAL_READ_ERROR', message },
    };
  }
}

/** The attributes of a start tag, read by parsing the tag alone as an empty element. */
function tagAttributes(
  tag: string,
  parse: ReturnType<typeof elementParser>,
): Readonly<Record<string, string>> {
  const empty = tag.endsWith('/>') ? tag : `${tag.slice(0, -1)}/>`;
  return parse(empty).$ ?? {};
}

/** What every message of a batch inherits from the AppealBatch's attributes: its `batch_id`. */
function batchOrigin(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const batchId = attributes.batch_id?.trim();
  return batchId ? { batch_id: batchId } : {};
}

/** A decoded, scanned document: its Header elements' positions and what the batch says of itself. */
export interface GovLineLayout {
  text: string;
  isBatch: boolean;
  origin: Record<string, string>;
  /** All attributes of the AppealBatch start tag (such as a feed page's `cursor`); none for a lone Header. */
  batchAttributes: Readonly<Record<string, string>>;
  headers: { start: number; end: number }[];
}

/**
 * Decodes and scans a 1207 document once (bytes are decoded by their XML declaration).
 * Throws UnreadableDocumentError: XML_CHARSET_UNSUPPORTED, XML_ENCODING_INVALID, XML_DOCTYPE_FORBIDDEN,
 * XML_TOO_DEEP, XML_ATTRIBUTE_TOO_LONG, XML_MALFORMED, XML_WRONG_ROOT, BATCH_TOO_LARGE, BATCH_UNEXPECTED_ELEMENT.
 */
export function layoutGovLineDocument(body: Buffer | string): GovLineLayout {
  const text = decodeXmlBody(body);
  const layout = layoutBatch(text);
  const isBatch = layout.rootName === BATCH_ROOT;
  const batchAttributes = isBatch ? tagAttributes(layout.rootTag, elementParser()) : {};
  const origin = batchOrigin(batchAttributes);
  return { text, isBatch, origin, batchAttributes, headers: layout.headers };
}

/** A UTF-8 batch scanned as bytes: its Headers' byte ranges in `bytes`. */
export interface Utf8Layout {
  bytes: Buffer;
  origin: Record<string, string>;
  headers: { start: number; end: number }[];
}

/**
 * The layout of a UTF-8 `<AppealBatch>` found in its bytes, without decoding the document on this
 * thread: the scan runs over a Latin-1 view, in which every byte is one character, so offsets are byte
 * offsets. That is sound because all markup the scan looks at is ASCII, and in UTF-8 no byte of a
 * multi-byte character is ASCII. The view can only be stricter than the text (a character of several
 * bytes counts them all towards the attribute limit; the continuation byte 0xA0 reads as white space,
 * but its lead byte does not), so when it refuses, or the body is not a UTF-8 batch, the answer is null
 * and the caller takes the text path, which gives the exact verdict and message.
 *
 * `onHeaders` sees the Headers found so far, with the batch's origin, while the scan goes on; they may
 * still belong to a document that is refused in the end (null), so nothing may be stored before.
 */
export function layoutUtf8Batch(
  body: Buffer,
  onHeaders?: (bytes: Buffer, headers: Utf8Layout['headers'], origin: Record<string, string>) => void,
): Utf8Layout | null {
  const bytes = validUtf8Bytes(body);
  if (!bytes) return null;
  let origin: Record<string, string> | undefined;
  const originOf = (rootTag: string) => {
    origin ??= batchOrigin(tagAttributes(Buffer.from(rootTag, 'latin1').toString('utf8'), elementParser()));
    return origin;
  };
  let layout: ReturnType<typeof layoutBatch>;
  try {
    layout = layoutBatch(
      bytes.toString('latin1'),
      DEFAULT_SCAN_LIMITS,
      INTAKE_LIMITS.maxItemsPerBatch,
      (so) => onHeaders?.(bytes, so.headers, originOf(so.rootTag)),
    );
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return null;
    throw error;
  }
  if (layout.rootName !== BATCH_ROOT) return null;
  return { bytes, origin: originOf(layout.rootTag), headers: layout.headers };
}

/**
 * Parses and maps one Header's text. In a batch, a message that is not well-formed is that message's
 * rejection (the scan has proved the batch's own structure); a lone message that is not throws.
 */
export function readHeaderText(
  parse: ElementParser,
  text: string,
  index: number,
  context: { inBatch: boolean; origin: Record<string, string>; at?: { document: string; offset: number } },
): ReadOutcome {
  let header: XmlElement;
  try {
    header = parse(text, context.at);
  } catch (error) {
    if (!context.inBatch || !(error instanceof UnreadableDocumentError)) throw error;
    return {
      ok: false,
      rejection: { index, externalId: null, path: MESSAGE_ROOT, code: error.code, message: error.message },
    };
  }
  return readGovLineHeader(header, index, context.origin);
}

/** Reads every Header of a laid-out document on this thread. */
export function readLayout(layout: GovLineLayout): ReadOutcome[] {
  const parse = elementParser();
  const { text, isBatch: inBatch, origin } = layout;
  return layout.headers.map(({ start, end }, i) =>
    readHeaderText(parse, text.slice(start, end), i, {
      inBatch,
      origin,
      at: { document: text, offset: start },
    }),
  );
}

export function readGovLineDocument(body: Buffer | string): ReadOutcome[] {
  return readLayout(layoutGovLineDocument(body));
}
