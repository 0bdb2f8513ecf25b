import pino, { type Logger } from 'pino';

export type { Logger };

/** pino JSON logs; pretty-printed only when a person watches a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY === true;
  return pino({
    level,
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } : undefined,
  });
}
