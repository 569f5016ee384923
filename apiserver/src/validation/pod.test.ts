import { describe, it, expect } from 'vitest';
import type { Pod } from '@mk8s/shared';
import { messages, mutate, run, runUpdate, type Mutator } from './testutil.js';
import { POD_UPDATE_FORBIDDEN } from './pod.js';
import { strategies } from './index.js';

const newPod = (m: Mutator<Pod> = () => {}): Pod =>
  mutate<Pod>(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.25',
            ports: [{ name: 'http', containerPort: 80 }],
            env: [{ name: 'MODE', value: 'prod' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            livenessProbe: { httpGet: { port: 'http', path: '/healthz' } },
            readinessProbe: { tcpSocket: { port: 80 } },
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
    m,
  );

const c0 = (p: Pod) => p.spec.containers[0]!;

describe('Pod validation', () => {
  it.each<[string, Mutator<Pod>, Array<[string, string]>]>([
    ['valid pod', () => {}, []],
    ['valid with init container', (p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox' }]), []],
    ['valid configMap volume with items', (p) => p.spec.volumes!.push({ name: 'cfg', configMap: { name: 'c', items: [{ key: 'a', path: 'dir/a' }] } }), []],
    ['containers missing', (p) => (p.spec.containers = []), [['spec.containers', 'FieldValueRequired']]],
    ['container name missing', (p) => (c0(p).name = ''), [['spec.containers[0].name', 'FieldValueRequired']]],
    ['container name not a DNS label', (p) => (c0(p).name = 'App_1'), [['spec.containers[0].name', 'FieldValueInvalid']]],
    [
      'duplicate container names',
      (p) => p.spec.containers.push({ name: 'app', image: 'busybox' }),
      [['spec.containers[1].name', 'FieldValueDuplicate']],
    ],
    [
      'init container name clashes with container',
      (p) => (p.spec.initContainers = [{ name: 'app', image: 'busybox' }]),
      [['spec.initContainers[0].name', 'FieldValueDuplicate']],
    ],
    ['image missing', (p) => delete c0(p).image, [['spec.containers[0].image', 'FieldValueRequired']]],
    ['image with whitespace', (p) => (c0(p).image = ' nginx'), [['spec.containers[0].image', 'FieldValueInvalid']]],
    ['bad imagePullPolicy', (p) => (c0(p).imagePullPolicy = 'Sometimes' as never), [['spec.containers[0].imagePullPolicy', 'FieldValueNotSupported']]],
    ['containerPort 0', (p) => (c0(p).ports![0]!.containerPort = 0), [['spec.containers[0].ports[0].containerPort', 'FieldValueInvalid']]],
    ['containerPort too big', (p) => (c0(p).ports![0]!.containerPort = 70000), [['spec.containers[0].ports[0].containerPort', 'FieldValueInvalid']]],
    ['hostPort out of range', (p) => (c0(p).ports![0]!.hostPort = 70000), [['spec.containers[0].ports[0].hostPort', 'FieldValueInvalid']]],
    ['bad protocol', (p) => (c0(p).ports![0]!.protocol = 'HTTP' as never), [['spec.containers[0].ports[0].protocol', 'FieldValueNotSupported']]],
    ['bad port name', (p) => (c0(p).ports![0]!.name = 'HTTP'), [
      ['spec.containers[0].ports[0].name', 'FieldValueInvalid'],
      ['spec.containers[0].ports[0].name', 'FieldValueInvalid'],
    ]],
    [
      'duplicate containerPort/protocol',
      (p) => c0(p).ports!.push({ containerPort: 80 }),
      [['spec.containers[0].ports[1].containerPort', 'FieldValueDuplicate']],
    ],
    ['same port different protocol ok', (p) => c0(p).ports!.push({ containerPort: 80, protocol: 'UDP' }), []],
    [
      'duplicate port name',
      (p) => c0(p).ports!.push({ name: 'http', containerPort: 81 }),
      [['spec.containers[0].ports[1].name', 'FieldValueDuplicate']],
    ],
    [
      'duplicate hostPort across containers',
      (p) => {
        c0(p).ports![0]!.hostPort = 8080;
        p.spec.containers.push({ name: 'b', image: 'x:1', ports: [{ containerPort: 81, hostPort: 8080 }] });
      },
      [['spec.containers[1].ports[0].hostPort', 'FieldValueDuplicate']],
    ],
    ['hostNetwork defaults hostPort', (p) => (p.spec.hostNetwork = true), []],
    [
      'hostNetwork hostPort differs',
      (p) => ((p.spec.hostNetwork = true), (c0(p).ports![0]!.hostPort = 8080)),
      [['spec.containers[0].ports[0].hostPort', 'FieldValueInvalid']],
    ],
    ['env name missing', (p) => (c0(p).env![0]!.name = ''), [['spec.containers[0].env[0].name', 'FieldValueRequired']]],
    ['env name starts with digit', (p) => (c0(p).env![0]!.name = '1MODE'), [['spec.containers[0].env[0].name', 'FieldValueInvalid']]],
    ['env name with dots ok', (p) => (c0(p).env![0]!.name = 'my.env-name'), []],
    [
      'env value and valueFrom',
      (p) => (c0(p).env![0]!.valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }),
      [['spec.containers[0].env[0].valueFrom', 'FieldValueInvalid']],
    ],
    [
      'env valueFrom empty',
      (p) => (c0(p).env = [{ name: 'X', valueFrom: {} }]),
      [['spec.containers[0].env[0].valueFrom', 'FieldValueInvalid']],
    ],
    ['bad cpu quantity', (p) => (c0(p).resources!.limits!.cpu = 'lots'), [['spec.containers[0].resources.limits[cpu]', 'FieldValueInvalid']]],
    ['negative memory', (p) => (c0(p).resources!.requests!.memory = '-1'), [['spec.containers[0].resources.requests[memory]', 'FieldValueInvalid']]],
    ['request above limit', (p) => (c0(p).resources!.requests!.cpu = '2'), [['spec.containers[0].resources.requests[cpu]', 'FieldValueInvalid']]],
    ['request equal to limit in other units ok', (p) => (c0(p).resources!.requests!.cpu = '1000m'), []],
    [
      'unqualified extended resource (request defaulted from limit)',
      (p) => (c0(p).resources!.limits!['gpu'] = '1'),
      [
        ['spec.containers[0].resources.limits[gpu]', 'FieldValueInvalid'],
        ['spec.containers[0].resources.requests[gpu]', 'FieldValueInvalid'],
      ],
    ],
    ['qualified extended resource ok', (p) => (c0(p).resources!.limits!['example.com/gpu'] = '1'), []],
    ['duplicate volume names', (p) => p.spec.volumes!.push({ name: 'data', emptyDir: {} }), [['spec.volumes[1].name', 'FieldValueDuplicate']]],
    ['volume name invalid', (p) => p.spec.volumes!.push({ name: 'Bad_Name', emptyDir: {} }), [['spec.volumes[1].name', 'FieldValueInvalid']]],
    ['volume without source', (p) => p.spec.volumes!.push({ name: 'x' }), [['spec.volumes[1]', 'FieldValueRequired']]],
    [
      'volume with two sources',
      (p) => p.spec.volumes!.push({ name: 'x', emptyDir: {}, hostPath: { path: '/tmp' } }),
      [['spec.volumes[1].emptyDir', 'FieldValueForbidden']],
    ],
    ['hostPath without path', (p) => p.spec.volumes!.push({ name: 'x', hostPath: { path: '' } }), [['spec.volumes[1].hostPath.path', 'FieldValueRequired']]],
    ['secret volume without name', (p) => p.spec.volumes!.push({ name: 'x', secret: {} }), [['spec.volumes[1].secret.secretName', 'FieldValueRequired']]],
    [
      'pvc volume without claim',
      (p) => p.spec.volumes!.push({ name: 'x', persistentVolumeClaim: { claimName: '' } }),
      [['spec.volumes[1].persistentVolumeClaim.claimName', 'FieldValueRequired']],
    ],
    [
      'configMap item path escapes',
      (p) => p.spec.volumes!.push({ name: 'x', configMap: { name: 'c', items: [{ key: 'a', path: '../a' }] } }),
      [['spec.volumes[1].configMap.items[0].path', 'FieldValueInvalid']],
    ],
    ['mount of undeclared volume', (p) => (c0(p).volumeMounts![0]!.name = 'nope'), [['spec.containers[0].volumeMounts[0].name', 'FieldValueNotFound']]],
    ['mountPath missing', (p) => (c0(p).volumeMounts![0]!.mountPath = ''), [['spec.containers[0].volumeMounts[0].mountPath', 'FieldValueRequired']]],
    [
      'duplicate mountPath',
      (p) => c0(p).volumeMounts!.push({ name: 'data', mountPath: '/data' }),
      [['spec.containers[0].volumeMounts[1].mountPath', 'FieldValueInvalid']],
    ],
    ['absolute subPath', (p) => (c0(p).volumeMounts![0]!.subPath = '/etc'), [['spec.containers[0].volumeMounts[0].subPath', 'FieldValueInvalid']]],
    ['subPath with ..', (p) => (c0(p).volumeMounts![0]!.subPath = 'a/../../b'), [['spec.containers[0].volumeMounts[0].subPath', 'FieldValueInvalid']]],
    ['relative subPath ok', (p) => (c0(p).volumeMounts![0]!.subPath = 'a/b'), []],
    ['probe without handler', (p) => (c0(p).livenessProbe = { periodSeconds: 5 }), [['spec.containers[0].livenessProbe', 'FieldValueRequired']]],
    [
      'probe with two handlers',
      (p) => (c0(p).readinessProbe = { tcpSocket: { port: 80 }, exec: { command: ['true'] } }),
      [['spec.containers[0].readinessProbe.tcpSocket', 'FieldValueForbidden']],
    ],
    ['exec probe without command', (p) => (c0(p).readinessProbe = { exec: {} }), [['spec.containers[0].readinessProbe.exec.command', 'FieldValueRequired']]],
    ['probe negative period', (p) => (c0(p).readinessProbe!.periodSeconds = -1), [['spec.containers[0].readinessProbe.periodSeconds', 'FieldValueInvalid']]],
    ['liveness successThreshold must be 1', (p) => (c0(p).livenessProbe!.successThreshold = 2), [['spec.containers[0].livenessProbe.successThreshold', 'FieldValueInvalid']]],
    ['readiness successThreshold 2 ok', (p) => (c0(p).readinessProbe!.successThreshold = 2), []],
    ['probe bad port', (p) => (c0(p).readinessProbe = { tcpSocket: { port: 0 } }), [['spec.containers[0].readinessProbe.tcpSocket.port', 'FieldValueInvalid']]],
    ['bad restartPolicy', (p) => (p.spec.restartPolicy = 'Sometimes' as never), [['spec.restartPolicy', 'FieldValueNotSupported']]],
    ['bad dnsPolicy', (p) => (p.spec.dnsPolicy = 'Google' as never), [['spec.dnsPolicy', 'FieldValueNotSupported']]],
    ['negative grace period', (p) => (p.spec.terminationGracePeriodSeconds = -1), [['spec.terminationGracePeriodSeconds', 'FieldValueInvalid']]],
    ['zero activeDeadlineSeconds', (p) => (p.spec.activeDeadlineSeconds = 0), [['spec.activeDeadlineSeconds', 'FieldValueInvalid']]],
    ['bad nodeSelector key', (p) => (p.spec.nodeSelector = { 'a b': 'x' }), [['spec.nodeSelector', 'FieldValueInvalid']]],
    ['bad nodeName', (p) => (p.spec.nodeName = 'Node_1'), [['spec.nodeName', 'FieldValueInvalid']]],
    ['toleration bad effect', (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'Never' as never }]), [['spec.tolerations[0].effect', 'FieldValueNotSupported']]],
    ['toleration Exists with value', (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]), [['spec.tolerations[0].operator', 'FieldValueInvalid']]],
    [
      'tolerationSeconds without NoExecute',
      (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]),
      [['spec.tolerations[0].effect', 'FieldValueInvalid']],
    ],
    ['init container with probe', (p) => (p.spec.initContainers = [{ name: 'i', image: 'x', readinessProbe: { exec: { command: ['a'] } } }]), [['spec.initContainers[0].readinessProbe', 'FieldValueForbidden']]],
  ])('%s', (_name, m, want) => {
    expect(run('Pod', newPod(m))).toEqual(want);
  });

  it.each<[string, Mutator<Pod>, string]>([
    ['image required', (p) => delete c0(p).image, 'spec.containers[0].image: Required value'],
    ['undeclared mount', (p) => (c0(p).volumeMounts![0]!.name = 'x'), 'spec.containers[0].volumeMounts[0].name: Not found: "x"'],
    [
      'restart policy',
      (p) => (p.spec.restartPolicy = 'Sometimes' as never),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    ['duplicate volume', (p) => p.spec.volumes!.push({ name: 'data', emptyDir: {} }), 'spec.volumes[1].name: Duplicate value: "data"'],
    ['grace period', (p) => (p.spec.terminationGracePeriodSeconds = -1), 'spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0'],
    ['request over limit', (p) => (c0(p).resources!.requests!.cpu = '2'), 'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    [
      'request over limit in canonical units',
      (p) => ((c0(p).resources!.requests!.memory = '0.5Gi'), (c0(p).resources!.limits!.memory = '256Mi')),
      'spec.containers[0].resources.requests[memory]: Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi',
    ],
    ['volume source', (p) => p.spec.volumes!.push({ name: 'x' }), 'spec.volumes[1]: Required value: must specify a volume type'],
  ])('message: %s', (_name, m, want) => {
    expect(messages('Pod', newPod(m))).toEqual([want]);
  });
});

describe('Pod update', () => {
  it.each<[string, Mutator<Pod>, Array<[string, string]>]>([
    ['no change', () => {}, []],
    ['image change allowed', (p) => (c0(p).image = 'nginx:1.26'), []],
    ['adding a toleration allowed', (p) => (p.spec.tolerations = [{ key: 'x', operator: 'Exists' }]), []],
    ['setting activeDeadlineSeconds allowed', (p) => (p.spec.activeDeadlineSeconds = 30), []],
    ['labels may change', (p) => (p.metadata.labels = { app: 'other' }), []],
    ['container command change forbidden', (p) => (c0(p).command = ['sh']), [['spec', 'FieldValueForbidden']]],
    ['adding a container forbidden', (p) => p.spec.containers.push({ name: 'b', image: 'x:1' }), [['spec', 'FieldValueForbidden']]],
    ['restartPolicy change forbidden', (p) => (p.spec.restartPolicy = 'Never'), [['spec', 'FieldValueForbidden']]],
    ['binding sets nodeName', (p) => (p.spec.nodeName = 'node-1'), []],
  ])('%s', (_name, m, want) => {
    const old = newPod();
    expect(runUpdate('Pod', newPod(m), old)).toEqual(want);
  });

  it.each<[string, number | undefined, number | undefined, Array<[string, string]>]>([
    ['shorter deadline ok', 60, 30, []],
    ['longer deadline refused', 30, 60, [['spec.activeDeadlineSeconds', 'FieldValueInvalid']]],
    ['removing deadline refused', 30, undefined, [['spec.activeDeadlineSeconds', 'FieldValueInvalid']]],
  ])('%s', (_name, before, after, want) => {
    const old = newPod((p) => (p.spec.activeDeadlineSeconds = before));
    const pod = newPod((p) => (p.spec.activeDeadlineSeconds = after));
    expect(runUpdate('Pod', pod, old)).toEqual(want);
  });

  it('explains the forbidden spec change like Kubernetes', () => {
    const old = newPod();
    const pod = newPod((p) => (c0(p).command = ['sh']));
    strategies.Pod!.default!(old);
    strategies.Pod!.default!(pod);
    const causes = strategies.Pod!.validateUpdate!(pod, old);
    expect(causes[0]?.message).toBe(`Forbidden: ${POD_UPDATE_FORBIDDEN}`);
  });

  it.each<[string, string | undefined, Array<[string, string]>]>([
    ['moving a bound pod', 'node-2', [['spec', 'FieldValueForbidden']]],
    ['unbinding a bound pod', undefined, [['spec', 'FieldValueForbidden']]],
    ['same node', 'node-1', []],
  ])('bound pod: %s', (_name, nodeName, want) => {
    const old = newPod((p) => (p.spec.nodeName = 'node-1'));
    expect(runUpdate('Pod', newPod((p) => (p.spec.nodeName = nodeName)), old)).toEqual(want);
  });

  it('removing an existing toleration is refused', () => {
    const old = newPod((p) => (p.spec.tolerations = [{ key: 'x', operator: 'Exists' }]));
    const pod = newPod();
    expect(runUpdate('Pod', pod, old)).toEqual([['spec.tolerations', 'FieldValueForbidden']]);
  });
});

describe('Pod status update', () => {
  it.each<[string, Mutator<Pod>, Array<[string, string]>]>([
    ['phase Running', (p) => (p.status = { phase: 'Running' }), []],
    ['unknown phase', (p) => (p.status = { phase: 'Sleeping' as never }), [['status.phase', 'FieldValueNotSupported']]],
    ['node change', (p) => (p.spec.nodeName = 'other'), [['status.nodeName', 'FieldValueForbidden']]],
  ])('%s', (_name, m, want) => {
    const old = newPod((p) => (p.spec.nodeName = 'node-1'));
    const pod = mutate(old, m);
    expect(strategies.Pod!.validateStatusUpdate!(pod, old).map((c) => [c.field, c.reason])).toEqual(want);
  });
});
