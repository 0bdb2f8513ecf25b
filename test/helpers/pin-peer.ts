import { expect } from 'vitest';
import { admin, type TestHub } from './hub';

/** Pins the hub at `baseUrl` as a peer of `on` through the admin API, as an admin does: preview, then pin its key thumbprints. Returns the peer id. */
export async function pinPeer(on: TestHub, baseUrl: string): Promise<string> {
  const preview = await on.app.inject({ method: 'POST', url: '/v1/federation/peers', headers: admin, payload: { baseUrl } });
  expect(preview.statusCode, preview.body).toBe(200);
  const kids = (preview.json().peer.keys as { thumbprint: string }[]).map((key) => key.thumbprint);
  const stored = await on.app.inject({ method: 'POST', url: '/v1/federation/peers', headers: admin, payload: { baseUrl, pin: kids } });
  expect(stored.statusCode, stored.body).toBe(201);
  return stored.json().peer.id as string;
}
