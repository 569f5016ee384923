/**
 * OpenAPI v3 component schemas for one group-version, built from the notation in
 * openapi-types.ts. Every kind schema carries `x-kubernetes-group-version-kind` as a list
 * (what `kubectl explain` and `kubectl apply` search for); references are written the way
 * the real apiserver writes them (`allOf: [{$ref}]` next to the field's description) and
 * every referenced type is included, so the document resolves on its own.
 */
import type { GroupVersionKind } from './api-resources.js';
import { DAEMONSET_TYPES } from './openapi-daemonset-types.js';
import { RBAC_KINDS, RBAC_TYPES } from './openapi-rbac-types.js';
import { SERVICE_ACCOUNT_TYPES } from './openapi-serviceaccount-types.js';
import { KIND_MODELS, STATUS_TYPES } from './openapi-status-types.js';
import { ALL_TYPES, D, KINDS, META, type FieldSpec, type TypeSpec } from './openapi-types.js';

const TYPES: Record<string, TypeSpec> = { ...ALL_TYPES, ...STATUS_TYPES, ...DAEMONSET_TYPES, ...SERVICE_ACCOUNT_TYPES, ...RBAC_TYPES };
/** KINDS plus the kinds modelled in their own files (RBAC: no spec, top-level fields and a required roleRef). */
const KIND_SPECS: Record<string, { description: string; fields?: Record<string, FieldSpec>; spec?: string; required?: string[] }> = { ...KINDS, ...RBAC_KINDS };

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  default?: unknown;
  uniqueItems?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

const REF_PREFIX = '#/components/schemas/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Scalars written as either a string or a number; no `type`, so explain names them. */
const SCALARS: Record<string, Schema> = {
  [QUANTITY]: {
    description: 'Quantity is a fixed-point representation of a number, e.g. "100m" CPU or "1Gi" memory.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
};

/** `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`, `io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics`. */
export function schemaName(gvk: GroupVersionKind): string {
  if (gvk.group === 'metrics.k8s.io') return `io.k8s.metrics.pkg.apis.metrics.${gvk.version}.${gvk.kind}`;
  const pkg = gvk.group === '' ? 'core' : (gvk.group.split('.')[0] ?? gvk.group);
  return `io.k8s.api.${pkg}.${gvk.version}.${gvk.kind}`;
}

export const refTo = (name: string): Schema => ({ $ref: REF_PREFIX + name });

/** Turn one field notation into a schema, recording the type names it references. */
function fieldSchema(type: string, description: string | undefined, refs: Set<string>): Schema {
  const withDesc = (s: Schema): Schema => (description ? { ...s, description } : s);
  if (type.startsWith('[]')) return withDesc({ type: 'array', items: fieldSchema(type.slice(2), undefined, refs) });
  if (type.startsWith('map:')) return withDesc({ type: 'object', additionalProperties: fieldSchema(type.slice(4), undefined, refs) });
  if (type.startsWith('#')) {
    const name = type.slice(1);
    refs.add(name);
    return description ? { allOf: [refTo(name)], description, default: {} } : refTo(name);
  }
  switch (type) {
    case 'map':
      return withDesc({ type: 'object', additionalProperties: { type: 'string', default: '' } });
    case 'quantity':
    case 'intorstring': {
      const ref = type === 'quantity' ? QUANTITY : INT_OR_STRING;
      refs.add(ref);
      return description ? { allOf: [refTo(ref)], description } : refTo(ref);
    }
    case 'object':
      return withDesc({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    case 'integer':
      return withDesc({ type: 'integer', format: 'int64' });
    default:
      return withDesc({ type });
  }
}

function typeSchema(spec: TypeSpec, refs: Set<string>): Schema {
  const properties: Record<string, Schema> = {};
  for (const [name, [type, description]] of Object.entries(spec.fields)) properties[name] = fieldSchema(type, description, refs);
  const s: Schema = { description: spec.description, type: 'object', properties };
  if (spec.required?.length) s.required = spec.required;
  if (Object.keys(properties).length === 0) s['x-kubernetes-preserve-unknown-fields'] = true;
  return s;
}

function kindFields(kind: string): Record<string, FieldSpec> {
  const k = KIND_SPECS[kind];
  const base: Record<string, FieldSpec> = {
    apiVersion: ['string', D.apiVersion],
    kind: ['string', D.kind],
    metadata: [`#${META}.ObjectMeta`, D.metadata],
  };
  if (k?.fields) return { ...base, ...k.fields };
  const spec = k?.spec ?? KIND_MODELS[kind]?.spec;
  const status = KIND_MODELS[kind]?.status;
  return { ...base, spec: [spec ? `#${spec}` : 'object', D.spec], status: [status ? `#${status}` : 'object', D.status] };
}

function kindSchema(gvk: GroupVersionKind, refs: Set<string>): Schema {
  const k = KIND_SPECS[gvk.kind];
  const s = typeSchema({ description: k?.description ?? `${gvk.kind} is a ${gvk.group || 'core'}/${gvk.version} object.`, fields: kindFields(gvk.kind), required: k?.required }, refs);
  return { ...s, 'x-kubernetes-group-version-kind': [gvk] };
}

function listSchema(gvk: GroupVersionKind, refs: Set<string>): Schema {
  const item = schemaName(gvk);
  refs.add(item);
  const s = typeSchema(
    {
      description: `${gvk.kind}List is a list of ${gvk.kind} objects.`,
      required: ['items'],
      fields: {
        apiVersion: ['string', D.apiVersion],
        items: [`[]#${item}`, `List of ${gvk.kind.toLowerCase()} objects.`],
        kind: ['string', D.kind],
        metadata: [`#${META}.ListMeta`, D.listMetadata],
      },
    },
    refs,
  );
  return { ...s, 'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${gvk.kind}List` }] };
}

/**
 * Schemas for the given kinds (with their `<Kind>List`s when `withLists`), plus every type
 * they reference, plus the meta types operations refer to (Status, DeleteOptions, Patch).
 */
export function componentSchemas(kinds: { gvk: GroupVersionKind; withList: boolean }[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const refs = new Set<string>([`${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`]);
  for (const { gvk, withList } of kinds) {
    out[schemaName(gvk)] = kindSchema(gvk, refs);
    if (withList) out[`${schemaName(gvk)}List`] = listSchema(gvk, refs);
  }
  // Resolve references transitively; names without a model become permissive objects.
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (out[name]) continue;
    const spec = TYPES[name];
    const found = new Set<string>();
    out[name] = SCALARS[name] ?? (spec ? typeSchema(spec, found) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    for (const f of found) if (!out[f]) pending.push(f);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
