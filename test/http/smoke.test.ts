import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/hub';

describe('the API on a fresh database', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => hub.close());

  it('answers liveness and readiness', async () => {
    expect((await hub.app.inject('/health')).statusCode).toBe(200);
    const ready = await hub.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', queue: 'ok' });
  });
});
