/**
 * The resource table: one row per kind the apiserver serves. The generic handlers read
 * everything kind-specific from here. Rows start from shared's client-side RESOURCES and add
 * storage, status, field-selector and strategy details.
 */
import { RESOURCES, type KubeObject, type ResourceName } from '@mk8s/shared';
import { eventFields, nodeFields, podFields, secretFields } from './fields.js';
import { hpaV1ToV2, hpaV2ToV1 } from '../compat/hpa-v1.js';
import type { ResourceDef, ResourceHooks, Strategy } from './resource-def.js';

type Extra = Omit<ResourceDef, keyof (typeof RESOURCES)[ResourceName] | 'storageName'> & { storageName?: string };

const EXTRAS: Record<ResourceName, Extra> = {
  namespaces: { hasStatus: true, nameRule: 'label', statusOnCreate: () => ({ phase: 'Active' }) },
  pods: { hasStatus: true, nameRule: 'subdomain', fields: podFields, statusOnCreate: () => ({ phase: 'Pending' }) },
  nodes: { hasStatus: true, nameRule: 'subdomain', fields: nodeFields, statusOnCreate: 'keep' },
  services: { hasStatus: true, nameRule: 'dns1035', statusOnCreate: () => ({ loadBalancer: {} }) },
  endpoints: { hasStatus: false, nameRule: 'subdomain', allowCreateOnUpdate: true },
  events: { hasStatus: false, nameRule: 'subdomain', fields: eventFields, allowCreateOnUpdate: true },
  configmaps: { hasStatus: false, nameRule: 'subdomain' },
  secrets: { hasStatus: false, nameRule: 'subdomain', fields: secretFields },
  serviceaccounts: { hasStatus: false, nameRule: 'subdomain' },
  replicationcontrollers: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: () => ({ replicas: 0 }) },
  persistentvolumes: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: () => ({ phase: 'Pending' }) },
  persistentvolumeclaims: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: () => ({ phase: 'Pending' }) },
  replicasets: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: () => ({ replicas: 0 }) },
  deployments: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: 'clear' },
  daemonsets: {
    hasStatus: true,
    nameRule: 'subdomain',
    statusOnCreate: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  },
  jobs: { hasStatus: true, nameRule: 'subdomain', statusOnCreate: 'clear' },
  endpointslices: { hasStatus: false, nameRule: 'subdomain' },
  leases: { hasStatus: false, nameRule: 'subdomain', allowCreateOnUpdate: true },
  horizontalpodautoscalers: { hasStatus: true, nameRule: 'path', statusOnCreate: 'clear' },
  storageclasses: { hasStatus: false, nameRule: 'subdomain' },
  // RBAC names only have to fit in a URL path segment (ValidateRole's minimalNameRequirements)
  roles: { hasStatus: false, nameRule: 'path' },
  rolebindings: { hasStatus: false, nameRule: 'path' },
  clusterroles: { hasStatus: false, nameRule: 'path' },
  clusterrolebindings: { hasStatus: false, nameRule: 'path' },
};

export function buildResourceTable(
  strategies: Record<string, Strategy>,
  hooks: Partial<Record<ResourceName, ResourceHooks>> = {},
): ResourceDef[] {
  const table = (Object.keys(RESOURCES) as ResourceName[]).map((name) => {
    const base = RESOURCES[name];
    const extra = EXTRAS[name];
    const def: ResourceDef = { ...base, storageName: base.plural, ...extra };
    const strategy = strategies[base.kind];
    if (strategy) def.strategy = strategy;
    const h = hooks[name];
    if (h) def.hooks = h;
    return def;
  });
  const hpa = table.find((d) => d.plural === 'horizontalpodautoscalers')!;
  table.push({ ...hpa, version: 'v1', subresources: [], strategy: undefined, hooks: undefined, conversion: { storage: hpa, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 } });
  return table;
}

export type { KubeObject };
