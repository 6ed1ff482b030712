import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../log.js';

/** The one error body every route answers with: a stable code and a message a person can act on. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

export function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody): Response {
  return c.json(body, status);
}

export function onError(log: Logger) {
  return function handleError(err: Error, c: Context): Response {
    if (err instanceof HTTPException) {
      return errorResponse(c, err.status as ContentfulStatusCode, {
        code: 'HTTP_ERROR',
        message: err.message,
      });
    }
    if (err instanceof DomainError) {
      return errorResponse(c, 400, {
        code: err.code,
        message: err.message,
        ...(err.path ? { field: err.path } : {}),
      });
    }
    log.error({ err, path: c.req.path }, 'unhandled error');
    return errorResponse(c, 500, { code: 'INTERNAL_ERROR', message: 'internal error; see the gateway log' });
  };
}
