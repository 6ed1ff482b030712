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
