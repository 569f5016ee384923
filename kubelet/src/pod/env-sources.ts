/**
 * EnvSources over the API: ConfigMaps, Secrets, Services, claims and volumes read directly (no cache); NotFound means
 * absent, other errors propagate so the sync retries.
 */
import { RESOURCES, isNotFound, type ApiClient, type ConfigMap, type PersistentVolume, type PersistentVolumeClaim, type Secret, type Service } from '@mk8s/shared';
import type { EnvSources } from './env.js';

export function apiEnvSources(client: ApiClient): EnvSources {
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
    services: async (ns) => (await client.resource<Service>(RESOURCES.services).list(ns)).items,
  };
}
