/**
 * The citizen's files over HTTP, for a body (or the contact center) that works through the API:
 * `GET /appeals/:appealId/attachments/:attachmentId` answers the file as a download. A file is the
 * author's personal data (Law No. 2297-VI), so the rules of the author's fields apply: it is found only
 * through the principal's scoped EntityManager, given only to whom personal data is shown in clear,
 * and every download is audited before a byte leaves.
 */
import { create as contentDisposition } from 'content-disposition';
import type { Context, Hono } from 'hono';
import { filesInClear, MAX_PURPOSE_LENGTH, requestAccess } from '../access/request.js';
import { Attachment } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';
import { errorResponse } from './errors.js';
import { authenticate } from './middleware/authenticate.js';
import { type RateLimitOptions, rateLimit } from './middleware/rate-limit.js';
import { requireRole } from './middleware/require-role.js';
import type { PrincipalCache } from './principal-cache.js';

export interface AttachmentRouteOptions {
  orm: Orm;
  now: () => Date;
  /** Bearer tokens → principals, shared with the GraphQL route. */
  principals: PrincipalCache;
  /** Per-principal request budget for downloads; null: none. */
  rateLimit?: RateLimitOptions | null;
}

type Env = { Variables: { principal: RequestPrincipal } };

/** Where a client fetches one file (`Attachment.downloadPath` in GraphQL). */
export const attachmentDownloadPath = (appealId: string, attachmentId: string): string =>
  `/appeals/${appealId}/attachments/${attachmentId}`;

/**
 * What the audit entry of a download names: the content of that very file (the list of names is
 * `attachments`), so that an auditor can tell which of an appeal's files left and to whom.
 */
export const attachmentContentFields = (attachmentId: string) => [`attachments/${attachmentId}.content`];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Types a browser only displays, never runs. Anything else the author sent (HTML, SVG, XML, scripts)
 * goes out as application/octet-stream, so that no file can act in the origin of whoever opens it.
 */
const PASSIVE_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/rtf',
  'text/plain',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/tiff',
  'audio/mpeg',
  'audio/wav',
  'audio/ogg',
]);

/** The type to answer with: the stored one without parameters when passive, else octet-stream. */
export function responseContentType(stored: string): string {
  const essence = stored.split(';')[0]?.trim().toLowerCase() ?? '';
  return PASSIVE_TYPES.has(essence) ? essence : 'application/octet-stream';
}

/** The header value: no directories or control characters, Cyrillic kept through `filename*`. */
export function attachmentDisposition(fileName: string): string {
  // No directories, control characters or invisible format and direction marks (U+202E would show
  // "звіт\u202Efdp.exe" as "звітexe.pdf").
  const base = fileName.replace(/[\\/\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, '_').trim();
  return contentDisposition(base === '' ? 'attachment' : base, { type: 'attachment' });
}

export function mountAttachments(app: Hono<Env>, opts: AttachmentRouteOptions): void {
  app.get(
    attachmentDownloadPath(':appealId', ':attachmentId'),
    authenticate({ principals: opts.principals }),
    opts.rateLimit ? rateLimit(opts.rateLimit) : (_c, next) => next(),
    requireRole('admin', 'operator', 'auditor', 'agency'),
    (c) => download(c, opts),
  );
}

async function download(c: Context<Env>, opts: AttachmentRouteOptions): Promise<Response> {
  // Hono answers HEAD with this handler; its headers would carry the file's name, a read to audit,
  // while no content leaves: GET only.
  if (c.req.method !== 'GET') {
    c.header('Allow', 'GET');
    return errorResponse(c, 405, { code: 'METHOD_NOT_ALLOWED', message: 'download with GET' });
  }
  const purpose = (c.req.query('purpose') ?? '').trim();
  if ([...purpose].length > MAX_PURPOSE_LENGTH) {
    return errorResponse(c, 400, {
      code: 'PURPOSE_TOO_LONG',
      message: `purpose must be at most ${MAX_PURPOSE_LENGTH} characters`,
      field: 'purpose',
    });
  }
  const appealId = (c.req.param('appealId') ?? '').toLowerCase();
  const attachmentId = (c.req.param('attachmentId') ?? '').toLowerCase();
  // A malformed id names no file; on PostgreSQL it would not even reach the uuid column.
  if (!UUID.test(appealId) || !UUID.test(attachmentId)) return notFound(c);

  const access = requestAccess(opts.orm, c.get('principal'), opts.now);
  // Through the scoped EntityManager: a body finds only files of its own appeals, so a foreign file
  // and a missing one answer alike.
  const file = await access.em.findOne(
    Attachment,
    { id: attachmentId, appeal: appealId },
    { populate: ['appeal.applicant'] },
  );
  if (!file) return notFound(c);

  const personal = await access.personalData(appealId);
  if (!filesInClear(personal, file.appeal.applicant?.nonDisclosure ?? false)) {
    return errorResponse(c, 403, {
      code: 'PERSONAL_DATA_MASKED',
      message:
        'the attachments of this appeal are personal data this principal sees masked; only the contact ' +
        'center, the responsible body and co-executors (not when the author asked for non-disclosure) may download them',
    });
  }
  const bytes = await file.content.load();
  if (!bytes) throw new Error(`attachment ${attachmentId} has no content`);
  // Written before anything leaves; if it fails, the error handler answers 500 and nothing does.
  await access.auditRead(appealId, attachmentContentFields(attachmentId), purpose || personal.purpose);

  c.header('Content-Type', responseContentType(file.mimeType));
  c.header('Content-Disposition', attachmentDisposition(file.fileName));
  c.header('Content-Length', String(bytes.byteLength));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'no-store');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  return c.body(new Uint8Array(bytes), 200);
}

const notFound = (c: Context) =>
  errorResponse(c, 404, { code: 'NOT_FOUND', message: 'no such attachment on this appeal' });
