import { describe, it, expect } from 'vitest';
import { silentLogger } from '@mk8s/shared';
import { bearerToken, isAuthenticated } from './auth.js';

describe('bearerToken', () => {
  it.each<[string, string | string[] | undefined, string | undefined]>([
    ['bearer', 'Bearer abc.def', 'abc.def'],
    ['case-insensitive scheme', 'bearer tok', 'tok'],
    ['basic', 'Basic dXNlcjpw', undefined],
    ['empty token', 'Bearer ', undefined],
    ['absent', undefined, undefined],
    ['array', ['Bearer first', 'Bearer second'], 'first'],
  ])('%s', (_name, header, want) => {
    expect(bearerToken(header)).toBe(want);
  });
});

describe('isAuthenticated', () => {
  const log = silentLogger();
  it.each<[string, string | undefined, (t: string) => Promise<boolean>, boolean]>([
    ['accepted', 'Bearer good', async (t) => t === 'good', true],
    ['rejected', 'Bearer bad', async (t) => t === 'good', false],
    ['no header', undefined, async () => true, false],
    ['authenticator throws', 'Bearer good', async () => Promise.reject(new Error('apiserver down')), false],
  ])('%s', async (_name, header, authenticate, want) => {
    expect(await isAuthenticated(header, authenticate, log)).toBe(want);
  });
});
