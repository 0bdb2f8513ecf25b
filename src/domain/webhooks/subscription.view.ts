import type { DeliveryRow, SubscriptionRow, AttemptRow } from '../../db/queries/webhooks.queries';

/** A subscription as the API shows it: never the secret (that is shown once, at creation and rotation). */
export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    organisationId: row.organisationId,
    url: row.url,
    description: row.description,
    events: row.events,
    softwareIds: row.softwareIds,
    state: row.state,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    failureDays: row.failureDays,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    previousSecretValidUntil: row.previousSecretUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function deliveryView(row: { delivery: DeliveryRow; event: { id: string; type: string; createdAt: Date } }, attempts: AttemptRow[]) {
  return {
    id: row.delivery.id,
    messageId: `msg_${row.delivery.id}`,
    event: { id: row.event.id, type: row.event.type, createdAt: row.event.createdAt.toISOString() },
    state: row.delivery.state,
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt.toISOString(),
      durationMs: attempt.durationMs,
      statusCode: attempt.statusCode,
      responseExcerpt: attempt.responseExcerpt,
      error: attempt.error,
    })),
    nextAttemptAt: row.delivery.state === 'pending' ? row.delivery.nextAttemptAt.toISOString() : null,
    createdAt: row.delivery.createdAt.toISOString(),
  };
}
