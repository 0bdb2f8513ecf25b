import { Type } from 'typebox';
import { defineJob, type JobQueue } from './contract';

/** The outbox poller: new events become deliveries and jobs; overdue deliveries get their job again. */
export const dispatchWebhooksJob = defineJob({
  name: 'dispatch-webhooks',
  payload: Type.Object({}, { additionalProperties: false }),
  // The next tick comes within seconds; retrying a failed tick only doubles the work.
  attempts: 1,
  backoffMs: 1000,
  // Batches of a few hundred events: well under a second; a minute means the database hangs.
  timeoutMs: 60_000,
  dedupId: () => 'dispatch-webhooks',
});

export const WEBHOOK_DISPATCH_SCHEDULER_ID = 'webhook-dispatch';

/** Idempotent: embedded start and every worker process call it; the last interval wins. */
export async function ensureWebhookDispatcher(queue: JobQueue, everyMs: number) {
  await queue.upsertScheduler(WEBHOOK_DISPATCH_SCHEDULER_ID, dispatchWebhooksJob, {}, everyMs);
}
