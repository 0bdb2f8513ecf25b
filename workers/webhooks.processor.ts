import type { HubContext } from '../src/domain/context';
import { createJobHandlers } from '../src/domain/job-handlers';
import { deliverWebhookJob } from '../src/jobs/deliver-webhook.job';
import { dispatchWebhooksJob } from '../src/jobs/dispatch-webhooks.job';
import { toProcessor } from './processor';

/**
 * dispatch-webhooks: the outbox poller (src/domain/webhooks/dispatch.service.ts). It runs every few
 * seconds, so its "job done" lines are dropped (warnings and failures still show).
 */
export function dispatchWebhooksProcessor(hub: HubContext) {
  const quiet = hub.logger.child({}, { level: hub.logger.isLevelEnabled('warn') ? 'warn' : hub.logger.level });
  return toProcessor(dispatchWebhooksJob, createJobHandlers(hub)[dispatchWebhooksJob.name]!, quiet);
}

/** deliver-webhook: one signed attempt (src/domain/webhooks/delivery.service.ts). */
export function deliverWebhookProcessor(hub: HubContext) {
  return toProcessor(deliverWebhookJob, createJobHandlers(hub)[deliverWebhookJob.name]!, hub.logger);
}
