/**
 * Two per-namespace controllers of Kubernetes' service account machinery:
 * - `serviceaccount`: every live namespace has the ServiceAccount `default` (re-created when
 *   deleted), which pods run as unless they name another;
 * - `root-ca-cert-publisher`: with `--root-ca-file`, every live namespace has the ConfigMap
 *   `kube-root-ca.crt` holding that CA as `ca.crt` (restored when deleted or edited), which the
 *   kube-api-access volume of every pod projects so in-cluster clients can verify the apiserver.
 * Both queue namespace names from a namespace informer and from changes to their own object.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_SERVICE_ACCOUNT, RESOURCES, ROOT_CA_CONFIGMAP, type ConfigMap, type KubeObject, type Namespace, type ServiceAccount } from '@mk8s/shared';
import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { newQueue, startWorkers } from '../workers.js';
import { NamespaceObjectController, type NamespaceObjectOptions } from './namespace-object.js';

export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function defaultServiceAccount(namespace: string): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
}

export function rootCAConfigMap(namespace: string, caPem: string): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
    data: { 'ca.crt': caPem },
  };
}

/** The published ConfigMap with its data put back, or undefined when it holds exactly the CA. */
export function repairRootCA(current: ConfigMap, caPem: string): ConfigMap | undefined {
  const data = current.data ?? {};
  const keys = Object.keys(data);
  if (keys.length === 1 && data['ca.crt'] === caPem && !current.binaryData) return undefined;
  const { binaryData: _dropped, ...rest } = current;
  return { ...rest, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, 'kubernetes.io/description': ROOT_CA_DESCRIPTION } }, data: { 'ca.crt': caPem } };
}

function startPerNamespace<T extends KubeObject>(ctx: ControllerContext, queueName: string, o: Omit<NamespaceObjectOptions<T>, 'namespaces' | 'objects' | 'api' | 'logger'> & { type: (typeof RESOURCES)[keyof typeof RESOURCES] }): void {
  const queue = newQueue(ctx, queueName);
  const namespaces = ctx.informers.get<Namespace>(RESOURCES.namespaces);
  const objects = ctx.informers.get<T>(o.type);
  const c = new NamespaceObjectController<T>({ ...o, namespaces, objects, api: ctx.client.resource<T>(o.type), logger: ctx.logger });
  const enqueueNamespace = (ns: Namespace) => queue.add(ns.metadata.name ?? '');
  const enqueueObject = (obj: T) => {
    const ns = c.namespaceOf(obj);
    if (ns) queue.add(ns);
  };
  namespaces.addHandlers({ onAdd: enqueueNamespace, onUpdate: (_old, ns) => enqueueNamespace(ns) });
  objects.addHandlers({ onUpdate: (_old, obj) => enqueueObject(obj), onDelete: enqueueObject });
  void startWorkers(ctx, queue, (ns) => c.sync(ns));
}

export const serviceAccountController: ControllerDescriptor = {
  name: 'serviceaccount',
  start(ctx) {
    startPerNamespace<ServiceAccount>(ctx, 'serviceaccount', { type: RESOURCES.serviceaccounts, name: DEFAULT_SERVICE_ACCOUNT, build: defaultServiceAccount });
  },
};

export const rootCACertPublisherController: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  start(ctx) {
    const file = ctx.options.rootCAFile;
    if (!file) {
      ctx.logger.info('no --root-ca-file: the kube-root-ca.crt ConfigMaps are not published');
      return;
    }
    const caPem = readFileSync(file, 'utf8');
    startPerNamespace<ConfigMap>(ctx, 'root_ca_cert_publisher', {
      type: RESOURCES.configmaps,
      name: ROOT_CA_CONFIGMAP,
      build: (ns) => rootCAConfigMap(ns, caPem),
      repair: (cm) => repairRootCA(cm, caPem),
    });
  },
};
