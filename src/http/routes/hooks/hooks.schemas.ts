import { Type } from 'typebox';

export const HookAccepted = Type.Object({
  accepted: Type.Boolean(),
  enqueued: Type.Boolean({ description: 'Whether a crawl was queued (false for unknown repositories and ignored events)' }),
  reason: Type.String(),
  duplicate: Type.Optional(Type.Literal(true, { description: 'This delivery (its id or its exact body) was received within the last day; nothing was queued (answered 200)' })),
});

export const GithubHookHeaders = Type.Object({
  'x-hub-signature-256': Type.Optional(Type.String({ description: 'sha256=<HMAC-SHA256 of the body with the organisation webhook secret>' })),
  'x-github-event': Type.Optional(Type.String()),
  'x-github-delivery': Type.Optional(Type.String({ description: 'Delivery id; a delivery seen within a day is answered 200 with duplicate: true and queues nothing' })),
});

export const GiteaHookHeaders = Type.Object({
  'x-gitea-signature': Type.Optional(Type.String({ description: 'Hex HMAC-SHA256 of the body with the organisation webhook secret' })),
  'x-forgejo-signature': Type.Optional(Type.String({ description: 'Forgejo\'s name for the same signature' })),
  'x-gitea-event': Type.Optional(Type.String()),
  'x-forgejo-event': Type.Optional(Type.String()),
  'x-gitea-delivery': Type.Optional(Type.String({ description: 'Delivery id; a delivery seen within a day is answered 200 with duplicate: true and queues nothing' })),
  'x-forgejo-delivery': Type.Optional(Type.String({ description: 'Forgejo\'s name for the delivery id' })),
});

export const GitlabHookHeaders = Type.Object({
  'x-gitlab-token': Type.Optional(Type.String({ description: 'The organisation webhook secret' })),
  'x-gitlab-event': Type.Optional(Type.String()),
  'x-gitlab-event-uuid': Type.Optional(Type.String({ description: 'Delivery id; a delivery seen within a day is answered 200 with duplicate: true and queues nothing' })),
});

export const WebhookSecretBody = Type.Object(
  {
    secret: Type.Union([Type.String({ minLength: 16, maxLength: 200 }), Type.Null()], {
      description: 'Shared secret for GitHub, Gitea and Forgejo (HMAC key) and GitLab (token) webhooks; null removes it',
    }),
  },
  { additionalProperties: false },
);

export const DiscoverBody = Type.Object(
  { onlyWithPubliccode: Type.Boolean({ default: false, description: 'Register only repositories that carry a publiccode.yml' }) },
  { additionalProperties: false },
);

export const JobQueued = Type.Object({ jobId: Type.String(), deduplicated: Type.Boolean() });
