/**
 * The stock kubectl against a real apiserver: version, discovery, server-side Tables,
 * create/apply (client- and server-side), label, annotate, scale, delete with wait, get -w.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Deployment } from '@mk8s/shared';
import { kubectlBinary, runKubectl, startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';


let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

const kubectl = (args: string[], version = '1.32') => runKubectl(cp.kubeconfigFor('admin'), args, version);

function manifest(name: string, replicas: number, image = 'mk8s/busybox:1'): string {
  const path = join(cp.dir, `${name}-${replicas}-${image.replace(/\W/g, '')}.yaml`);
  writeFileSync(
    path,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${image}
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
data:
  key: value
`,
  );
  return path;
}

describe('stock kubectl', () => {
  it.each(['1.29', '1.32', '1.33'])('version %s talks to the server', async (v) => {
    const r = await kubectl(['version', '-o', 'json'], v);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion.minor).toBe('32');
  });

  it('lists api-resources with short names and groups', async () => {
    const r = await kubectl(['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(r.stdout).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  it('creates from a file and prints server-side Tables', async () => {
    const r = await kubectl(['create', '-f', manifest('created', 2)]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('deployment.apps/created created');
    expect(r.stdout).toContain('configmap/created-config created');
    const again = await kubectl(['create', '-f', manifest('created', 2)]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('AlreadyExists');
    const get = await kubectl(['get', 'deploy', 'created', '-o', 'wide']);
    expect(get.stdout).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(get.stdout).toMatch(/created\s+0\/2\s+0\s+0\s+\S+\s+main\s+mk8s\/busybox:1\s+app=created/);
  });

  it('shows pods with READY, STATUS, RESTARTS, AGE and IP/NODE with -o wide', async () => {
    await cp.client.request('POST', '/api/v1/namespaces/default/pods', {
      body: { metadata: { name: 'table-pod' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
    });
    const r = await kubectl(['get', 'pods', '-o', 'wide']);
    expect(r.stdout).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    expect(r.stdout).toMatch(/table-pod\s+0\/2\s+Pending\s+0\s+\S+\s+<none>\s+<none>/);
  });

  it('diff shows a change and a new object through server-side dry runs, storing nothing', async () => {
    await kubectl(['apply', '-f', manifest('diffed', 1)]);
    expect(await kubectl(['diff', '-f', manifest('diffed', 1)])).toMatchObject({ code: 0, stdout: '' });
    const changed = await kubectl(['diff', '-f', manifest('diffed', 3)]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-  replicas: 1$/m);
    expect(changed.stdout).toMatch(/^\+  replicas: 3$/m);
    expect((await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'diffed')).spec.replicas).toBe(1);
    const fresh = await kubectl(['diff', '-f', manifest('never-created', 1)]);
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/^\+  name: never-created$/m);
    expect((await kubectl(['get', 'deploy', 'never-created'])).stderr).toContain('NotFound');
  });

  it('applies twice: unchanged, then configured after an edit; server-side apply too', async () => {
    const first = await kubectl(['apply', '-f', manifest('applied', 1)]);
    expect(first.stdout).toContain('deployment.apps/applied created');
    const second = await kubectl(['apply', '-f', manifest('applied', 1)]);
    expect(second.stdout).toContain('deployment.apps/applied unchanged');
    expect(second.stdout).toContain('configmap/applied-config unchanged');
    const third = await kubectl(['apply', '-f', manifest('applied', 3, 'mk8s/busybox:2')]);
    expect(third.stdout).toContain('deployment.apps/applied configured');
    const d = await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'applied');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]?.image).toBe('mk8s/busybox:2');
    const ssa = await kubectl(['apply', '--server-side', '-f', manifest('ssa', 2)]);
    expect(ssa.code).toBe(0);
    expect(ssa.stdout).toContain('deployment.apps/ssa serverside-applied');
    expect((await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'ssa')).spec.replicas).toBe(2);
  });

  it('labels, annotates and scales', async () => {
    await kubectl(['apply', '-f', manifest('tweak', 1)]);
    expect((await kubectl(['label', 'deploy', 'tweak', 'tier=web'])).stdout).toContain('labeled');
    expect((await kubectl(['annotate', 'deploy', 'tweak', 'owner=team-a'])).stdout).toContain('annotated');
    expect((await kubectl(['scale', 'deploy', 'tweak', '--replicas=4'])).stdout).toContain('scaled');
    const d = await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'tweak');
    expect(d.metadata.labels?.tier).toBe('web');
    expect(d.metadata.annotations?.owner).toBe('team-a');
    expect(d.spec.replicas).toBe(4);
    const sel = await kubectl(['get', 'deploy', '-l', 'tier=web', '-o', 'name']);
    expect(sel.stdout.trim()).toBe('deployment.apps/tweak');
  });

  it('deletes and waits for the object to go', async () => {
    await kubectl(['apply', '-f', manifest('doomed', 1)]);
    const r = await kubectl(['delete', 'deploy', 'doomed']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps "doomed" deleted');
    const get = await kubectl(['get', 'deploy', 'doomed']);
    expect(get.stderr).toContain('NotFound');
  });

  it('get -w sees a change', async () => {
    await kubectl(['apply', '-f', manifest('watched', 1)]);
    const child = spawn(kubectlBinary('1.32'), ['--kubeconfig', cp.kubeconfigFor('admin'), 'get', 'deploy', 'watched', '-w', '--output-watch-events']);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor(() => out.includes('watched'), { timeoutMs: 20_000, message: () => out });
      await cp.client.resource<Deployment>(RESOURCES.deployments).patch('default', 'watched', { spec: { replicas: 2 } });
      await waitFor(() => /MODIFIED\s+watched/.test(out), { timeoutMs: 20_000, message: () => out });
    } finally {
      child.kill();
    }
  });
});

describe('stock kubectl generators (protobuf bodies from 1.32)', () => {
  it('create namespace, configmap, secret, deployment and autoscale (autoscaling/v1)', async () => {
    expect((await kubectl(['create', 'namespace', 'gen'])).stdout).toContain('namespace/gen created');
    expect((await kubectl(['-n', 'gen', 'create', 'configmap', 'cfg', '--from-literal=a=b'])).stdout).toContain('configmap/cfg created');
    expect((await kubectl(['-n', 'gen', 'create', 'secret', 'generic', 'sec', '--from-literal=pw=s3cret'])).stdout).toContain('secret/sec created');
    expect((await kubectl(['-n', 'gen', 'create', 'deployment', 'web', '--image=mk8s/busybox:1'])).stdout).toContain('deployment.apps/web created');
    const auto = await kubectl(['-n', 'gen', 'autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=4']);
    expect(auto.stderr).toBe('');
    expect(auto.stdout).toContain('horizontalpodautoscaler.autoscaling/web autoscaled');
    const hpa = await cp.client.request<{ spec: { maxReplicas: number; metrics: { resource: { target: { averageUtilization: number } } }[] } }>(
      'GET',
      '/apis/autoscaling/v2/namespaces/gen/horizontalpodautoscalers/web',
    );
    expect(hpa.spec.maxReplicas).toBe(4);
    expect(hpa.spec.metrics[0]?.resource.target.averageUtilization).toBe(50);
    const v1 = await cp.client.request<{ spec: { targetCPUUtilizationPercentage: number } }>('GET', '/apis/autoscaling/v1/namespaces/gen/horizontalpodautoscalers/web');
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
    const secret = await cp.client.request<{ data: Record<string, string> }>('GET', '/api/v1/namespaces/gen/secrets/sec');
    expect(Buffer.from(secret.data.pw!, 'base64').toString()).toBe('s3cret');
  });
});

describe('stock kubectl auth', () => {
  it('auth can-i says yes for an authenticated user (no RBAC)', async () => {
    const r = await kubectl(['auth', 'can-i', 'create', 'pods']);
    expect(r.stdout.trim()).toBe('yes');
  });
});
