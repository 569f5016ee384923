import { describe, expect, it } from 'vitest';
import { buildTokenRequest, type TokenOptions } from './token.js';

describe('buildTokenRequest', () => {
  it.each<[string, TokenOptions, object]>([
    ['no flags: the server picks audiences and lifetime', {}, {}],
    ['duration in minutes', { duration: '10m' }, { expirationSeconds: 600 }],
    ['duration with hours and minutes', { duration: '1h30m' }, { expirationSeconds: 5400 }],
    ['zero duration leaves it to the server', { duration: '0s' }, {}],
    ['audiences', { audience: ['a', 'b'] }, { audiences: ['a', 'b'] }],
    ['bound to a pod', { boundObjectKind: 'Pod', boundObjectName: 'web' }, { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }],
    [
      'bound to a secret with uid',
      { boundObjectKind: 'Secret', boundObjectName: 's', boundObjectUid: 'u-1' },
      { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'u-1' } },
    ],
  ])('%s', (_name, opts, spec) => {
    expect(buildTokenRequest(opts)).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec });
  });

  it.each<[string, TokenOptions, string]>([
    ['sub-second duration', { duration: '1500ms' }, '--duration cannot be expressed in units less than seconds'],
    ['garbage duration', { duration: 'soon' }, 'invalid duration "soon"'],
    ['empty audience', { audience: [''] }, '--audience must not be an empty string'],
    ['unsupported kind', { boundObjectKind: 'Node', boundObjectName: 'n' }, 'supported --bound-object-kind values are Pod, Secret'],
    ['kind without name', { boundObjectKind: 'Pod' }, '--bound-object-name is required if --bound-object-kind is provided'],
    ['name without kind', { boundObjectName: 'web' }, '--bound-object-name can only be set if --bound-object-kind is provided'],
    ['uid without kind', { boundObjectUid: 'u' }, '--bound-object-uid can only be set if --bound-object-kind is provided'],
  ])('refuses %s', (_name, opts, message) => {
    expect(() => buildTokenRequest(opts)).toThrow(message);
  });
});
