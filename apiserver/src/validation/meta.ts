/**
 * ObjectMeta checks shared by every kind (apimachinery `ValidateObjectMeta`) plus the label,
 * annotation and label-selector checks that specs reuse. The registry calls
 * `validateObjectMeta` on create and `validateObjectMetaUpdate` on update for every kind;
 * per-kind strategies only check their own spec. Pure functions returning causes.
 */
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  totalAnnotationSize,
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
  type LabelSelector,
  type ObjectMeta,
} from '@mk8s/shared';
import {
  arrayOf,
  child,
  deepEqual,
  forbidden,
  IMMUTABLE,
  index,
  invalid,
  invalidEach,
  isObj,
  isObject,
  isSet,
  notSupported,
  required,
  tooLong,
  type FieldCause,
} from './causes.js';

export type NameValidator = 'subdomain' | 'label' | 'dns1035' | 'path';

/** apimachinery `ValidatePathSegmentName`: used by kinds whose names only have to fit in a URL. */
export function isPathSegmentName(name: string): string[] {
  if (name === '.') return ["may not be '.'"];
  if (name === '..') return ["may not be '..'"];
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

export const NAME_VALIDATORS: Record<NameValidator, (name: string) => string[]> = {
  subdomain: isDNS1123Subdomain,
  label: isDNS1123Label,
  dns1035: isDNS1035Label,
  path: isPathSegmentName,
};

/** Label keys and values at `field` (messages name the key or value). */
export function validateLabels(labels: unknown, field: string): FieldCause[] {
  if (!isSet(labels)) return [];
  if (!isObject(labels)) return [invalid(field, labels, 'must be a map of string keys to string values')];
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    causes.push(...invalidEach(field, k, isQualifiedName(k)));
    if (typeof v !== 'string') causes.push(invalid(field, v, 'label values must be strings'));
    else causes.push(...invalidEach(field, v, isValidLabelValue(v)));
  }
  return causes;
}

export function validateAnnotations(annotations: unknown, field: string): FieldCause[] {
  if (!isSet(annotations)) return [];
  if (!isObject(annotations)) return [invalid(field, annotations, 'must be a map of string keys to string values')];
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    causes.push(...invalidEach(field, k, isQualifiedName(k.toLowerCase())));
    if (typeof v !== 'string') causes.push(invalid(field, v, 'annotation values must be strings'));
  }
  if (totalAnnotationSize(annotations as Record<string, string>) > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  }
  return causes;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateFinalizers(finalizers: unknown, field: string): FieldCause[] {
  if (!isSet(finalizers)) return [];
  if (!Array.isArray(finalizers)) return [invalid(field, finalizers, 'must be a list of strings')];
  const causes: FieldCause[] = [];
  for (const f of finalizers) {
    if (typeof f !== 'string') {
      causes.push(invalid(field, f, 'must be a string'));
      continue;
    }
    const errs = isQualifiedName(f);
    causes.push(...invalidEach(field, f, errs));
    if (errs.length === 0 && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      causes.push(invalid(field, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return causes;
}

function validateOwnerReferences(refs: unknown, field: string): FieldCause[] {
  if (!isSet(refs)) return [];
  if (!Array.isArray(refs)) return [invalid(field, refs, 'must be a list')];
  const causes: FieldCause[] = [];
  const controllers: string[] = [];
  refs.forEach((ref: unknown) => {
    const r = isObject(ref) ? ref : {};
    if (!r.apiVersion) causes.push(invalid(child(field, 'apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) causes.push(invalid(child(field, 'kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) causes.push(invalid(child(field, 'name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) causes.push(invalid(child(field, 'uid'), r.uid ?? '', 'uid must not be empty'));
    if (r.controller === true) controllers.push(`${String(r.kind)}/${String(r.name)}`);
  });
  if (controllers.length > 1) {
    causes.push(
      invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`),
    );
  }
  return causes;
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameValidator: NameValidator;
}

/** Generic metadata checks for a create. */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions): FieldCause[] {
  if (!isObj(meta)) return [required('metadata')];
  const causes: FieldCause[] = [];
  const nameFn = NAME_VALIDATORS[opts.nameValidator];
  if (meta.name) {
    causes.push(...invalidEach('metadata.name', meta.name, nameFn(meta.name)));
  } else if (meta.generateName) {
    const prefix = meta.generateName.replace(/-$/, '-a').replace(/\.$/, '.a');
    causes.push(...invalidEach('metadata.generateName', meta.generateName, nameFn(prefix)));
  } else {
    causes.push(required('metadata.name', 'name or generateName is required'));
  }
  if (opts.namespaced) {
    if (!meta.namespace) causes.push(required('metadata.namespace'));
    else causes.push(...invalidEach('metadata.namespace', meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    causes.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (isSet(meta.generation) && (typeof meta.generation !== 'number' || meta.generation < 0)) {
    causes.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  causes.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  causes.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return causes;
}

/** Identity fields may not change on update. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined): FieldCause[] {
  const m = meta ?? {};
  const o = oldMeta ?? {};
  const causes: FieldCause[] = [];
  const immutable: Array<keyof ObjectMeta> = ['name', 'namespace', 'uid', 'creationTimestamp'];
  for (const f of immutable) {
    if (isSet(o[f]) && isSet(m[f]) && m[f] !== o[f]) causes.push(invalid(`metadata.${f}`, m[f], IMMUTABLE));
  }
  if (isSet(m.generation) && isSet(o.generation) && (m.generation as number) < (o.generation as number)) {
    causes.push(invalid('metadata.generation', m.generation, 'must not be decremented'));
  }
  return causes;
}

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A meta/v1 LabelSelector at `field`. */
export function validateLabelSelector(selector: LabelSelector | undefined, field: string): FieldCause[] {
  if (!isObj(selector)) return [];
  const causes = validateLabels(selector.matchLabels, child(field, 'matchLabels'));
  arrayOf<Record<string, unknown>>(selector.matchExpressions).forEach((req, i) => {
    const p = index(child(field, 'matchExpressions'), i);
    if (!isObject(req)) return void causes.push(invalid(p, req, 'must be an object'));
    const k = typeof req.key === 'string' ? req.key : '';
    causes.push(...invalidEach(child(p, 'key'), k, isQualifiedName(k)));
    const values = arrayOf<unknown>(req.values);
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0) causes.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length > 0) causes.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      causes.push(notSupported(child(p, 'operator'), req.operator ?? '', SELECTOR_OPERATORS));
    }
    values.forEach((v, j) => {
      if (typeof v !== 'string') causes.push(invalid(index(child(p, 'values'), j), v, 'must be a string'));
      else causes.push(...invalidEach(index(child(p, 'values'), j), v, isValidLabelValue(v)));
    });
  });
  return causes;
}

export const isEmptySelector = (s: LabelSelector | undefined): boolean =>
  !isObj(s) || (Object.keys(s.matchLabels ?? {}).length === 0 && arrayOf(s.matchExpressions).length === 0);

/** Does a LabelSelector select these labels? (An empty selector selects everything.) */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of arrayOf<NonNullable<LabelSelector['matchExpressions']>[number]>(selector.matchExpressions)) {
    if (!isObj(req)) return false;
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const inValues = has && (req.values ?? []).includes(l[req.key] ?? '');
    if (req.operator === 'In' && !inValues) return false;
    if (req.operator === 'NotIn' && inValues) return false;
    if (req.operator === 'Exists' && !has) return false;
    if (req.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The selector may not change (apps/v1 workloads). */
export function validateSelectorImmutable(selector: unknown, old: unknown, field: string): FieldCause[] {
  return deepEqual(selector, old) ? [] : [invalid(field, selector, IMMUTABLE)];
}
