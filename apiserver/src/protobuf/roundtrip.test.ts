import { describe, it, expect } from 'vitest';
import protobuf from 'protobufjs';
import { decodeProtobufObject, encodeProtobufObject, PROTOBUF_MAGIC } from './index.js';

const roundTrip = (o: { apiVersion: string; kind: string; [k: string]: unknown }) => decodeProtobufObject(encodeProtobufObject(o));

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'ns',
    uid: 'u-1',
    resourceVersion: '42',
    generation: 3,
    creationTimestamp: '2024-05-06T07:08:09Z',
    deletionTimestamp: '2024-05-06T07:09:00Z',
    deletionGracePeriodSeconds: 0,
    labels: { app: 'a' },
    annotations: { note: 'x' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-rs', controller: true, blockOwnerDeletion: true }],
    finalizers: ['f'],
  },
  spec: {
    volumes: [
      { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'cfg', configMap: { name: 'cm', defaultMode: 420, items: [{ key: 'k', path: 'p' }] } },
    ],
    containers: [
      {
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c'],
        args: ['sleep 1'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        ],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 },
        readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
        imagePullPolicy: 'IfNotPresent',
        securityContext: { privileged: false, runAsUser: 0 },
        stdin: true,
        tty: true,
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    nodeName: 'node-1',
    nodeSelector: { disk: 'ssd' },
    hostNetwork: true,
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 10 }],
    priority: 0,
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-06T07:08:10Z' }],
    hostIP: '10.0.0.1',
    podIP: '10.1.0.5',
    podIPs: [{ ip: '10.1.0.5' }],
    startTime: '2024-05-06T07:08:09Z',
    containerStatuses: [
      {
        name: 'c',
        state: { running: { startedAt: '2024-05-06T07:08:10Z' } },
        lastState: {},
        ready: true,
        restartCount: 2,
        image: 'busybox',
        imageID: 'docker://sha',
        containerID: 'docker://abc',
        started: true,
      },
    ],
    qosClass: 'Burstable',
  },
};

describe('encode/decode round trip keeps the JSON form', () => {
  it('a Pod with nested structs, quantities, int-or-strings, times and pointer zeros', () => {
    expect(roundTrip(pod)).toEqual(pod);
  });

  it.each([
    {
      name: 'Secret: bytes map is base64',
      obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: null }, data: { k: Buffer.from([0, 255, 10]).toString('base64') }, type: 'Opaque' },
    },
    {
      name: 'ConfigMap: binaryData and immutable',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: null }, immutable: false, data: { a: 'b' }, binaryData: { bin: 'AAEC' } },
    },
    {
      name: 'Service: IntOrString targetPort (named), ClusterIP',
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's', creationTimestamp: null },
        spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }], selector: { app: 'a' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'NodePort', sessionAffinity: 'None' },
        status: { loadBalancer: {} },
      },
    },
    {
      name: 'Node: quantity maps, addresses, taints, heartbeat times',
      obj: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1', creationTimestamp: null, labels: { 'kubernetes.io/hostname': 'n1' } },
        spec: { podCIDR: '10.1.0.0/24', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], unschedulable: true },
        status: {
          capacity: { cpu: '2', memory: '4Gi', pods: '110' },
          allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ok' }],
          addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: 'docker://20.10', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
        },
      },
    },
    {
      name: 'SelfSubjectRulesReview: rule lists and the incomplete flag',
      obj: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        metadata: { creationTimestamp: null },
        spec: { namespace: 'team' },
        status: {
          resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }],
          nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }],
          incomplete: false,
        },
      },
    },
    {
      name: 'Endpoints',
      obj: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'e', creationTimestamp: null },
        subsets: [{ addresses: [{ ip: '10.1.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'd', name: 'p', uid: 'u' } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
      },
    },
    {
      name: 'Event: MicroTime eventTime, Time timestamps',
      obj: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e', namespace: 'd', creationTimestamp: null },
        involvedObject: { kind: 'Pod', namespace: 'd', name: 'p', uid: 'u', apiVersion: 'v1' },
        reason: 'Started',
        message: 'started',
        source: { component: 'kubelet', host: 'n1' },
        firstTimestamp: '2024-01-01T00:00:00Z',
        lastTimestamp: '2024-01-01T00:00:01Z',
        count: 2,
        type: 'Normal',
        eventTime: '2024-01-01T00:00:01.123456Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'n1',
      },
    },
    {
      name: 'Lease: MicroTime renewTime',
      obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', creationTimestamp: null }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.500000Z' } },
    },
    {
      name: 'Deployment: strategy with int-or-string percentages, selector expressions',
      obj: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', creationTimestamp: null },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'd' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
          template: { metadata: { creationTimestamp: null, labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        },
        status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'MinimumReplicasAvailable', message: 'ok' }] },
      },
    },
    {
      name: 'ReplicaSet and ReplicationController',
      obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', creationTimestamp: null }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { creationTimestamp: null }, spec: { containers: null } } }, status: { replicas: 0 } },
    },
    {
      name: 'ReplicationController',
      obj: { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r', creationTimestamp: null }, spec: { replicas: 1, selector: { a: 'b' } }, status: { replicas: 0 } },
    },
    {
      name: 'HorizontalPodAutoscaler v2: metrics with quantity and utilization',
      obj: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h', creationTimestamp: null },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
          minReplicas: 1,
          maxReplicas: 5,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }, { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }],
        },
        status: { currentReplicas: 1, desiredReplicas: 1, currentMetrics: null }, // no omitempty in Go: null
      },
    },
    {
      name: 'PersistentVolume and claim',
      obj: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'pv', creationTimestamp: null },
        spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/pv', type: 'DirectoryOrCreate' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'd', name: 'c' } },
        status: { phase: 'Bound' },
      },
    },
    {
      name: 'PersistentVolumeClaim',
      obj: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', creationTimestamp: null }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv' }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } },
    },
    {
      name: 'Binding',
      obj: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'd', creationTimestamp: null }, target: { kind: 'Node', name: 'n1' } },
    },
    {
      name: 'Scale',
      obj: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd', creationTimestamp: null }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=d' } },
    },
    {
      name: 'RoleBinding (kubectl 1.32+ create rolebinding)',
      obj: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'rb', namespace: 'd', creationTimestamp: null },
        subjects: [
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
          { kind: 'ServiceAccount', name: 'sa', namespace: 'd' },
        ],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      },
    },
    {
      name: 'ClusterRole with an aggregation rule and a non-resource rule',
      obj: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'cr', creationTimestamp: null },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }],
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
      },
    },
    {
      name: 'Role without rules (rules has no omitempty in Go: null)',
      obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'd', creationTimestamp: null }, rules: null },
    },
    {
      name: 'DeleteOptions (no metadata in Go; decoder adds an empty one)',
      obj: { apiVersion: 'v1', kind: 'DeleteOptions', metadata: {}, gracePeriodSeconds: 0, preconditions: { uid: 'u' }, propagationPolicy: 'Foreground' },
    },
  ])('$name', ({ obj }) => {
    expect(roundTrip(obj)).toEqual(obj);
  });
});

describe('Go JSON rules', () => {
  it('empty object: zero Time is null, structs present, omitempty scalars left out', () => {
    expect(roundTrip({ apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { creationTimestamp: null },
      spec: { selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} },
      status: {},
    });
  });
});

describe('bad input', () => {
  const unknownOf = (apiVersion: string, kind: string, raw: Uint8Array): Buffer => {
    const root = protobuf.Root.fromJSON({
      nested: {
        TM: { fields: { apiVersion: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 } } },
        U: { fields: { typeMeta: { type: 'TM', id: 1 }, raw: { type: 'bytes', id: 2 } } },
      },
    });
    const U = root.lookupType('U');
    return Buffer.concat([PROTOBUF_MAGIC, U.encode(U.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish()]);
  };

  it.each([
    { name: 'no magic', buf: Buffer.from('{"kind":"Pod"}'), code: 400, reason: 'BadRequest' },
    { name: 'too short', buf: Buffer.from([0x6b, 0x38]), code: 400, reason: 'BadRequest' },
    { name: 'truncated envelope', buf: Buffer.concat([PROTOBUF_MAGIC, Buffer.from([0x0a, 0x20, 0x0a])]), code: 400, reason: 'BadRequest' },
    { name: 'garbage raw', buf: unknownOf('v1', 'Pod', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), code: 400, reason: 'BadRequest' },
    { name: 'deeply nested unknown groups', buf: unknownOf('v1', 'Pod', Buffer.alloc(200_000, 0x7b)), code: 400, reason: 'BadRequest' },
    { name: 'unknown kind', buf: unknownOf('v1', 'Widget', new Uint8Array()), code: 415, reason: 'UnsupportedMediaType' },
    { name: 'unknown group', buf: unknownOf('example.com/v1', 'Pod', new Uint8Array()), code: 415, reason: 'UnsupportedMediaType' },
  ])('$name -> $code', ({ buf, code, reason }) => {
    expect(() => decodeProtobufObject(buf)).toThrow(expect.objectContaining({ code, reason }));
  });
});
