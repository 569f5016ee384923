/**
 * OpenAPI v3 documents, as kubectl reads them:
 * - `/openapi/v3` (`openapiV3Index`): one entry per group-version, with a content hash in
 *   the URL (clients cache a URL forever, so the hash must change when the document does);
 * - `/openapi/v3/<api/v1|apis/g/v>` (`openapiV3GroupVersion`): path items for every
 *   collection/item/subresource URL, one operation per verb, each with
 *   `x-kubernetes-group-version-kind`; every write carries the `dryRun`, `fieldManager` and
 *   `fieldValidation` query parameters, which is how kubectl decides to leave validation to
 *   the server (`--validate=strict` then sends `fieldValidation=Strict`).
 * PATCH bodies deliberately do not list `application/strategic-merge-patch+json`: kubectl
 * apply would then compute strategic merge patches from these (merge-key-free) schemas; without
 * it kubectl uses its compiled-in Go types, which is what real clusters amount to.
 */
import { createHash } from 'node:crypto';
import { describeResource, groupVersionsOf, resourcesIn, type DiscoveryResource, type GroupVersionKind, type ResourceInfo } from './api-resources.js';
import { componentSchemas, refTo, schemaName, type Schema } from './openapi-schemas.js';
import { META } from './openapi-types.js';
import { SERVER_GIT_VERSION } from './version.js';

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  tags: string[];
  description: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }>; required: boolean };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export interface PathItem {
  parameters?: Parameter[];
  get?: Operation;
  put?: Operation;
  post?: Operation;
  delete?: Operation;
  patch?: Operation;
}

export interface OpenAPIDocument {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

const q = (name: string, description: string, type = 'string'): Parameter => ({ name, in: 'query', description, schema: { type, uniqueItems: true } });
const P = {
  pretty: q('pretty', "If 'true', then the output is pretty printed."),
  dryRun: q('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: q(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', 'boolean'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: q('propagationPolicy', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
  list: [
    q('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
    q('continue', 'The continue option should be set when retrieving more results from the server.'),
    q('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
    q('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
    q('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
    q('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
    q('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
    q('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
    q('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  ],
};
const pathParam = (name: string, description: string): Parameter => ({ name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } });

const JSON_TYPES = ['application/json', 'application/yaml'];
const body = (schema: Schema, types = JSON_TYPES) => ({ content: Object.fromEntries(types.map((t) => [t, { schema }])), required: true });
const ok = (schema: Schema | undefined, code = '200') => ({
  [code]: schema ? { description: 'OK', content: Object.fromEntries(JSON_TYPES.map((t) => [t, { schema }])) } : { description: 'OK' },
  '401': { description: 'Unauthorized' },
});
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

function opIdPart(gvk: GroupVersionKind): string {
  const g = gvk.group === '' ? 'core' : (gvk.group.split('.')[0] ?? gvk.group);
  return g.charAt(0).toUpperCase() + g.slice(1) + gvk.version.charAt(0).toUpperCase() + gvk.version.slice(1);
}

interface OpContext {
  tag: string;
  idBase: string; // e.g. CoreV1NamespacedPod
  gvk: GroupVersionKind;
  schema: Schema | undefined;
  what: string; // 'Pod', 'status of the specified Pod'
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

function operation(c: OpContext, verb: string): [Method, Operation] | undefined {
  const base = { tags: [c.tag], 'x-kubernetes-group-version-kind': c.gvk };
  const listRef = c.schema?.$ref ? refTo(`${c.schema.$ref.split('/').pop()}List`) : undefined;
  const writes = [P.dryRun, P.fieldManager, P.fieldValidation];
  switch (verb) {
    case 'list':
      return ['get', { ...base, description: `list or watch objects of kind ${c.gvk.kind}`, operationId: `list${c.idBase}`, parameters: P.list, responses: ok(listRef), 'x-kubernetes-action': 'list' }];
    case 'create':
      return ['post', { ...base, description: `create ${c.what}`, operationId: `create${c.idBase}`, parameters: writes, requestBody: body(c.schema ?? { type: 'object' }), responses: { ...ok(c.schema), ...ok(c.schema, '201') }, 'x-kubernetes-action': 'post' }];
    case 'deletecollection':
      return ['delete', { ...base, description: `delete collection of ${c.gvk.kind}`, operationId: `deletecollection${c.idBase}`, parameters: [...P.list, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], requestBody: { ...body(refTo(`${META}.DeleteOptions`)), required: false }, responses: ok(refTo(`${META}.Status`)), 'x-kubernetes-action': 'deletecollection' }];
    case 'get':
      return ['get', { ...base, description: `read ${c.what}`, operationId: `read${c.idBase}`, responses: ok(c.schema), 'x-kubernetes-action': 'get' }];
    case 'update':
      return ['put', { ...base, description: `replace ${c.what}`, operationId: `replace${c.idBase}`, parameters: writes, requestBody: body(c.schema ?? { type: 'object' }), responses: { ...ok(c.schema), ...ok(c.schema, '201') }, 'x-kubernetes-action': 'put' }];
    case 'patch':
      return ['patch', { ...base, description: `partially update ${c.what}`, operationId: `patch${c.idBase}`, parameters: [...writes, P.force], requestBody: body(refTo(`${META}.Patch`), PATCH_TYPES), responses: { ...ok(c.schema), ...ok(c.schema, '201') }, 'x-kubernetes-action': 'patch' }];
    case 'delete':
      return ['delete', { ...base, description: `delete ${c.what}`, operationId: `delete${c.idBase}`, parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], requestBody: { ...body(refTo(`${META}.DeleteOptions`)), required: false }, responses: { ...ok(c.schema), '202': { description: 'Accepted' } }, 'x-kubernetes-action': 'delete' }];
    default:
      return undefined;
  }
}

function pathItem(c: OpContext, verbs: string[], params: Parameter[]): PathItem {
  const item: PathItem = { parameters: [...params, P.pretty] };
  for (const verb of verbs) {
    const op = operation(c, verb);
    if (op) item[op[0]] = op[1];
  }
  return item;
}

/** Subresource verbs are reached by POST (create), GET, PUT (update) and PATCH at one URL. */
function subresourcePaths(info: ResourceInfo, prefix: string, tag: string, params: Parameter[], ns: string): Record<string, PathItem> {
  const r = info.resource;
  const out: Record<string, PathItem> = {};
  for (const s of info.subresources) {
    const streams = s.name === 'log' || s.name === 'exec';
    const c: OpContext = {
      tag,
      idBase: `${opIdPart(info.responseKind)}${ns}${r.kind}${s.name.charAt(0).toUpperCase()}${s.name.slice(1)}`,
      gvk: s.responseKind,
      schema: streams ? { type: 'string' } : refTo(schemaName(s.responseKind)),
      what: `${s.name} of the specified ${r.kind}`,
    };
    out[`${prefix}/{name}/${s.name}`] = pathItem(c, s.verbs, params);
  }
  return out;
}

function resourcePaths(info: ResourceInfo): Record<string, PathItem> {
  const r = info.resource;
  const gvPrefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const tag = `${r.group ? (r.group.split('.')[0] ?? r.group) : 'core'}_${r.version}`;
  const schema = refTo(schemaName(info.responseKind));
  const name = pathParam('name', `name of the ${r.kind}`);
  const namespace = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const ns = r.namespaced ? 'Namespaced' : '';
  const idBase = `${opIdPart(info.responseKind)}${ns}${r.kind}`;
  const collection = r.namespaced ? `${gvPrefix}/namespaces/{namespace}/${r.plural}` : `${gvPrefix}/${r.plural}`;
  const scope = r.namespaced ? [namespace] : [];
  const collectionVerbs = info.verbs.filter((v) => v === 'list' || v === 'create' || v === 'deletecollection');
  const itemVerbs = info.verbs.filter((v) => v === 'get' || v === 'update' || v === 'patch' || v === 'delete');
  const c: OpContext = { tag, idBase, gvk: info.responseKind, schema, what: `a ${r.kind}` };
  const out: Record<string, PathItem> = {};
  if (collectionVerbs.length) out[collection] = pathItem(c, collectionVerbs, scope);
  if (itemVerbs.length) out[`${collection}/{name}`] = pathItem({ ...c, what: `the specified ${r.kind}` }, itemVerbs, [...scope, name]);
  Object.assign(out, subresourcePaths(info, collection, tag, [...scope, name], ns));
  if (r.namespaced && info.verbs.includes('list')) {
    out[`${gvPrefix}/${r.plural}`] = pathItem({ ...c, idBase: `${opIdPart(info.responseKind)}${r.kind}ForAllNamespaces` }, ['list'], []);
  }
  return out;
}

export function openapiV3GroupVersion(group: string, version: string, resources: DiscoveryResource[]): OpenAPIDocument {
  const infos = resourcesIn(resources, group, version).map(describeResource);
  const paths: Record<string, PathItem> = {};
  for (const info of infos) Object.assign(paths, resourcePaths(info));
  const kinds = new Map<string, { gvk: GroupVersionKind; withList: boolean }>();
  for (const info of infos) {
    kinds.set(schemaName(info.responseKind), { gvk: info.responseKind, withList: info.verbs.includes('list') });
    for (const s of info.subresources) {
      const key = schemaName(s.responseKind);
      if (!kinds.has(key) && s.name !== 'log' && s.name !== 'exec') kinds.set(key, { gvk: s.responseKind, withList: false });
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_GIT_VERSION },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas: componentSchemas([...kinds.values()]) },
  };
}

/** The index key of a group-version: `api/v1`, `apis/apps/v1`. */
export function openapiV3Key(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openapiV3Hash(doc: OpenAPIDocument): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

export interface OpenAPIV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export function openapiV3Index(resources: DiscoveryResource[]): OpenAPIV3Index {
  const paths: OpenAPIV3Index['paths'] = {};
  for (const gv of groupVersionsOf(resources)) {
    const key = openapiV3Key(gv.group, gv.version);
    const hash = openapiV3Hash(openapiV3GroupVersion(gv.group, gv.version, resources));
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
