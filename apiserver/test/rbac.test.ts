/**
 * RBAC end to end against a real etcd and the stock kubectl: the bootstrap roles exist, a
 * service account starts with discovery and self-review only, a Role and RoleBinding grant it
 * reads in one namespace (and only there), a ClusterRoleBinding to `view` grants reads
 * everywhere but not secrets, `kubectl auth can-i` (and `--list`) answer from the same rules,
 * exec is authorized before any kubelet is contacted, removing the binding revokes access,
 * writing roles grants nothing the writer does not hold, impersonation (--as) needs the
 * impersonate verb, and the components' own tokens get
 * what their roles allow and no more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, RestClient } from '@mk8s/shared';
import { runKubectl, startControlPlane, waitFor, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
let token: string;
const SA_USER = 'system:serviceaccount:team:builder';

beforeAll(async () => {
  cp = await startControlPlane({ serviceAccounts: true });
  for (const args of [['create', 'namespace', 'team'], ['create', 'serviceaccount', 'builder', '-n', 'team']]) {
    const r = await kubectl(args);
    expect(r.code, r.stderr).toBe(0);
  }
  const t = await kubectl(['create', 'token', 'builder', '-n', 'team']);
  expect(t.code, t.stderr).toBe(0);
  token = t.stdout.trim();
});
afterAll(async () => {
  await cp?.stop();
});

const kubectl = (args: string[], version = '1.33') => runKubectl(cp.kubeconfigFor('admin'), args, version);
const asBuilder = (args: string[], version = '1.33') => runKubectl(cp.kubeconfigFor('admin'), ['--token', token, ...args], version);

/** The HTTP status `token` gets for `method path`. */
async function statusOf(tok: string, method: string, path: string, body?: unknown): Promise<number> {
  const c = new RestClient({ server: cp.url, ca: cp.caPem, token: tok });
  try {
    await c.request(method, path, body === undefined ? {} : { body });
    return 200;
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  } finally {
    c.close();
  }
}

describe('RBAC', () => {
  it('starts with the bootstrap cluster roles and bindings', async () => {
    const roles = await kubectl(['get', 'clusterroles', '-o', 'name']);
    expect(roles.code, roles.stderr).toBe(0);
    for (const r of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:kube-scheduler', 'system:node']) {
      expect(roles.stdout).toContain(`clusterrole.rbac.authorization.k8s.io/${r}\n`);
    }
    const binding = await kubectl(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'jsonpath={.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}']);
    expect(binding.stdout).toBe('cluster-admin Group/system:masters');
  });

  it('a new service account may discover the API and review itself, and nothing else', async () => {
    const who = await asBuilder(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout, who.stderr).toBe(SA_USER);
    const resources = await asBuilder(['api-resources', '-o', 'name']);
    expect(resources.code, resources.stderr).toBe(0);
    expect(resources.stdout).toContain('pods\n');
    const pods = await asBuilder(['get', 'pods', '-n', 'team']);
    expect(pods.code).not.toBe(0);
    expect(pods.stderr).toContain(`Error from server (Forbidden): pods is forbidden: User "${SA_USER}" cannot list resource "pods" in API group "" in the namespace "team"`);
    const canI = await asBuilder(['auth', 'can-i', 'list', 'pods', '-n', 'team']);
    expect(canI.stdout.trim()).toBe('no');
    expect(canI.code).toBe(1);
  });

  it('a Role bound in one namespace grants exactly its rules there, and removing the binding revokes them', async () => {
    for (const args of [
      ['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', 'team'],
      ['create', 'rolebinding', 'builder-reads-pods', '--role=pod-reader', '--serviceaccount=team:builder', '-n', 'team'],
    ]) {
      const r = await kubectl(args);
      expect(r.code, r.stderr).toBe(0);
    }
    await waitFor(async () => (await asBuilder(['get', 'pods', '-n', 'team'])).code === 0, { timeoutMs: 10_000 });
    expect((await asBuilder(['auth', 'can-i', 'list', 'pods', '-n', 'team'])).stdout.trim()).toBe('yes');
    expect((await asBuilder(['auth', 'can-i', 'create', 'pods', '-n', 'team'])).stdout.trim()).toBe('no');
    expect((await asBuilder(['auth', 'can-i', 'list', 'pods', '-n', 'default'])).stdout.trim()).toBe('no');
    const other = await asBuilder(['get', 'pods', '-n', 'default']);
    expect(other.stderr).toContain('cannot list resource "pods" in API group "" in the namespace "default"');
    const create = await asBuilder(['run', 'x', '--image=mk8s/busybox:1', '-n', 'team']);
    expect(create.stderr).toContain(`pods is forbidden: User "${SA_USER}" cannot create resource "pods" in API group "" in the namespace "team"`);
    const list = await asBuilder(['auth', 'can-i', '--list', '-n', 'team']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list.stdout).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);

    const del = await kubectl(['delete', 'rolebinding', 'builder-reads-pods', '-n', 'team']);
    expect(del.code, del.stderr).toBe(0);
    await waitFor(async () => (await asBuilder(['auth', 'can-i', 'list', 'pods', '-n', 'team'])).stdout.trim() === 'no', { timeoutMs: 10_000 });
  });

  it('a ClusterRoleBinding to view grants reads in every namespace but not secrets or writes', async () => {
    const r = await kubectl(['create', 'clusterrolebinding', 'builder-view', '--clusterrole=view', '--serviceaccount=team:builder']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(async () => (await asBuilder(['get', 'deployments', '-n', 'default'])).code === 0, { timeoutMs: 10_000 });
    const secrets = await asBuilder(['get', 'secrets', '-n', 'default']);
    expect(secrets.stderr).toContain('cannot list resource "secrets" in API group "" in the namespace "default"');
    const scale = await asBuilder(['auth', 'can-i', 'update', 'deployments.apps', '--subresource=scale', '-n', 'default']);
    expect(scale.stdout.trim()).toBe('no');
    const nodes = await asBuilder(['get', 'nodes']);
    expect(nodes.stderr).toContain('nodes is forbidden: User "system:serviceaccount:team:builder" cannot list resource "nodes" in API group "" at the cluster scope');
    await kubectl(['delete', 'clusterrolebinding', 'builder-view']);
  });

  it('exec and port-forward are authorized as create on the subresource, before any kubelet is asked', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'mk8s/busybox:1' }] } };
    await cp.client.request('POST', '/api/v1/namespaces/team/pods', { body: pod });
    const r = await kubectl(['create', 'rolebinding', 'builder-reads', '--clusterrole=view', '--serviceaccount=team:builder', '-n', 'team']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(async () => (await asBuilder(['get', 'pod', 'p', '-n', 'team'])).code === 0, { timeoutMs: 10_000 });
    const exec = await asBuilder(['exec', 'p', '-n', 'team', '--', 'true']);
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toContain(`pods "p" is forbidden: User "${SA_USER}" cannot create resource "pods/exec" in API group "" in the namespace "team"`);
    expect((await asBuilder(['auth', 'can-i', 'create', 'pods/exec', '-n', 'team'])).stdout.trim()).toBe('no');
  });

  it('a user who may write roles cannot grant more than they hold (escalation check) or bind what they lack', async () => {
    for (const args of [
      ['create', 'role', 'rbac-writer', '--verb=get,list,create,update,patch,delete', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io', '-n', 'team'],
      ['create', 'rolebinding', 'builder-writes-rbac', '--role=rbac-writer', '--serviceaccount=team:builder', '-n', 'team'],
    ]) {
      const r = await kubectl(args);
      expect(r.code, r.stderr).toBe(0);
    }
    await waitFor(async () => (await asBuilder(['auth', 'can-i', 'create', 'roles', '-n', 'team'])).stdout.trim() === 'yes', { timeoutMs: 10_000 });
    const held = await asBuilder(['create', 'role', 'pod-lister', '--verb=list', '--resource=pods', '-n', 'team']);
    expect(held.code, held.stderr).toBe(0);
    const more = await asBuilder(['create', 'role', 'pod-deleter', '--verb=delete', '--resource=pods', '-n', 'team']);
    expect(more.code).not.toBe(0);
    expect(more.stderr).toContain(`roles.rbac.authorization.k8s.io "pod-deleter" is forbidden: user "${SA_USER}"`);
    expect(more.stderr).toContain('is attempting to grant RBAC permissions not currently held');
    const bindAdmin = await asBuilder(['create', 'rolebinding', 'take-over', '--clusterrole=cluster-admin', '--serviceaccount=team:builder', '-n', 'team']);
    expect(bindAdmin.code).not.toBe(0);
    expect(bindAdmin.stderr).toContain('rolebindings.rbac.authorization.k8s.io "take-over" is forbidden');
    expect((await kubectl(['get', 'role', 'pod-deleter', '-n', 'team'])).code).not.toBe(0);
  });

  it('impersonation: an administrator asks as someone else (--as, can-i --as); without the impersonate verb it is refused', async () => {
    const r = await kubectl(['create', 'rolebinding', 'jane-reads', '--clusterrole=view', '--user=jane', '-n', 'team']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(async () => (await kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'team', '--as', 'jane'])).stdout.trim() === 'yes', { timeoutMs: 10_000 });
    expect((await kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'default', '--as', 'jane'])).stdout.trim()).toBe('no');
    expect((await kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'team', '--as', SA_USER])).stdout.trim()).toBe('no');
    const asJane = await kubectl(['get', 'secrets', '-n', 'team', '--as', 'jane']);
    expect(asJane.stderr).toContain('secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "team"');
    const whoami = await kubectl(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}']);
    expect(whoami.stdout).toBe('jane ["devs","system:authenticated"]');
    const sneaky = await asBuilder(['get', 'pods', '-n', 'team', '--as', 'admin', '--as-group', 'system:masters']);
    expect(sneaky.code).not.toBe(0);
    expect(sneaky.stderr).toContain(`users "admin" is forbidden: User "${SA_USER}" cannot impersonate resource "users" in API group "" at the cluster scope`);
  });

  it('SubjectAccessReview answers for another user (what kubelets ask), and needs a user or group', async () => {
    const review = (spec: unknown) =>
      cp.client.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
      });
    expect((await review({ user: 'jane', resourceAttributes: { namespace: 'team', verb: 'list', resource: 'pods' } })).status.allowed).toBe(true);
    expect((await review({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'nodes' } })).status.allowed).toBe(false);
    expect((await review({ user: 'x', groups: ['system:masters'], nonResourceAttributes: { verb: 'get', path: '/metrics' } })).status.allowed).toBe(true);
    await expect(review({ resourceAttributes: { verb: 'get', resource: 'pods' } })).rejects.toMatchObject({ code: 422 });
    expect(await statusOf(cp.tokens['kube-proxy'], 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { user: 'jane' } })).toBe(403);
  });

  it('components get what their roles allow: a kubelet reads and reports nodes but cannot create namespaces or delete deployments', async () => {
    const kubelet = cp.tokens.kubelet;
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'rbac-node' } };
    expect(await statusOf(kubelet, 'POST', '/api/v1/nodes', node)).toBe(200);
    expect(await statusOf(kubelet, 'GET', '/api/v1/namespaces/team/pods')).toBe(200);
    expect(await statusOf(kubelet, 'POST', '/api/v1/namespaces', { metadata: { name: 'nope' } })).toBe(403);
    expect(await statusOf(kubelet, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/x')).toBe(403);
    const proxy = cp.tokens['kube-proxy'];
    expect(await statusOf(proxy, 'GET', '/api/v1/endpoints')).toBe(200);
    expect(await statusOf(proxy, 'GET', '/api/v1/secrets')).toBe(403);
    expect(await statusOf(cp.tokens['controller-manager'], 'DELETE', '/api/v1/namespaces/team/pods/p')).toBe(200);
  });

  it('an administrator in system:masters may do anything, with or without bindings', async () => {
    const del = await kubectl(['delete', 'clusterrolebinding', 'cluster-admin']);
    expect(del.code, del.stderr).toBe(0);
    const nodes = await kubectl(['get', 'nodes']);
    expect(nodes.code, nodes.stderr).toBe(0);
    expect((await kubectl(['auth', 'can-i', '*', '*'])).stdout.trim()).toBe('yes');
  });

  it('a restart reconciles the bootstrap policy: lost rules, subjects and bindings come back, opted-out objects stay as edited', async () => {
    // cluster-admin's binding was deleted above; break three more things
    const edits = [
      ['patch', 'clusterrole', 'system:discovery', '--type=json', '-p', '[{"op":"replace","path":"/rules","value":[{"verbs":["get"],"nonResourceURLs":["/version"]}]}]'],
      ['patch', 'clusterrolebinding', 'system:node', '--type=merge', '-p', '{"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"someone"}]}'],
      ['annotate', '--overwrite', 'clusterrole', 'system:basic-user', 'rbac.authorization.kubernetes.io/autoupdate=false'],
      ['patch', 'clusterrole', 'system:basic-user', '--type=json', '-p', '[{"op":"replace","path":"/rules","value":[{"verbs":["create"],"apiGroups":["authentication.k8s.io"],"resources":["selfsubjectreviews"]}]}]'],
    ];
    for (const args of edits) {
      const r = await kubectl(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    await cp.restartApiserver();
    const admin = await kubectl(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'jsonpath={.subjects[0].name}']);
    expect(admin.stdout, admin.stderr).toBe('system:masters');
    const discovery = await kubectl(['get', 'clusterrole', 'system:discovery', '-o', 'jsonpath={.rules[*].nonResourceURLs}']);
    expect(discovery.stdout).toContain('"/apis/*"');
    expect(discovery.stdout).toContain('"/version"');
    const node = await kubectl(['get', 'clusterrolebinding', 'system:node', '-o', 'jsonpath={.subjects[*].name}']);
    expect(node.stdout).toBe('someone system:nodes');
    const basic = await kubectl(['get', 'clusterrole', 'system:basic-user', '-o', 'jsonpath={.rules[*].resources}']);
    expect(basic.stdout).toBe('["selfsubjectreviews"]');
  });
});
