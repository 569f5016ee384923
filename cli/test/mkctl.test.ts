/**
 * mkctl end to end: the built `node cli/dist/main.js` against a real control plane (etcd +
 * apiserver). No kubelet runs, so pods stay Pending and deletes of unbound pods are final.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCES, isNotFound, type ConfigMap, type Deployment, type Pod, type Service } from '@mk8s/shared';
import { REPO_ROOT, startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

const MKCTL = join(REPO_ROOT, 'cli/dist/main.js');
let cp: TestControlPlane;
let kubeconfig: string;
let dir: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mk(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MKCTL, '--kubeconfig', kubeconfig, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const podYaml = (name: string, labels = 'app: e2e'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
`;

const deployYaml = (replicas: number, image = 'busybox'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: ${image}
        ports:
        - containerPort: 8080
`;

beforeAll(async () => {
  cp = await startControlPlane();
  kubeconfig = cp.kubeconfigFor('admin');
  dir = mkdtempSync(join(tmpdir(), 'mkctl-e2e-'));
});

afterAll(async () => {
  await cp?.stop();
});

describe('mkctl against a real apiserver', () => {
  it('version shows client and server', async () => {
    const r = await mk(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: v\d/m);
    expect(r.stdout).toMatch(/^Server Version: v1\.\d+/m);
  });

  it('create -f, then get as table, json, yaml, name and jsonpath', async () => {
    const f = write('p1.yaml', podYaml('p1'));
    const created = await mk(['create', '-f', f]);
    expect(created).toMatchObject({ code: 0, stdout: 'pod/p1 created\n' });

    const table = await mk(['get', 'pods']);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 3)).toEqual(['p1', '0/1', 'Pending']);

    const json = await mk(['get', 'pod', 'p1', '-o', 'json']);
    const obj = JSON.parse(json.stdout) as Pod;
    expect(obj).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p1', namespace: 'default' } });

    const list = JSON.parse((await mk(['get', 'pods', '-o', 'json'])).stdout) as { kind: string; items: Pod[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((p) => p.metadata.name)).toEqual(['p1']);

    const yaml = await mk(['get', 'pod/p1', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^kind: Pod$/m);
    expect(yaml.stdout).toMatch(/^ {2}name: p1$/m);

    expect((await mk(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/p1\n');
    expect((await mk(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout).toBe('p1');
    const wide = await mk(['get', 'pods', '-A', '-o', 'wide', '--show-labels']);
    expect(wide.stdout.split('\n')[0]?.split(/\s+/)).toEqual(expect.arrayContaining(['NAMESPACE', 'NAME', 'IP', 'NODE', 'LABELS']));
    expect(wide.stdout).toContain('app=e2e');
  });

  it('get on an empty namespace says so on stderr', async () => {
    const r = await mk(['get', 'pods', '-n', 'kube-public']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in kube-public namespace.\n' });
  });

  it('apply: created, unchanged, configured, and field removal', async () => {
    const f = write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n  b: "2"\n');
    const d = write('deploy.yaml', deployYaml(2));
    expect(await mk(['apply', '-f', f, '-f', d])).toMatchObject({ code: 0, stdout: 'configmap/settings created\ndeployment.apps/web created\n' });
    expect(await mk(['apply', '-f', f, '-f', d])).toMatchObject({ code: 0, stdout: 'configmap/settings unchanged\ndeployment.apps/web unchanged\n' });

    write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "10"\n');
    expect(await mk(['apply', '-f', f])).toMatchObject({ code: 0, stdout: 'configmap/settings configured\n' });
    const cm = await cp.client.resource<ConfigMap>(RESOURCES.configmaps).get('default', 'settings');
    expect(cm.data).toEqual({ a: '10' });
    expect(cm.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"a":"10"');
  });

  it('apply reads folders and stdin', async () => {
    const sub = mkdtempSync(join(dir, 'manifests-'));
    writeFileSync(join(sub, 'one.yaml'), podYaml('from-dir-1') + '---\n' + podYaml('from-dir-2'));
    expect((await mk(['apply', '-f', sub])).stdout).toBe('pod/from-dir-1 created\npod/from-dir-2 created\n');
    expect((await mk(['apply', '-f', '-'], podYaml('from-stdin'))).stdout).toBe('pod/from-stdin created\n');
  });

  it('label and annotate, with --overwrite required to change a value', async () => {
    expect((await mk(['label', 'pod', 'p1', 'tier=fe'])).stdout).toBe('pod/p1 labeled\n');
    const refused = await mk(['label', 'pod', 'p1', 'tier=be']);
    expect(refused).toMatchObject({ code: 1, stdout: '', stderr: "error: 'tier' already has a value (fe), and --overwrite is false\n" });
    expect((await mk(['label', 'pod/p1', 'tier=be', '--overwrite'])).stdout).toBe('pod/p1 labeled\n');
    expect((await mk(['annotate', 'pod', 'p1', 'note=hello world'])).stdout).toBe('pod/p1 annotated\n');
    let pod = await cp.client.resource<Pod>(RESOURCES.pods).get('default', 'p1');
    expect(pod.metadata.labels).toMatchObject({ app: 'e2e', tier: 'be' });
    expect(pod.metadata.annotations).toMatchObject({ note: 'hello world' });
    expect((await mk(['label', 'pod', 'p1', 'tier-'])).stdout).toBe('pod/p1 unlabeled\n');
    pod = await cp.client.resource<Pod>(RESOURCES.pods).get('default', 'p1');
    expect(pod.metadata.labels?.tier).toBeUndefined();
  });

  it('scale deployment sets spec.replicas through the scale subresource', async () => {
    expect(await mk(['scale', 'deployment/web', '--replicas=5'])).toMatchObject({ code: 0, stdout: 'deployment.apps/web scaled\n' });
    expect((await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'web')).spec.replicas).toBe(5);
    expect((await mk(['scale', 'deploy', 'web', '--replicas', '1'])).stdout).toBe('deployment.apps/web scaled\n');
    expect((await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'web')).spec.replicas).toBe(1);
  });

  it('create generators and expose', async () => {
    expect((await mk(['create', 'namespace', 'team-a'])).stdout).toBe('namespace/team-a created\n');
    expect((await mk(['create', 'configmap', 'gen', '--from-literal', 'k=v', '-n', 'team-a'])).stdout).toBe('configmap/gen created\n');
    expect((await mk(['create', 'secret', 'generic', 'pw', '--from-literal=password=hunter2'])).stdout).toBe('secret/pw created\n');
    expect((await mk(['create', 'deployment', 'gen', '--image', 'busybox', '--replicas', '2'])).stdout).toBe('deployment.apps/gen created\n');
    const cm = await cp.client.resource<ConfigMap>(RESOURCES.configmaps).get('team-a', 'gen');
    expect(cm.data).toEqual({ k: 'v' });

    expect((await mk(['expose', 'deployment', 'web', '--port', '80', '--target-port', '8080'])).stdout).toBe('service/web exposed\n');
    const svc = await cp.client.resource<Service>(RESOURCES.services).get('default', 'web');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports?.[0]).toMatchObject({ port: 80, targetPort: 8080 });
  });

  it('describe shows sections and never secret values', async () => {
    const pod = await mk(['describe', 'pod', 'p1']);
    expect(pod.code).toBe(0);
    expect(pod.stdout).toMatch(/^Name: +p1$/m);
    expect(pod.stdout).toMatch(/^Containers:$/m);
    expect(pod.stdout).toMatch(/^Events: /m);
    const secret = await mk(['describe', 'secret', 'pw']);
    expect(secret.stdout).toMatch(/^password: +7 bytes$/m);
    expect(secret.stdout).not.toContain('hunter2');
    const deploy = await mk(['describe', 'deployment', 'web']);
    expect(deploy.stdout).toMatch(/^Replicas: +1 desired/m);
  });

  it('rollout restart stamps the pod template', async () => {
    expect((await mk(['rollout', 'restart', 'deployment/web'])).stdout).toBe('deployment.apps/web restarted\n');
    const d = await cp.client.resource<Deployment>(RESOURCES.deployments).get('default', 'web');
    expect(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('get all, several types, and -L label columns', async () => {
    const all = await mk(['get', 'all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^pod\/p1 /m);
    expect(all.stdout).toMatch(/^deployment\.apps\/web /m);
    expect(all.stdout).toMatch(/^service\/web /m);
    const two = await mk(['get', 'deploy,cm', '-o', 'name']);
    expect(two.stdout.split('\n')).toEqual(expect.arrayContaining(['deployment.apps/web', 'configmap/settings']));
    const cols = await mk(['get', 'pods', 'p1', '-L', 'app']);
    expect(cols.stdout.split('\n')[0]?.split(/\s+/).at(-1)).toBe('APP');
    expect(cols.stdout.split('\n')[1]?.split(/\s+/).at(-1)).toBe('e2e');
  });

  it('patch (strategic, merge, json), set image and replace', async () => {
    const deploys = cp.client.resource<Deployment>(RESOURCES.deployments);
    expect((await mk(['patch', 'deployment', 'web', '-p', '{"spec":{"minReadySeconds":2}}'])).stdout).toBe('deployment.apps/web patched\n');
    expect((await mk(['patch', 'deployment', 'web', '-p', '{"spec":{"minReadySeconds":2}}'])).stdout).toBe('deployment.apps/web patched (no change)\n');
    expect((await mk(['patch', 'deploy/web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/minReadySeconds","value":3}]'])).code).toBe(0);
    expect((await deploys.get('default', 'web')).spec.minReadySeconds).toBe(3);
    expect((await mk(['set', 'image', 'deployment/web', 'c=busybox:2'])).stdout).toBe('deployment.apps/web image updated\n');
    expect((await deploys.get('default', 'web')).spec.template.spec.containers[0]?.image).toBe('busybox:2');
    expect(await mk(['set', 'image', 'deployment/web', 'nope=x'])).toMatchObject({ code: 1, stderr: 'error: unable to find container named "nope"\n' });
    const f = write('replace.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  replaced: "yes"\n');
    expect((await mk(['replace', '-f', f])).stdout).toBe('configmap/settings replaced\n');
    expect((await cp.client.resource<ConfigMap>(RESOURCES.configmaps).get('default', 'settings')).data).toEqual({ replaced: 'yes' });
  });

  it('run creates a pod and wait sees its fields', async () => {
    expect((await mk(['run', 'runner', '--image=busybox', '--', 'sleep', '60'])).stdout).toBe('pod/runner created\n');
    const pod = await cp.client.resource<Pod>(RESOURCES.pods).get('default', 'runner');
    expect(pod.metadata.labels).toEqual({ run: 'runner' });
    expect(pod.spec.containers[0]).toMatchObject({ name: 'runner', image: 'busybox', args: ['sleep', '60'] });
    expect(await mk(['wait', '--for=jsonpath={.metadata.labels.run}=runner', 'pod/runner'])).toMatchObject({ code: 0, stdout: 'pod/runner condition met\n' });
    expect(await mk(['wait', '--for=condition=Ready', 'pod/runner', '--timeout=1s'])).toMatchObject({
      code: 1,
      stderr: 'error: timed out waiting for the condition on pods/runner\n',
    });
    expect(await mk(['delete', 'pod', 'runner'])).toMatchObject({ code: 0 });
    expect(await mk(['wait', '--for=delete', 'pod/runner'])).toMatchObject({ code: 0, stdout: 'pod/runner condition met\n' });
  });

  it('config set-context --current --namespace changes the default namespace', async () => {
    const own = join(dir, 'own.kubeconfig');
    writeFileSync(own, readFileSync(kubeconfig, 'utf8'));
    const run = (args: string[]): Promise<Result> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [MKCTL, ...args], { cwd: dir, env: { ...process.env, KUBECONFIG: own } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    expect((await run(['config', 'set-context', '--current', '--namespace=team-a'])).code).toBe(0);
    expect((await run(['get', 'configmaps', '-o', 'name'])).stdout).toBe('configmap/gen\n');
    expect((await run(['config', 'view'])).stdout).toMatch(/token: REDACTED/);
  });

  it('get -w prints a row when the object changes', async () => {
    const child = spawn(process.execPath, [MKCTL, '--kubeconfig', kubeconfig, 'get', 'pods', 'p1', '-w'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(async () => out.includes('p1'), { timeoutMs: 20_000, message: () => `no initial row: ${out}` });
      const before = out.trimEnd().split('\n').length;
      await mk(['label', 'pod', 'p1', 'watched=yes']);
      await waitFor(async () => out.trimEnd().split('\n').length > before, { timeoutMs: 20_000, message: () => `no watch row: ${out}` });
      expect(out.trimEnd().split('\n').at(-1)).toMatch(/^p1\s+0\/1\s+Pending/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('delete waits until the object is gone', async () => {
    const r = await mk(['delete', 'pod', 'p1']);
    expect(r).toMatchObject({ code: 0, stdout: 'pod "p1" deleted\n' });
    await expect(cp.client.resource<Pod>(RESOURCES.pods).get('default', 'p1')).rejects.toSatisfy(isNotFound);

    const bySelector = await mk(['delete', 'pods', '-l', 'app=e2e']);
    expect(bySelector.stdout.split('\n').filter(Boolean).sort()).toEqual(['pod "from-dir-1" deleted', 'pod "from-dir-2" deleted', 'pod "from-stdin" deleted']);
    const left = await cp.client.resource<Pod>(RESOURCES.pods).list('default', { labelSelector: 'app=e2e' });
    expect(left.items).toEqual([]);
  });

  it.each([
    { name: 'YAML syntax error', text: 'kind: Pod\nmetadata: [oops\n', err: /^error: error parsing .*bad\.yaml: / },
    { name: 'missing kind', text: 'apiVersion: v1\nmetadata: {name: x}\n', err: /^error: error validating ".*bad\.yaml": error validating data: \[kind not set\]$/ },
    { name: 'unknown kind', text: 'apiVersion: v1\nkind: Gizmo\nmetadata: {name: x}\n', err: /^error: resource mapping not found for name: "x" .*no matches for kind "Gizmo" in version "v1"$/ },
  ])('bad manifest ($name): one-line error, exit 1', async ({ text, err }) => {
    const r = await mk(['apply', '-f', write('bad.yaml', text)]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(err);
  });

  it.each([
    { name: 'missing file', args: ['create', '-f', '/nonexistent/x.yaml'], err: 'error: the path "/nonexistent/x.yaml" does not exist' },
    { name: 'not found', args: ['get', 'pod', 'nope'], err: 'Error from server (NotFound): pods "nope" not found' },
    { name: 'unknown type', args: ['get', 'gizmos'], err: 'error: the server doesn\'t have a resource type "gizmos"' },
    { name: 'delete not found', args: ['delete', 'configmap', 'nope'], err: 'Error from server (NotFound): configmaps "nope" not found' },
    { name: 'already exists', args: ['create', 'namespace', 'team-a'], err: 'Error from server (AlreadyExists): namespaces "team-a" already exists' },
  ])('$name: one-line error on stderr and exit 1', async ({ args, err }) => {
    const r = await mk(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(err + '\n');
  });

  it('api-resources lists kinds from discovery', async () => {
    const r = await mk(['api-resources']);
    expect(r.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });
});
