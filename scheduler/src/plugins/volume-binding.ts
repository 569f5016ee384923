/**
 * VolumeBinding: a pod using PersistentVolumeClaims fits a node only when every claim is
 * bound and each bound volume's required node affinity (a local-path volume is pinned to
 * the node holding its directory) matches the node. A missing or unbound claim makes the
 * pod Unschedulable (the scheduler retries it when claims or volumes change); a volume pinned
 * elsewhere is UnschedulableAndUnresolvable for that node. Claims and volumes are read
 * through a `VolumeLister` (informer caches); without one the plugin passes every pod.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '@mk8s/shared';
import { SUCCESS, unresolvable, unschedulable, type NodeInfo, type Plugin, type Status } from '../types.js';
import { termMatches, type NodeSelectorTerm } from './node-affinity.js';

export const NAME = 'VolumeBinding';
export const REASON_UNBOUND = 'pod has unbound immediate PersistentVolumeClaims';
export const REASON_CONFLICT = 'node(s) had volume node affinity conflict';

export interface VolumeLister {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
}

/** Whether the volume's required node affinity (if any) admits the node. */
export function volumeFitsNode(pv: PersistentVolume, node: Node): boolean {
  const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms?.length) return true;
  // the API type keeps `operator` a plain string; an unknown operator matches nothing in termMatches
  return terms.some((t) => termMatches(t as NodeSelectorTerm, node));
}

/** The pod's verdict on one node, from the claims and volumes `lister` knows. */
export function checkVolumes(pod: Pod, node: Node, lister: VolumeLister): Status {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const claim = lister.claim(ns, claimName);
    const volumeName = claim?.spec.volumeName;
    const pv = volumeName ? lister.volume(volumeName) : undefined;
    if (!claim || !pv || claim.status?.phase !== 'Bound') return unschedulable(REASON_UNBOUND);
    if (!volumeFitsNode(pv, node)) return unresolvable(REASON_CONFLICT);
  }
  return SUCCESS;
}

export const usesClaims = (pod: Pod): boolean => (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim);

export function volumeBinding(deps: { volumes?: VolumeLister } = {}): Plugin {
  return {
    name: NAME,
    filter(pod: Pod, nodeInfo: NodeInfo): Status {
      if (!deps.volumes || !usesClaims(pod)) return SUCCESS;
      return checkVolumes(pod, nodeInfo.node, deps.volumes);
    },
  };
}
