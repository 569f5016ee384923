/**
 * The informer's cache: objects by key ("ns/name" or "name") plus named secondary indexes
 * (index function: object -> values). `replace` swaps the whole content and reports the
 * differences, so a relist can turn into adds, updates and deletes. Objects in the store are
 * shared with every reader: never mutate them (copy with structuredClone first).
 */
import type { KubeObject } from './api/meta.js';
import { keyOf } from './keys.js';

export type IndexFunc<T> = (obj: T) => string[];

interface Index<T> {
  fn: IndexFunc<T>;
  byValue: Map<string, Set<string>>;
}

export interface ReplaceDiff<T> {
  added: T[];
  updated: [T, T][];
  deleted: T[];
}

export const NAMESPACE_INDEX = 'namespace';
export const namespaceIndexFunc = (obj: KubeObject): string[] => [obj.metadata.namespace ?? ''];

export class Store<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  /** Adds or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by the object's key; returns what was stored. */
  delete(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Replaces everything with `objs`; `updated` lists pairs whose resourceVersion changed. */
  replace(objs: T[]): ReplaceDiff<T> {
    const diff: ReplaceDiff<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const o of objs) {
      const key = keyOf(o);
      seen.add(key);
      const old = this.upsert(o);
      if (!old) diff.added.push(o);
      else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) diff.updated.push([old, o]);
    }
    for (const [key, old] of [...this.items]) {
      if (seen.has(key)) continue;
      this.unindex(key, old);
      this.items.delete(key);
      diff.deleted.push(old);
    }
    return diff;
  }

  /** Adds a named index (and indexes what is already stored). */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index ${name} already exists`);
    this.indexes.set(name, { fn, byValue: new Map() });
    for (const [key, obj] of this.items) this.indexOne(this.indexes.get(name)!, key, obj);
  }

  byIndex(name: string, value: string): T[] {
    const idx = this.indexes.get(name);
    if (!idx) throw new Error(`index ${name} does not exist`);
    return [...(idx.byValue.get(value) ?? [])].map((k) => this.items.get(k)!).filter(Boolean);
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  private index(key: string, obj: T): void {
    for (const idx of this.indexes.values()) this.indexOne(idx, key, obj);
  }

  private indexOne(idx: Index<T>, key: string, obj: T): void {
    for (const v of idx.fn(obj)) {
      let set = idx.byValue.get(v);
      if (!set) idx.byValue.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const idx of this.indexes.values()) {
      for (const v of idx.fn(obj)) {
        const set = idx.byValue.get(v);
        set?.delete(key);
        if (set?.size === 0) idx.byValue.delete(v);
      }
    }
  }
}
