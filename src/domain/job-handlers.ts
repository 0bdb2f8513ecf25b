import type { JobHandler } from '../jobs/contract';
import type { HubContext } from './context';

/**
 * queue name → the work, for both runners: the BullMQ workers (workers/registry.ts)
 * and the in-process runner of embedded mode (deps.ts). One table, one behaviour.
 */
export function createJobHandlers(_hub: HubContext): Record<string, JobHandler> {
  return {};
}
