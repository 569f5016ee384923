import { describe, expect, it } from 'vitest';
import { buildNode, nodeStatus, type NodeConfig } from './register.js';

const cfg: NodeConfig = { name: 'n1', ip: '10.0.0.5', hostname: 'n1', cpu: '2', memory: '4Gi', maxPods: 110, kubeletPort: 10250, dockerVersion: '20.10.24', podCidr: '10.244.1.0/24', labels: { role: 'worker' } };

describe('buildNode', () => {
  it('describes the node: labels, podCIDR, capacity, addresses, endpoints, versions', () => {
    const n = buildNode(cfg, '2026-01-01T00:00:00Z');
    expect(n.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', role: 'worker' });
    expect(n.metadata.labels?.['kubernetes.io/arch']).toBeTruthy();
    expect(n.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(n.status?.capacity).toMatchObject({ cpu: '2', memory: '4Gi', pods: '110' });
    expect(n.status?.allocatable).toEqual(n.status?.capacity);
    expect(n.status?.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'Hostname', address: 'n1' },
    ]);
    expect(n.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(n.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-mk8s', containerRuntimeVersion: 'docker://20.10.24', operatingSystem: 'linux' });
  });
});

describe('nodeStatus', () => {
  it.each([
    { name: 'ready', ready: true, status: 'True', reason: 'KubeletReady' },
    { name: 'not ready', ready: false, status: 'False', reason: 'KubeletNotReady' },
  ])('$name heartbeat', ({ ready, status, reason }) => {
    const s = nodeStatus(cfg, undefined, '2026-01-01T00:00:10Z', ready);
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status, reason, lastHeartbeatTime: '2026-01-01T00:00:10Z' });
  });

  it('keeps lastTransitionTime while the status holds and moves the heartbeat', () => {
    const first = nodeStatus(cfg, undefined, '2026-01-01T00:00:00Z', true);
    const second = nodeStatus(cfg, first, '2026-01-01T00:00:10Z', true);
    expect(second.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ lastTransitionTime: '2026-01-01T00:00:00Z', lastHeartbeatTime: '2026-01-01T00:00:10Z' });
  });
});

describe('system info on the node', () => {
  it('reports the machine identity it is given', () => {
    const system = { machineID: 'm1', systemUUID: 'u1', bootID: 'b1', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)' };
    const n = buildNode({ ...cfg, system }, '2026-01-01T00:00:00Z');
    expect(n.status?.nodeInfo).toMatchObject(system);
  });
});
