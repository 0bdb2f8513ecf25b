import { Type, type Static } from 'typebox';
import { defineJob, type JobQueue } from './contract';

/**
 * One attempt to deliver one event to one subscription. Retries are not BullMQ's: each attempt
 * records its outcome and, when another is due, adds the next attempt as a delayed job with its
 * own id (`webhook.<delivery>.<attempt>`), so the delay can honour Retry-After and a job run twice
 * (a worker killed after recording) adds nothing twice.
 */
export const deliverWebhookJob = defineJob({
  name: 'deliver-webhook',
  // Ids only: the secret and the payload are read from the database when the attempt runs.
  payload: Type.Object({ deliveryId: Type.String({ format: 'uuid' }), attempt: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  // BullMQ's own retries cover only failures of the hub itself (database away); 5 × 10 s doubling ≈ 5 minutes.
  attempts: 5,
  backoffMs: 10_000,
  // Above HUB_WEBHOOK_TIMEOUT_SECONDS' maximum (300 s): the attempt's own limit ends it first.
  timeoutMs: 6 * 60_000,
});

export type DeliverWebhookPayload = Static<typeof deliverWebhookJob.payload>;

export async function enqueueDeliveryAttempts(queue: JobQueue, attempts: (DeliverWebhookPayload & { delayMs?: number })[]) {
  if (attempts.length === 0) return;
  await queue.enqueueBulk(
    deliverWebhookJob,
    attempts.map(({ deliveryId, attempt, delayMs }) => ({ jobId: `webhook.${deliveryId}.${attempt}`, payload: { deliveryId, attempt }, delayMs })),
  );
}
