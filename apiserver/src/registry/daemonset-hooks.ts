/**
 * The DaemonSet's template generation, which apps/v1 carries as the
 * `deprecated.daemonset.template.generation` annotation (Kubernetes keeps it in the internal
 * spec and converts it to this annotation). The server owns it, as Kubernetes' daemonset
 * strategy does: a create keeps a positive integer the client sent and otherwise sets "1";
 * an update always carries the stored value over, plus one when spec.template changed.
 * Pure apart from mutating the object passed in.
 */
import type { DaemonSet, KubeObject } from '@mk8s/shared';
import { deepEqual } from '../validation/causes.js';
import type { ResourceHooks } from './resource-def.js';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The annotation as a positive integer, or undefined when absent or not one. */
export function templateGeneration(obj: KubeObject): number | undefined {
  const raw = obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function setTemplateGeneration(obj: KubeObject, generation: number): void {
  obj.metadata.annotations = { ...obj.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

export const daemonSetHooks: ResourceHooks = {
  beforeCreate(obj) {
    setTemplateGeneration(obj, templateGeneration(obj) ?? 1);
  },
  beforeUpdate(obj, old) {
    const before = templateGeneration(old) ?? 1;
    const templateChanged = !deepEqual((obj as DaemonSet).spec?.template, (old as DaemonSet).spec?.template);
    setTemplateGeneration(obj, templateChanged ? before + 1 : before);
  },
};
