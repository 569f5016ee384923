/**
 * The generic registry: create, get, list, update, patch and delete for every kind in the
 * resource table, over the etcd store and the per-resource watch caches. Kind-specific
 * behaviour comes only from the ResourceDef row (strategy, hooks, status rules).
 *
 * Guarantees: writes are guarded by the stored revision (a stale resourceVersion is a 409,
 * an unconditional write retries on a fresh read); validation failures write nothing;
 * a dry run does everything but the write; an update that changes nothing writes nothing.
 */
import type { Etcd3 } from 'etcd3';
import {
  ApiError,
  newAlreadyExists,
  newConflict,
  newInvalid,
  newNotFound,
  NAMESPACE_TERMINATING_CAUSE,
  OPTIMISTIC_LOCK_MESSAGE,
  type KubeList,
  type KubeObject,
  type Logger,
  type Namespace,
} from '@mk8s/shared';
import { CompactedError, type EtcdStore } from '../storage/etcd-store.js';
import { WatchCache } from '../storage/watch-cache.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { changed, checkBodyIdentity, generateName, immutableMetaCauses, prepareForCreate, prepareForUpdate, updateGeneration } from './meta.js';
import type { ResourceDef, WriteContext } from './resource-def.js';
import { selectionPredicate } from './selection.js';
import { validateMeta, validateMetaUpdate } from './validate-meta.js';

export interface ListParams {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export type Mutator = (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>;

const MAX_RETRIES = 10;

export class Registry {
  private readonly caches = new Map<string, WatchCache>();

  constructor(
    readonly store: EtcdStore,
    private readonly etcd: Etcd3,
    private readonly logger: Logger,
    private readonly namespacesDef: ResourceDef,
  ) {}

  /** The started watch cache of a kind. */
  async cache(def: ResourceDef): Promise<WatchCache> {
    let c = this.caches.get(def.storageName);
    if (!c) {
      c = new WatchCache(this.etcd, this.store, this.store.collectionPrefix(def.storageName), {
        logger: this.logger.child({ cache: def.storageName }),
      });
      this.caches.set(def.storageName, c);
    }
    await c.start();
    return c;
  }

  /** etcd history up to `rev` is gone: every cache stops replaying before it. */
  compactedTo(rev: number): void {
    for (const c of this.caches.values()) c.compactedTo(rev);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.stop()));
  }

  key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return this.store.key(def.storageName, def.namespaced ? namespace : undefined, name);
  }

  async get(def: ResourceDef, namespace: string | undefined, name: string): Promise<KubeObject> {
    const s = await this.store.get(this.key(def, namespace, name));
    if (!s) throw newNotFound(def.plural, def.group, name);
    return s.obj;
  }

  async list(def: ResourceDef, namespace: string | undefined, p: ListParams): Promise<KubeList> {
    const prefix = this.store.collectionPrefix(def.storageName, def.namespaced ? namespace : undefined);
    const match = selectionPredicate(def, p.labelSelector, p.fieldSelector);
    const limit = p.limit && p.limit > 0 ? p.limit : undefined;
    if (!limit && !p.continue) {
      const fromCache = await this.listFromCache(def, prefix, match, p.resourceVersion);
      if (fromCache) return fromCache;
    }
    let revision = 0;
    let start: string | undefined;
    if (p.continue) {
      const c = decodeContinue(p.continue, prefix);
      revision = c.rv;
      start = c.start;
    }
    const items: KubeObject[] = [];
    let next: string | undefined;
    let remaining: number | undefined;
    try {
      for (;;) {
        const want = limit ? Math.max(limit - items.length, match ? 256 : 0) : undefined;
        const page = await this.store.list(prefix, { revision: revision || undefined, startKey: start, limit: want });
        if (!revision) revision = page.revision;
        for (const it of page.items) {
          if (limit && items.length >= limit) {
            next = it.key;
            break;
          }
          if (!match || match(it.obj)) items.push(it.obj);
        }
        if (next) break;
        if (!page.nextKey) break;
        start = page.nextKey;
        if (limit && items.length >= limit) {
          next = page.nextKey;
          remaining = match ? undefined : page.remaining;
          break;
        }
      }
    } catch (err) {
      if (err instanceof CompactedError) {
        throw new ApiError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.');
      }
      throw err;
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (next) metadata.continue = encodeContinue({ rv: revision, start: next });
    if (remaining !== undefined && remaining > 0) metadata.remainingItemCount = remaining;
    return { kind: `${def.kind}List`, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata, items };
  }

  /**
   * A whole collection from the watch cache: as consistent as a read from etcd (the cache is
   * first caught up with etcd's current revision, unless resourceVersion "0" asks for any
   * recent state), without decoding every object again. Undefined if the cache lags.
   */
  private async listFromCache(
    def: ResourceDef,
    prefix: string,
    match: ((o: KubeObject) => boolean) | undefined,
    resourceVersion: string | undefined,
  ): Promise<KubeList | undefined> {
    const cache = await this.cache(def);
    if (!cache.isReady) return undefined;
    if (resourceVersion !== '0' && !(await cache.syncTo(await this.store.currentRevision()))) return undefined;
    const all = cache.sortedList(prefix);
    const items = match ? all.filter(match) : all;
    return {
      kind: `${def.kind}List`,
      apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
      metadata: { resourceVersion: String(cache.revision) },
      items,
    };
  }

  /** Namespaced writes need an existing namespace that is not terminating. */
  async checkNamespace(def: ResourceDef, namespace: string | undefined, creating: boolean): Promise<void> {
    if (!def.namespaced) return;
    if (!namespace) throw new ApiError(400, 'BadRequest', 'a namespace is required for this resource');
    const cache = await this.cache(this.namespacesDef);
    const key = this.key(this.namespacesDef, undefined, namespace);
    const ns = (cache.getByKey(key) ?? (await this.store.get(key))?.obj) as Namespace | undefined;
    if (!ns) throw newNotFound('namespaces', '', namespace);
    if (creating && (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating')) {
      throw new ApiError(
        403,
        'Forbidden',
        `${def.plural} "${'<new>'}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          kind: def.plural,
          causes: [{ reason: NAMESPACE_TERMINATING_CAUSE, message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
        },
      );
    }
  }

  async create(def: ResourceDef, namespace: string | undefined, body: unknown, ctx: WriteContext): Promise<KubeObject> {
    const obj = checkBodyIdentity(def, body, namespace);
    const m = obj.metadata;
    const generated = !m.name && !!m.generateName;
    if (generated) m.name = generateName(m.generateName!);
    prepareForCreate(def, obj, namespace);
    def.strategy?.default?.(obj);
    this.validate(def, obj, [...validateMeta(def, obj), ...(def.strategy?.validate?.(obj) ?? [])]);
    await this.checkNamespace(def, namespace, true).catch((err: ApiError) => {
      if (err.reason === 'Forbidden') err.message = err.message.replace('"<new>"', `"${m.name}"`);
      throw err;
    });
    await def.hooks?.beforeCreate?.(obj, ctx);
    if (ctx.dryRun) return obj;
    for (let attempt = 0; ; attempt++) {
      let stored;
      try {
        stored = await this.store.create(this.key(def, namespace, m.name!), obj);
      } catch (err) {
        def.hooks?.onCreateFailed?.(obj);
        throw err;
      }
      if (stored) return stored.obj;
      if (generated && attempt < 3) {
        m.name = generateName(m.generateName!);
        continue;
      }
      def.hooks?.onCreateFailed?.(obj);
      throw newAlreadyExists(def.plural, def.group, m.name!);
    }
  }

  private validate(def: ResourceDef, obj: KubeObject, causes: { field?: string; message?: string; reason?: string }[]): void {
    if (causes.length) throw newInvalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
  }

  /**
   * Read-modify-write of one object. `mutate` gets the current object (undefined when absent,
   * if `createIfMissing`) and returns the desired one. A desired object carrying a
   * resourceVersion is a precondition: a mismatch is a 409, never a retry.
   */
  async guaranteedUpdate(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    mutate: Mutator,
    ctx: WriteContext,
    opts: { subresource?: string; createIfMissing?: boolean } = {},
  ): Promise<{ obj: KubeObject; created: boolean }> {
    const key = this.key(def, namespace, name);
    // The first attempt starts from the watch cache (one etcd round trip instead of two);
    // anything that could be an artefact of a stale cache is retried from etcd.
    let fromCache = true;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const cached = fromCache ? this.cachedObject(def, key) : undefined;
      const current = cached ?? (await this.store.get(key));
      const maybeStale = cached !== undefined;
      fromCache = false;
      if (!current) {
        if (!opts.createIfMissing || opts.subresource) throw newNotFound(def.plural, def.group, name);
        const desired = await mutate(undefined);
        desired.metadata = { ...desired.metadata, name };
        return { obj: await this.create(def, namespace, desired, ctx), created: true };
      }
      const desired = checkBodyIdentity(def, await mutate(structuredClone(current.obj)), namespace, name);
      const rv = desired.metadata.resourceVersion;
      if (rv && rv !== current.obj.metadata.resourceVersion) {
        if (maybeStale) continue;
        throw newConflict(def.plural, def.group, name, OPTIMISTIC_LOCK_MESSAGE);
      }
      const next = prepareForUpdate(def, desired, current.obj, opts.subresource);
      if (opts.subresource !== 'status') def.strategy?.default?.(next);
      updateGeneration(next, current.obj);
      const causes =
        opts.subresource === 'status'
          ? (def.strategy?.validateStatusUpdate?.(next, current.obj) ?? [])
          : [
              ...validateMeta(def, next),
              ...validateMetaUpdate(next, current.obj),
              ...immutableMetaCauses(next, current.obj),
              ...(def.strategy?.validateUpdate?.(next, current.obj) ?? def.strategy?.validate?.(next) ?? []),
            ];
      this.validate(def, next, causes);
      if (opts.subresource !== 'status') await def.hooks?.beforeUpdate?.(next, current.obj, ctx);
      if (!changed(next, current.obj)) {
        if (maybeStale) continue;
        return { obj: current.obj, created: false };
      }
      if (shouldDeleteDuringUpdate(next)) {
        if (ctx.dryRun) return { obj: next, created: false };
        const deleted = await this.store.delete(key, current.rev);
        if (deleted === undefined) {
          if (rv && !maybeStale) throw newConflict(def.plural, def.group, name, OPTIMISTIC_LOCK_MESSAGE);
          continue;
        }
        await def.hooks?.afterDelete?.(next);
        return { obj: next, created: false };
      }
      if (ctx.dryRun) return { obj: next, created: false };
      const stored = await this.store.update(key, next, current.rev);
      if (stored) return { obj: stored.obj, created: false };
      if (rv && !maybeStale) throw newConflict(def.plural, def.group, name, OPTIMISTIC_LOCK_MESSAGE);
    }
    throw newConflict(def.plural, def.group, name, 'too many concurrent writes; please try again');
  }

  /** The watch cache's copy of an object, when the cache is running and has it. */
  private cachedObject(def: ResourceDef, key: string): { obj: KubeObject; rev: number } | undefined {
    const cache = this.caches.get(def.storageName);
    if (!cache?.isReady) return undefined;
    const obj = cache.getByKey(key);
    return obj ? { obj, rev: Number(obj.metadata.resourceVersion) } : undefined;
  }

  /** Removes an object from storage now (no grace, no finalizers), if its revision is still `rev`. */
  async removeNow(def: ResourceDef, obj: KubeObject, rev: number): Promise<boolean> {
    const deleted = await this.store.delete(this.key(def, obj.metadata.namespace, obj.metadata.name!), rev);
    if (deleted === undefined) return false;
    await def.hooks?.afterDelete?.(obj);
    return true;
  }
}

/** An object being deleted with no finalizers left and no grace period pending goes away. */
export function shouldDeleteDuringUpdate(obj: KubeObject): boolean {
  const m = obj.metadata;
  const nsFinalizers = obj.kind === 'Namespace' ? ((obj as Namespace).spec?.finalizers?.length ?? 0) : 0;
  return !!m.deletionTimestamp && !m.finalizers?.length && !nsFinalizers && (m.deletionGracePeriodSeconds ?? 0) === 0;
}
