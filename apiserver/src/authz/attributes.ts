/**
 * What a request asks to do, in the terms authorization decides on (Kubernetes'
 * authorizer.Attributes, built from its RequestInfo): a resource request names a verb, API
 * group, namespace, resource, subresource and name; any other path is a non-resource request
 * whose verb is the lower-cased HTTP method.
 */
import { parseRequestPath } from '../http/request-info.js';
import type { UserInfo } from '../http/auth.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** non-resource requests: the URL path */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const VERB_BY_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get', HEAD: 'get' };

/** Attributes of a request that names `fields` and nothing else (reviews, impersonation and escalation checks ask such questions). */
export function attributesOf(user: UserInfo, fields: Partial<Omit<Attributes, 'user'>>): Attributes {
  return { user, verb: '', resourceRequest: true, path: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', ...fields };
}

/** Subresources that open a stream (exec, attach, port-forward): Kubernetes authorizes them as create, however they arrive. */
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

function isTrue(v: string | null): boolean {
  return v !== null && v !== '' && v !== 'false' && v !== '0';
}

/** The attributes of `method url` by `user`; `url` may carry a query string. */
export function requestAttributes(user: UserInfo, method: string, url: string): Attributes {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const nonResource = attributesOf(user, { verb: method.toLowerCase(), resourceRequest: false, path });
  let info;
  try {
    info = parseRequestPath(path);
  } catch {
    return nonResource; // a malformed escape: not a resource path
  }
  if (!info) return nonResource;
  let verb = VERB_BY_METHOD[method.toUpperCase()] ?? method.toLowerCase();
  if (!info.name && verb === 'get') verb = isTrue(query.get('watch')) ? 'watch' : 'list';
  if (!info.name && verb === 'delete') verb = 'deletecollection';
  if (info.subresource && CONNECT_SUBRESOURCES.has(info.subresource)) verb = 'create';
  return attributesOf(user, {
    verb,
    path,
    apiGroup: info.group,
    apiVersion: info.version,
    // a namespace is its own namespace: a RoleBinding there may grant reading it
    namespace: info.resource === 'namespaces' && info.name ? info.name : (info.namespace ?? ''),
    resource: info.resource,
    subresource: info.subresource ?? '',
    name: info.name ?? '',
  });
}
