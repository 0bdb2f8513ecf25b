import { AppError } from '../../lib/errors';

/** Problems of the webhook API, each with its own stable code (the problem's `type`). */
export class WebhookNotFound extends AppError {
  constructor(id: string) {
    super(404, 'webhook.not_found', 'Not found', `Webhook subscription "${id}" does not exist.`);
  }
}

export class WebhookDeliveryNotFound extends AppError {
  constructor(id: string) {
    super(404, 'webhook.delivery_not_found', 'Not found', `Delivery "${id}" does not exist for this subscription.`);
  }
}

export class WebhookUrlRefused extends AppError {
  constructor(detail: string) {
    super(400, 'webhook.url_refused', 'Bad request', detail, [{ field: '/url', message: detail }]);
  }
}

export class WebhookSoftwareUnknown extends AppError {
  constructor(ids: string[]) {
    super(400, 'webhook.software_unknown', 'Bad request', `No software with the id ${ids.join(', ')}.`, [
      { field: '/softwareIds', message: 'names software that does not exist' },
    ]);
  }
}

/** A reuse token subscribing to what only the publishing side may follow (crawl failures, reuse of its software). */
export class WebhookScopeInsufficient extends AppError {
  constructor(events: string[]) {
    super(403, 'webhook.scope_insufficient', 'Forbidden', `The events ${events.join(', ')} need a token with the publish scope.`, [
      { field: '/events', message: 'need the publish scope' },
    ]);
  }
}

export class WebhookLimitReached extends AppError {
  constructor(limit: number) {
    super(409, 'webhook.limit_reached', 'Conflict', `An organisation may hold ${limit} webhook subscriptions; delete one first.`);
  }
}

export class WebhookDisabled extends AppError {
  constructor() {
    super(409, 'webhook.disabled', 'Conflict', 'The subscription is disabled; enable it (PATCH state "active") before sending to it.');
  }
}

/** Server mode without HUB_WEBHOOK_SECRET_KEY: secrets would have to be stored in plain text. */
export class WebhookKeyMissing extends AppError {
  constructor() {
    super(503, 'webhook.secret_key_missing', 'Service unavailable', 'Webhooks are not set up on this hub: the operator must set HUB_WEBHOOK_SECRET_KEY.');
  }
}
