import type { Executor } from '../../db/client';
import { insertAuditEvent } from '../../db/queries/audit.queries';
import { findDeliveryBundle, insertAttempt, lockDeliveryAndSubscription, updateDelivery, updateSubscription, type SubscriptionRow } from '../../db/queries/webhooks.queries';
import { enqueueDeliveryAttempts, type DeliverWebhookPayload } from '../../jobs/deliver-webhook.job';
import type { HubContext } from '../context';
import { failureStreak, retryDelayMs } from './retry-policy';
import { unseal } from './secrets';
import { sendWebhook, type SendOutcome } from './send';
import { signedHeaders } from './signing';
import { messageBody } from './message';

/** Who wrote the audit note when the hub itself disabled a subscription. */
const HUB_ACTOR = 'hub (webhook delivery)';

/**
 * One attempt of one delivery (the deliver-webhook job). Idempotent against reruns: an attempt
 * number recorded already is not sent again, only its follow-up is made sure of. The message is
 * sent before anything is written: a worker killed mid-request leaves the attempt unrecorded and
 * the job runs again (at least once; receivers deduplicate by webhook-id).
 */
export async function deliverAttempt(hub: HubContext, payload: DeliverWebhookPayload, signal?: AbortSignal): Promise<void> {
  const bundle = await findDeliveryBundle(hub.db, payload.deliveryId);
  // Deleted with its subscription, or finished (succeeded, given up, cancelled).
  if (!bundle || bundle.delivery.state !== 'pending') return;
  const { delivery, subscription, event } = bundle;
  const attempt = delivery.attempts + 1;
  if (payload.attempt < attempt) {
    // Recorded by an earlier run of this job that died before adding the next attempt.
    await scheduleNext(hub, delivery.id, attempt, delivery.nextAttemptAt);
    return;
  }
  if (subscription.state !== 'active') {
    await updateDelivery(hub.db, delivery.id, { state: 'cancelled' });
    return;
  }
  const key = requireKey(hub);
  const at = new Date();
  const body = messageBody(event);
  const headers = signedHeaders({ messageId: `msg_${delivery.id}`, body, secrets: signingSecrets(key, subscription, at), at });
  const { webhooks, allowPrivateHosts } = hub.config;
  const outcome = await sendWebhook({
    url: subscription.url,
    headers,
    body,
    allowPrivateHosts,
    connectTimeoutMs: webhooks.connectTimeoutMs,
    timeoutMs: webhooks.timeoutMs,
    signal,
  });
  if (signal?.aborted && !outcome.ok && outcome.statusCode === null) {
    // The worker is shutting down: nothing recorded, the job runs again after the restart.
    throw new Error('delivery interrupted by shutdown');
  }
  // The send took up to the timeout: the owner may have asked for a redelivery (a new round), or
  // re-enabled, disabled or changed the subscription, and other deliveries to it may have ended
  // meanwhile. What follows the attempt is computed from the rows as they are now, locked.
  // The next attempt's time, when one follows an attempt recorded here.
  const next = await hub.db.transaction(async (tx) => {
    const current = await lockDeliveryAndSubscription(tx, { deliveryId: delivery.id, subscriptionId: subscription.id });
    if (!current) return null;
    const row = await insertAttempt(tx, { deliveryId: delivery.id, attempt, startedAt: at, ...attemptColumns(outcome) });
    if (!row) return null;
    const failedInRound = attempt - current.delivery.roundStart;
    const giveUp = !outcome.ok && failedInRound >= webhooks.attempts;
    // Cancelled meanwhile (its subscription disabled): the attempt is recorded, nothing follows.
    const pending = current.delivery.state === 'pending';
    const next = outcome.ok || giveUp || !pending ? null : new Date(Date.now() + retryDelayMs({ failed: failedInRound, baseMs: webhooks.retryBaseMs, retryAfterMs: outcome.retryAfterMs }));
    await updateDelivery(tx, delivery.id, {
      attempts: attempt,
      ...(outcome.ok ? { state: 'succeeded' as const } : giveUp && pending ? { state: 'failed' as const } : {}),
      ...(next ? { nextAttemptAt: next } : {}),
    });
    if (current.subscription.state === 'active') await noteOutcome(tx, hub, current.subscription, outcome.ok, at);
    return next;
  });
  if (next) await scheduleNext(hub, delivery.id, attempt + 1, next);
}

function attemptColumns(outcome: SendOutcome) {
  return { durationMs: outcome.durationMs, statusCode: outcome.statusCode, responseExcerpt: outcome.responseExcerpt, error: outcome.error };
}

async function scheduleNext(hub: HubContext, deliveryId: string, attempt: number, at: Date) {
  await enqueueDeliveryAttempts(hub.queue, [{ deliveryId, attempt, delayMs: Math.max(0, at.getTime() - Date.now()) }]);
}

/** The current secret, and during a rotation's overlap the previous one too. */
export function signingSecrets(key: Buffer, subscription: SubscriptionRow, at: Date): string[] {
  const secrets = [unseal(key, subscription.secretSealed)];
  if (subscription.previousSecretSealed && subscription.previousSecretUntil && subscription.previousSecretUntil > at) {
    secrets.push(unseal(key, subscription.previousSecretSealed));
  }
  return secrets;
}

export function requireKey(hub: HubContext): Buffer {
  if (!hub.webhookKey) throw new Error('no webhook secret key (HUB_WEBHOOK_SECRET_KEY) is configured');
  return hub.webhookKey;
}

/**
 * A success ends the failure streak; a failure extends it by calendar day, and the day the streak
 * reaches HUB_WEBHOOK_DISABLE_AFTER_DAYS the subscription is disabled with a note the
 * organisation reads on the subscription and in its audit log.
 */
async function noteOutcome(tx: Executor, hub: HubContext, subscription: SubscriptionRow, ok: boolean, at: Date) {
  if (ok) {
    await updateSubscription(tx, subscription.id, { failureDays: 0, lastFailureDay: null, lastSuccessAt: at });
    return;
  }
  const streak = failureStreak(subscription, at, hub.config.webhooks.disableAfterDays);
  if (!streak.disable) {
    await updateSubscription(tx, subscription.id, { failureDays: streak.failureDays, lastFailureDay: streak.lastFailureDay });
    return;
  }
  const reason = `Deliveries failed on ${streak.failureDays} days in a row; re-enable the subscription (PATCH state "active") once the endpoint works.`;
  await updateSubscription(tx, subscription.id, {
    failureDays: streak.failureDays,
    lastFailureDay: streak.lastFailureDay,
    state: 'disabled',
    disabledAt: at,
    disabledReason: reason,
  });
  await insertAuditEvent(tx, {
    tokenId: null,
    actor: HUB_ACTOR,
    action: 'webhook.disabled',
    entityType: 'webhook_subscription',
    entityId: subscription.id,
    detail: { failureDays: streak.failureDays, url: subscription.url },
  });
  hub.logger.warn({ subscriptionId: subscription.id, failureDays: streak.failureDays }, 'webhook subscription disabled after failing days in a row');
}
