/**
 * GarbageCollector: deletes objects whose owners are gone and carries out Foreground and Orphan
 * deletions (the apiserver only marks those owners with the `foregroundDeletion` / `orphan`
 * finalizer; Background deletions remove the owner at once and leave the dependents to us).
 * Informer handlers keep the `OwnerGraph` and enqueue item ids; `sync(id)` reads the graph and:
 * - for an owner with `orphan`: removes its reference from every dependent, then the finalizer;
 * - for an owner with `foregroundDeletion`: enqueues its dependents, and once no dependent with
 *   blockOwnerDeletion remains, removes the finalizer (the apiserver then deletes it);
 * - for any other live object with owner references: decides with `decideDependent`.
 * An owner missing from the caches is confirmed absent by a live GET before anything is deleted
 * (the caches of different kinds lag each other). Every write carries a uid or resourceVersion
 * precondition; a conflict throws, and the item is retried with backoff.
 */
import {
  isNotFound,
  RESOURCES,
  type ApiClient,
  type KubeObject,
  type Logger,
  type OwnerReference,
  type ResourceType,
} from '@mk8s/shared';
import { groupOf } from '../util/pods.js';
import {
  classify,
  decideDeletingOwner,
  decideDependent,
  FOREGROUND_FINALIZER,
  hasFinalizer,
  isBeingDeleted,
  isDeletingDependents,
  ORPHAN_FINALIZER,
  ownerState,
  removeFinalizerPatch,
  removeRefsPatch,
  unblockRefsPatch,
  type OwnerState,
} from './decide.js';
import { OwnerGraph, sameNamespace, type GraphItem } from './graph.js';

/** The kinds whose objects are watched: everything that usually has, or is, an owner. */
export const GC_RESOURCES: ResourceType[] = [
  RESOURCES.pods,
  RESOURCES.replicasets,
  RESOURCES.replicationcontrollers,
  RESOURCES.deployments,
  RESOURCES.services,
  RESOURCES.configmaps,
  RESOURCES.secrets,
  RESOURCES.persistentvolumeclaims,
  RESOURCES.endpointslices,
  RESOURCES.jobs,
  RESOURCES.daemonsets,
];

const ALL_TYPES: ResourceType[] = Object.values(RESOURCES);
const MAX_ABSENT = 10_000;

export interface GarbageCollectorDeps {
  client: ApiClient;
  logger: Logger;
  enqueue: (id: string) => void;
  graph?: OwnerGraph;
}

export class GarbageCollector {
  readonly graph: OwnerGraph;
  /** uids confirmed gone by a live read (client-go's absentOwnerCache) */
  private readonly absent = new Set<string>();

  constructor(private readonly d: GarbageCollectorDeps) {
    this.graph = d.graph ?? new OwnerGraph();
  }

  // ---- informer handlers ----

  handlersFor(type: ResourceType) {
    const plural = type.plural;
    return {
      onAdd: (obj: KubeObject): void => {
        const item = this.graph.upsert(plural, obj);
        if (this.interesting(obj)) this.d.enqueue(item.id);
      },
      onUpdate: (old: KubeObject, obj: KubeObject): void => {
        const item = this.graph.upsert(plural, obj);
        const refsChanged = JSON.stringify(old.metadata.ownerReferences ?? []) !== JSON.stringify(obj.metadata.ownerReferences ?? []);
        const deletionChanged =
          old.metadata.deletionTimestamp !== obj.metadata.deletionTimestamp || JSON.stringify(old.metadata.finalizers ?? []) !== JSON.stringify(obj.metadata.finalizers ?? []);
        if (refsChanged || deletionChanged) this.d.enqueue(item.id);
        if (refsChanged) this.enqueueWaitingOwners(old);
      },
      onDelete: (obj: KubeObject): void => {
        this.graph.remove(plural, obj);
        if (obj.metadata.uid) for (const dep of this.graph.dependents(obj.metadata.uid)) this.d.enqueue(dep.id);
        this.enqueueWaitingOwners(obj);
      },
    };
  }

  private interesting(obj: KubeObject): boolean {
    return (obj.metadata.ownerReferences?.length ?? 0) > 0 || decideDeletingOwner(obj) !== 'none';
  }

  private enqueueWaitingOwners(obj: KubeObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner = this.graph.byUidOf(ref.uid);
      if (owner && isDeletingDependents(owner.obj)) this.d.enqueue(owner.id);
    }
  }

  // ---- the reconcile ----

  async sync(id: string): Promise<void> {
    const item = this.graph.get(id);
    if (!item) return;
    switch (decideDeletingOwner(item.obj)) {
      case 'orphanDependents':
        return this.orphanDependents(item);
      case 'deleteDependents':
        return this.deleteDependents(item);
      default:
        if (!isBeingDeleted(item.obj)) await this.attemptToDelete(item);
    }
  }

  private dependentsOf(owner: KubeObject): GraphItem[] {
    return this.graph.dependents(owner.metadata.uid ?? '').filter((d) => sameNamespace(owner, d.obj));
  }

  private async orphanDependents(item: GraphItem): Promise<void> {
    const uid = item.obj.metadata.uid ?? '';
    for (const dep of this.dependentsOf(item.obj)) {
      await this.ignoreNotFound(this.api(dep.plural).patch(dep.obj.metadata.namespace, dep.obj.metadata.name ?? '', removeRefsPatch(dep.obj, [uid]), 'merge'));
      this.d.logger.info({ owner: item.id, dependent: dep.id }, 'orphaned dependent');
    }
    await this.removeFinalizer(item, ORPHAN_FINALIZER);
  }

  private async deleteDependents(item: GraphItem): Promise<void> {
    for (const dep of this.dependentsOf(item.obj)) if (!isBeingDeleted(dep.obj)) this.d.enqueue(dep.id);
    if (this.graph.blockingDependents(item.obj).length > 0) return;
    await this.removeFinalizer(item, FOREGROUND_FINALIZER);
  }

  private async removeFinalizer(item: GraphItem, finalizer: string): Promise<void> {
    if (!hasFinalizer(item.obj, finalizer)) return;
    const { namespace, name } = item.obj.metadata;
    await this.ignoreNotFound(this.api(item.plural).patch(namespace, name ?? '', removeFinalizerPatch(item.obj, finalizer), 'merge'));
    this.d.logger.info({ item: item.id, finalizer }, 'removed finalizer');
  }

  private async attemptToDelete(item: GraphItem): Promise<void> {
    const dep = item.obj;
    const refs = dep.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of refs) states.set(ref.uid, await this.ownerStateOf(ref, dep));
    const owners = classify(refs, (r) => states.get(r.uid) ?? 'solid');
    const myDependents = this.dependentsOf(dep);
    const action = decideDependent(dep, owners, {
      hasDependents: myDependents.length > 0,
      dependentIsDeletingDependents: myDependents.some((d) => isDeletingDependents(d.obj)),
    });
    const api = this.api(item.plural);
    const { namespace, name = '', uid } = dep.metadata;
    switch (action.action) {
      case 'none':
        return;
      case 'removeRefs':
        await this.ignoreNotFound(api.patch(namespace, name, removeRefsPatch(dep, action.uids), 'merge'));
        this.d.logger.info({ item: item.id, owners: action.uids }, 'removed references to deleted owners');
        return;
      case 'delete':
        if (action.unblockFirst) await this.ignoreNotFound(api.patch(namespace, name, unblockRefsPatch(dep), 'merge'));
        await this.ignoreNotFound(api.delete(namespace, name, { propagationPolicy: action.policy, preconditions: { uid } }));
        this.d.logger.info({ item: item.id, policy: action.policy }, 'deleted dependent of deleted owners');
    }
  }

  /** Classifies one owner: from the caches when they know its uid, else by a live read. */
  private async ownerStateOf(ref: OwnerReference, dep: KubeObject): Promise<OwnerState> {
    if (this.absent.has(ref.uid)) return 'dangling';
    const type = ALL_TYPES.find((t) => t.kind === ref.kind && t.group === groupOf(ref.apiVersion));
    if (!type) {
      this.d.logger.debug({ ref }, 'owner of an unknown kind; treated as present');
      return 'solid';
    }
    if (type.namespaced && !dep.metadata.namespace) return 'dangling';
    const cached = this.graph.byUidOf(ref.uid);
    if (cached && cached.plural === type.plural) return ownerState(ref, cached.obj, dep);
    let found: KubeObject | undefined;
    try {
      found = await this.d.client.resource(type).get(type.namespaced ? dep.metadata.namespace : undefined, ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const state = ownerState(ref, found, dep);
    if (state === 'dangling') this.rememberAbsent(ref.uid);
    return state;
  }

  private rememberAbsent(uid: string): void {
    if (this.absent.size >= MAX_ABSENT) this.absent.delete(this.absent.values().next().value!);
    this.absent.add(uid);
  }

  private api(plural: string) {
    const type = GC_RESOURCES.find((t) => t.plural === plural);
    if (!type) throw new Error(`not a monitored resource: ${plural}`);
    return this.d.client.resource<KubeObject>(type);
  }

  /** Not found means someone else already finished the job; anything else (a conflict) is retried. */
  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
