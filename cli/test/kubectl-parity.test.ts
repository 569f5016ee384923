/**
 * Output parity with the stock kubectl 1.32: the same commands against the same real
 * apiserver must print the same bytes (stdout and stderr) and exit with the same code.
 * Only commands whose output holds no relative ages are compared, so timing cannot differ,
 * and maps that kubectl prints in Go's random order have one key.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlBinary, REPO_ROOT, startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

const MKCTL = join(REPO_ROOT, 'cli/dist/main.js');
const KUBECTL = kubectlBinary('1.32');
let cp: TestControlPlane;
let dir: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string[], args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0]!, [...cmd.slice(1), '--kubeconfig', cp.kubeconfigFor('admin'), ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const mk = (args: string[]): Promise<Result> => run([process.execPath, MKCTL], args);
const kubectl = (args: string[]): Promise<Result> => run([KUBECTL], args);

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: busybox
        command: [sleep, "3600"]
        ports: [{containerPort: 80}]
        env: [{name: A, value: "1"}, {name: B, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}]
        volumeMounts: [{name: v, mountPath: /v}]
      volumes: [{name: v, emptyDir: {}}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs1, labels: {tier: x}}
spec:
  replicas: 1
  selector: {matchLabels: {app: rs1}}
  template:
    metadata: {labels: {app: rs1}}
    spec:
      containers:
      - name: c
        image: busybox
        livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}
        readinessProbe: {exec: {command: [cat, /tmp/ok]}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec:
  replicas: 2
  selector: {app: rc1}
  template:
    metadata: {labels: {app: rc1}}
    spec:
      containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: rs1}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "line one\\nline two\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: s1}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Pod
metadata: {name: rich, labels: {app: rich}, annotations: {note: hi}}
spec:
  nodeName: n1
  nodeSelector: {disk: ssd}
  initContainers:
  - {name: init, image: busybox, command: [sh, -c, "true"]}
  containers:
  - name: c
    image: busybox
    args: [a, b]
    ports: [{containerPort: 80, name: http}, {containerPort: 53, protocol: UDP}]
    env: [{name: A, value: "1"}, {name: S, valueFrom: {secretKeyRef: {name: s1, key: password}}}, {name: P, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
    envFrom: [{configMapRef: {name: cfg}}]
    resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}
    volumeMounts: [{name: cm, mountPath: /cm, readOnly: true}, {name: hp, mountPath: /hp, subPath: x}]
  volumes:
  - {name: cm, configMap: {name: cfg}}
  - {name: hp, hostPath: {path: /tmp}}
  - {name: sec, secret: {secretName: s1}}
  - {name: data, persistentVolumeClaim: {claimName: c1}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1, labels: {t: x}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath: {path: /tmp/x}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c1}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: {requests: {storage: 500Mi}}
`;

beforeAll(async () => {
  cp = await startControlPlane();
  dir = mkdtempSync(join(tmpdir(), 'mkctl-parity-'));
  writeFileSync(join(dir, 'all.yaml'), MANIFESTS);
  const applied = await mk(['apply', '-f', join(dir, 'all.yaml')]);
  expect(applied.stderr).toBe('');
});

afterAll(async () => {
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mkctl prints what kubectl 1.32 prints', () => {
  it.each([
    ['get pods -o json', ['get', 'pods', '-o', 'json']],
    ['get one pod -o yaml', ['get', 'pod', 'rich', '-o', 'yaml']],
    ['get several kinds -o name', ['get', 'deploy,rs,rc,svc,cm', '-o', 'name']],
    ['custom columns', ['get', 'deploy,rs,rc', '-o', 'custom-columns=NAME:.metadata.name,SEL:.spec.selector,IMAGES:.spec.template.spec.containers[*].image']],
    ['jsonpath range', ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].ports}{"\\n"}{end}']],
    ['describe deployment', ['describe', 'deployment', 'web']],
    ['describe replicaset', ['describe', 'rs', 'rs1']],
    ['describe replication controller', ['describe', 'rc', 'rc1']],
    ['describe service', ['describe', 'svc', 'np']],
    ['describe config map', ['describe', 'cm', 'cfg']],
    ['describe secret', ['describe', 'secret', 's1']],
    ['describe namespace', ['describe', 'ns', 'default']],
    ['describe pod', ['describe', 'pod', 'rich']],
    ['describe persistent volume', ['describe', 'pv', 'pv1']],
    ['describe persistent volume claim', ['describe', 'pvc', 'c1']],
    ['api-resources', ['api-resources']],
    ['not found', ['get', 'pod', 'nope']],
    ['unknown type', ['get', 'gizmos']],
    ['label conflict', ['label', 'pod', 'rich', 'app=other']],
    ['empty namespace', ['get', 'pods', '-n', 'kube-public']],
    ['apply unchanged', ['apply', '-f', 'all.yaml']],
  ])('%s', async (_name, args) => {
    const [want, got] = [await kubectl(args), await mk(args)];
    expect(got).toEqual(want);
  });
});
