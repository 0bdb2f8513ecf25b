import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('transferhub peers', () => {
  it('refuses to start without the hub address and admin token, with exit code 2', async () => {
    const run = await runCli(['peers', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TRANSFERHUB_URL is not set/);
    const noToken = await runCli(['peers', 'list'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/TRANSFERHUB_TOKEN is not set/);
  });

  it('names the quarantine decisions it knows when given another', async () => {
    const run = await runCli(['peers', 'quarantine', 'some-peer', 'approve', 'x'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9', TRANSFERHUB_TOKEN: 't' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/release\|discard/);
  });

  it('reports an unreachable hub with exit code 6', async () => {
    const run = await runCli(['peers', 'sync', 'some-peer'], { env: { TRANSFERHUB_URL: 'http://127.0.0.1:9', TRANSFERHUB_TOKEN: 't' } });
    expect(run.code).toBe(6);
  });
});
