import pino, { type Logger } from 'pino';
import { prettyDestination } from './pretty-log';

export type { Logger };

/** pino JSON logs; readable lines only when a person watches a terminal. */
export function createLogger(level: string): Logger {
  return process.stdout.isTTY === true ? pino({ level }, prettyDestination(process.stdout)) : pino({ level });
}
