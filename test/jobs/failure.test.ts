import { describe, expect, it } from 'vitest';
import { GitRemoteError } from '../../src/git/errors';
import { InvalidJobPayload, PermanentJobError } from '../../src/jobs/contract';
import { failureLogFields, jobFailure } from '../../src/jobs/failure';

const attempt = (n: number, max = 5) => ({ attempt: n, maxAttempts: max });

describe('jobFailure: the one decision between retrying and giving up', () => {
  it('retries an ordinary error while attempts are left and gives up on the last one', () => {
    expect(jobFailure(new Error('connection reset'), attempt(1))).toEqual({ retry: true, permanent: false });
    expect(jobFailure(new Error('connection reset'), attempt(4))).toEqual({ retry: true, permanent: false });
    expect(jobFailure(new Error('connection reset'), attempt(5))).toEqual({ retry: false, permanent: false });
  });

  it('never retries a permanent job error, a malformed payload or a git remote that answered for good', () => {
    expect(jobFailure(new PermanentJobError('organisation gone'), attempt(1))).toEqual({ retry: false, permanent: true });
    expect(jobFailure(new InvalidJobPayload('bad payload'), attempt(1))).toEqual({ retry: false, permanent: true });
    expect(jobFailure(new GitRemoteError('not-found', 'repository not found (HTTP 404)', 404), attempt(1))).toEqual({ retry: false, permanent: true });
  });

  it('retries a temporary git failure, and a host too slow only twice in all', () => {
    expect(jobFailure(new GitRemoteError('temporary', 'HTTP 503', 503), attempt(2))).toEqual({ retry: true, permanent: false });
    expect(jobFailure(new GitRemoteError('slow', 'too slow'), attempt(1))).toEqual({ retry: true, permanent: false });
    expect(jobFailure(new GitRemoteError('slow', 'too slow'), attempt(2))).toEqual({ retry: false, permanent: false });
  });

  it('gives up on values that are not errors once attempts are spent, without throwing itself', () => {
    expect(jobFailure('a string', attempt(1, 1))).toEqual({ retry: false, permanent: false });
    expect(jobFailure(null, attempt(1, 3))).toEqual({ retry: true, permanent: false });
  });
});

describe('failureLogFields: what a failed attempt puts in the log', () => {
  it('a failure the thrower described is one line with its reason, without a stack', () => {
    expect(failureLogFields(new GitRemoteError('temporary', 'the host name "github.com" could not be resolved'))).toEqual({ reason: 'the host name "github.com" could not be resolved' });
    expect(failureLogFields(new PermanentJobError('no handler'))).toEqual({ reason: 'no handler' });
  });

  it('an unexpected error keeps the error itself, stack and all', () => {
    const error = new TypeError('cannot read properties of undefined');
    expect(failureLogFields(error)).toEqual({ err: error });
  });
});
