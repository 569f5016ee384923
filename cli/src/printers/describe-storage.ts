/**
 * `describe pv` and `describe pvc` as kubectl prints them: class, status, claim/volume,
 * abbreviated access modes, capacity, the volume source, and for claims the pods using them.
 * Pure.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '@mk8s/shared';
import { describeAnnotations, DescribeWriter, sortedEntries } from './describe.js';

const MODE_ABBREV: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export const accessModes = (modes: string[] | undefined): string => (modes ?? []).map((m) => MODE_ABBREV[m] ?? m).join(',');

const finalizers = (f: string[] | undefined): string => `[${(f ?? []).join(' ')}]`;

export function describePersistentVolume(w: DescribeWriter, pv: PersistentVolume): void {
  const m = pv.metadata;
  w.field(0, 'Name', m.name);
  w.multi(0, 'Labels', sortedEntries(m.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, m.annotations);
  w.line(0, 'Finalizers:', finalizers(m.finalizers));
  w.line(0, 'StorageClass:', pv.spec.storageClassName ?? '');
  w.line(0, 'Status:', pv.status?.phase ?? '');
  const claim = pv.spec.claimRef;
  w.line(0, 'Claim:', claim ? `${claim.namespace ?? ''}/${claim.name ?? ''}` : '');
  w.line(0, 'Reclaim Policy:', pv.spec.persistentVolumeReclaimPolicy ?? '');
  w.line(0, 'Access Modes:', accessModes(pv.spec.accessModes));
  w.line(0, 'VolumeMode:', pv.spec.volumeMode ?? 'Filesystem');
  w.line(0, 'Capacity:', pv.spec.capacity?.storage ?? '');
  const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  if (terms.length === 0) w.field(0, 'Node Affinity', undefined);
  else {
    w.line(0, 'Node Affinity:');
    w.line(1, 'Required Terms:');
    terms.forEach((t, i) => {
      const exprs = (t.matchExpressions ?? []).map((e) => `${e.key} ${e.operator.toLowerCase()} [${(e.values ?? []).join(' ')}]`);
      exprs.forEach((e, j) => w.line(2, j === 0 ? `Term ${i}:` : '', e));
    });
  }
  w.line(0, 'Message:', pv.status?.message ?? '');
  w.line(0, 'Source:');
  const s = pv.spec;
  if (s.hostPath) {
    w.field(2, 'Type', 'HostPath (bare host directory volume)');
    w.field(2, 'Path', s.hostPath.path);
    w.line(2, 'HostPathType:', s.hostPath.type ?? '<none>');
  } else if (s.local) {
    w.field(2, 'Type', 'LocalVolume (a persistent volume backed by local storage on a node)');
    w.field(2, 'Path', s.local.path);
  } else if (s.nfs) {
    w.field(2, 'Type', 'NFS (an NFS mount that lasts the lifetime of a pod)');
    w.field(2, 'Server', s.nfs.server);
    w.field(2, 'Path', s.nfs.path);
    w.field(2, 'ReadOnly', String(s.nfs.readOnly ?? false));
  }
}

/** The pods whose volumes reference the claim, as `Used By:` lists them. */
export function podsUsingClaim(claim: string, pods: Pod[]): string[] {
  return pods.filter((p) => p.spec.volumes?.some((v) => v.persistentVolumeClaim?.claimName === claim)).map((p) => p.metadata.name ?? '');
}

export function describePersistentVolumeClaim(w: DescribeWriter, pvc: PersistentVolumeClaim, usedBy: string[] | undefined): void {
  const m = pvc.metadata;
  w.field(0, 'Name', m.name);
  w.field(0, 'Namespace', m.namespace);
  w.line(0, 'StorageClass:', pvc.spec.storageClassName ?? '');
  w.line(0, 'Status:', pvc.status?.phase ?? '');
  w.line(0, 'Volume:', pvc.spec.volumeName ?? '');
  w.multi(0, 'Labels', sortedEntries(m.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, m.annotations);
  w.line(0, 'Finalizers:', finalizers(m.finalizers));
  w.line(0, 'Capacity:', pvc.status?.capacity?.storage ?? '');
  w.line(0, 'Access Modes:', accessModes(pvc.status?.accessModes));
  w.line(0, 'VolumeMode:', pvc.spec.volumeMode ?? 'Filesystem');
  w.multi(0, 'Used By', usedBy ?? []);
}
