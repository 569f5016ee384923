/**
 * The clusterrole-aggregation controller against a real control plane and the compiled
 * controller-manager: the bootstrap view, edit and admin already hold their aggregated rules
 * (the controller leaves them be), a ClusterRole labelled aggregate-to-view extends view and,
 * through it, edit and admin - which the stock kubectl sees as new permissions of a user bound
 * to view - and removing the label takes the rules back out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, type ClusterRole, type PolicyRule } from '@mk8s/shared';
import { runKubectl, spawnComponent, startControlPlane, waitFor, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
let cm: ManagedProcess;
beforeAll(async () => {
  cp = await startControlPlane();
  cm = spawnComponent('controller-manager', ['--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0', '--no-leader-elect'], {
    env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' },
  });
});
afterAll(async () => {
  await cm?.stop();
  await cp?.stop();
});

const roles = () => cp.client.resource<ClusterRole>(RESOURCES.clusterroles);
const kubectl = (args: string[]) => runKubectl(cp.kubeconfigFor('admin'), args, '1.33');
// view itself does not cover nodes
const NODES: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['nodes'] };
const hasNodes = async (name: string) => ((await roles().get(undefined, name)).rules ?? []).some((r) => JSON.stringify(r) === JSON.stringify(NODES));

describe('clusterrole-aggregation', () => {
  it('the bootstrap view, edit and admin already hold what they aggregate', async () => {
    const before = await Promise.all(['view', 'edit', 'admin'].map((n) => roles().get(undefined, n)));
    for (const r of before) expect(r.aggregationRule?.clusterRoleSelectors).toHaveLength(1);
    // a change to any ClusterRole makes the controller look at every aggregating one
    await roles().create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'poke' }, rules: [] });
    await new Promise((r) => setTimeout(r, 2000));
    const after = await Promise.all(['view', 'edit', 'admin'].map((n) => roles().get(undefined, n)));
    expect(after.map((r) => r.metadata.resourceVersion)).toEqual(before.map((r) => r.metadata.resourceVersion));
    expect(cm.child.exitCode).toBeNull();
  });

  it('a role labelled aggregate-to-view extends view, edit and admin, and leaves them when unlabelled', async () => {
    const bind = await kubectl(['create', 'clusterrolebinding', 'ann-views', '--clusterrole=view', '--user=ann']);
    expect(bind.code, bind.stderr).toBe(0);
    expect((await kubectl(['auth', 'can-i', 'list', 'nodes', '--as', 'ann'])).stdout.trim()).toBe('no');

    await roles().create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'node-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [NODES],
    });
    for (const name of ['view', 'edit', 'admin']) await waitFor(() => hasNodes(name), { timeoutMs: 15_000, message: () => `${name} never got the nodes rule: ${cm.logs().slice(-2000)}` });
    await waitFor(async () => (await kubectl(['auth', 'can-i', 'list', 'nodes', '--as', 'ann'])).stdout.trim() === 'yes', { timeoutMs: 10_000 });

    const unlabel = await kubectl(['label', 'clusterrole', 'node-viewer', 'rbac.authorization.k8s.io/aggregate-to-view-']);
    expect(unlabel.code, unlabel.stderr).toBe(0);
    for (const name of ['view', 'edit', 'admin']) await waitFor(async () => !(await hasNodes(name)), { timeoutMs: 15_000, message: () => `${name} kept the nodes rule` });
    await waitFor(async () => (await kubectl(['auth', 'can-i', 'list', 'nodes', '--as', 'ann'])).stdout.trim() === 'no', { timeoutMs: 10_000 });
  });
});
