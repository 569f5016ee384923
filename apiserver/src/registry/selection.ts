/** Turns label and field selector strings into one predicate over objects of a kind. */
import { parseFieldSelector, parseSelector, type KubeObject } from '@mk8s/shared';
import { objectMetaFields } from './fields.js';
import type { ResourceDef } from './resource-def.js';

export type Predicate = (obj: KubeObject) => boolean;

export function selectionPredicate(def: ResourceDef, labelSelector?: string, fieldSelector?: string): Predicate | undefined {
  const labels = labelSelector ? parseSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  const useLabels = labels && !labels.empty();
  const useFields = fields && !fields.empty();
  if (!useLabels && !useFields) return undefined;
  return (obj) => {
    if (useLabels && !labels.matches(obj.metadata.labels ?? {})) return false;
    if (useFields) {
      const f = { ...objectMetaFields(obj, def.namespaced), ...(def.fields?.(obj) ?? {}) };
      if (!fields.matches(f)) return false;
    }
    return true;
  };
}
