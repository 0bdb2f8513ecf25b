import {
  deleteOldEvents,
  insertDeliveries,
  listUndispatchedEvents,
  markEventsDispatched,
  matchingSubscriptionIds,
  overdueDeliveries,
} from '../../db/queries/webhooks.queries';
import { enqueueDeliveryAttempts } from '../../jobs/deliver-webhook.job';
import type { HubContext } from '../context';

// 200 events per transaction: a burst (a crawl importing a release for many reusers) is worked
// through in a few short transactions instead of one long one.
const BATCH = 200;
// 2 minutes: a job added by the dispatcher or a previous attempt starts within seconds; a
// delivery still pending this long after its time has lost its job.
const OVERDUE_GRACE_MS = 2 * 60_000;
// 30 days of delivery log: long enough to look into last month's incident, short enough that the
// log of a busy hub stays a few hundred MB at most. Deleted 1,000 per tick, so no tick runs long.
export const WEBHOOK_LOG_DAYS = 30;
const RETENTION_BATCH = 1000;

/**
 * The outbox poller (dispatch-webhooks job). Each undispatched event becomes one delivery per
 * matching subscription, in the same transaction that marks the event dispatched; the jobs are
 * added after the commit. If that add fails (Redis away) or its jobs are lost later, the sweep
 * below finds the overdue deliveries and adds their jobs again, with the same ids. Events older
 * than WEBHOOK_LOG_DAYS leave with their deliveries and attempts.
 */
export async function dispatchWebhookEvents(hub: HubContext): Promise<{ events: number; deliveries: number; requeued: number; expired: number }> {
  let events = 0;
  let deliveries = 0;
  for (;;) {
    const batch = await hub.db.transaction(async (tx) => {
      const rows = await listUndispatchedEvents(tx, BATCH);
      const added: string[] = [];
      for (const event of rows) {
        const subscriptionIds = await matchingSubscriptionIds(tx, event);
        const inserted = await insertDeliveries(tx, subscriptionIds.map((subscriptionId) => ({ eventId: event.id, subscriptionId })));
        added.push(...inserted.map((row) => row.id));
      }
      await markEventsDispatched(tx, rows.map((row) => row.id));
      return { count: rows.length, added };
    });
    await enqueueDeliveryAttempts(hub.queue, batch.added.map((deliveryId) => ({ deliveryId, attempt: 1 })));
    events += batch.count;
    deliveries += batch.added.length;
    if (batch.count < BATCH) break;
  }
  const overdue = await overdueDeliveries(hub.db, { dueBefore: new Date(Date.now() - OVERDUE_GRACE_MS), limit: 1000 });
  await enqueueDeliveryAttempts(hub.queue, overdue.map((row) => ({ deliveryId: row.id, attempt: row.attempts + 1 })));
  const expired = await deleteOldEvents(hub.db, { before: new Date(Date.now() - WEBHOOK_LOG_DAYS * 86_400_000), limit: RETENTION_BATCH });
  return { events, deliveries, requeued: overdue.length, expired };
}
