/**
 * A container's environment as Kubernetes builds it: `envFrom` sources first, then `env`
 * in order (later names win), `$(VAR)` references expanded against variables defined
 * earlier (`$$` escapes), values from the downward API (fieldRef), ConfigMaps and Secrets.
 * A missing ConfigMap/Secret or key that is not optional throws `ContainerConfigError`,
 * which the pod sync reports as waiting reason CreateContainerConfigError.
 */
import type { ConfigMap, Container, Pod, Secret } from '@mk8s/shared';

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
  const vars = new Map<string, string>();
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
    else if (vf.resourceFieldRef) vars.set(e.name, resourceFieldValue(c, vf.resourceFieldRef.resource));
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

function resourceFieldValue(c: Container, resource: string): string {
  const [kind, name] = resource.split('.');
  const list = kind === 'limits' ? c.resources?.limits : c.resources?.requests;
  return list?.[name ?? ''] ?? '0';
}
