/**
 * The few request shapes mkctl needs on top of RestClient: paginated lists, server-side
 * Tables (`Accept: application/json;as=Table;...`), table watches, and filling in
 * apiVersion/kind on list items (servers omit them, kubectl prints them).
 */
import { apiVersionOf, readBody, readLines, errorFromReply, resourcePath, type KubeList, type KubeObject, type ResourceType, type RestClient } from '@mk8s/shared';
import type { Table } from './printers/table.js';
import { isTable } from './printers/table.js';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface Selectors {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

export interface TableRequest extends Selectors {
  /** ask for full objects in rows (`includeObject=Object`), as --sort-by needs */
  includeObject?: 'Object' | undefined;
}

export function withKind<T extends KubeObject>(obj: T, type: ResourceType): T {
  return { apiVersion: apiVersionOf(type), kind: type.kind, ...obj };
}

/** Lists every page of a collection (limit 500, following `continue`). */
export async function listAll(client: RestClient, type: ResourceType, namespace: string | undefined, sel: Selectors = {}): Promise<KubeList> {
  let cont: string | undefined;
  let result: KubeList | undefined;
  for (let page = 0; page < 10_000; page++) {
    const list = await client.request<KubeList>('GET', resourcePath(type, namespace), {
      query: { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector, limit: 500, continue: cont },
    });
    if (!result) result = list;
    else result.items.push(...list.items);
    cont = list.metadata?.continue;
    if (!cont) break;
  }
  result!.items = result!.items.map((i) => withKind(i, type));
  return result!;
}

/** A Table for a collection or one object; falls back to NAME/AGE if the server sends no Table. */
export async function getTable(client: RestClient, type: ResourceType, namespace: string | undefined, name?: string, sel: TableRequest = {}): Promise<Table> {
  const query =
    name === undefined
      ? { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector, limit: 500, includeObject: sel.includeObject }
      : { includeObject: sel.includeObject };
  const reply = await client.request<unknown>('GET', resourcePath(type, namespace, name), { accept: TABLE_ACCEPT, query });
  if (isTable(reply)) return reply;
  const items = name === undefined ? ((reply as KubeList).items ?? []) : [reply as KubeObject];
  return fallbackTable(items, (reply as KubeList).metadata?.resourceVersion);
}

export function fallbackTable(items: KubeObject[], resourceVersion?: string): Table {
  const t: Table = {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Created At', type: 'date' },
    ],
    rows: items.map((o) => ({ cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''], object: { metadata: o.metadata } })),
  };
  if (resourceVersion) t.metadata = { resourceVersion };
  return t;
}

export interface WatchEventOf<T> {
  type: string;
  object: T;
}

/**
 * Opens a watch, optionally asking for Tables, and calls onEvent per event until the server
 * closes the stream (resolves) or the request fails (rejects with ApiError).
 */
export async function watchStream<T>(
  client: RestClient,
  path: string,
  query: Record<string, string | number | undefined>,
  onEvent: (ev: WatchEventOf<T>) => void | 'stop',
  opts: { table?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const res = await client.send('GET', path, {
    query: { ...query, watch: 'true' },
    accept: opts.table ? TABLE_ACCEPT : 'application/json',
    signal: opts.signal,
  });
  const code = res.statusCode ?? 0;
  if (code < 200 || code >= 300) throw errorFromReply(code, await readBody(res));
  let stopped = false;
  await readLines(res, (line) => {
    if (stopped) return;
    if (onEvent(JSON.parse(line) as WatchEventOf<T>) === 'stop') {
      stopped = true;
      res.destroy();
    }
  }).catch((err: unknown) => {
    if (!stopped) throw err;
  });
}
