/**
 * FakeClient: an in-memory API server behind the `ApiClient` interface, for controller,
 * scheduler and kubelet unit tests. It keeps the semantics controllers depend on:
 * increasing resourceVersions, uid/creationTimestamp/generation on create, generateName,
 * 404 NotFound / 409 AlreadyExists / 409 Conflict on a stale resourceVersion, label and field
 * selectors on list and watch, merge and JSON patches (strategic and apply are approximated by
 * merge), the status subresource, pods/binding, scale, finalizers and graceful pod deletion.
 * Every call is recorded in `actions`; reactors (`prependReactor`) can answer or fail a call
 * first. Watch events are delivered asynchronously, in order. There is no garbage collector,
 * admission or validation. Objects handed out are copies: mutating them changes nothing.
 */
import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { randomUUID } from 'node:crypto';
import { ApiError, newAlreadyExists, newBadRequest, newConflict, newInvalid, newNotFound, OPTIMISTIC_LOCK_MESSAGE } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, Status } from '../api/meta.js';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import type { PatchType } from '../client/rest.js';
import type { ApiClient, ResourceApi } from '../client/types.js';
import { realClock, type Clock } from '../clock.js';
import { parseFieldSelector } from '../field-selector.js';
import { keyFor } from '../keys.js';
import { formatLabelSelector, parseSelector } from '../label-selector.js';
import { FakeResourceApi, type Action, type Reactor, type Verb } from './fake-resource.js';
import { applyMergePatch, clone, deepEqual, generateName, objectFields } from './fake-helpers.js';
import { FakeWatches } from './fake-watch.js';

export type { Action, Reactor, Verb };

type Obj = KubeObject & Record<string, unknown>;
type Store = Map<string, Obj>;

export interface FakeClientOptions {
  clock?: Clock;
  random?: () => number;
}

const resKey = (t: ResourceType): string => `${t.group}/${t.plural}`;
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const successStatus = (code: number, details?: Status['details']): Status => ({
  apiVersion: 'v1',
  kind: 'Status',
  metadata: {},
  status: 'Success',
  code,
  ...(details ? { details } : {}),
});

export class FakeClient implements ApiClient {
  readonly actions: Action[] = [];
  readonly reactors: { verb: Verb | '*'; resource: string; fn: Reactor }[] = [];
  readonly clock: Clock;
  private readonly random: () => number;
  private rv = 0;
  private readonly stores = new Map<string, Store>();
  readonly watches: FakeWatches;

  constructor(opts: FakeClientOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.watches = new FakeWatches((t) => this.store(t), () => this.rv);
  }

  resource<T extends KubeObject>(type: ResourceType): ResourceApi<T> {
    return new FakeResourceApi<T>(this, type);
  }

  /** Reactors run newest first; one that returns a value answers the call, one that throws fails it. */
  prependReactor(verb: Verb | '*', resource: string, fn: Reactor): void {
    this.reactors.unshift({ verb, resource, fn });
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** Recorded actions, optionally only those of one verb and/or resource (plural). */
  actionsFor(verb?: Verb, resource?: string): Action[] {
    return this.actions.filter((a) => (!verb || a.verb === verb) && (!resource || a.resource === resource));
  }

  /** Stores objects as if created, without recording actions (watchers still see them). */
  seed(type: ResourceType, objs: KubeObject[]): void {
    for (const o of objs) this.doCreate(type, o);
  }

  /** A copy of a stored object, for assertions. */
  stored<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): T | undefined {
    const o = this.store(type).get(keyFor(type.namespaced ? namespace : undefined, name));
    return o ? (clone(o) as unknown as T) : undefined;
  }

  /** Copies of every stored object of a type, sorted by key. */
  all<T extends KubeObject>(type: ResourceType): T[] {
    return [...this.store(type).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, o]) => clone(o) as unknown as T);
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  // ---- the verbs (called by FakeResourceApi after recording and reactors) ----

  doGet(type: ResourceType, namespace: string | undefined, name: string): Obj {
    const o = this.store(type).get(keyFor(type.namespaced ? namespace : undefined, name));
    if (!o) throw newNotFound(type.plural, type.group, name);
    return clone(o);
  }

  doList(type: ResourceType, namespace: string | undefined, opts: { labelSelector?: string; fieldSelector?: string; limit?: number; continue?: string }): KubeList<Obj> {
    const label = parseSelector(opts.labelSelector ?? '');
    const field = parseFieldSelector(opts.fieldSelector ?? '');
    let entries = [...this.store(type).entries()]
      .filter(([, o]) => !type.namespaced || !namespace || o.metadata.namespace === namespace)
      .filter(([, o]) => label.matches(o.metadata.labels) && field.matches(objectFields(type, o)))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (opts.continue) {
      const after = Buffer.from(opts.continue, 'base64url').toString('utf8');
      entries = entries.filter(([k]) => k > after);
    }
    let cont: string | undefined;
    if (opts.limit && opts.limit > 0 && entries.length > opts.limit) {
      entries = entries.slice(0, opts.limit);
      cont = Buffer.from(entries[entries.length - 1]![0], 'utf8').toString('base64url');
    }
    return {
      apiVersion: apiVersionOf(type),
      kind: type.listKind ?? `${type.kind}List`,
      metadata: { resourceVersion: String(this.rv), ...(cont ? { continue: cont } : {}) },
      items: entries.map(([, o]) => clone(o)),
    };
  }

  doCreate(type: ResourceType, input: KubeObject): Obj {
    const o = clone(input) as Obj;
    const meta = (o.metadata ??= {});
    if (type.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    if (!meta.name) {
      if (!meta.generateName) throw newInvalid(type.kind, type.group, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'name or generateName is required' }]);
      let name = generateName(meta.generateName, this.random);
      while (this.store(type).has(keyFor(meta.namespace, name))) name = generateName(meta.generateName, this.random);
      meta.name = name;
    }
    const key = keyFor(meta.namespace, meta.name);
    if (this.store(type).has(key)) throw newAlreadyExists(type.plural, type.group, meta.name);
    o.apiVersion ??= apiVersionOf(type);
    o.kind ??= type.kind;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= timestamp(this.clock.now());
    if ('spec' in o) meta.generation = 1;
    meta.resourceVersion = String(++this.rv);
    this.store(type).set(key, o);
    this.watches.emit(type, { rv: this.rv, type: 'ADDED', obj: o });
    return clone(o);
  }

  doUpdate(type: ResourceType, input: KubeObject, subresource?: string): Obj {
    const namespace = type.namespaced ? (input.metadata.namespace ?? 'default') : undefined;
    const name = input.metadata.name ?? '';
    const existing = this.doGet(type, namespace, name);
    if (subresource === 'scale') return this.updateScale(type, existing, input) as unknown as Obj;
    this.checkResourceVersion(type, existing, input.metadata.resourceVersion);
    return this.commit(type, existing, this.merged(type, existing, clone(input) as Obj, subresource));
  }

  doPatch(type: ResourceType, namespace: string | undefined, name: string, patch: unknown, patchType: PatchType, subresource?: string): Obj {
    const existing = this.doGet(type, namespace, name);
    let patched: Obj;
    if (patchType === 'json') {
      try {
        patched = fjp.applyPatch(clone(existing), patch as Operation[], true, false).newDocument;
      } catch (err) {
        throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${(err as Error).message}`);
      }
    } else {
      patched = applyMergePatch(existing, patch) as Obj;
      const rvInPatch = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
      this.checkResourceVersion(type, existing, rvInPatch);
    }
    if (subresource === 'scale') return this.updateScale(type, existing, patched) as unknown as Obj;
    return this.commit(type, existing, this.merged(type, existing, patched, subresource));
  }

  doDelete(type: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Obj {
    const existing = this.doGet(type, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid)
      throw newConflict(type.plural, type.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid ?? ''}`);
    this.checkResourceVersion(type, existing, pre?.resourceVersion);
    const grace = this.gracePeriod(type, existing, opts);
    if ((existing.metadata.finalizers?.length ?? 0) === 0 && grace === 0) return this.remove(type, existing);
    const next = clone(existing);
    if (!next.metadata.deletionTimestamp || grace < (next.metadata.deletionGracePeriodSeconds ?? 0)) {
      next.metadata.deletionTimestamp = timestamp(this.clock.now() + grace * 1000);
      next.metadata.deletionGracePeriodSeconds = grace;
    }
    return this.commit(type, existing, next);
  }

  doCreateSubresource(type: ResourceType, namespace: string | undefined, name: string, subresource: string, body: unknown): unknown {
    if (type.plural === 'pods' && subresource === 'binding') {
      const pod = this.doGet(type, namespace, name) as Obj & { spec: { nodeName?: string }; status?: { conditions?: unknown[] } };
      const target = (body as { target?: { name?: string } }).target?.name;
      if (!target) throw newBadRequest('binding target name is required');
      if (pod.spec.nodeName) throw newConflict(type.plural, type.group, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      if (pod.metadata.deletionTimestamp) throw newConflict(type.plural, type.group, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      const next = clone(pod);
      next.spec.nodeName = target;
      const status = (next.status ??= {});
      const conds = (status.conditions ?? []).filter((c) => (c as { type?: string }).type !== 'PodScheduled');
      status.conditions = [...conds, { type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(this.clock.now()) }];
      this.commit(type, pod, next);
      return successStatus(201);
    }
    if (type.plural === 'pods' && subresource === 'eviction') {
      this.doDelete(type, namespace, name, (body as { deleteOptions?: DeleteOptions } | undefined)?.deleteOptions ?? {});
      return successStatus(201);
    }
    throw newNotFound(type.plural, type.group, `${name}/${subresource}`);
  }

  doGetSubresource(type: ResourceType, namespace: string | undefined, name: string, subresource: string): unknown {
    const o = this.doGet(type, namespace, name);
    if (subresource === 'scale' && type.subresources?.includes('scale')) return this.scaleOf(type, o);
    if (subresource === 'status') return o;
    throw newNotFound(type.plural, type.group, `${name}/${subresource}`);
  }

  // ---- internals ----

  private store(type: ResourceType): Store {
    let s = this.stores.get(resKey(type));
    if (!s) this.stores.set(resKey(type), (s = new Map()));
    return s;
  }

  private checkResourceVersion(type: ResourceType, existing: Obj, rv: string | undefined): void {
    if (rv && rv !== existing.metadata.resourceVersion) throw newConflict(type.plural, type.group, existing.metadata.name ?? '', OPTIMISTIC_LOCK_MESSAGE);
  }

  /** The object an update/patch leads to: status-only for the status subresource, else all but status. */
  private merged(type: ResourceType, existing: Obj, input: Obj, subresource: string | undefined): Obj {
    if (subresource === 'status') {
      const next = clone(existing);
      if (input.status === undefined) delete next.status;
      else next.status = input.status;
      return next;
    }
    if (subresource) throw newNotFound(type.plural, type.group, `${existing.metadata.name ?? ''}/${subresource}`);
    const next = input;
    const m = existing.metadata;
    next.metadata = { ...next.metadata, name: m.name, uid: m.uid, creationTimestamp: m.creationTimestamp, generation: m.generation };
    if (type.namespaced) next.metadata.namespace = m.namespace;
    if (m.deletionTimestamp) {
      next.metadata.deletionTimestamp = m.deletionTimestamp;
      next.metadata.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
    } else {
      delete next.metadata.deletionTimestamp;
      delete next.metadata.deletionGracePeriodSeconds;
    }
    next.apiVersion = existing.apiVersion;
    next.kind = existing.kind;
    if (type.subresources?.includes('status')) {
      if (existing.status === undefined) delete next.status;
      else next.status = existing.status;
    }
    return next;
  }

  /** Stores `next` over `existing`: a no-op when nothing changed, a removal when the last finalizer went. */
  private commit(type: ResourceType, existing: Obj, next: Obj): Obj {
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if ('spec' in next && !deepEqual(existing.spec, next.spec)) next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    if (deepEqual(existing, next)) return clone(existing);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers?.length ?? 0) === 0 && (next.metadata.deletionGracePeriodSeconds ?? 0) === 0)
      return this.remove(type, next);
    next.metadata.resourceVersion = String(++this.rv);
    this.store(type).set(keyFor(next.metadata.namespace, next.metadata.name ?? ''), next);
    this.watches.emit(type, { rv: this.rv, type: 'MODIFIED', obj: next, old: existing });
    return clone(next);
  }

  private remove(type: ResourceType, last: Obj): Obj {
    const gone = clone(last);
    gone.metadata.resourceVersion = String(++this.rv);
    this.store(type).delete(keyFor(gone.metadata.namespace, gone.metadata.name ?? ''));
    this.watches.emit(type, { rv: this.rv, type: 'DELETED', obj: gone });
    return clone(gone);
  }

  /** Pods on a node that are not finished are deleted gracefully (the kubelet removes them); all else at once. */
  private gracePeriod(type: ResourceType, o: Obj, opts: DeleteOptions): number {
    if (type.plural !== 'pods') return 0;
    const pod = o as Obj & { spec?: { nodeName?: string; terminationGracePeriodSeconds?: number }; status?: { phase?: string } };
    if (!pod.spec?.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
    return opts.gracePeriodSeconds ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  private scaleOf(type: ResourceType, o: Obj): KubeObject {
    const spec = (o.spec ?? {}) as { replicas?: number; selector?: unknown };
    const status = (o.status ?? {}) as { replicas?: number };
    const sel = spec.selector;
    const selector =
      sel && typeof sel === 'object' && !('matchLabels' in sel || 'matchExpressions' in sel)
        ? Object.entries(sel as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',')
        : formatLabelSelector((sel ?? {}) as never);
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: spec.replicas ?? 1 },
      status: { replicas: status.replicas ?? 0, selector },
    } as KubeObject;
  }

  private updateScale(type: ResourceType, existing: Obj, scale: KubeObject): KubeObject {
    this.checkResourceVersion(type, existing, scale.metadata.resourceVersion);
    const replicas = (scale as { spec?: { replicas?: number } }).spec?.replicas;
    const next = clone(existing);
    next.spec = { ...(next.spec as object), replicas };
    return this.scaleOf(type, this.commit(type, existing, next));
  }
}
