import { describe, expect, it } from 'vitest';
import { run } from '../validation/testutil.js';
import { kubernetesEndpointSlice } from './kubernetes-endpointslice.js';

describe('kubernetesEndpointSlice', () => {
  it.each([
    ['a routable address is a valid slice', '192.168.1.10', []],
    ['loopback is refused, so the apiserver skips it', '127.0.0.1', [['endpoints[0].addresses[0]', 'FieldValueInvalid']]],
  ])('%s', (_n, ip, want) => {
    expect(run('EndpointSlice', kubernetesEndpointSlice(ip, 6443))).toEqual(want);
  });

  it('is labelled for kubectl describe service, not as controller-managed', () => {
    expect(kubernetesEndpointSlice('192.168.1.10', 6443).metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
  });
});
