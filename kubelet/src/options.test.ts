import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('kubelet parseOptions', () => {
  it('has the defaults', () => {
    const o = parseOptions(['--node-name', 'n1'], {});
    expect(o).toMatchObject({
      nodeName: 'n1',
      rootDir: '/var/lib/mk8s/kubelet-n1',
      clusterCidr: '10.244.0.0/16',
      dockerNetwork: 'mk8s',
      address: '0.0.0.0',
      port: 10250,
      opsAddress: '127.0.0.1',
      opsPort: 10248,
      maxPods: 110,
      nodeStatusUpdateFrequencySeconds: 10,
      nodeLeaseDurationSeconds: 40,
      relistPeriodMs: 1000,
      syncFrequencySeconds: 10,
      clusterDns: [],
      clusterDomain: 'cluster.local',
      nodeLabels: {},
    });
    expect(o.podCidr).toBeUndefined();
    expect(o.dockerSocket).toBeUndefined();
  });

  it.each([
    { name: 'ports and counts', args: ['--port', '0', '--ops-port', '0', '--max-pods', '20'], want: { port: 0, opsPort: 0, maxPods: 20 } },
    { name: 'fractional seconds', args: ['--sync-frequency', '0.5', '--crash-backoff-base', '1'], want: { syncFrequencySeconds: 0.5, crashBackoffBaseSeconds: 1 } },
    { name: 'node labels', args: ['--node-labels', 'zone=a, tier=x=y'], want: { nodeLabels: { zone: 'a', tier: 'x=y' } } },
    { name: 'cluster DNS list', args: ['--cluster-dns', '10.96.0.10,10.96.0.11'], want: { clusterDns: ['10.96.0.10', '10.96.0.11'] } },
    { name: 'pod CIDR', args: ['--pod-cidr', '10.244.3.0/24'], want: { podCidr: '10.244.3.0/24' } },
  ])('$name', ({ args, want }) => {
    expect(parseOptions(args, {})).toMatchObject(want);
  });

  it('reads the environment, parsed like the flags', () => {
    const env = { NODE_NAME: 'env-node', MAX_PODS: '7', SYNC_FREQUENCY: '2', KUBELET_OPS_PORT: '0', DOCKER_SOCKET: '/s.sock', NODE_LABELS: 'a=b' };
    expect(parseOptions([], env)).toMatchObject({ nodeName: 'env-node', maxPods: 7, syncFrequencySeconds: 2, opsPort: 0, dockerSocket: '/s.sock', nodeLabels: { a: 'b' } });
  });

  it.each([
    { name: 'a port out of range', args: ['--port', '70000'], err: /65535/ },
    { name: 'a word for a count', args: ['--max-pods', 'lots'], err: /integer/ },
    { name: 'zero seconds', args: ['--node-status-update-frequency', '0'], err: /positive number of seconds/ },
    { name: 'a bad CIDR', args: ['--pod-cidr', '10.244.1.0'], err: /CIDR/ },
    { name: 'a label without a value', args: ['--node-labels', 'zone'], err: /key=value/ },
    { name: 'a bad value in the environment', args: [], env: { MAX_PODS: '-3' }, err: /integer/ },
  ])('refuses $name', ({ args, env, err }) => {
    expect(() => parseOptions(args, env ?? {})).toThrow(err);
  });
});
