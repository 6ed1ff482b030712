/**
 * 1207 `Document/DocTransfer` → IntakeAttachment. The element's text is the file in base64;
 * `@type` is the file type (an extension such as "pdf", or a MIME type), `@description` its name.
 */
import { INTAKE_LIMITS, type IntakeAttachment } from '../types.js';
import { fail } from './fields.js';
import { attribute, elements, textOf, type XmlElement } from './xml-node.js';

const MIME_TYPES: ReadonlyMap<string, string> = new Map([
  ['pdf', 'application/pdf'],
  ['doc', 'application/msword'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xls', 'application/vnd.ms-excel'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['odt', 'application/vnd.oasis.opendocument.text'],
  ['rtf', 'application/rtf'],
  ['txt', 'text/plain'],
  ['xml', 'application/xml'],
  ['html', 'text/html'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['png', 'image/png'],
  ['gif', 'image/gif'],
  ['tif', 'image/tiff'],
  ['tiff', 'image/tiff'],
  ['mp3', 'audio/mpeg'],
  ['wav', 'audio/wav'],
  ['ogg', 'audio/ogg'],
  ['zip', 'application/zip'],
  ['p7s', 'application/pkcs7-signature'],
]);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MIME_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;

function typeOf(type: string): { ext: string | null; mimeType: string } {
  const t = type.trim().toLowerCase().replace(/^\./, '');
  if (MIME_TYPE.test(t)) return { ext: null, mimeType: t };
  return {
    ext: /^[a-z0-9]{1,8}$/.test(t) ? t : null,
    mimeType: MIME_TYPES.get(t) ?? 'application/octet-stream',
  };
}

/** A name safe to put in a path or a header: no directories, no control characters. */
function fileNameOf(description: string | undefined, ext: string | null, index: number): string {
  const base = (description ?? '')
    .replace(/[\\/\p{Cc}]+/gu, '_')
    .trim()
    .slice(0, 255);
  const name = base === '' ? `attachment-${index + 1}` : base;
  return ext !== null && !name.toLowerCase().endsWith(`.${ext}`) ? `${name}.${ext}` : name;
}

function decode(el: XmlElement, path: string): Buffer {
  const encoded = textOf(el).replace(/\s+/g, '');
  if (encoded === '')
    fail('ATTACHMENT_INVALID', path, `${path} holds no content; attach the file in base64.`);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    fail('ATTACHMENT_INVALID', path, `${path} is not valid base64; re-encode the file and resend.`);
  }
  const bytes = (encoded.length / 4) * 3 - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
  if (bytes > INTAKE_LIMITS.maxAttachmentBytes) {
    fail(
      'ATTACHMENT_TOO_LARGE',
      path,
      `${path} is ${bytes} bytes; at most ${INTAKE_LIMITS.maxAttachmentBytes} are accepted per file.`,
    );
  }
  return Buffer.from(encoded, 'base64');
}

/** The attachments of `Document` at `path` (`Header.Document`). */
export function readAttachments(doc: XmlElement, path: string): IntakeAttachment[] {
  const transfers = elements(doc, 'DocTransfer');
  if (transfers.length > INTAKE_LIMITS.maxAttachmentsPerAppeal) {
    fail(
      'TOO_MANY_ATTACHMENTS',
      `${path}.DocTransfer`,
      `${path}.DocTransfer holds ${transfers.length} files; at most ${INTAKE_LIMITS.maxAttachmentsPerAppeal} are accepted.`,
    );
  }
  return transfers.map((el, i) => {
    const p = `${path}.DocTransfer[${i}]`;
    const content = decode(el, p);
    const { ext, mimeType } = typeOf(attribute(el, 'type') ?? '');
    return { fileName: fileNameOf(attribute(el, 'description'), ext, i), mimeType, content };
  });
}
