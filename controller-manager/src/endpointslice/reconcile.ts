/**
 * Plans the writes that bring a Service's EndpointSlices to the desired endpoints, as a pure
 * function (kubernetes staging/src/k8s.io/endpointslice reconciler.go, reconcileByPortMapping):
 * 1. existing slices of another address type, or owned by another incarnation of the service,
 *    are deleted; the rest are grouped by port set, and groups no longer desired are deleted;
 * 2. in each slice, endpoints no longer desired are dropped and changed ones replaced (the
 *    slice is updated in place; a slice left empty is deleted); label drift is repaired;
 * 3. the remaining new endpoints fill the slices already being updated (fullest first), then
 *    one unchanged slice with room for all of them, then new slices of at most
 *    `maxEndpointsPerSlice`;
 * 4. a service with no endpoints keeps exactly one empty placeholder slice;
 * 5. a create paired with a delete becomes an update of the slice that would be deleted.
 * Inputs are never mutated; everything returned is a fresh copy. Updates keep the cached
 * resourceVersion, so a write against a stale cache fails with a conflict and is retried.
 */
import {
  ENDPOINTSLICE_CONTROLLER_NAME,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  type EndpointSlice,
  type EndpointSliceEndpoint,
  type EndpointSlicePort,
  type Service,
} from '@mk8s/shared';
import { canonical } from '../endpoints/controller.js';
import { endpointKey, portsKey, type DesiredGroup } from './desired.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export interface ReconcileInput {
  service: Service;
  desired: Map<string, DesiredGroup>;
  /** the slices this controller manages for the service (by the service-name label) */
  existing: EndpointSlice[];
  maxEndpointsPerSlice: number;
}

/** The service's labels (minus reserved keys) plus the service-name, managed-by and headless labels. */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[HEADLESS_LABEL];
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = ENDPOINTSLICE_CONTROLLER_NAME;
  return labels;
}

/** A new slice for the service (named by the server from `<service>-`). */
export function newSlice(svc: Service, ports: EndpointSlicePort[], endpoints: EndpointSliceEndpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** Owned by this incarnation of the service (or by nobody in particular). */
export function isOwnedBy(slice: EndpointSlice, svc: Service): boolean {
  const ref = slice.metadata.ownerReferences?.find((r) => r.controller === true);
  return !ref || !svc.metadata.uid || (ref.kind === 'Service' && ref.uid === svc.metadata.uid);
}

const copy = (s: EndpointSlice): EndpointSlice => structuredClone(s);
const count = (s: EndpointSlice): number => s.endpoints?.length ?? 0;
const byName = (a: EndpointSlice, b: EndpointSlice): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

function isPlaceholderOf(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.addressType === placeholder.addressType &&
    count(slice) === 0 &&
    (slice.ports?.length ?? 0) === 0 &&
    canonical(slice.metadata.labels ?? {}) === canonical(placeholder.metadata.labels) &&
    canonical(slice.metadata.ownerReferences ?? []) === canonical(placeholder.metadata.ownerReferences)
  );
}

function reconcileGroup(svc: Service, existing: EndpointSlice[], group: DesiredGroup, max: number, labels: Record<string, string>): SlicePlan {
  const want = new Map(group.endpoints);
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];
  const unchanged: EndpointSlice[] = [];
  for (const slice of [...existing].sort(byName)) {
    const kept: EndpointSliceEndpoint[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const key = endpointKey(ep);
      const got = want.get(key);
      if (!got) continue;
      kept.push(got);
      if (canonical(got) !== canonical(ep)) changed = true;
      want.delete(key);
    }
    const relabeled = (): EndpointSlice => {
      const next = copy(slice);
      next.metadata.labels = { ...labels };
      return next;
    };
    if (changed || kept.length !== count(slice)) {
      if (kept.length === 0) del.push(slice);
      else update.push({ ...relabeled(), endpoints: kept });
    } else if (canonical(slice.metadata.labels ?? {}) !== canonical(labels)) {
      update.push(relabeled());
    } else {
      unchanged.push(slice);
    }
  }
  const pending = [...want.values()];
  const fill = (slice: EndpointSlice): void => {
    slice.endpoints ??= [];
    while (pending.length > 0 && slice.endpoints.length < max) slice.endpoints.push(pending.shift()!);
  };
  if (pending.length > 0) [...update].sort((a, b) => count(b) - count(a)).forEach(fill);
  const create: EndpointSlice[] = [];
  while (pending.length > 0) {
    let target: EndpointSlice | undefined;
    if (pending.length < max) {
      const roomy = unchanged.filter((s) => count(s) + pending.length <= max).sort((a, b) => count(b) - count(a))[0];
      if (roomy) {
        unchanged.splice(unchanged.indexOf(roomy), 1);
        target = copy(roomy);
        update.push(target);
      }
    }
    if (!target) {
      target = newSlice(svc, group.ports.map((p) => ({ ...p })), []);
      create.push(target);
    }
    fill(target);
  }
  return { create, update, delete: del };
}

export function reconcileSlices({ service, desired, existing, maxEndpointsPerSlice }: ReconcileInput): SlicePlan {
  const max = Math.max(1, maxEndpointsPerSlice);
  const labels = sliceLabels(service);
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    if (slice.addressType !== 'IPv4' || !isOwnedBy(slice, service)) {
      plan.delete.push(slice);
      continue;
    }
    const key = portsKey(slice.ports);
    byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  for (const [key, group] of [...desired.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const p = reconcileGroup(service, byPorts.get(key) ?? [], group, max, labels);
    plan.create.push(...p.create);
    plan.update.push(...p.update);
    plan.delete.push(...p.delete);
  }
  for (const [key, slices] of byPorts) if (!desired.has(key)) plan.delete.push(...slices);

  if (plan.delete.length === existing.length && plan.create.length === 0) {
    const placeholder = newSlice(service, [], []);
    const only = plan.delete[0];
    if (plan.delete.length === 1 && only && isPlaceholderOf(only, placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }

  // Reuse slices about to be deleted for slices about to be created.
  for (let i = 0; i < plan.delete.length && plan.create.length > 0; ) {
    const old = plan.delete[i]!;
    if (old.addressType !== 'IPv4' || !isOwnedBy(old, service)) {
      i++;
      continue;
    }
    const fresh = plan.create.pop()!;
    const { generateName: _g, ...freshMeta } = fresh.metadata;
    plan.update.push({ ...fresh, metadata: { ...copy(old).metadata, labels: freshMeta.labels ?? {}, ownerReferences: freshMeta.ownerReferences ?? [] } });
    plan.delete.splice(i, 1);
  }
  plan.update.sort(byName);
  plan.delete.sort(byName);
  return plan;
}
