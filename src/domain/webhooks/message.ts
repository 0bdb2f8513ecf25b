import type { WebhookEventRow } from '../../db/queries/webhooks.queries';

/**
 * The body every receiver gets, in the Standard Webhooks shape: `type`, `timestamp` (when the
 * event happened, not when this attempt ran) and `data`. The event id lets receivers that
 * subscribe twice (two subscriptions, one endpoint) recognise the same event.
 */
export function messageBody(event: WebhookEventRow): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), eventId: event.id, data: event.data });
}
