import { describe, expect, it } from 'vitest';
import { ApiError, DEFAULT_SERVICE_ACCOUNT, NAMESPACE_TERMINATING_CAUSE, RESOURCES, ROOT_CA_CONFIGMAP, silentLogger, type ConfigMap, type KubeObject, type Namespace, type ResourceType, type ServiceAccount } from '@mk8s/shared';
import { FakeClient, newNamespace } from '@mk8s/shared/testing';
import { NamespaceObjectController } from './namespace-object.js';
import { ROOT_CA_DESCRIPTION, defaultServiceAccount, repairRootCA, rootCAConfigMap } from './index.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A controller whose listers read the fake apiserver directly (an always-current cache). */
function controller<T extends KubeObject>(client: FakeClient, type: ResourceType, name: string, build: (ns: string) => T, repair?: (cur: T) => T | undefined) {
  return new NamespaceObjectController<T>({
    name,
    namespaces: { get: (_ns, n) => client.stored<Namespace>(RESOURCES.namespaces, undefined, n), list: () => client.all(RESOURCES.namespaces) as Namespace[] },
    objects: { get: (ns, n) => client.stored<T>(type, ns, n), list: (ns) => (client.all(type) as T[]).filter((o) => !ns || o.metadata.namespace === ns) },
    api: client.resource<T>(type),
    build,
    repair,
    logger: silentLogger(),
  });
}

const saController = (client: FakeClient) => controller<ServiceAccount>(client, RESOURCES.serviceaccounts, DEFAULT_SERVICE_ACCOUNT, defaultServiceAccount);
const caController = (client: FakeClient) =>
  controller<ConfigMap>(client, RESOURCES.configmaps, ROOT_CA_CONFIGMAP, (ns) => rootCAConfigMap(ns, CA), (cm) => repairRootCA(cm, CA));

const writes = (client: FakeClient) => client.actions.filter((a) => a.verb === 'create' || a.verb === 'update').map((a) => `${a.verb} ${a.resource} ${a.namespace}`);

describe('serviceaccount controller', () => {
  it.each<[string, Namespace[], ServiceAccount[], string[]]>([
    ['creates default in a new namespace', [newNamespace('team')], [], ['create serviceaccounts team']],
    ['leaves an existing default alone', [newNamespace('team')], [defaultServiceAccount('team')], []],
    ['creates nothing in a terminating namespace', [newNamespace('team', { deletionTimestamp: '2026-01-01T00:00:00Z' })], [], []],
    ['creates nothing for a namespace that is gone', [], [], []],
  ])('%s', async (_name, namespaces, sas, want) => {
    const client = new FakeClient();
    client.seed(RESOURCES.namespaces, namespaces);
    client.seed(RESOURCES.serviceaccounts, sas);
    client.clearActions();
    await saController(client).sync('team');
    expect(writes(client)).toEqual(want);
    if (want.length) expect(client.stored<ServiceAccount>(RESOURCES.serviceaccounts, 'team', 'default')?.metadata.name).toBe('default');
  });

  it('re-creates default after it is deleted', async () => {
    const client = new FakeClient();
    client.seed(RESOURCES.namespaces, [newNamespace('team')]);
    const c = saController(client);
    await c.sync('team');
    await client.resource(RESOURCES.serviceaccounts).delete('team', 'default');
    await c.sync('team');
    expect(client.stored(RESOURCES.serviceaccounts, 'team', 'default')).toBeDefined();
  });

  it.each<[string, ApiError, boolean]>([
    ['AlreadyExists (a lagging cache) is done', new ApiError(409, 'AlreadyExists', 'serviceaccounts "default" already exists'), false],
    [
      'a namespace being terminated is done',
      new ApiError(403, 'Forbidden', 'unable to create new content in namespace team because it is being terminated', {
        causes: [{ reason: NAMESPACE_TERMINATING_CAUSE, message: 'namespace team is being terminated', field: 'metadata.namespace' }],
      }),
      false,
    ],
    ['another Forbidden is retried', new ApiError(403, 'Forbidden', 'nope'), true],
    ['NotFound (namespace gone) is done', new ApiError(404, 'NotFound', 'namespaces "team" not found'), false],
    ['anything else is retried', new ApiError(500, 'InternalError', 'etcd is down'), true],
  ])('%s', async (_name, err, throws) => {
    const client = new FakeClient();
    client.seed(RESOURCES.namespaces, [newNamespace('team')]);
    client.prependReactor('create', 'serviceaccounts', () => {
      throw err;
    });
    const done = saController(client).sync('team');
    if (throws) await expect(done).rejects.toThrow(err.message);
    else await expect(done).resolves.toBeUndefined();
  });
});

describe('root-ca-cert-publisher', () => {
  it('publishes the CA with Kubernetes\' description', async () => {
    const client = new FakeClient();
    client.seed(RESOURCES.namespaces, [newNamespace('team')]);
    await caController(client).sync('team');
    const cm = client.stored<ConfigMap>(RESOURCES.configmaps, 'team', ROOT_CA_CONFIGMAP);
    expect(cm?.data).toEqual({ 'ca.crt': CA });
    expect(cm?.metadata.annotations).toEqual({ 'kubernetes.io/description': ROOT_CA_DESCRIPTION });
  });

  it.each<[string, Partial<ConfigMap>, boolean]>([
    ['exactly the CA: left alone', { data: { 'ca.crt': CA } }, false],
    ['another CA: restored', { data: { 'ca.crt': 'tampered' } }, true],
    ['an extra key: restored', { data: { 'ca.crt': CA, extra: 'x' } }, true],
    ['no data: restored', {}, true],
    ['binary data: dropped', { data: { 'ca.crt': CA }, binaryData: { b: 'AA==' } }, true],
  ])('%s', async (_name, fields, updated) => {
    const client = new FakeClient();
    client.seed(RESOURCES.namespaces, [newNamespace('team')]);
    client.seed(RESOURCES.configmaps, [{ metadata: { name: ROOT_CA_CONFIGMAP, namespace: 'team', labels: { keep: 'me' } }, ...fields }]);
    client.clearActions();
    await caController(client).sync('team');
    expect(writes(client)).toEqual(updated ? ['update configmaps team'] : []);
    const cm = client.stored<ConfigMap>(RESOURCES.configmaps, 'team', ROOT_CA_CONFIGMAP)!;
    expect(cm.data).toEqual(updated ? { 'ca.crt': CA } : fields.data);
    expect(cm.binaryData).toEqual(updated ? undefined : fields.binaryData);
    expect(cm.metadata.labels).toEqual({ keep: 'me' });
  });

  it('only syncs for objects of its own name', () => {
    const c = caController(new FakeClient());
    expect(c.namespaceOf({ metadata: { name: ROOT_CA_CONFIGMAP, namespace: 'team' } })).toBe('team');
    expect(c.namespaceOf({ metadata: { name: 'app-config', namespace: 'team' } })).toBeUndefined();
  });
});
