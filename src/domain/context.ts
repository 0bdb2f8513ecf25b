import type { Config } from '../config';
import type { Db } from '../db/client';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../lib/logger';

/** What domain services need from the outside world; built once in deps.ts. */
export type HubContext = {
  config: Config;
  db: Db;
  /** Resolves when the database answers; readiness checks call it. */
  pingDatabase(): Promise<void>;
  queue: JobQueue;
  logger: Logger;
};
