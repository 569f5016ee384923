/**
 * apps/v1 DaemonSets served to the stock kubectl by a real apiserver over etcd: apply
 * (created, then unchanged), the server-side Table of `get ds`, `explain` from the OpenAPI v3
 * models, the 422s of validation (selector not matching the template, selector changed on
 * update), the server-owned template-generation annotation and `get all` listing the
 * daemonset. No controller runs here: status stays the zero counters set on create.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSet } from '@mk8s/shared';
import { runKubectl, startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';


let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

const kubectl = (args: string[], version = '1.32') => runKubectl(cp.kubeconfigFor('admin'), args, version);

/** A DaemonSet manifest; `selectorApp` differing from `name` makes it invalid. */
function manifest(name: string, opts: { selectorApp?: string; extraSelector?: string; image?: string } = {}): string {
  const selectorApp = opts.selectorApp ?? name;
  const path = join(cp.dir, `ds-${name}-${selectorApp}-${opts.extraSelector ?? ''}-${(opts.image ?? '').replace(/\W/g, '')}.yaml`);
  writeFileSync(
    path,
    `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${selectorApp}${opts.extraSelector ? `\n      ${opts.extraSelector}` : ''}
  template:
    metadata:
      labels:
        app: ${name}
        tier: node
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: agent
        image: ${opts.image ?? 'mk8s/busybox:1'}
        command: [sleep, '3600']
`,
  );
  return path;
}

const getDaemonSet = (name: string) => cp.client.request<DaemonSet>('GET', `/apis/apps/v1/namespaces/default/daemonsets/${name}`);

describe('daemonsets with the stock kubectl', () => {
  it('applies a DaemonSet: created, defaulted, then unchanged on re-apply', async () => {
    const path = manifest('agent');
    const first = await kubectl(['apply', '-f', path]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('daemonset.apps/agent created');
    const again = await kubectl(['apply', '-f', path]);
    expect(again.stdout.trim()).toBe('daemonset.apps/agent unchanged');

    const ds = await getDaemonSet('agent');
    expect(ds.metadata.generation).toBe(1);
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('1');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    expect(ds.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  });

  it.each(['1.27', '1.33'])('kubectl %s creates and applies one with its default validation', async (version) => {
    const name = `agent-${version.replace('.', '-')}`;
    const created = await kubectl(['create', '-f', manifest(name)], version);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe(`daemonset.apps/${name} created`);
    const applied = await kubectl(['apply', '-f', manifest(name, { image: 'mk8s/busybox:3' })], version);
    expect(applied.stdout.trim()).toBe(`daemonset.apps/${name} configured`);
    expect((await getDaemonSet(name)).spec.template.spec.containers[0]?.image).toBe('mk8s/busybox:3');
    expect((await kubectl(['delete', 'ds', name], version)).stdout.trim()).toBe(`daemonset.apps "${name}" deleted`);
  });

  it('applies server-side, then changes the image with a second server-side apply', async () => {
    const first = await kubectl(['apply', '--server-side', '-f', manifest('agent-ssa')]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('daemonset.apps/agent-ssa serverside-applied');
    const second = await kubectl(['apply', '--server-side', '-f', manifest('agent-ssa', { image: 'mk8s/busybox:5' })]);
    expect(second.stdout.trim()).toBe('daemonset.apps/agent-ssa serverside-applied');
    const ds = await getDaemonSet('agent-ssa');
    expect(ds.spec.template.spec.containers[0]?.image).toBe('mk8s/busybox:5');
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
    expect((await kubectl(['delete', 'ds', 'agent-ssa'])).code).toBe(0);
  });

  it('prints the DaemonSet table, plain and wide, by name and short name', async () => {
    const plain = await kubectl(['get', 'ds']);
    const [header, row] = plain.stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 7)).toEqual(['agent', '0', '0', '0', '0', '0', 'kubernetes.io/os=linux']);

    const wide = await kubectl(['get', 'daemonsets.apps', 'agent', '-o', 'wide']);
    const [wideHeader, wideRow] = wide.stdout.trim().split('\n');
    expect(wideHeader?.split(/\s{2,}/)).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(wideRow?.split(/\s+/).slice(-3)).toEqual(['agent', 'mk8s/busybox:1', 'app=agent']);
  });

  it('explains the update strategy from the OpenAPI v3 schema', async () => {
    const r = await kubectl(['explain', 'daemonset.spec.updateStrategy']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GROUP:\s+apps\nKIND:\s+DaemonSet\nVERSION:\s+v1$/m);
    expect(r.stdout).toContain('FIELD: updateStrategy <DaemonSetUpdateStrategy>');
    expect(r.stdout).toMatch(/rollingUpdate\s+<RollingUpdateDaemonSet>/);
    expect(r.stdout).toMatch(/type\s+<string>/);
    const spec = await kubectl(['explain', 'ds.spec']);
    expect(spec.stdout).toMatch(/selector\s+<LabelSelector> -required-/);
    expect(spec.stdout).toMatch(/template\s+<PodTemplateSpec> -required-/);
  });

  it('refuses a selector that does not match the template labels with a 422', async () => {
    const r = await kubectl(['create', '-f', manifest('bad', { selectorApp: 'other' }), '-v=6']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/POST https:\/\/\S+\/apis\/apps\/v1\/namespaces\/default\/daemonsets\S* 422 Unprocessable Entity/);
    expect(r.stderr).toContain('The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: {"app":"bad","tier":"node"}: `selector` does not match template `labels`');
    const get = await kubectl(['get', 'ds', 'bad']);
    expect(get.stderr).toContain('daemonsets.apps "bad" not found');
  });

  it('refuses a changed selector as immutable but takes a new template', async () => {
    const changed = await kubectl(['apply', '-f', manifest('agent', { extraSelector: 'tier: node' })]);
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('The DaemonSet "agent" is invalid: spec.selector: Invalid value:');
    expect(changed.stderr).toContain('field is immutable');

    const updated = await kubectl(['apply', '-f', manifest('agent', { image: 'mk8s/busybox:2' })]);
    expect(updated.stdout.trim()).toBe('daemonset.apps/agent configured');
    const ds = await getDaemonSet('agent');
    expect(ds.spec.template.spec.containers[0]?.image).toBe('mk8s/busybox:2');
    expect(ds.metadata.generation).toBe(2);
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
  });

  it('describes the daemonset', async () => {
    const r = await kubectl(['describe', 'ds', 'agent']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Name:\s+agent$/m);
    expect(r.stdout).toMatch(/^Selector:\s+app=agent$/m);
    expect(r.stdout).toMatch(/^Node-Selector:\s+kubernetes\.io\/os=linux$/m);
    expect(r.stdout).toMatch(/^Desired Number of Nodes Scheduled: 0$/m);
    expect(r.stdout).toMatch(/^Pods Status:\s+0 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(r.stdout).toMatch(/^\s+Image:\s+mk8s\/busybox:2$/m);
  });

  it('merges a strategic patch into the template containers by name', async () => {
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'agent', image: 'mk8s/busybox:4' }] } } } });
    const r = await kubectl(['patch', 'ds', 'agent', '-p', patch]);
    expect(r.stdout.trim()).toBe('daemonset.apps/agent patched');
    const ds = await getDaemonSet('agent');
    expect(ds.spec.template.spec.containers).toMatchObject([{ name: 'agent', image: 'mk8s/busybox:4', command: ['sleep', '3600'] }]);
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('3');
  });

  it('lists the daemonset in `kubectl get all`', async () => {
    const r = await kubectl(['get', 'all']);
    expect(r.stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m);
    expect(r.stdout).toMatch(/^daemonset\.apps\/agent\s+0\s+0\s+0\s+0\s+0\s+kubernetes\.io\/os=linux\s+\S+$/m);
  });
});
