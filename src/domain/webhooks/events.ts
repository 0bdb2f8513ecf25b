import type { Executor } from '../../db/client';
import { insertWebhookEvent } from '../../db/queries/webhooks.queries';
import type { WebhookEventType } from '../../db/schema/webhooks';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../db/schema/webhooks';

export type RecordedEvent = {
  type: WebhookEventType;
  /**
   * The organisation the event belongs to: the owner of the software (release.*, reuse.*,
   * experience.reported) or of the repository (crawl.*), the organisation with the need (need.matched).
   * Its subscriptions receive the event; for release.published also those of organisations reusing the software.
   */
  organisationId: string;
  /** The software concerned, for subscriptions filtered by software. */
  softwareId?: string | null;
  /** The payload's `data` member: ids and the facts a receiver needs, never secrets. */
  data: Record<string, unknown>;
};

/**
 * Records an event in the outbox. Call it with the transaction handle of the write that caused
 * the event, so the event exists exactly when the change does (a rolled-back write sends nothing,
 * a committed one is never lost). Delivery happens later: the dispatcher turns outbox rows into
 * one job per event and subscription.
 *
 *   await db.transaction(async (tx) => {
 *     const row = await insertConfirmation(tx, …);
 *     await recordEvent(tx, { type: 'reuse.confirmed', organisationId: software.organisationId, softwareId: software.id, data: { … } });
 *   });
 */
export async function recordEvent(tx: Executor, event: RecordedEvent): Promise<{ id: string }> {
  return insertWebhookEvent(tx, {
    type: event.type,
    organisationId: event.organisationId,
    softwareId: event.softwareId ?? null,
    data: event.data,
  });
}
