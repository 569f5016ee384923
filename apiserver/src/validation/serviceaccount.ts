/**
 * ServiceAccount validation (core `ValidateServiceAccount`): beyond the metadata the registry
 * checks, only shapes: `secrets` is a list of object references, `imagePullSecrets` a list of
 * local references by name, `automountServiceAccountToken` a boolean. Pure; returns causes.
 */
import type { ServiceAccount } from '@mk8s/shared';
import { arrayOf, child, index, invalid, isObj, isSet, type FieldCause } from './causes.js';

function validateRefs(list: unknown, path: string, stringFields: readonly string[]): FieldCause[] {
  if (!isSet(list)) return [];
  if (!Array.isArray(list)) return [invalid(path, list, 'must be a list')];
  const causes: FieldCause[] = [];
  arrayOf<Record<string, unknown>>(list).forEach((ref, i) => {
    const p = index(path, i);
    if (!isObj(ref)) return void causes.push(invalid(p, ref, 'must be an object'));
    for (const f of stringFields) {
      if (isSet(ref[f]) && typeof ref[f] !== 'string') causes.push(invalid(child(p, f), ref[f], 'must be a string'));
    }
  });
  return causes;
}

const OBJECT_REFERENCE_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

export function validateServiceAccount(sa: ServiceAccount): FieldCause[] {
  const causes = [...validateRefs(sa.secrets, 'secrets', OBJECT_REFERENCE_FIELDS), ...validateRefs(sa.imagePullSecrets, 'imagePullSecrets', ['name'])];
  const automount = sa.automountServiceAccountToken;
  if (isSet(automount) && typeof automount !== 'boolean') causes.push(invalid('automountServiceAccountToken', automount, 'must be a boolean'));
  return causes;
}
