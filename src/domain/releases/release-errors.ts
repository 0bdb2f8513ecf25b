import { AppError } from '../../lib/errors';

/** The fields a push states that contradict the published release ("notes", "url"). */
export class ReleaseVersionConflict extends AppError {
  constructor(version: string, differing: string[]) {
    super(
      409,
      'release-version-conflict',
      'Conflict',
      `Version ${version} is already published with other ${differing.join(', ')}; publish a new version instead.`,
      differing.map((field) => ({ field: `/${field}`, message: 'differs from the published release' })),
    );
  }
}
