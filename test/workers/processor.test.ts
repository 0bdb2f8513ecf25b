import { UnrecoverableError, type Job } from 'bullmq';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { crawlRepositoryJob } from '../../src/jobs/crawl-repository.job';
import { PermanentJobError } from '../../src/jobs/contract';
import { toProcessor } from '../../workers/processor';

const logger = pino({ level: 'silent' });
const job = (progress: number[]) =>
  ({ id: '1', data: {}, attemptsMade: 0, opts: { attempts: 5 }, updateProgress: async (p: number) => void progress.push(p) }) as unknown as Job;

describe('the BullMQ processor adapter', () => {
  it('turns a permanent failure into UnrecoverableError so BullMQ does not retry it', async () => {
    const processor = toProcessor(crawlRepositoryJob, async () => {
      throw new PermanentJobError('repository not found (HTTP 404)');
    }, logger);
    await expect(processor(job([]))).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('lets a temporary failure through for BullMQ\'s backoff and passes progress and a time-limit signal', async () => {
    const progress: number[] = [];
    let signal: AbortSignal | undefined;
    const processor = toProcessor(crawlRepositoryJob, async (_payload, context) => {
      signal = context.signal;
      await context.updateProgress(40);
      expect(context).toMatchObject({ attempt: 1, maxAttempts: 5 });
      throw new Error('HTTP 503');
    }, logger);
    const error = await processor(job(progress)).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(progress).toEqual([40]);
    expect(signal?.aborted).toBe(false);
  });
});
