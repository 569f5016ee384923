/**
 * A small REST client for the mk8s apiserver: JSON requests over HTTPS with a bearer token,
 * typed per-resource helpers, and watch streams decoded line by line. Every non-2xx reply
 * becomes an `ApiError` carrying the server's `Status`; network failures reject with the
 * underlying error (callers retry; informers back off).
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '../api/meta.js';
import { resourcePath, type ResourceType } from '../api/resources.js';
import type { ClientConfig } from './config.js';
import type { ApiClient, ResourceApi } from './types.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** raw body; sent as is */
  rawBody?: string | Buffer;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  force?: boolean;
}

/** A running watch. `done` settles when the stream ends: resolved on a clean end, rejected on error. */
export interface WatchHandle {
  stop(): void;
  readonly done: Promise<void>;
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) sp.append(k, item);
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export class RestClient implements ApiClient {
  readonly config: ClientConfig;
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(config: ClientConfig) {
    this.config = config;
    this.base = new URL(config.server);
    const isHttps = this.base.protocol === 'https:';
    this.agent = isHttps
      ? new https.Agent({ keepAlive: true, ca: config.ca, rejectUnauthorized: !config.insecureSkipTLSVerify, maxFreeSockets: 64 })
      : new http.Agent({ keepAlive: true, maxFreeSockets: 64 });
  }

  /** Sends a request and returns the raw response (any status). The caller consumes the body. */
  send(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const url = new URL(path + buildQuery(opts.query), this.base);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    if (this.config.userAgent) headers['User-Agent'] = this.config.userAgent;
    let payload: string | Buffer | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agent, signal: opts.signal }, resolve);
      req.on('error', reject);
      const timeout = opts.timeoutMs ?? this.config.timeoutMs;
      if (timeout) req.setTimeout(timeout, () => req.destroy(new Error(`request to ${path} timed out after ${timeout}ms`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Sends a request and decodes a JSON reply; non-2xx replies throw ApiError. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, { timeoutMs: 60_000, ...opts });
    const text = await readBody(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code >= 300) throw errorFromReply(code, text);
    if (!text) return undefined as T;
    const type = String(res.headers['content-type'] ?? '');
    if (!type.includes('json')) return text as T;
    return JSON.parse(text) as T;
  }

  resource<T extends KubeObject>(type: ResourceType): ResourceClient<T> {
    return new ResourceClient<T>(this, type);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

export function errorFromReply(code: number, text: string): ApiError {
  try {
    const s = JSON.parse(text) as Partial<Status>;
    if (s.kind === 'Status') return ApiError.fromStatus(s, code);
  } catch {
    // not a Status body
  }
  return new ApiError(code, code === 401 ? 'Unauthorized' : '', text.trim().slice(0, 500) || `HTTP ${code}`);
}

function writeQuery(opts?: WriteOptions): RequestOptions['query'] {
  if (!opts) return undefined;
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, force: opts.force };
}

/** Typed calls on one resource type. `namespace` is ignored for cluster-scoped types. */
export class ResourceClient<T extends KubeObject> implements ResourceApi<T> {
  constructor(
    readonly client: RestClient,
    readonly type: ResourceType,
  ) {}

  path(namespace?: string, name?: string, subresource?: string): string {
    return resourcePath(this.type, this.type.namespaced ? namespace : undefined, name, subresource);
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.client.request<T>('GET', this.path(namespace, name));
  }

  list(namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.client.request<KubeList<T>>('GET', this.path(namespace), { query: { ...opts } });
  }

  create(obj: T, opts?: WriteOptions): Promise<T> {
    return this.client.request<T>('POST', this.path(obj.metadata.namespace), { body: obj, query: writeQuery(opts) });
  }

  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    const name = obj.metadata.name;
    if (!name) return Promise.reject(new Error('update needs metadata.name'));
    return this.client.request<T>('PUT', this.path(obj.metadata.namespace, name, opts?.subresource), {
      body: obj,
      query: writeQuery(opts),
    });
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.update(obj, { ...opts, subresource: 'status' });
  }

  patch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType = 'merge',
    opts?: WriteOptions & { subresource?: string },
  ): Promise<T> {
    return this.client.request<T>('PATCH', this.path(namespace, name, opts?.subresource), {
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      query: writeQuery(opts),
    });
  }

  delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.client.request<T | Status>('DELETE', this.path(namespace, name), {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...opts },
    });
  }

  deleteCollection(namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): Promise<KubeList<T>> {
    const { labelSelector, fieldSelector, ...del } = opts;
    return this.client.request<KubeList<T>>('DELETE', this.path(namespace), {
      query: { labelSelector, fieldSelector },
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...del },
    });
  }

  /** POST to a subresource such as `binding` or `eviction`. */
  createSubresource<R>(namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R> {
    return this.client.request<R>('POST', this.path(namespace, name, subresource), { body });
  }

  getSubresource<R>(namespace: string | undefined, name: string, subresource: string): Promise<R> {
    return this.client.request<R>('GET', this.path(namespace, name, subresource));
  }

  /**
   * Opens a watch and calls `onEvent` for each event, in order. ERROR events are passed on
   * like any other (an informer relists on a 410 Expired status).
   */
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): WatchHandle {
    const ctrl = new AbortController();
    const done = (async () => {
      const res = await this.client.send('GET', this.path(namespace), {
        query: { ...opts, watch: 'true' },
        signal: ctrl.signal,
      });
      const code = res.statusCode ?? 0;
      if (code < 200 || code >= 300) throw errorFromReply(code, await readBody(res));
      await readLines(res, (line) => onEvent(JSON.parse(line) as WatchEvent<T>));
    })().catch((err: unknown) => {
      if (ctrl.signal.aborted) return;
      throw err;
    });
    return { stop: () => ctrl.abort(), done };
  }
}

/** Calls `onLine` for each newline-terminated line of a response, until it ends. */
export function readLines(res: IncomingMessage, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        try {
          onLine(line);
        } catch (err) {
          res.destroy();
          reject(err as Error);
          return;
        }
      }
    });
    res.on('end', () => {
      if (buf.trim()) {
        try {
          onLine(buf.trim());
        } catch (err) {
          reject(err as Error);
          return;
        }
      }
      resolve();
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('watch stream aborted')));
  });
}
