import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { reuses } from '../schema/reuses';
import { software } from '../schema/software';
import { webhookAttempts, webhookDeliveries, webhookEvents, webhookSubscriptions } from '../schema/webhooks';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type SubscriptionInsert = typeof webhookSubscriptions.$inferInsert;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export async function insertWebhookEvent(db: Executor, values: typeof webhookEvents.$inferInsert) {
  const [row] = await db.insert(webhookEvents).values(values).returning({ id: webhookEvents.id });
  return row!;
}

export async function insertSubscription(db: Executor, values: SubscriptionInsert) {
  const [row] = await db.insert(webhookSubscriptions).values(values).returning();
  return row!;
}

export async function findSubscription(db: Executor, id: string) {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).limit(1);
  return row ?? null;
}

export async function listSubscriptions(db: Executor, organisationId: string) {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.organisationId, organisationId))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
}

export async function updateSubscription(db: Executor, id: string, values: Partial<SubscriptionInsert>) {
  const [row] = await db
    .update(webhookSubscriptions)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(webhookSubscriptions.id, id))
    .returning();
  return row ?? null;
}

export async function deleteSubscription(db: Executor, id: string) {
  await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
}

/** Oldest first, so receivers see events in the order they happened (as far as retries allow). */
export async function listUndispatchedEvents(db: Executor, limit: number) {
  return db
    .select()
    .from(webhookEvents)
    .where(isNull(webhookEvents.dispatchedAt))
    .orderBy(asc(webhookEvents.createdAt), asc(webhookEvents.id))
    .limit(limit)
    // Two dispatchers at once (a tick overlapping a slow one) take different rows.
    .for('update', { skipLocked: true });
}

/**
 * The active subscriptions an event goes to: the one a ping names; otherwise those of the event's
 * organisation (and for release.published also of organisations reusing the software) that list
 * the event type and either filter by no software or by the event's.
 */
export async function matchingSubscriptionIds(db: Executor, event: WebhookEventRow): Promise<string[]> {
  const s = webhookSubscriptions;
  if (event.subscriptionId !== null) {
    const rows = await db.select({ id: s.id }).from(s).where(and(eq(s.id, event.subscriptionId), eq(s.state, 'active')));
    return rows.map((row) => row.id);
  }
  if (event.organisationId === null) return [];
  const audience =
    event.type === 'release.published' && event.softwareId !== null
      ? sql`(${s.organisationId} = ${event.organisationId} OR ${s.organisationId} IN (SELECT ${reuses.organisationId} FROM ${reuses} WHERE ${reuses.softwareId} = ${event.softwareId}))`
      : eq(s.organisationId, event.organisationId);
  const software =
    event.softwareId === null ? sql`cardinality(${s.softwareIds}) = 0` : sql`(cardinality(${s.softwareIds}) = 0 OR ${event.softwareId}::uuid = ANY(${s.softwareIds}))`;
  const rows = await db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.state, 'active'), sql`${event.type} = ANY(${s.events})`, audience, software));
  return rows.map((row) => row.id);
}

/** Adds what is missing (a dispatcher run twice adds nothing) and returns the ids of those added. */
export async function insertDeliveries(db: Executor, rows: { eventId: string; subscriptionId: string }[]) {
  if (rows.length === 0) return [];
  return db.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning({ id: webhookDeliveries.id });
}

export async function markEventsDispatched(db: Executor, ids: string[]) {
  if (ids.length === 0) return;
  await db.update(webhookEvents).set({ dispatchedAt: new Date() }).where(inArray(webhookEvents.id, ids));
}

export async function findDeliveryBundle(db: Executor, id: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, id))
    .limit(1);
  return row ?? null;
}

export async function updateDelivery(db: Executor, id: string, values: Partial<typeof webhookDeliveries.$inferInsert>) {
  await db.update(webhookDeliveries).set({ ...values, updatedAt: new Date() }).where(eq(webhookDeliveries.id, id));
}

/** Null when this attempt number is recorded already (a job run twice records it once). */
export async function insertAttempt(db: Executor, values: typeof webhookAttempts.$inferInsert) {
  const [row] = await db.insert(webhookAttempts).values(values).onConflictDoNothing().returning({ id: webhookAttempts.id });
  return row ?? null;
}

/** Newest first; `before` is the createdAt/id of the previous page's last delivery. */
export async function listDeliveries(db: Executor, input: { subscriptionId: string; limit: number; before?: { at: Date; id: string } }) {
  const d = webhookDeliveries;
  const where = [eq(d.subscriptionId, input.subscriptionId)];
  if (input.before) where.push(sql`(${d.createdAt}, ${d.id}) < (${input.before.at.toISOString()}::timestamptz, ${input.before.id}::uuid)`);
  return db
    .select({ delivery: d, event: { id: webhookEvents.id, type: webhookEvents.type, createdAt: webhookEvents.createdAt } })
    .from(d)
    .innerJoin(webhookEvents, eq(webhookEvents.id, d.eventId))
    .where(and(...where))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(input.limit);
}

export async function listAttempts(db: Executor, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(asc(webhookAttempts.attempt));
}

/** Pending deliveries whose next attempt is overdue by now: their job was lost (Redis data loss, embedded restart). */
export async function overdueDeliveries(db: Executor, input: { dueBefore: Date; limit: number }) {
  return db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.state, 'pending'), lt(webhookDeliveries.nextAttemptAt, input.dueBefore)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(input.limit);
}

/** Which of these ids name existing software (a subscription's filter must not name none). */
export async function existingSoftwareIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db.select({ id: software.id }).from(software).where(inArray(software.id, ids));
  return new Set(rows.map((row) => row.id));
}

export async function countSubscriptions(db: Executor, organisationId: string) {
  const [row] = await db.select({ n: count() }).from(webhookSubscriptions).where(eq(webhookSubscriptions.organisationId, organisationId));
  return row?.n ?? 0;
}

/**
 * The delivery and its subscription as they are now, both rows locked until the transaction ends
 * (an attempt's follow-up is computed from them). The subscription first, as deleting one locks it
 * before its deliveries (cascade): the same order, so the two never wait on each other.
 */
export async function lockDeliveryAndSubscription(db: Executor, ids: { deliveryId: string; subscriptionId: string }) {
  const [subscription] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, ids.subscriptionId)).for('update');
  if (!subscription) return null;
  const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, ids.deliveryId)).for('update');
  return delivery ? { delivery, subscription } : null;
}

export async function findDelivery(db: Executor, id: string) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1);
  return row ?? null;
}

/** Deletes up to `limit` events created before `before`, oldest first; their deliveries and attempts go with them (cascade). */
export async function deleteOldEvents(db: Executor, input: { before: Date; limit: number }) {
  const oldest = db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(lt(webhookEvents.createdAt, input.before))
    .orderBy(asc(webhookEvents.createdAt))
    .limit(input.limit);
  const rows = await db.delete(webhookEvents).where(inArray(webhookEvents.id, oldest)).returning({ id: webhookEvents.id });
  return rows.length;
}
