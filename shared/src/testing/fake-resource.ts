/**
 * `ResourceApi` over FakeClient: each call is recorded as an `Action`, offered to the
 * reactors (newest first), and otherwise served by the fake's in-memory store.
 */
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '../api/meta.js';
import type { ResourceType } from '../api/resources.js';
import type { ListOptions, PatchType, WatchHandle, WatchOptions, WriteOptions } from '../client/rest.js';
import type { ResourceApi } from '../client/types.js';
import { clone } from './fake-helpers.js';
import type { FakeClient } from './fake-client.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface Action {
  verb: Verb;
  /** plural, e.g. 'pods' */
  resource: string;
  group: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** a copy of the request body (object, patch, delete options or subresource body) */
  body?: unknown;
  patchType?: PatchType;
  options?: ListOptions | WatchOptions | WriteOptions;
}

/**
 * Answers a call instead of the store by returning a value (or a promise of one), fails it by
 * throwing (or rejecting), or passes by returning undefined. Watch reactors run synchronously:
 * a throw makes the watch's `done` reject; return values are ignored.
 */
export type Reactor = (action: Action) => unknown;

const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class FakeResourceApi<T extends KubeObject> implements ResourceApi<T> {
  constructor(
    private readonly fake: FakeClient,
    readonly type: ResourceType,
  ) {}

  private ns(namespace: string | undefined): string | undefined {
    return this.type.namespaced ? namespace : undefined;
  }

  private record(a: Omit<Action, 'resource' | 'group'>): Action {
    const action = strip({ ...a, resource: this.type.plural, group: this.type.group, body: clone(a.body) });
    this.fake.actions.push(action);
    return action;
  }

  private reactorsFor(action: Action) {
    return this.fake.reactors.filter((r) => (r.verb === '*' || r.verb === action.verb) && (r.resource === '*' || r.resource === action.resource));
  }

  private async call<R>(a: Omit<Action, 'resource' | 'group'>, serve: () => unknown): Promise<R> {
    const action = this.record(a);
    for (const r of this.reactorsFor(action)) {
      const out = await r.fn(action);
      if (out !== undefined) return out as R;
    }
    // let the caller's continuation run after this call returns, as with a real server
    await Promise.resolve();
    return serve() as R;
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.call({ verb: 'get', namespace: this.ns(namespace), name }, () => this.fake.doGet(this.type, this.ns(namespace), name));
  }

  list(namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.call({ verb: 'list', namespace: this.ns(namespace), options: opts }, () => this.fake.doList(this.type, this.ns(namespace), opts));
  }

  create(obj: T, opts?: WriteOptions): Promise<T> {
    const namespace = this.ns(obj.metadata.namespace ?? 'default');
    return this.call({ verb: 'create', namespace, name: obj.metadata.name, body: obj, options: opts }, () =>
      opts?.dryRun ? obj : this.fake.doCreate(this.type, obj),
    );
  }

  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    const namespace = this.ns(obj.metadata.namespace ?? 'default');
    return this.call(
      { verb: 'update', namespace, name: obj.metadata.name, subresource: opts?.subresource, body: obj, options: opts },
      () => this.fake.doUpdate(this.type, obj, opts?.subresource),
    );
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.update(obj, { ...opts, subresource: 'status' });
  }

  patch(namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', opts?: WriteOptions & { subresource?: string }): Promise<T> {
    return this.call(
      { verb: 'patch', namespace: this.ns(namespace), name, subresource: opts?.subresource, body: patch, patchType: type, options: opts },
      () => this.fake.doPatch(this.type, this.ns(namespace), name, patch, type, opts?.subresource),
    );
  }

  delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<T | Status> {
    return this.call({ verb: 'delete', namespace: this.ns(namespace), name, body: opts }, () => this.fake.doDelete(this.type, this.ns(namespace), name, opts));
  }

  createSubresource<R>(namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R> {
    return this.call({ verb: 'create', namespace: this.ns(namespace), name, subresource, body }, () =>
      this.fake.doCreateSubresource(this.type, this.ns(namespace), name, subresource, body),
    );
  }

  getSubresource<R>(namespace: string | undefined, name: string, subresource: string): Promise<R> {
    return this.call({ verb: 'get', namespace: this.ns(namespace), name, subresource }, () =>
      this.fake.doGetSubresource(this.type, this.ns(namespace), name, subresource),
    );
  }

  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): WatchHandle {
    const action = this.record({ verb: 'watch', namespace: this.ns(namespace), options: opts });
    try {
      for (const r of this.reactorsFor(action)) r.fn(action);
    } catch (err) {
      const done = Promise.reject(err as Error);
      return { stop: () => undefined, done };
    }
    return this.fake.watches.start(this.type, this.ns(namespace), opts, onEvent as (ev: WatchEvent<KubeObject>) => void);
  }
}
