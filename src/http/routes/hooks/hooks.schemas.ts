import { Type } from 'typebox';

export const HookAccepted = Type.Object({
  accepted: Type.Boolean(),
  enqueued: Type.Boolean({ description: 'Whether a crawl was queued (false for unknown repositories and ignored events)' }),
  reason: Type.String(),
});

export const GithubHookHeaders = Type.Object({
  'x-hub-signature-256': Type.Optional(Type.String({ description: 'sha256=<HMAC-SHA256 of the body with the organisation webhook secret>' })),
  'x-github-event': Type.Optional(Type.String()),
});

export const GiteaHookHeaders = Type.Object({
  'x-gitea-signature': Type.Optional(Type.String({ description: 'Hex HMAC-SHA256 of the body with the organisation webhook secret' })),
  'x-forgejo-signature': Type.Optional(Type.String({ description: 'Forgejo\'s name for the same signature' })),
  'x-gitea-event': Type.Optional(Type.String()),
  'x-forgejo-event': Type.Optional(Type.String()),
});

export const GitlabHookHeaders = Type.Object({
  'x-gitlab-token': Type.Optional(Type.String({ description: 'The organisation webhook secret' })),
  'x-gitlab-event': Type.Optional(Type.String()),
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
