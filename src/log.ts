import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON lines on stdout; personal data never goes into a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'appeal-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.token'], censor: '[redacted]' },
  });
}

/** Access-log lines past this many bytes waiting for stdout are dropped, not buffered without end. */
const ACCESS_LOG_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * The access log: one line per HTTP request (request id, method, path, status, duration; never a
 * query, a body or a header), on stdout beside the application log. Its lines are written
 * asynchronously: a request does not wait for its line to reach the pipe, and lines logged while a
 * write is in flight go out together in the next one (measured: writing each line synchronously was
 * a large part of what the gateway's GraphQL route costs over plain Yoga). Nothing waits for a
 * buffer to fill, so lines appear at once on an idle gateway; pending lines are flushed when the
 * process exits, and only a hard crash (SIGKILL, out of memory) can lose the last few. The
 * application log (errors, jobs, shutdown) stays synchronous, so none of it is ever lost that way.
 */
export function createAccessLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'appeal-gateway', log: 'access' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: 1, sync: false, maxLength: ACCESS_LOG_BUFFER_BYTES }),
  );
}
