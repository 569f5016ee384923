import { describe, expect, it } from 'vitest';
import type { Container, Pod, ResourceRequirements } from '@mk8s/shared';
import { canonicalJson, containerCreateOptions, containerHash, resourceHostConfig, sandboxCreateOptions } from './container-spec.js';

const pod = (containers: Container[], extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'ns1', uid: 'uid-1' },
  spec: { containers, terminationGracePeriodSeconds: 5, ...extra },
});

const base = { index: '0', nodeName: 'n1', sandboxId: 'sb1', restartCount: 2, image: 'img:1', env: [['A', '1']] as Array<[string, string]>, mounts: [] };

describe('containerCreateOptions', () => {
  it.each([
    { name: 'command only -> Entrypoint, empty Cmd', c: { command: ['sh', '-c', 'x'] }, entry: ['sh', '-c', 'x'], cmd: [] },
    { name: 'args only -> Cmd, image Entrypoint', c: { args: ['a', 'b'] }, entry: undefined, cmd: ['a', 'b'] },
    { name: 'command and args', c: { command: ['x'], args: ['y'] }, entry: ['x'], cmd: ['y'] },
    { name: 'neither -> image defaults', c: {}, entry: undefined, cmd: undefined },
  ])('$name', ({ c, entry, cmd }) => {
    const o = containerCreateOptions(pod([]), { name: 'main', image: 'img:1', ...c }, base);
    expect(o.Entrypoint).toEqual(entry);
    expect(o.Cmd).toEqual(cmd);
  });

  it('joins the sandbox namespaces and carries the adoption labels', () => {
    const o = containerCreateOptions(pod([], { shareProcessNamespace: true }), { name: 'main', image: 'img:1', workingDir: '/w' }, base);
    expect(o.name).toBe('k8s_main_web_ns1_uid-1_2');
    expect(o.HostConfig).toMatchObject({ NetworkMode: 'container:sb1', IpcMode: 'container:sb1', PidMode: 'container:sb1' });
    expect(o.WorkingDir).toBe('/w');
    expect(o.Env).toEqual(['A=1']);
    expect(o.Labels).toMatchObject({
      'io.kubernetes.pod.name': 'web',
      'io.kubernetes.pod.namespace': 'ns1',
      'io.kubernetes.pod.uid': 'uid-1',
      'io.kubernetes.container.name': 'main',
      'io.kubernetes.docker.type': 'container',
      'io.kubernetes.sandbox.id': 'sb1',
      'mk8s.node': 'n1',
      'mk8s.container.restartCount': '2',
      'mk8s.pod.terminationGracePeriod': '5',
    });
  });

  it('does not share the PID namespace by default', () => {
    const o = containerCreateOptions(pod([]), { name: 'main', image: 'img:1' }, base);
    expect(o.HostConfig?.PidMode).toBeUndefined();
  });
});

describe('security context', () => {
  it.each([
    { name: 'nothing', pc: undefined, sc: undefined, user: undefined, host: {} },
    { name: 'pod runAsUser', pc: { runAsUser: 1000, supplementalGroups: [5] }, sc: undefined, user: '1000', host: { GroupAdd: ['5'] } },
    { name: 'container wins', pc: { runAsUser: 1000, runAsGroup: 3 }, sc: { runAsUser: 2000 }, user: '2000:3', host: {} },
    {
      name: 'privileges and capabilities',
      pc: undefined,
      sc: { privileged: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['all'] } },
      user: undefined,
      host: { Privileged: true, ReadonlyRootfs: true, SecurityOpt: ['no-new-privileges'], CapAdd: ['CAP_NET_ADMIN'], CapDrop: ['ALL'] },
    },
  ])('$name', ({ pc, sc, user, host }) => {
    const p = pod([]);
    if (pc) (p.spec as { securityContext?: object }).securityContext = pc;
    const c = { name: 'main', image: 'img:1', ...(sc ? { securityContext: sc } : {}) };
    const o = containerCreateOptions(p, c, base);
    expect(o.User).toBe(user);
    expect(o.HostConfig).toMatchObject(host);
  });
});

describe('resourceHostConfig', () => {
  it.each<{ name: string; r?: ResourceRequirements; want: object }>([
    { name: 'nothing', r: undefined, want: {} },
    { name: 'cpu limit', r: { limits: { cpu: '500m' } }, want: { NanoCpus: 500_000_000, CpuShares: 512 } },
    { name: 'memory limit', r: { limits: { memory: '64Mi' } }, want: { Memory: 67_108_864, MemorySwap: 67_108_864 } },
    { name: 'requests cpu wins for shares', r: { limits: { cpu: '2' }, requests: { cpu: '100m' } }, want: { NanoCpus: 2_000_000_000, CpuShares: 102 } },
    { name: 'tiny request floors at 2 shares', r: { requests: { cpu: '1m' } }, want: { CpuShares: 2 } },
    { name: 'memory request below limit is a reservation', r: { limits: { memory: '64Mi' }, requests: { memory: '32Mi' } }, want: { Memory: 67_108_864, MemorySwap: 67_108_864, MemoryReservation: 33_554_432 } },
    { name: 'memory request equal to limit', r: { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } }, want: { Memory: 67_108_864, MemorySwap: 67_108_864 } },
  ])('$name', ({ r, want }) => {
    expect(resourceHostConfig({ name: 'c', ...(r ? { resources: r } : {}) })).toEqual(want);
  });
});

describe('sandboxCreateOptions', () => {
  it('publishes hostPorts, sets a static IP, hostname and a shareable IPC namespace', () => {
    const p = pod([{ name: 'main', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP' }, { containerPort: 9 }] }]);
    const o = sandboxCreateOptions(p, { nodeName: 'n1', network: 'mk8s', pauseImage: 'mk8s/pause:3.9', podIp: '10.244.1.5', attempt: 0 });
    expect(o.Image).toBe('mk8s/pause:3.9');
    expect(o.Hostname).toBe('web');
    expect(o.HostConfig).toMatchObject({
      NetworkMode: 'mk8s',
      IpcMode: 'shareable',
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '5353' }] },
    });
    expect(o.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(o.NetworkingConfig).toEqual({ EndpointsConfig: { mk8s: { IPAMConfig: { IPv4Address: '10.244.1.5' } } } });
    expect(o.Labels).toMatchObject({ 'io.kubernetes.container.name': 'POD', 'io.kubernetes.docker.type': 'podsandbox', 'mk8s.pod.ip': '10.244.1.5' });
  });

  it.each([
    { name: 'ClusterFirst (default)', policy: undefined, want: { Dns: ['10.96.0.10'], DnsSearch: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], DnsOptions: ['ndots:5'] } },
    { name: 'Default', policy: 'Default' as const, want: {} },
  ])('cluster DNS with dnsPolicy $name', ({ policy, want }) => {
    const p = pod([{ name: 'main' }], policy ? { dnsPolicy: policy } : {});
    const o = sandboxCreateOptions(p, { nodeName: 'n1', network: 'mk8s', pauseImage: 'p', attempt: 0, dns: { servers: ['10.96.0.10'], domain: 'cluster.local' } });
    const h = o.HostConfig ?? {};
    expect({ ...(h.Dns ? { Dns: h.Dns, DnsSearch: h.DnsSearch, DnsOptions: h.DnsOptions } : {}) }).toEqual(want);
  });

  it('uses the host network for hostNetwork pods', () => {
    const o = sandboxCreateOptions(pod([{ name: 'main' }], { hostNetwork: true }), { nodeName: 'n1', network: 'mk8s', pauseImage: 'p', attempt: 1 });
    expect(o.HostConfig?.NetworkMode).toBe('host');
    expect(o.NetworkingConfig).toBeUndefined();
    expect(o.Hostname).toBeUndefined();
  });
});

describe('containerHash', () => {
  const c: Container = { name: 'main', image: 'img:1', env: [{ name: 'A', value: '1' }], resources: { limits: { cpu: '1', memory: '1Gi' } } };
  it.each([
    { name: 'key order does not matter', other: { resources: { limits: { memory: '1Gi', cpu: '1' } }, env: [{ value: '1', name: 'A' }], image: 'img:1', name: 'main' }, same: true },
    { name: 'a JSON round trip does not matter', other: JSON.parse(JSON.stringify(c)) as Container, same: true },
    { name: 'image matters', other: { ...c, image: 'img:2' }, same: false },
    { name: 'env order matters', other: { ...c, env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }, same: false },
  ])('$name', ({ other, same }) => {
    expect(containerHash(other) === containerHash(c)).toBe(same);
  });

  it('is a fixed 16-hex-digit value for a fixed spec', () => {
    expect(containerHash(c)).toMatch(/^[0-9a-f]{16}$/);
    expect(containerHash(c)).toBe(containerHash({ ...c }));
  });

  it('canonicalJson drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [{ y: 1, x: 2 }] })).toBe('{"b":1,"c":[{"x":2,"y":1}]}');
  });
});
