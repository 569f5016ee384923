/**
 * apps/v1 DaemonSets end to end on real Docker with two kubelets: one Running pod per node; a
 * new image set with stock kubectl 1.33 `set image` rolls out with at most one node unready
 * (`rollout status` waits for it); a deleted daemon pod is replaced; `rollout restart`
 * replaces every pod; deleting the DaemonSet removes its pods (garbage collector); a
 * nodeSelector limits it to the labelled nodes; a cordoned node still runs its daemon pod.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, RESOURCES, type DaemonSet, type Pod } from '@mk8s/shared';
import { kubectlBinary, startCluster, waitFor, type TestCluster } from '@mk8s/shared/testing';

const KUBECTL = kubectlBinary('1.33');
const V2 = 'mk8s/busybox:ds-v2';
let c: TestCluster;

beforeAll(async () => {
  c = await startCluster({ id: 190, nodes: 2 });
  execFileSync('docker', ['tag', 'mk8s/busybox:1', V2]);
});
afterAll(async () => {
  await c?.stop();
  execFileSync('docker', ['rmi', V2], { stdio: 'ignore' });
});

const daemonSets = () => c.cp.client.resource<DaemonSet>(RESOURCES.daemonsets);
const pods = () => c.cp.client.resource<Pod>(RESOURCES.pods);
const kubectl = (...args: string[]): string => execFileSync(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), ...args], { encoding: 'utf8', timeout: 120_000 });
const podsOf = async (name: string) => (await pods().list('default', { labelSelector: `app=${name}` })).items;
const running = async (name: string) => (await podsOf(name)).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const nodesOf = (ps: Pod[]) => ps.map((p) => p.spec.nodeName ?? '').sort();

function daemonSet(name: string, nodeSelector?: Record<string, string>): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          ...(nodeSelector ? { nodeSelector } : {}),
          containers: [{ name: 'main', image: 'mk8s/busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
        },
      },
    },
  };
}

describe('DaemonSets on real Docker', () => {
  it('runs exactly one pod on each node, rolls out a new image and a restart, replaces a deleted pod and goes away with its pods', async () => {
    const all = c.nodes.map((n) => n.name).sort();
    await daemonSets().create(daemonSet('every'));
    await waitFor(async () => nodesOf(await running('every')).join() === all.join(), { timeoutMs: 60_000, message: 'not one running pod per node' });
    expect(nodesOf(await podsOf('every'))).toEqual(all);
    const first = await running('every');
    for (const p of first) expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'DaemonSet', name: 'every', controller: true, blockOwnerDeletion: true })]);
    await waitFor(async () => (await daemonSets().get('default', 'every')).status?.numberAvailable === 2, { timeoutMs: 30_000, message: 'status never showed 2 available' });
    expect((await daemonSets().get('default', 'every')).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 });

    // a new image: rolled out one node at a time, kubectl rollout status waits for it
    // while kubectl waits, sample how many nodes lack a ready pod: maxUnavailable 1 allows one
    expect(kubectl('set', 'image', 'daemonset/every', `main=${V2}`).trim()).toBe('daemonset.apps/every image updated');
    let done = false;
    let worst = 0;
    const sampler = (async () => {
      while (!done) {
        const ready = (await running('every')).filter((p) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
        worst = Math.max(worst, all.filter((n) => !ready.some((p) => p.spec.nodeName === n)).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const status = await promisify(execFile)(KUBECTL, ['--kubeconfig', c.cp.kubeconfigFor('admin'), 'rollout', 'status', 'daemonset/every', '--timeout=90s'], { encoding: 'utf8' });
    done = true;
    await sampler;
    expect(status.stdout).toContain('daemon set "every" successfully rolled out');
    expect(worst).toBeLessThanOrEqual(1);
    await waitFor(async () => (await podsOf('every')).length === 2, { timeoutMs: 30_000, message: 'old pods never went away' });
    const rolled = await running('every');
    expect(nodesOf(rolled)).toEqual(all);
    expect(rolled.map((p) => p.spec.containers[0]!.image)).toEqual([V2, V2]);
    expect(rolled.map((p) => p.spec.containers[0]!.command)).toEqual([['sleep', '3600'], ['sleep', '3600']]);
    expect(rolled.some((p) => first.some((f) => f.metadata.uid === p.metadata.uid))).toBe(false);

    // a deleted daemon pod is replaced on the same node
    const victim = rolled[0]!;
    await pods().delete('default', victim.metadata.name!);
    await waitFor(
      async () => {
        const now = await running('every');
        return nodesOf(now).join() === all.join() && !now.some((p) => p.metadata.uid === victim.metadata.uid);
      },
      { timeoutMs: 60_000, message: 'the deleted daemon pod was not replaced' },
    );

    // kubectl rollout restart stamps the template: a new revision, every pod replaced again
    const before = (await running('every')).map((p) => p.metadata.uid);
    expect(kubectl('rollout', 'restart', 'daemonset/every').trim()).toBe('daemonset.apps/every restarted');
    expect(kubectl('rollout', 'status', 'daemonset/every', '--timeout=90s')).toContain('successfully rolled out');
    await waitFor(async () => (await podsOf('every')).length === 2, { timeoutMs: 30_000, message: 'old pods never went away after the restart' });
    const restarted = await running('every');
    expect(nodesOf(restarted)).toEqual(all);
    expect(restarted.some((p) => before.includes(p.metadata.uid))).toBe(false);
    expect(restarted.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'])).toBe(true);

    // deleting the DaemonSet removes its pods
    kubectl('delete', 'daemonset', 'every', '--wait=false');
    await waitFor(async () => (await podsOf('every')).length === 0, { timeoutMs: 60_000, message: 'daemon pods outlived their DaemonSet' });
    await expect(daemonSets().get('default', 'every')).rejects.toSatisfy(isNotFound);
  });

  it('a nodeSelector limits the DaemonSet to the labelled node, and follows the label', async () => {
    const [labelled, other] = c.nodes.map((n) => n.name);
    kubectl('label', 'node', labelled!, 'ds-test=yes');
    await daemonSets().create(daemonSet('picky', { 'ds-test': 'yes' }));
    await waitFor(async () => nodesOf(await running('picky')).join() === labelled, { timeoutMs: 60_000, message: 'no pod on the labelled node' });
    await waitFor(async () => (await daemonSets().get('default', 'picky')).status?.desiredNumberScheduled === 1, { timeoutMs: 30_000, message: 'desired never 1' });
    expect(nodesOf(await podsOf('picky'))).toEqual([labelled]);

    kubectl('label', 'node', other!, 'ds-test=yes');
    await waitFor(async () => (await running('picky')).length === 2, { timeoutMs: 60_000, message: 'no pod on the newly labelled node' });
    kubectl('label', 'node', labelled!, 'ds-test-');
    await waitFor(async () => nodesOf(await podsOf('picky')).join() === other, { timeoutMs: 60_000, message: 'the pod on the unlabelled node stayed' });
  });

  it('a cordoned node still gets its daemon pod (the unschedulable toleration every daemon pod carries)', async () => {
    const all = c.nodes.map((n) => n.name).sort();
    kubectl('cordon', all[1]!);
    try {
      await daemonSets().create(daemonSet('cordoned'));
      await waitFor(async () => nodesOf(await running('cordoned')).join() === all.join(), { timeoutMs: 60_000, message: 'no daemon pod on the cordoned node' });
      const onCordoned = (await running('cordoned')).find((p) => p.spec.nodeName === all[1]);
      expect(onCordoned?.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    } finally {
      kubectl('uncordon', all[1]!);
    }
  });
});
