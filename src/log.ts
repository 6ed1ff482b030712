import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout; personal data never goes into a log line.
 *
 * Lines are written asynchronously (sonic-boom, `sync: false`): a request does not wait for its
 * access-log line to reach the pipe, and lines logged while a write is in flight go out together in
 * the next one. Nothing waits for a buffer to fill, so an idle gateway's lines appear at once; pino
 * flushes what is pending synchronously when the process exits (also after an uncaught error).
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'appeal-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', '*.token'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
