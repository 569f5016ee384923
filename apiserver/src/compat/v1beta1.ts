/**
 * The seed documents' Pod form (apiVersion v1beta1, 2014): `id`, `labels` and
 * `desiredState.manifest` with `containers` and `volumes` (`source.hostDir`, `source.emptyDir`).
 * `convertV1beta1Pod` turns such a body into a v1 Pod, which is what gets stored and served.
 */
import { ApiError, type Container, type Pod, type Volume } from '@mk8s/shared';

interface V1beta1Container {
  name?: string;
  image?: string;
  command?: string[];
  workingDir?: string;
  ports?: { name?: string; containerPort?: number; hostPort?: number; protocol?: string }[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath?: string; path?: string; readOnly?: boolean }[];
  memory?: number;
  cpu?: number;
}

interface V1beta1Pod {
  id?: string;
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  desiredState?: {
    manifest?: {
      id?: string;
      containers?: V1beta1Container[];
      volumes?: { name: string; source?: { hostDir?: { path: string }; emptyDir?: object } | null }[];
      restartPolicy?: { always?: object; onFailure?: object; never?: object };
    };
    host?: string;
  };
}

export function isV1beta1Pod(body: unknown): boolean {
  const b = body as V1beta1Pod | null;
  return !!b && typeof b === 'object' && b.apiVersion === 'v1beta1' && (b.kind === 'Pod' || b.kind === undefined);
}

function convertContainer(c: V1beta1Container, i: number): Container {
  const out: Container = { name: c.name ?? `container-${i}`, image: c.image ?? '' };
  if (c.command?.length) out.command = c.command;
  if (c.workingDir) out.workingDir = c.workingDir;
  if (c.ports?.length) {
    out.ports = c.ports.map((p) => ({
      ...(p.name ? { name: p.name.toLowerCase() } : {}),
      containerPort: p.containerPort ?? 0,
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      protocol: (p.protocol?.toUpperCase() === 'UDP' ? 'UDP' : 'TCP') as 'TCP' | 'UDP',
    }));
  }
  if (c.env?.length) out.env = c.env.map((e) => ({ name: e.name, value: e.value ?? '' }));
  if (c.volumeMounts?.length) {
    out.volumeMounts = c.volumeMounts.map((m) => ({
      name: m.name,
      mountPath: m.mountPath ?? m.path ?? '',
      ...(m.readOnly ? { readOnly: true } : {}),
    }));
  }
  const limits: Record<string, string> = {};
  if (c.memory) limits.memory = String(c.memory);
  if (c.cpu) limits.cpu = `${c.cpu}m`;
  if (Object.keys(limits).length) out.resources = { limits };
  return out;
}

export function convertV1beta1Pod(body: unknown): Pod {
  const b = body as V1beta1Pod;
  const manifest = b.desiredState?.manifest;
  const name = b.id ?? manifest?.id;
  if (!name) throw new ApiError(422, 'Invalid', 'Pod "" is invalid: id: Required value', { kind: 'Pod', causes: [{ reason: 'FieldValueRequired', field: 'id', message: 'Required value' }] });
  const volumes: Volume[] = (manifest?.volumes ?? []).map((v) =>
    v.source?.hostDir ? { name: v.name, hostPath: { path: v.source.hostDir.path } } : { name: v.name, emptyDir: {} },
  );
  const rp = manifest?.restartPolicy;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(b.namespace ? { namespace: b.namespace } : {}), ...(b.labels ? { labels: b.labels } : {}), ...(b.annotations ? { annotations: b.annotations } : {}) },
    spec: {
      containers: (manifest?.containers ?? []).map(convertContainer),
      ...(volumes.length ? { volumes } : {}),
      ...(rp ? { restartPolicy: rp.never ? 'Never' : rp.onFailure ? 'OnFailure' : 'Always' } : {}),
      ...(b.desiredState?.host ? { nodeName: b.desiredState.host } : {}),
    },
  };
  return pod;
}
