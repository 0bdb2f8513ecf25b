import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { defineJob, PermanentJobError } from '../../src/jobs/contract';
import { InProcessQueue } from '../../src/jobs/in-process-queue';

const quiet = { warn() {}, error() {} };
const job = defineJob({
  name: 'probe',
  payload: Type.Object({ key: Type.String(), n: Type.Number() }),
  attempts: 2,
  backoffMs: 1,
  timeoutMs: 5_000,
  dedupId: (p) => `probe:${p.key}`,
});

/** Embedded mode's runner, through its public interface: what BullMQ's deduplication promises. */
describe('the in-process job queue', () => {
  it('drops a duplicate while the job waits, and keeps one more run when it arrives while the job runs', async () => {
    const runs: number[] = [];
    let finish!: () => void;
    const first = new Promise<void>((resolve) => (finish = resolve));
    const queue = new InProcessQueue({ probe: async (payload) => {
      const { n } = payload as { n: number };
      runs.push(n);
      if (n === 1) await first;
    } }, quiet, 1);
    await queue.enqueue(job, { key: 'a', n: 1 });
    await new Promise((r) => setTimeout(r, 10)); // n=1 is running now
    expect(await queue.enqueue(job, { key: 'a', n: 2 })).toMatchObject({ deduplicated: true });
    expect(await queue.enqueue(job, { key: 'a', n: 3 })).toMatchObject({ deduplicated: true });
    finish();
    await queue.idle();
    // The run asked for during n=1 happens once, with the latest payload.
    expect(runs).toEqual([1, 3]);
    await queue.close();
  });

  it('a bulk add repeated while its jobs wait adds nothing twice, and an id is free again once its job ran', async () => {
    const runs: string[] = [];
    const queue = new InProcessQueue({ probe: async (payload) => {
      runs.push((payload as { key: string }).key);
    } }, quiet, 1);
    const round = [
      { jobId: 'round-1.a', payload: { key: 'a', n: 1 }, delayMs: 30 },
      { jobId: 'round-1.b', payload: { key: 'b', n: 1 }, delayMs: 30 },
    ];
    await queue.enqueueBulk(job, round);
    // The fan-out retried after failing half-way: the same ids again.
    await queue.enqueueBulk(job, round);
    await queue.idle();
    expect(runs.sort()).toEqual(['a', 'b']);
    await queue.enqueueBulk(job, round.slice(0, 1));
    await queue.idle();
    expect(runs.sort()).toEqual(['a', 'a', 'b']);
    await queue.close();
  });

  it('retries a temporary failure, not a permanent one, and frees the key afterwards', async () => {
    const calls: string[] = [];
    const queue = new InProcessQueue({ probe: async (payload, context) => {
      const { key } = payload as { key: string };
      calls.push(`${key}#${context.attempt}`);
      if (key === 'permanent') throw new PermanentJobError('gone');
      if (context.attempt === 1) throw new Error('flaky');
    } }, quiet, 2);
    await queue.enqueue(job, { key: 'temporary', n: 1 });
    await queue.enqueue(job, { key: 'permanent', n: 1 });
    await queue.idle();
    expect(calls.sort()).toEqual(['permanent#1', 'temporary#1', 'temporary#2']);
    expect(await queue.enqueue(job, { key: 'temporary', n: 2 })).toMatchObject({ deduplicated: false });
    await queue.idle();
    await queue.close();
  });
});
