import { Webhook } from 'standardwebhooks';

/**
 * The Standard Webhooks headers for one message: the same id on every attempt (receivers
 * deduplicate by it), the attempt's own timestamp, and a `v1,` signature per secret: during a
 * rotation's overlap both the new and the old secret sign, space-separated as the spec allows,
 * so a receiver still holding the old secret keeps verifying.
 */
export function signedHeaders(input: { messageId: string; body: string; secrets: string[]; at: Date }): Record<string, string> {
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.messageId, input.at, input.body));
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
