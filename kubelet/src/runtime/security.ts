/**
 * Pod and container securityContext fields the kubelet maps onto Docker (the shared API
 * types do not list them; the apiserver keeps them as sent). Container settings win over
 * pod settings: runAsUser/runAsGroup -> User, supplementalGroups -> GroupAdd, privileged,
 * readOnlyRootFilesystem, capabilities add/drop, allowPrivilegeEscalation=false ->
 * no-new-privileges. Also the container lifecycle hooks and stdinOnce, read the same way.
 */
import type Docker from 'dockerode';
import type { Container, Pod, Probe } from '@mk8s/shared';

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
}

/** A lifecycle handler has the same action shapes as a probe (exec, httpGet, tcpSocket). */
export type LifecycleHandler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket'>;

export interface ExtraContainerFields {
  securityContext?: SecurityContext;
  lifecycle?: { postStart?: LifecycleHandler; preStop?: LifecycleHandler };
  stdinOnce?: boolean;
}

export const extraFields = (c: Container): ExtraContainerFields => c as Container & ExtraContainerFields;
const podSecurity = (p: Pod): PodSecurityContext => (p.spec as { securityContext?: PodSecurityContext }).securityContext ?? {};

const capName = (c: string): string => {
  const u = c.toUpperCase();
  return u === 'ALL' || u.startsWith('CAP_') ? u : `CAP_${u}`;
};

export function securityOptions(pod: Pod, c: Container): { user?: string; host: Partial<Docker.HostConfig> } {
  const sc = extraFields(c).securityContext ?? {};
  const psc = podSecurity(pod);
  const host: Partial<Docker.HostConfig> = {};
  const uid = sc.runAsUser ?? psc.runAsUser;
  const gid = sc.runAsGroup ?? psc.runAsGroup;
  let user: string | undefined;
  if (uid !== undefined) user = gid !== undefined ? `${uid}:${gid}` : String(uid);
  if (psc.supplementalGroups?.length) host.GroupAdd = psc.supplementalGroups.map(String);
  if (sc.privileged) host.Privileged = true;
  if (sc.readOnlyRootFilesystem) host.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) host.CapAdd = sc.capabilities.add.map(capName);
  if (sc.capabilities?.drop?.length) host.CapDrop = sc.capabilities.drop.map(capName);
  if (sc.allowPrivilegeEscalation === false) host.SecurityOpt = ['no-new-privileges'];
  return user === undefined ? { host } : { user, host };
}
