/**
 * Object storage over etcd. Keys are `/registry/<resource>/<namespace>/<name>` (cluster-scoped:
 * `/registry/<resource>/<name>`); values are the JSON object without `resourceVersion`, which
 * is filled in on read from the key's etcd mod_revision. Every write is a single-key
 * transaction guarded by the key's revision, so lost updates are impossible: a write whose
 * guard fails reports a conflict and writes nothing.
 */
import type { Etcd3 } from 'etcd3';
import type { KubeObject } from '@mk8s/shared';

export interface Stored<T extends KubeObject = KubeObject> {
  key: string;
  obj: T;
  rev: number;
}

export interface ListResult {
  items: Stored[];
  /** the store revision the list was read at */
  revision: number;
  /** the key after the last returned one, when more keys remain */
  nextKey?: string;
  remaining?: number;
}

/** Keys per etcd range request when reading a whole collection. */
const LIST_PAGE = 1000;

export class CompactedError extends Error {
  constructor(readonly revision: number) {
    super(`revision ${revision} has been compacted`);
  }
}

export function decode(key: string, value: Buffer | string, modRevision: string | number): Stored {
  const obj = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as KubeObject;
  obj.metadata = obj.metadata ?? {};
  obj.metadata.resourceVersion = String(modRevision);
  return { key, obj, rev: Number(modRevision) };
}

export function encode(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

function isCompacted(err: unknown): boolean {
  return err instanceof Error && /compacted/i.test(err.message);
}

export class EtcdStore {
  constructor(
    readonly etcd: Etcd3,
    readonly prefix = '/registry',
  ) {}

  key(resource: string, namespace: string | undefined, name: string): string {
    return namespace ? `${this.prefix}/${resource}/${namespace}/${name}` : `${this.prefix}/${resource}/${name}`;
  }

  /** The key prefix of a collection: all namespaces, or one. Always ends in '/'. */
  collectionPrefix(resource: string, namespace?: string): string {
    return namespace ? `${this.prefix}/${resource}/${namespace}/` : `${this.prefix}/${resource}/`;
  }

  async get(key: string): Promise<Stored | undefined> {
    const res = await this.etcd.get(key).exec();
    const kv = res.kvs[0];
    return kv ? decode(key, kv.value, kv.mod_revision) : undefined;
  }

  /** At `atRev`: how many keys under `prefix` there are, and how many changed after `sinceRev`. */
  async countSince(prefix: string, sinceRev: number, atRev: number): Promise<{ total: number; changed: number }> {
    // etcd applies min_mod_revision to the returned keys but not to `count`, so the changed
    // keys are fetched (keys only) rather than counted.
    const [total, changedKeys] = await Promise.all([
      this.etcd.getAll().prefix(prefix).revision(atRev).count(),
      this.etcd.getAll().prefix(prefix).revision(atRev).minModRevision(sinceRev + 1).keys(),
    ]);
    return { total, changed: changedKeys.length };
  }

  async currentRevision(): Promise<number> {
    const res = await this.etcd.get('\0mk8s-revision-probe').exec();
    return Number(res.header.revision);
  }

  /**
   * Reads keys under `prefix` in order, from `startKey`, at `revision` (0 = latest). Without a
   * limit everything is read, in pages at one revision, so no single etcd reply grows past
   * the gRPC message limit.
   */
  async list(prefix: string, opts: { revision?: number; startKey?: string; limit?: number } = {}): Promise<ListResult> {
    if (opts.limit) return this.listPage(prefix, opts);
    const first = await this.listPage(prefix, { ...opts, limit: LIST_PAGE });
    const items = first.items;
    let next = first.nextKey;
    while (next) {
      const page = await this.listPage(prefix, { revision: first.revision, startKey: next, limit: LIST_PAGE });
      items.push(...page.items);
      next = page.nextKey;
    }
    return { items, revision: first.revision };
  }

  private async listPage(prefix: string, opts: { revision?: number; startKey?: string; limit?: number }): Promise<ListResult> {
    const end = prefixEnd(prefix);
    const q = this.etcd.getAll().inRange({ start: opts.startKey ?? prefix, end });
    if (opts.revision) q.revision(opts.revision);
    if (opts.limit) q.limit(opts.limit);
    let res;
    try {
      res = await q.exec();
    } catch (err) {
      if (isCompacted(err)) throw new CompactedError(opts.revision ?? 0);
      throw err;
    }
    const items = res.kvs.map((kv) => decode(kv.key.toString('utf8'), kv.value, kv.mod_revision));
    const result: ListResult = { items, revision: Number(res.header.revision) };
    if (res.more && items.length) {
      result.nextKey = items[items.length - 1]!.key + '\0';
      result.remaining = Number(res.count) - items.length;
    }
    return result;
  }

  /** Creates `key` if absent. Returns the stored object, or undefined when the key exists. */
  async create(key: string, obj: KubeObject): Promise<Stored | undefined> {
    const res = await this.etcd.if(key, 'Create', '==', 0).then(this.etcd.put(key).value(encode(obj))).commit();
    if (!res.succeeded) return undefined;
    return withRevision(key, obj, Number(res.header.revision));
  }

  /** Replaces `key` if its revision is still `expectedRev`. Undefined on conflict. */
  async update(key: string, obj: KubeObject, expectedRev: number): Promise<Stored | undefined> {
    const res = await this.etcd
      .if(key, 'Mod', '==', expectedRev)
      .then(this.etcd.put(key).value(encode(obj)))
      .commit();
    if (!res.succeeded) return undefined;
    return withRevision(key, obj, Number(res.header.revision));
  }

  /** Deletes `key` if its revision is still `expectedRev`. Returns the deletion revision, or undefined on conflict. */
  async delete(key: string, expectedRev: number): Promise<number | undefined> {
    const res = await this.etcd.if(key, 'Mod', '==', expectedRev).then(this.etcd.delete().key(key)).commit();
    return res.succeeded ? Number(res.header.revision) : undefined;
  }

  async compact(revision: number): Promise<void> {
    await this.etcd.kv.compact({ revision, physical: false });
  }
}

/** The written object (owned by the caller, already encoded) now carries its revision. */
function withRevision(key: string, obj: KubeObject, rev: number): Stored {
  obj.metadata.resourceVersion = String(rev);
  return { key, obj, rev };
}

/** The smallest key greater than every key with this prefix. */
export function prefixEnd(prefix: string): Buffer {
  const buf = Buffer.from(prefix, 'utf8');
  for (let i = buf.length - 1; i >= 0; i--) {
    if (buf[i]! < 0xff) {
      buf[i] = buf[i]! + 1;
      return buf.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}
