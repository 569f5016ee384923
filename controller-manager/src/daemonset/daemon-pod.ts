/**
 * The pods a DaemonSet creates (k8s daemon util.CreatePodTemplate and
 * ReplaceDaemonSetPodNodeNameNodeAffinity): the template with the `controller-revision-hash`
 * label, the daemon tolerations added, a controller ownerReference to the DaemonSet, and the
 * required node affinity replaced by one term `matchFields metadata.name In [node]`, so the
 * scheduler binds the pod to that node and nowhere else. `templateHash` names the revision of a
 * template: equal templates give equal hashes across restarts (the revision a pod belongs to).
 */
import { CONTROLLER_REVISION_HASH_LABEL, type DaemonSet, type Pod } from '@mk8s/shared';
import { computeHash } from '../deployment/hash.js';
import { podFromTemplate } from '../util/pods.js';
import { withDaemonTolerations, type SpecWithAffinity } from './node-fit.js';

export const DAEMONSET_API_VERSION = 'apps/v1';
export const DAEMONSET_KIND = 'DaemonSet';

export function templateHash(ds: DaemonSet): string {
  return computeHash(ds.spec.template);
}

export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const pod = podFromTemplate(ds, ds.spec.template, DAEMONSET_API_VERSION, DAEMONSET_KIND);
  pod.metadata.labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash };
  const spec = pod.spec as SpecWithAffinity;
  spec.tolerations = withDaemonTolerations(spec);
  const affinity = { ...spec.affinity };
  affinity.nodeAffinity = {
    ...affinity.nodeAffinity,
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
  };
  spec.affinity = affinity;
  return pod;
}

export const podHash = (pod: Pod): string | undefined => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
