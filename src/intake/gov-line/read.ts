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
import { type ReadOutcome, UnreadableDocumentError } from '../types.js';
import { ItemError } from './fields.js';
import { mapHeader } from './map-header.js';
import { decodeXmlBody, elementParser } from './safe-xml.js';
import { BATCH_ROOT, layoutBatch, MESSAGE_ROOT } from './split-batch.js';
import { attribute, firstElement, type XmlElement } from './xml-node.js';

export { splitBatch } from './split-batch.js';

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

/** `batch_id` of the AppealBatch start tag, read by parsing the tag alone as an empty element. */
function batchOrigin(rootTag: string, parse: ReturnType<typeof elementParser>): Record<string, string> {
  const empty = rootTag.endsWith('/>') ? rootTag : `${rootTag.slice(0, -1)}/>`;
  const batchId = attribute(parse(empty), 'batch_id')?.trim();
  return batchId ? { batch_id: batchId } : {};
}

/**
 * Reads a 1207 document: bytes (decoded by their XML declaration) or an already decoded string.
 * Throws UnreadableDocumentError: XML_CHARSET_UNSUPPORTED, XML_ENCODING_INVALID, XML_DOCTYPE_FORBIDDEN,
 * XML_TOO_DEEP, XML_ATTRIBUTE_TOO_LONG, XML_MALFORMED, XML_WRONG_ROOT, BATCH_TOO_LARGE, BATCH_UNEXPECTED_ELEMENT.
 */
export function readGovLineDocument(body: Buffer | string): ReadOutcome[] {
  const text = decodeXmlBody(body);
  const layout = layoutBatch(text);
  const parse = elementParser();
  const origin = layout.rootName === BATCH_ROOT ? batchOrigin(layout.rootTag, parse) : {};
  const isBatch = layout.rootName === BATCH_ROOT;
  return layout.headers.map(({ start, end }, i) => {
    let header: XmlElement;
    try {
      header = parse(text.slice(start, end), { document: text, offset: start });
    } catch (error) {
      // In a batch, one broken message is that message's rejection: the others are still readable.
      if (!isBatch || !(error instanceof UnreadableDocumentError)) throw error;
      return {
        ok: false,
        rejection: {
          index: i,
          externalId: null,
          path: MESSAGE_ROOT,
          code: error.code,
          message: error.message,
        },
      };
    }
    return readGovLineHeader(header, i, origin);
  });
}
