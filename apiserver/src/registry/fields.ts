/** Field-selector fields per kind, as Kubernetes exposes them. */
import type { Event, KubeObject, Pod, Secret, Node } from '@mk8s/shared';

export function objectMetaFields(obj: KubeObject, namespaced: boolean): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (namespaced) f['metadata.namespace'] = obj.metadata.namespace ?? '';
  return f;
}

export function podFields(obj: KubeObject): Record<string, string> {
  const p = obj as Pod;
  return {
    'spec.nodeName': p.spec?.nodeName ?? '',
    'spec.restartPolicy': p.spec?.restartPolicy ?? '',
    'spec.schedulerName': p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': p.spec?.serviceAccountName ?? '',
    'status.phase': p.status?.phase ?? '',
    'status.podIP': p.status?.podIP ?? '',
    'status.nominatedNodeName': '',
  };
}

export function eventFields(obj: KubeObject): Record<string, string> {
  const e = obj as Event;
  const io = e.involvedObject ?? {};
  return {
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component ?? '',
    type: e.type ?? '',
  };
}

export function secretFields(obj: KubeObject): Record<string, string> {
  return { type: (obj as Secret).type ?? '' };
}

export function nodeFields(obj: KubeObject): Record<string, string> {
  return { 'spec.unschedulable': String((obj as Node).spec?.unschedulable ?? false) };
}
