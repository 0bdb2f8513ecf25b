import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** Any 32+ characters; the tests' hubs seal secrets with it (in-memory PGlite has no key file). */
export const WEBHOOK_KEY = 'test-webhook-key-0123456789abcdef0123';

/** What the receiver does with the next request: fail (500), hang (never answer), 429 with Retry-After seconds, 200 with an endless body, or accept. */
export type Behaviour = { kind: 'fail' } | { kind: 'hang' } | { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'huge' } | { kind: 'ok' };

export type Received = { headers: IncomingHttpHeaders; body: string; at: number; answered: Behaviour['kind'] };

export type WebhookReceiver = {
  url: string;
  received: Received[];
  /** Behaviours for the next requests in order; afterwards every request is accepted. */
  script(...behaviours: Behaviour[]): void;
  /** Verifies a request with the standardwebhooks library as a receiver would; throws when the signature is wrong. */
  verify(request: Received, secret: string): unknown;
  close(): Promise<void>;
};

/** A real HTTP endpoint on loopback that plays a receiver: it fails, hangs, throttles and accepts as told. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const plan: Behaviour[] = [];
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const behaviour = plan.shift() ?? { kind: 'ok' };
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answered: behaviour.kind });
      if (behaviour.kind === 'hang') return void hanging.add(response);
      if (behaviour.kind === 'fail') return void response.writeHead(500, { 'content-type': 'text/plain' }).end('kaputt: database gone');
      if (behaviour.kind === 'huge') return void endless(response);
      if (behaviour.kind === 'throttle') return void response.writeHead(429, { 'retry-after': String(behaviour.retryAfterSeconds) }).end('slow down');
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/transferhub`,
    received,
    script: (...behaviours) => plan.push(...behaviours),
    verify: (request, secret) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** 200 and then megabytes of body for as long as the client reads: the sender must cut it off. */
function endless(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const write = () => {
    while (sent < 64 * 1024 * 1024 && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', write);
    }
    response.end();
  };
  response.on('error', () => {});
  write();
}
