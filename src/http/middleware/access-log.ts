import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../log.js';
import { sentStatus } from '../graphql-route.js';

export interface AccessLogOptions {
  log: Logger;
}

/** One JSON line per request: method, path, status, duration and the request id (never the query). */
export function accessLog({ log }: AccessLogOptions): MiddlewareHandler {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const status = sentStatus(c);
    const line = {
      reqId: c.get('requestId' as never) as string | undefined,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
