/** Generic metadata validation for a kind, by its name rule and scope. */
import type { KubeObject, StatusCause } from '@mk8s/shared';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import type { ResourceDef } from './resource-def.js';

export function validateMeta(def: ResourceDef, obj: KubeObject): StatusCause[] {
  return validateObjectMeta(obj.metadata, { namespaced: def.namespaced, nameValidator: def.nameRule });
}

export function validateMetaUpdate(obj: KubeObject, old: KubeObject): StatusCause[] {
  return validateObjectMetaUpdate(obj.metadata, old.metadata);
}
