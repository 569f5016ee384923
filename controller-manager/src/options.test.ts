import { describe, expect, it } from 'vitest';
import { controllerEnabled, parseOptions } from './options.js';

describe('controllerEnabled', () => {
  it.each([
    ['replicaset', ['*'], true],
    ['replicaset', ['*', '-replicaset'], false],
    ['replicaset', ['deployment'], false],
    ['replicaset', ['deployment', 'replicaset'], true],
  ] as const)('%s under %j -> %s', (name, list, want) => expect(controllerEnabled(name, [...list])).toBe(want));
});

describe('parseOptions', () => {
  it('has Kubernetes defaults', () => {
    const o = parseOptions([], {});
    expect(o.controllers).toEqual(['*']);
    expect(o.leaderElect).toBe(true);
    expect(o.leaseNamespace).toBe('kube-system');
    expect(o.leaseName).toBe('kube-controller-manager');
    expect(o.controllerOptions).toMatchObject({
      nodeMonitorGracePeriodMs: 40_000,
      nodeMonitorPeriodMs: 5000,
      clusterCidr: '10.244.0.0/16',
      nodeCidrMaskSize: 24,
      hpaSyncPeriodMs: 15_000,
      hpaDownscaleStabilizationMs: 300_000,
    });
  });
  it.each([
    [['--node-monitor-grace-period', '5s'], 'nodeMonitorGracePeriodMs', 5000],
    [['--node-monitor-period', '300ms'], 'nodeMonitorPeriodMs', 300],
    [['--concurrent-syncs', '2'], 'concurrentSyncs', 2],
    [['--node-cidr-mask-size', '26'], 'nodeCidrMaskSize', 26],
    [[], 'maxEndpointsPerSlice', 100],
    [['--max-endpoints-per-slice', '5'], 'maxEndpointsPerSlice', 5],
    [[], 'rootCAFile', undefined],
    [['--root-ca-file', '/pki/ca.crt'], 'rootCAFile', '/pki/ca.crt'],
  ] as const)('%j sets %s', (argv, field, want) => expect(parseOptions([...argv], {}).controllerOptions[field]).toBe(want));
  it.each([
    [['--leader-elect=false'], false],
    [['--no-leader-elect'], false],
    [['--leader-elect', 'true'], true],
  ] as const)('%j -> leaderElect %s', (argv, want) => expect(parseOptions([...argv], {}).leaderElect).toBe(want));
  it.each(['0', '1001', 'many'])('rejects --max-endpoints-per-slice %s', (n) => expect(() => parseOptions(['--max-endpoints-per-slice', n], {})).toThrow());
  it('rejects a bad duration', () => expect(() => parseOptions(['--node-monitor-period', 'soon'], {})).toThrow());
  it('reads the environment, parsed like the flags', () => {
    const o = parseOptions([], { CONTROLLER_MANAGER_CONCURRENT_SYNCS: '3', NODE_MONITOR_PERIOD: '2s', CONTROLLER_MANAGER_CONTROLLERS: '*,-hpa' });
    expect(o.controllerOptions).toMatchObject({ concurrentSyncs: 3, nodeMonitorPeriodMs: 2000 });
    expect(o.controllers).toEqual(['*', '-hpa']);
    expect(parseOptions([], { ROOT_CA_FILE: '/pki/ca.crt' }).controllerOptions.rootCAFile).toBe('/pki/ca.crt');
    expect(() => parseOptions([], { CONTROLLER_MANAGER_CONCURRENT_SYNCS: 'lots' })).toThrow(/integer/);
  });
});
