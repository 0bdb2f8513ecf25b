import { findDelivery, insertDeliveries, insertWebhookEvent, listAttempts, listDeliveries, updateDelivery } from '../../db/queries/webhooks.queries';
import { enqueueDeliveryAttempts } from '../../jobs/deliver-webhook.job';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import type { HubContext } from '../context';
import { deliveryView } from './subscription.view';
import { ownSubscription } from './subscriptions.service';
import { WebhookDeliveryNotFound, WebhookDisabled } from './webhook-errors';

/** The delivery log of a subscription, newest first, each delivery with its attempts. */
export async function listSubscriptionDeliveries(hub: HubContext, principal: Principal | null, id: string, query: { cursor?: string; limit: number }) {
  const { row } = await ownSubscription(hub, principal, id);
  const after = decodeCursor(query.cursor, 2);
  const before = after ? { at: new Date(Number(after[0])), id: String(after[1]) } : undefined;
  const rows = await listDeliveries(hub.db, { subscriptionId: row.id, limit: query.limit + 1, before });
  const items = rows.slice(0, query.limit);
  const attempts = await listAttempts(hub.db, items.map((item) => item.delivery.id));
  const last = items.at(-1);
  return {
    items: items.map((item) => deliveryView(item, attempts.filter((attempt) => attempt.deliveryId === item.delivery.id))),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.delivery.createdAt.getTime(), last.delivery.id]) : null,
  };
}

/**
 * Sends a delivery again, at once, with a fresh retry budget and the same webhook-id (the
 * receiver may have processed it; the id lets it tell). A delivery still retrying keeps its
 * scheduled next attempt (same job id), now with a fresh budget.
 */
export async function redeliver(hub: HubContext, principal: Principal | null, input: { subscription: string; deliveryId: string }) {
  const { row, who } = await ownSubscription(hub, principal, input.subscription);
  if (row.state !== 'active') throw new WebhookDisabled();
  const delivery = isUuid(input.deliveryId) ? await findDelivery(hub.db, input.deliveryId.toLowerCase()) : null;
  if (!delivery || delivery.subscriptionId !== row.id) throw new WebhookDeliveryNotFound(input.deliveryId);
  await hub.db.transaction(async (tx) => {
    await updateDelivery(tx, delivery.id, { state: 'pending', roundStart: delivery.attempts, nextAttemptAt: new Date() });
    await audit(tx, who, { action: 'webhook.redeliver', entityType: 'webhook_subscription', entityId: row.id, detail: { deliveryId: delivery.id } });
  });
  await enqueueDeliveryAttempts(hub.queue, [{ deliveryId: delivery.id, attempt: delivery.attempts + 1 }]);
  return { deliveryId: delivery.id };
}

/**
 * A `webhook.ping` to this subscription only, delivered like any event (signed, logged, retried),
 * so a receiver can be tested end to end. Written dispatched with its delivery, and queued at once.
 */
export async function ping(hub: HubContext, principal: Principal | null, id: string) {
  const { row, who } = await ownSubscription(hub, principal, id);
  if (row.state !== 'active') throw new WebhookDisabled();
  const deliveryId = await hub.db.transaction(async (tx) => {
    const event = await insertWebhookEvent(tx, {
      type: 'webhook.ping',
      organisationId: row.organisationId,
      subscriptionId: row.id,
      data: { subscriptionId: row.id, message: 'Test message from transferhub / Testnachricht von transferhub' },
      dispatchedAt: new Date(),
    });
    const [delivery] = await insertDeliveries(tx, [{ eventId: event.id, subscriptionId: row.id }]);
    await audit(tx, who, { action: 'webhook.ping', entityType: 'webhook_subscription', entityId: row.id, detail: { deliveryId: delivery!.id } });
    return delivery!.id;
  });
  await enqueueDeliveryAttempts(hub.queue, [{ deliveryId, attempt: 1 }]);
  return { deliveryId };
}
