/**
 * Service accounts inside the server: given the registry and the key material, builds the
 * token authenticator (object lookups from the watch caches, storage on a miss), the
 * TokenRequest issuer (authoritative reads from storage) and the pod admission hook.
 * Only built when a signing key is configured; without one nothing here runs.
 */
import { ApiError, type KubeObject, type ServiceAccount, type TokenRequest } from '@mk8s/shared';
import { defKey } from '../http/context.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef, ResourceHooks } from '../registry/resource-def.js';
import { serviceAccountAdmission } from './admission.js';
import { ServiceAccountAuthenticator, type ObjectLookups } from './authenticator.js';
import type { LoadedKeys, SigningKey } from './keys.js';
import { createToken, type TokenRequestLookups } from './token-request.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountOptions {
  issuer: string;
  /** the API audiences; default [issuer] */
  audiences: string[];
  keys: LoadedKeys & { signing: SigningKey };
  /** extend kubelets' 3607 s pod-bound tokens to a year (Kubernetes' default: true) */
  extendExpiration?: boolean;
}

export interface ServiceAccountWiring {
  authenticator: ServiceAccountAuthenticator;
  createToken(namespace: string, name: string, body: unknown): Promise<TokenRequest>;
  podHooks: ResourceHooks;
  /** the plurals whose caches the lookups read (warm them before serving) */
  cachedResources: string[];
}

const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.reason === 'NotFound';

export function serviceAccountWiring(registry: Registry, defs: Map<string, ResourceDef>, o: ServiceAccountOptions): ServiceAccountWiring {
  const defOf = (plural: string) => defs.get(defKey('', 'v1', plural))!;
  const fromStorage = async (plural: string, ns: string | undefined, name: string): Promise<KubeObject | undefined> => {
    try {
      return await registry.get(defOf(plural), ns, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const read = async (plural: string, ns: string | undefined, name: string, fresh: boolean): Promise<KubeObject | undefined> => {
    if (fresh) return fromStorage(plural, ns, name);
    const def = defOf(plural);
    const cache = await registry.cache(def);
    return cache.getByKey(registry.key(def, ns, name));
  };
  const lookups: ObjectLookups = {
    serviceAccount: (ns, name, fresh) => read('serviceaccounts', ns, name, fresh),
    pod: (ns, name, fresh) => read('pods', ns, name, fresh),
    secret: (ns, name, fresh) => read('secrets', ns, name, fresh),
    node: (name, fresh) => read('nodes', undefined, name, fresh),
  };
  const authoritative: TokenRequestLookups = {
    serviceAccount: (ns, name) => registry.get(defOf('serviceaccounts'), ns, name),
    pod: (ns, name) => registry.get(defOf('pods'), ns, name),
    secret: (ns, name) => registry.get(defOf('secrets'), ns, name),
    node: (name) => registry.get(defOf('nodes'), undefined, name),
    findNode: (name) => fromStorage('nodes', undefined, name),
  };
  const authenticator = new ServiceAccountAuthenticator({ issuer: o.issuer, audiences: o.audiences, keys: o.keys.verification, lookups });
  const admit = serviceAccountAdmission(async (ns, name) => ((await read('serviceaccounts', ns, name, false)) ?? (await fromStorage('serviceaccounts', ns, name))) as ServiceAccount | undefined);
  return {
    authenticator,
    createToken: (ns, name, body) => createToken({ issuer: o.issuer, audiences: o.audiences, signing: o.keys.signing, extendExpiration: o.extendExpiration }, authoritative, ns, name, body),
    podHooks: { beforeCreate: admit },
    cachedResources: ['serviceaccounts', 'pods', 'secrets', 'nodes'],
  };
}

/** The kind's hooks with the admission's beforeCreate run first (admission precedes the kind's own checks). */
export function admitFirst(existing: ResourceHooks | undefined, admission: ResourceHooks): ResourceHooks {
  if (!existing) return admission;
  return {
    ...existing,
    beforeCreate: async (obj, ctx) => {
      await admission.beforeCreate?.(obj, ctx);
      await existing.beforeCreate?.(obj, ctx);
    },
  };
}
