import { describe, it, expect } from 'vitest';
import { ApiError } from '@mk8s/shared';
import { CliError, formatError } from './errors.js';

const netErr = (code: string, message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { code, ...extra });

describe('formatError', () => {
  it.each([
    { name: 'local error', err: new CliError('bad flag'), want: 'error: bad flag' },
    { name: 'not found', err: new ApiError(404, 'NotFound', 'pods "x" not found'), want: 'Error from server (NotFound): pods "x" not found' },
    {
      name: 'invalid with causes',
      err: new ApiError(422, 'Invalid', 'ignored', { kind: 'Pod', name: 'x', causes: [{ field: 'spec.containers[0].image', message: 'Required value' }] }),
      want: 'The Pod "x" is invalid: spec.containers[0].image: Required value',
    },
    { name: 'unauthorized', err: new ApiError(401, 'Unauthorized', 'Unauthorized'), want: 'error: You must be logged in to the server (Unauthorized)' },
    { name: 'no reason', err: new ApiError(500, '', 'boom\nsecond line'), want: 'Error from server: boom second line' },
    { name: 'refused', err: netErr('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', { address: '127.0.0.1', port: 1 }), want: 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?' },
    { name: 'untrusted certificate', err: netErr('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), want: 'Unable to connect to the server: unable to verify the first certificate' },
    { name: 'not an Error', err: 'weird', want: 'error: weird' },
  ])('$name', ({ err, want }) => expect(formatError(err)).toBe(want));
});
