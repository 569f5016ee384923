/**
 * EnvSources over the API: ConfigMaps, Secrets, claims and volumes read directly (no cache);
 * NotFound means absent, other errors propagate so the sync retries. Services (for the
 * service-link variables every container gets) come from a watch-fed cache once it has
 * synced, as the real kubelet's service lister does, so starting a container costs no list.
 */
import { Informer, RESOURCES, isNotFound, type ApiClient, type ConfigMap, type PersistentVolume, type PersistentVolumeClaim, type Secret, type Service } from '@mk8s/shared';
import type { EnvSources } from './env.js';

/** `services`: a started informer over all services; read from while it has synced. */
export function apiEnvSources(client: ApiClient, services?: Informer<Service>): EnvSources {
  const get = async <T extends ConfigMap | Secret | PersistentVolumeClaim | PersistentVolume>(
    plural: 'configmaps' | 'secrets' | 'persistentvolumeclaims' | 'persistentvolumes',
    ns: string | undefined,
    name: string,
  ): Promise<T | undefined> => {
    try {
      return await client.resource<T>(RESOURCES[plural]).get(ns, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    configMap: (ns, name) => get<ConfigMap>('configmaps', ns, name),
    secret: (ns, name) => get<Secret>('secrets', ns, name),
    persistentVolumeClaim: (ns, name) => get<PersistentVolumeClaim>('persistentvolumeclaims', ns, name),
    persistentVolume: (name) => get<PersistentVolume>('persistentvolumes', undefined, name),
    services: async (ns) =>
      services?.hasSynced() ? services.list(ns) : (await client.resource<Service>(RESOURCES.services).list(ns)).items,
  };
}
