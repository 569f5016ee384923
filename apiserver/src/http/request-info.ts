/**
 * Parses a resource URL into what it names, as the Kubernetes RequestInfoFactory does:
 * `/api/v1/namespaces/ns/pods/name/status` -> group '', version v1, namespace ns, resource
 * pods, name, subresource status. Namespaces' own subresources (`/namespaces/x/status`,
 * `/namespaces/x/finalize`) are recognised as such.
 */
export interface RequestInfo {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestPath(path: string): RequestInfo | undefined {
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  let group = '';
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  if (!version || rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  if (!resource) return undefined;
  const info: RequestInfo = { group, version, resource };
  if (namespace !== undefined) info.namespace = namespace;
  if (name !== undefined) info.name = name;
  if (subresource !== undefined) info.subresource = subresource;
  return info;
}
