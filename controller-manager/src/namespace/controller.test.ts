import { describe, expect, it } from 'vitest';
import { RESOURCES, silentLogger, type Namespace, type Pod } from '@mk8s/shared';
import { FakeClient, newDeployment, newNamespace, newPod, newService } from '@mk8s/shared/testing';
import { NamespaceController } from './controller.js';

function setup() {
  const client = new FakeClient();
  const doomed = newNamespace('doomed', { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['test/hold'] });
  client.seed(RESOURCES.namespaces, [doomed, newNamespace('keep')]);
  client.seed(RESOURCES.pods, [newPod('loose', { namespace: 'doomed' }), newPod('running', { namespace: 'doomed', nodeName: 'n1', phase: 'Running' }), newPod('other', { namespace: 'keep' })]);
  client.seed(RESOURCES.services, [newService('svc', { namespace: 'doomed' })]);
  client.seed(RESOURCES.deployments, [newDeployment('web', { namespace: 'doomed' })]);
  client.seed(RESOURCES.configmaps, [{ metadata: { name: 'cfg', namespace: 'doomed' } }]);
  client.prependReactor('update', 'namespaces', (a) => (a.subresource === 'finalize' ? a.body : undefined));
  const c = new NamespaceController({
    namespaces: { get: (_ns, name) => client.stored<Namespace>(RESOURCES.namespaces, undefined, name) },
    namespaceApi: client.resource<Namespace>(RESOURCES.namespaces),
    client,
    logger: silentLogger(),
  });
  return { client, c };
}

const finalizeCalls = (client: FakeClient) => client.actions.filter((a) => a.verb === 'update' && a.subresource === 'finalize');

describe('NamespaceController.sync', () => {
  it('deletes the content, waits for graceful pods, then finalizes', async () => {
    const { client, c } = setup();
    expect(await c.sync('doomed')).toEqual({ done: false, remaining: 1 });
    expect(client.all(RESOURCES.pods).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['doomed/running', 'keep/other']);
    expect(client.stored<Pod>(RESOURCES.pods, 'doomed', 'running')?.metadata.deletionTimestamp).toBeDefined();
    expect(client.all(RESOURCES.services)).toEqual([]);
    expect(client.all(RESOURCES.deployments)).toEqual([]);
    expect(client.all(RESOURCES.configmaps)).toEqual([]);
    expect(client.stored<Namespace>(RESOURCES.namespaces, undefined, 'doomed')?.status?.conditions?.[0]).toMatchObject({
      type: 'NamespaceContentRemaining',
      status: 'True',
      message: 'Some resources are remaining: pods has 1 resource instances',
    });
    expect(finalizeCalls(client)).toEqual([]);
    const deletesBefore = client.actionsFor('delete').length;

    // a second pass deletes nothing again while the pod terminates
    expect(await c.sync('doomed')).toEqual({ done: false, remaining: 1 });
    expect(client.actionsFor('delete').length).toBe(deletesBefore);

    // the kubelet finishes
    await client.resource(RESOURCES.pods).delete('doomed', 'running', { gracePeriodSeconds: 0 });
    expect(await c.sync('doomed')).toEqual({ done: true });
    expect(finalizeCalls(client)).toHaveLength(1);
    expect((finalizeCalls(client)[0]!.body as Namespace).spec?.finalizers).toEqual([]);
  });

  it('ignores namespaces that are not being deleted', async () => {
    const { client, c } = setup();
    expect(await c.sync('keep')).toEqual({ done: true });
    expect(await c.sync('missing')).toEqual({ done: true });
    expect(client.actionsFor('delete')).toEqual([]);
  });
});
