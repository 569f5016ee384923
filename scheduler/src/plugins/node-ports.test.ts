import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod, type PodOpts } from '../testing/fixtures.js';
import { nodePorts, REASON } from './node-ports.js';

type Ports = PodOpts['hostPorts'];

describe('NodePorts', () => {
  it.each<{ name: string; want: Ports; used: Ports[]; fits: boolean }>([
    { name: 'no host ports', want: [], used: [[8080]], fits: true },
    { name: 'free port', want: [8080], used: [[9090]], fits: true },
    { name: 'same port taken', want: [8080], used: [[8080]], fits: false },
    { name: 'same port, other protocol', want: [{ port: 8080, protocol: 'UDP' }], used: [[8080]], fits: true },
    { name: 'same port, different specific IPs', want: [{ port: 8080, ip: '10.0.0.1' }], used: [[{ port: 8080, ip: '10.0.0.2' }]], fits: true },
    { name: 'same port, same specific IP', want: [{ port: 8080, ip: '10.0.0.1' }], used: [[{ port: 8080, ip: '10.0.0.1' }]], fits: false },
    { name: 'wildcard wanted, specific used', want: [8080], used: [[{ port: 8080, ip: '10.0.0.1' }]], fits: false },
    { name: 'specific wanted, wildcard used', want: [{ port: 8080, ip: '10.0.0.1' }], used: [[8080]], fits: false },
    { name: 'one of several taken', want: [80, 443], used: [[443]], fits: false },
  ])('$name', ({ want, used, fits }) => {
    const info = nodeInfo(node('n1'), used.map((u, i) => pod(`e${i}`, { hostPorts: u })));
    expect(nodePorts().filter!(pod('p', { hostPorts: want }), info)).toEqual(
      fits ? { code: 'Success', reasons: [] } : { code: 'Unschedulable', reasons: [REASON] },
    );
  });

  it('frees the port when the pod using it is removed', () => {
    const info = nodeInfo(node('n1'), [pod('e', { hostPorts: [80] })]);
    info.removePod('uid-e');
    expect(nodePorts().filter!(pod('p', { hostPorts: [80] }), info).code).toBe('Success');
  });
});
