import {
  countSubscriptions,
  deleteSubscription,
  existingSoftwareIds,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  updateSubscription,
  type SubscriptionRow,
} from '../../db/queries/webhooks.queries';
import type { WebhookEventType } from '../../db/schema/webhooks';
import { GitRemoteError } from '../../git/errors';
import { assertPublicHost } from '../../git/host-guard';
import { Forbidden } from '../../lib/errors';
import { isUuid } from '../../lib/slug';
import { audit } from '../audit/audit';
import { isAdmin, requirePrincipal, type Principal } from '../auth/principal';
import { getOrganisationRow } from '../catalogue/organisation-lookup';
import type { HubContext } from '../context';
import { subscriptionView } from './subscription.view';
import { newWebhookSecret, seal } from './secrets';
import { WebhookKeyMissing, WebhookLimitReached, WebhookNotFound, WebhookScopeInsufficient, WebhookSoftwareUnknown, WebhookUrlRefused } from './webhook-errors';

/** 25 per organisation: one per ticket system, chat and CI is a handful; more is a loop creating them. */
export const MAX_SUBSCRIPTIONS = 25;

/** Events a reuse token may follow: news about what the organisation uses. The rest is the publisher's. */
const REUSE_EVENTS: ReadonlySet<string> = new Set<WebhookEventType>(['release.published', 'need.matched']);

export type SubscriptionInput = { url: string; events: WebhookEventType[]; softwareIds?: string[]; description?: string | null };

/**
 * Who may manage an organisation's subscriptions: the hub admin, or a token of the organisation
 * with the publish or reuse scope; a reuse-only token only for the events of REUSE_EVENTS.
 */
function requireWebhookAccess(principal: Principal | null, organisationId: string, events: readonly string[] = []): Principal {
  const who = requirePrincipal(principal);
  if (isAdmin(who) || who.kind !== 'token') return who;
  if (who.organisationId !== organisationId) throw new Forbidden('This token belongs to another organisation.');
  const publish = who.scopes.includes('publish');
  if (!publish && !who.scopes.includes('reuse')) throw new Forbidden('Managing webhooks needs a token with the publish or reuse scope.');
  const beyond = publish ? [] : events.filter((event) => !REUSE_EVENTS.has(event));
  if (beyond.length > 0) throw new WebhookScopeInsufficient(beyond);
  return who;
}

function requireKey(hub: HubContext): Buffer {
  if (!hub.webhookKey) throw new WebhookKeyMissing();
  return hub.webhookKey;
}

/**
 * HTTPS only: the payload tells who reuses what, and the signature does not hide it. Plain http
 * only where private hosts are allowed (development, tests on loopback). The address check is
 * the crawler's: a clear early answer here; every connection is checked again when delivering.
 */
async function checkUrl(hub: HubContext, url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && hub.config.allowPrivateHosts)) {
    throw new WebhookUrlRefused('The URL must use https.');
  }
  if (parsed.username || parsed.password) throw new WebhookUrlRefused('The URL must not carry credentials; verify the signature instead.');
  try {
    await assertPublicHost(url, hub.config.allowPrivateHosts);
  } catch (error) {
    if (error instanceof GitRemoteError) throw new WebhookUrlRefused(error.message);
    throw error;
  }
}

async function checkSoftware(hub: HubContext, ids: string[]) {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = await existingSoftwareIds(hub.db, wanted);
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) throw new WebhookSoftwareUnknown(missing);
  return wanted;
}

/** The subscription and the principal allowed to act on it (403 for another organisation's token, as everywhere in the API). */
async function ownSubscription(hub: HubContext, principal: Principal | null, id: string, events?: readonly string[]) {
  requirePrincipal(principal);
  const row = isUuid(id) ? await findSubscription(hub.db, id.toLowerCase()) : null;
  if (!row) throw new WebhookNotFound(id);
  return { row, who: requireWebhookAccess(principal, row.organisationId, events) };
}

export async function createSubscription(hub: HubContext, principal: Principal | null, input: SubscriptionInput & { organisation: string }) {
  const organisation = await getOrganisationRow(hub.db, input.organisation);
  const who = requireWebhookAccess(principal, organisation.id, input.events);
  const key = requireKey(hub);
  await checkUrl(hub, input.url);
  const softwareIds = await checkSoftware(hub, input.softwareIds ?? []);
  const secret = newWebhookSecret();
  const row = await hub.db.transaction(async (tx) => {
    if ((await countSubscriptions(tx, organisation.id)) >= MAX_SUBSCRIPTIONS) throw new WebhookLimitReached(MAX_SUBSCRIPTIONS);
    const created = await insertSubscription(tx, {
      organisationId: organisation.id,
      url: input.url,
      description: input.description ?? null,
      events: [...new Set(input.events)],
      softwareIds,
      secretSealed: seal(key, secret),
    });
    // Never the secret in the audit log: the URL and what it follows.
    await audit(tx, who, { action: 'webhook.create', entityType: 'webhook_subscription', entityId: created.id, detail: { url: input.url, events: created.events } });
    return created;
  });
  return { ...subscriptionView(row), secret };
}

export async function listOrganisationSubscriptions(hub: HubContext, principal: Principal | null, organisationIdOrSlug: string) {
  const organisation = await getOrganisationRow(hub.db, organisationIdOrSlug);
  requireWebhookAccess(principal, organisation.id);
  return (await listSubscriptions(hub.db, organisation.id)).map(subscriptionView);
}

export async function getSubscription(hub: HubContext, principal: Principal | null, id: string) {
  return subscriptionView((await ownSubscription(hub, principal, id)).row);
}

export type SubscriptionChanges = Partial<SubscriptionInput> & { state?: 'active' | 'disabled' };

export async function changeSubscription(hub: HubContext, principal: Principal | null, id: string, changes: SubscriptionChanges) {
  const { row, who } = await ownSubscription(hub, principal, id, changes.events);
  if (changes.url !== undefined) await checkUrl(hub, changes.url);
  const softwareIds = changes.softwareIds === undefined ? undefined : await checkSoftware(hub, changes.softwareIds);
  const values: Partial<SubscriptionRow> = {
    ...(changes.url !== undefined ? { url: changes.url } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.events !== undefined ? { events: [...new Set(changes.events)] } : {}),
    ...(softwareIds !== undefined ? { softwareIds } : {}),
    ...stateChange(row, changes.state),
  };
  const updated = await hub.db.transaction(async (tx) => {
    const stored = await updateSubscription(tx, row.id, values);
    await audit(tx, who, { action: 'webhook.update', entityType: 'webhook_subscription', entityId: row.id, detail: { fields: Object.keys(changes) } });
    return stored;
  });
  if (!updated) throw new WebhookNotFound(id);
  return subscriptionView(updated);
}

/** Enabling again starts a fresh failure streak; disabling by hand says so. */
function stateChange(row: SubscriptionRow, state: 'active' | 'disabled' | undefined): Partial<SubscriptionRow> {
  if (state === undefined || state === row.state) return {};
  if (state === 'active') return { state, disabledAt: null, disabledReason: null, failureDays: 0, lastFailureDay: null };
  return { state, disabledAt: new Date(), disabledReason: 'Disabled by the organisation.' };
}

export async function removeSubscription(hub: HubContext, principal: Principal | null, id: string) {
  const { row, who } = await ownSubscription(hub, principal, id);
  await hub.db.transaction(async (tx) => {
    await deleteSubscription(tx, row.id);
    await audit(tx, who, { action: 'webhook.delete', entityType: 'webhook_subscription', entityId: row.id, detail: { url: row.url } });
  });
}

/**
 * A new secret, shown once. The previous one keeps signing next to it for the overlap
 * (HUB_WEBHOOK_SECRET_OVERLAP_HOURS), so receivers switch without missing a message. Rotating
 * again within the overlap drops the oldest secret: only the two newest are ever sent.
 */
export async function rotateSecret(hub: HubContext, principal: Principal | null, id: string) {
  const { row, who } = await ownSubscription(hub, principal, id);
  const key = requireKey(hub);
  const secret = newWebhookSecret();
  const until = new Date(Date.now() + hub.config.webhooks.secretOverlapMs);
  const updated = await hub.db.transaction(async (tx) => {
    const stored = await updateSubscription(tx, row.id, { secretSealed: seal(key, secret), previousSecretSealed: row.secretSealed, previousSecretUntil: until });
    await audit(tx, who, { action: 'webhook.rotate_secret', entityType: 'webhook_subscription', entityId: row.id, detail: { previousSecretValidUntil: until.toISOString() } });
    return stored;
  });
  if (!updated) throw new WebhookNotFound(id);
  return { ...subscriptionView(updated), secret };
}

export { ownSubscription };
