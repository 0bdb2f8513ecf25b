import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED_PATHS, serializeError } from './log-redaction';
import { prettyDestination } from './pretty-log';

export type { Logger };

/**
 * pino JSON logs; readable lines only when a person watches a terminal. Credentials and query
 * parameters are removed in every path (src/lib/log-redaction.ts). `destination` replaces
 * stdout (the tests read the lines).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
  if (destination) return pino(options, destination);
  return process.stdout.isTTY === true ? pino(options, prettyDestination(process.stdout)) : pino(options);
}
