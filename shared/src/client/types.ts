/**
 * The client interface components program against. `RestClient` implements it over HTTP;
 * `FakeClient` in shared/testing implements it in memory for unit tests. Controllers,
 * the scheduler and the kubelet take an `ApiClient`, never a concrete class.
 */
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '../api/meta.js';
import type { ResourceType } from '../api/resources.js';
import type { ListOptions, PatchType, WatchHandle, WatchOptions, WriteOptions } from './rest.js';

export interface ResourceApi<T extends KubeObject> {
  readonly type: ResourceType;
  get(namespace: string | undefined, name: string): Promise<T>;
  list(namespace?: string, opts?: ListOptions): Promise<KubeList<T>>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(namespace: string | undefined, name: string, patch: unknown, type?: PatchType, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<T | Status>;
  createSubresource<R>(namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R>;
  getSubresource<R>(namespace: string | undefined, name: string, subresource: string): Promise<R>;
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): WatchHandle;
}

export interface ApiClient {
  resource<T extends KubeObject>(type: ResourceType): ResourceApi<T>;
}
