/**
 * End-to-end: a pod reaches the API as its service account, the way in-cluster clients do.
 * A whole cluster with service accounts on (signing key, ServiceAccount admission, the
 * `default` ServiceAccount and `kube-root-ca.crt` in every namespace) and kube-proxy carrying
 * the `kubernetes` Service's ClusterIP to the apiserver. The stock kubectl binary, mounted
 * into a busybox pod from the host, runs with no kubeconfig: it finds KUBERNETES_SERVICE_HOST
 * and the token, CA and namespace the kubelet projected under
 * /var/run/secrets/kubernetes.io/serviceaccount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type ConfigMap, type Pod, type ServiceAccount } from '@mk8s/shared';
import { kubectlBinary, runKubectl, type KubectlResult, spawnComponent, startCluster, waitFor, type ManagedProcess, type TestCluster } from '@mk8s/shared/testing';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const NS = 'in-cluster';
const r = Math.floor(Math.random() * 200) + 20;
const serviceRange = `10.109.${r}.0/24`;
const apiServiceIP = `10.109.${r}.1`;

let c: TestCluster;
let proxy: ManagedProcess;
let kubeconfig: string;

const kubectl = (...args: string[]) => runKubectl(kubeconfig, args, '1.32', 90_000);

function clientPod(name: string, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'mk8s/busybox:1',
          command: ['sh', '-c', 'exec sleep 3600'],
          volumeMounts: [{ name: 'kubectl', mountPath: '/usr/local/bin/kubectl', readOnly: true }],
        },
      ],
      volumes: [{ name: 'kubectl', hostPath: { path: kubectlBinary('1.32'), type: 'File' } }],
      terminationGracePeriodSeconds: 1,
      ...extra,
    },
  };
}

async function waitRunning(name: string): Promise<Pod> {
  const pods = c.cp.client.resource<Pod>(RESOURCES.pods);
  let last: Pod | undefined;
  await waitFor(
    async () => {
      last = await pods.get(NS, name);
      return last.status?.phase === 'Running';
    },
    { timeoutMs: 120_000, message: () => `pod ${name} not running: ${JSON.stringify(last?.status)}\n${c.nodes[0]!.process.logs().slice(-3000)}` },
  );
  return last!;
}

beforeAll(async () => {
  c = await startCluster({
    id: 140,
    nodes: 1,
    serviceAccounts: true,
    sans: [apiServiceIP],
    apiserverArgs: ['--service-cluster-ip-range', serviceRange, '--advertise-address', '127.0.0.1'],
  });
  kubeconfig = c.cp.kubeconfigFor('admin');
  proxy = spawnComponent(
    'kube-proxy',
    [
      '--kubeconfig', c.cp.kubeconfigFor('kube-proxy'), '--node-name', c.nodes[0]!.name, '--ops-port', '0', '--dns-port', '0',
      '--dns-upstream', 'none', '--service-cluster-ip-range', serviceRange, '--address-label', `ic${r}`, '--sync-period', '5s',
    ],
    { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' } },
  );
  await c.cp.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } });
  // the harness runs RBAC: the namespace's default account may read there (and only there)
  await c.cp.client.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
    body: {
      metadata: { name: 'default-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: NS }],
    },
  });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await c?.stop();
});

describe('in-cluster API access with service account tokens', () => {
  it('gives every new namespace its default ServiceAccount and the cluster CA', async () => {
    const sas = c.cp.client.resource<ServiceAccount>(RESOURCES.serviceaccounts);
    const cms = c.cp.client.resource<ConfigMap>(RESOURCES.configmaps);
    await waitFor(async () => (await sas.list(NS)).items.some((s) => s.metadata.name === 'default'), { timeoutMs: 30_000 });
    let ca: ConfigMap | undefined;
    await waitFor(async () => {
      ca = (await cms.list(NS)).items.find((m) => m.metadata.name === 'kube-root-ca.crt');
      return ca !== undefined;
    }, { timeoutMs: 30_000 });
    expect(ca!.data?.['ca.crt']).toBe(c.cp.caPem);

    // both come back when deleted, and the CA when edited
    await sas.delete(NS, 'default');
    await cms.update({ ...ca!, data: { 'ca.crt': 'not a CA' } });
    await waitFor(async () => (await sas.list(NS)).items.some((s) => s.metadata.name === 'default'), { timeoutMs: 30_000 });
    await waitFor(async () => (await cms.get(NS, 'kube-root-ca.crt')).data?.['ca.crt'] === c.cp.caPem, { timeoutMs: 30_000 });
  });

  it('mounts the token, CA and namespace, and kubectl in the pod talks to the API as the pod\'s service account', async () => {
    const pods = c.cp.client.resource<Pod>(RESOURCES.pods);
    await waitFor(
      async () => {
        try {
          await pods.create(clientPod('client'));
          return true;
        } catch (err) {
          // the ServiceAccount admission refuses pods until the namespace's default account exists
          if ((err as Error).message.includes('serviceaccount')) return false;
          throw err;
        }
      },
      { timeoutMs: 30_000 },
    );
    const pod = await waitRunning('client');
    expect(pod.spec.serviceAccountName).toBe('default');
    const volume = pod.spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.projected?.sources?.map((s) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(pod.spec.containers[0]!.volumeMounts).toContainEqual({ name: volume!.name, mountPath: SA_DIR, readOnly: true });

    const cat = async (file: string) => {
      const res = await kubectl('exec', '-n', NS, 'client', '--', 'cat', `${SA_DIR}/${file}`);
      expect(res.stderr).toBe('');
      return res.stdout;
    };
    expect(await cat('namespace')).toBe(NS);
    expect(await cat('ca.crt')).toBe(c.cp.caPem);
    expect((await cat('token')).split('.')).toHaveLength(3);

    const env = await kubectl('exec', '-n', NS, 'client', '--', 'sh', '-c', 'echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT');
    expect(env.stdout.trim()).toBe(`${apiServiceIP}:443`);

    // kubectl with no kubeconfig inside the pod: in-cluster config through the ClusterIP and kube-proxy
    let inPod: KubectlResult = { code: 1, stdout: '', stderr: '' };
    await waitFor(
      async () => {
        // (no --request-timeout: any override makes kubectl skip its in-cluster configuration)
        inPod = await kubectl('exec', '-n', NS, 'client', '--', 'kubectl', 'get', 'pods', '-o', 'name');
        return inPod.code === 0;
      },
      { timeoutMs: 60_000, message: () => `in-pod kubectl failed: ${inPod.stdout} ${inPod.stderr}\n${proxy.logs().slice(-2000)}` },
    );
    expect(inPod.stdout.trim().split('\n')).toContain('pod/client');

    const whoami = await kubectl('exec', '-n', NS, 'client', '--', 'kubectl', 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(whoami.stdout).toBe(`system:serviceaccount:${NS}:default`);
    // RBAC: the account's binding is in its own namespace only
    const elsewhere = await kubectl('exec', '-n', NS, 'client', '--', 'kubectl', 'get', 'pods', '-n', 'default');
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain(`pods is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "pods" in API group "" in the namespace "default"`);
  });

  it('mounts nothing when the pod opts out with automountServiceAccountToken: false', async () => {
    const pods = c.cp.client.resource<Pod>(RESOURCES.pods);
    await pods.create(clientPod('no-token', { automountServiceAccountToken: false }));
    const pod = await waitRunning('no-token');
    expect(pod.spec.volumes?.map((v) => v.name)).toEqual(['kubectl']);
    const ls = await kubectl('exec', '-n', NS, 'no-token', '--', 'ls', SA_DIR);
    expect(ls.code).not.toBe(0);
    // without the token file kubectl has no in-cluster configuration and nothing to talk to
    const inPod = await kubectl('exec', '-n', NS, 'no-token', '--', 'kubectl', 'get', 'pods');
    expect(inPod.code).not.toBe(0);
    expect(inPod.stderr).toContain('localhost:8080');
  });

  it('refuses a pod whose service account does not exist, with Kubernetes\' message', async () => {
    const res = await kubectl('run', 'orphan', '-n', NS, '--image', 'mk8s/busybox:1', '--overrides', JSON.stringify({ spec: { serviceAccountName: 'missing' } }), '--', 'sleep', '60');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`error looking up service account ${NS}/missing: serviceaccount "missing" not found`);
  });
});
