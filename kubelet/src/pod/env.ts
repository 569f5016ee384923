/**
 * A container's environment as Kubernetes builds it: service link variables, `envFrom`
 * sources, then `env`
 * in order (later names win), `$(VAR)` references expanded against variables defined
 * earlier (`$$` escapes), values from the downward API (fieldRef), ConfigMaps and Secrets.
 * A missing ConfigMap/Secret or key that is not optional throws `ContainerConfigError`,
 * which the pod sync reports as waiting reason CreateContainerConfigError.
 */
import type { ConfigMap, Container, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service } from '@mk8s/shared';
import { resourceFieldValue } from './downward.js';

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface EnvSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** services of a namespace, for service links; absent = none */
  services?(namespace: string): Promise<Service[]>;
  /** for persistentVolumeClaim volumes; absent = unsupported */
  persistentVolumeClaim?(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  persistentVolume?(name: string): Promise<PersistentVolume | undefined>;
}

/** Docker-links style variables for one service (FOO_SERVICE_HOST, FOO_PORT_80_TCP, ...). */
export function serviceEnv(svc: Service): Array<[string, string]> {
  const ip = svc.spec.clusterIP;
  if (!ip || ip === 'None' || svc.spec.type === 'ExternalName') return [];
  const name = (svc.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
  const ports = svc.spec.ports ?? [];
  const first = ports[0];
  if (!first) return [];
  const out: Array<[string, string]> = [
    [`${name}_SERVICE_HOST`, ip],
    [`${name}_SERVICE_PORT`, String(first.port)],
  ];
  for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
  out.push([`${name}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`]);
  for (const p of ports) {
    const proto = p.protocol ?? 'TCP';
    const prefix = `${name}_PORT_${p.port}_${proto}`;
    out.push([prefix, `${proto.toLowerCase()}://${ip}:${p.port}`]);
    out.push([`${prefix}_PROTO`, proto.toLowerCase()]);
    out.push([`${prefix}_PORT`, String(p.port)]);
    out.push([`${prefix}_ADDR`, ip]);
  }
  return out;
}

/** Service variables a pod gets: its namespace's services (enableServiceLinks) and `kubernetes`. */
async function serviceVars(pod: Pod, src: EnvSources): Promise<Array<[string, string]>> {
  if (!src.services) return [];
  const ns = pod.metadata.namespace ?? 'default';
  const own = pod.spec.enableServiceLinks === false ? [] : await src.services(ns);
  const master = ns === 'default' ? [] : (await src.services('default')).filter((s) => s.metadata.name === 'kubernetes');
  const byName = new Map<string, Service>();
  for (const s of [...master, ...own]) byName.set(s.metadata.name ?? '', s);
  if (pod.spec.enableServiceLinks === false) for (const k of [...byName.keys()]) if (k !== 'kubernetes') byName.delete(k);
  return [...byName.values()].flatMap(serviceEnv);
}

export interface EnvContext {
  nodeName: string;
  podIp?: string;
  hostIp?: string;
}

/** Expands `$(NAME)` from `vars`; unknown references stay as written, `$$` becomes `$`. */
export function expandVars(s: string, vars: ReadonlyMap<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && vars.has(name) ? (vars.get(name) ?? '') : m;
  });
}

export function fieldRefValue(pod: Pod, path: string, ctx: EnvContext): string {
  const m = pod.metadata;
  const ann = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (ann) return m.annotations?.[ann[1] ?? ''] ?? '';
  const lab = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (lab) return m.labels?.[lab[1] ?? ''] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? 'default';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? ctx.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
      return ctx.podIp ?? '';
    case 'status.hostIP':
      return ctx.hostIp ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${path}`);
  }
}

const decodeSecret = (v: string): string => Buffer.from(v, 'base64').toString('utf8');

export async function resolveEnv(pod: Pod, c: Container, ctx: EnvContext, src: EnvSources): Promise<Array<[string, string]>> {
  const ns = pod.metadata.namespace ?? 'default';
  // service variables come first: later definitions win, and $(VAR) may refer to them
  const vars = new Map<string, string>(await serviceVars(pod, src));
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await src.configMap(ns, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = await src.secret(ns, from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) vars.set(prefix + k, decodeSecret(v));
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      vars.set(e.name, expandVars(e.value ?? '', vars));
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) vars.set(e.name, fieldRefValue(pod, vf.fieldRef.fieldPath, ctx));
    else if (vf.resourceFieldRef) {
      const ref = vf.resourceFieldRef;
      const target = ref.containerName ? (pod.spec.containers.find((x) => x.name === ref.containerName) ?? c) : c;
      vars.set(e.name, resourceFieldValue(target, ref));
    }
    else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = await src.configMap(ns, ref.name ?? '');
      const v = cm?.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`);
      }
      vars.set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await src.secret(ns, ref.name ?? '');
      const v = s?.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
      }
      vars.set(e.name, decodeSecret(v));
    }
  }
  return [...vars.entries()];
}
