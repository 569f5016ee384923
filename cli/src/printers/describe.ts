/**
 * The building blocks of `mkctl describe` output, formatted like kubectl's describers:
 * a writer of indented, tab-separated lines aligned at the end (Go tabwriter, padding 2),
 * and the common sections (metadata, labels, annotations, conditions, events, pod
 * template). Per-kind describers live in describe-kinds.ts. Pure.
 */
import type { Condition, Container, Event, KubeObject, ObjectMeta, PodTemplateSpec, Toleration, Volume } from '@mk8s/shared';
import { alignTabs, DESCRIBE_TABS } from './tabwriter.js';
import { humanDuration } from './age.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export class DescribeWriter {
  private readonly lines: string[] = [];

  /** One line at an indent level; cells are tab-separated for alignment. */
  line(level: number, ...cells: (string | number | undefined)[]): void {
    this.lines.push('  '.repeat(level) + cells.map((c) => (c === undefined ? '' : String(c))).join('\t'));
  }

  /** `Key:\tvalue`, or `Key:\t<none>` when empty. */
  field(level: number, key: string, value: string | number | boolean | undefined | null): void {
    this.line(level, `${key}:`, value === undefined || value === null || value === '' ? '<none>' : String(value));
  }

  /** A key with several values, one per line (kubectl's Labels: style). */
  multi(level: number, key: string, values: string[]): void {
    if (values.length === 0) return this.field(level, key, undefined);
    values.forEach((v, i) => this.line(level, i === 0 ? `${key}:` : '', v));
  }

  toString(): string {
    return alignTabs(this.lines.join('\n') + '\n', DESCRIBE_TABS);
  }
}

/** Go's RFC1123Z, as kubectl prints times: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function formatTime(iso: string | undefined | null): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]!}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]!} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export const sortedEntries = (m: Record<string, string> | undefined): [string, string][] =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function describeMeta(w: DescribeWriter, meta: ObjectMeta, opts: { namespaced: boolean; created?: boolean } = { namespaced: true }): void {
  w.field(0, 'Name', meta.name);
  if (opts.namespaced) w.field(0, 'Namespace', meta.namespace);
  if (opts.created) w.field(0, 'CreationTimestamp', formatTime(meta.creationTimestamp));
  w.multi(0, 'Labels', sortedEntries(meta.labels).map(([k, v]) => `${k}=${v}`));
  describeAnnotations(w, meta.annotations);
}

export function describeAnnotations(w: DescribeWriter, annotations: Record<string, string> | undefined): void {
  w.multi(0, 'Annotations', sortedEntries(annotations).filter(([k]) => k !== LAST_APPLIED).map(([k, v]) => `${k}: ${v}`));
}

export function controlledBy(meta: ObjectMeta): string | undefined {
  const ref = meta.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

export function describeConditions(w: DescribeWriter, conditions: Condition[] | undefined, withReason: boolean): void {
  if (!conditions?.length) return;
  w.line(0, 'Conditions:');
  if (withReason) {
    w.line(1, 'Type', 'Status', 'Reason');
    w.line(1, '----', '------', '------');
    for (const c of conditions) w.line(1, c.type, c.status, c.reason ?? '');
  } else {
    w.line(1, 'Type', 'Status');
    for (const c of conditions) w.line(1, c.type, `${c.status} `);
  }
}

export function describeEvents(w: DescribeWriter, events: Event[] | undefined, now: Date): void {
  if (events === undefined) return;
  if (events.length === 0) {
    w.line(0, 'Events:', '<none>');
    return;
  }
  const time = (e: Event): string => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
  const sorted = [...events].sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0));
  w.line(0, 'Events:');
  w.line(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  w.line(1, '----', '------', '----', '----', '-------');
  for (const e of sorted) {
    const last = time(e);
    const first = e.firstTimestamp ?? last;
    let age = last ? humanDuration(now.getTime() - new Date(last).getTime()) : '<unknown>';
    if ((e.count ?? 1) > 1 && first) age = `${age} (x${e.count ?? 1} over ${humanDuration(now.getTime() - new Date(first).getTime())})`;
    const from = e.source?.component || e.reportingComponent || '';
    w.line(1, e.type ?? '', e.reason ?? '', age, from, (e.message ?? '').trim());
  }
}

/** A container's name line and image, ports, command and args. `nameIndent` overrides the name line's indent (kubectl puts template containers at 3 spaces). */
export function describeContainer(w: DescribeWriter, level: number, c: Container, nameIndent?: string): void {
  if (nameIndent !== undefined) w.line(0, `${nameIndent}${c.name}:`);
  else w.line(level, `${c.name}:`);
  w.field(level + 1, 'Image', c.image);
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
  w.field(level + 1, ports.length > 1 ? 'Ports' : 'Port', ports.join(', '));
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`);
  w.field(level + 1, hostPorts.length > 1 ? 'Host Ports' : 'Host Port', hostPorts.join(', '));
  for (const [key, list] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!list?.length) continue;
    w.line(level + 1, `${key}:`);
    for (const a of list) w.line(level + 2, a);
  }
}

/** Environment, mounts and resources of a container (shared by pods and pod templates). */
/** The value a downward-API fieldRef resolves to on a pod (empty for templates or unknown paths). */
export function fieldRefValue(pod: KubeObject | undefined, fieldPath: string): string {
  if (!pod) return '';
  const p = pod as KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return (m[1] === 'labels' ? p.metadata.labels : p.metadata.annotations)?.[m[2]!] ?? '';
  const simple: Record<string, unknown> = {
    'metadata.name': p.metadata.name,
    'metadata.namespace': p.metadata.namespace,
    'metadata.uid': p.metadata.uid,
    'spec.nodeName': p.spec?.nodeName,
    'spec.serviceAccountName': p.spec?.serviceAccountName,
    'status.podIP': p.status?.podIP,
    'status.hostIP': p.status?.hostIP,
  };
  const v = simple[fieldPath];
  return typeof v === 'string' ? v : '';
}

/** Resources, probes, environment and mounts of a container; `pod` resolves fieldRef values. */
export function describeContainerTail(w: DescribeWriter, level: number, c: Container, pod?: KubeObject): void {
  for (const [kind, list] of [
    ['Limits', c.resources?.limits],
    ['Requests', c.resources?.requests],
  ] as const) {
    if (!list || Object.keys(list).length === 0) continue;
    w.line(level, `${kind}:`);
    for (const [k, v] of sortedEntries(list)) w.field(level + 1, k, v);
  }
  const probes = [
    ['Liveness', c.livenessProbe],
    ['Readiness', c.readinessProbe],
    ['Startup', c.startupProbe],
  ] as const;
  for (const [name, p] of probes) {
    if (!p) continue;
    const how = p.httpGet ? `http-get ${p.httpGet.scheme?.toLowerCase() ?? 'http'}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? '/'}` : p.tcpSocket ? `tcp-socket :${p.tcpSocket.port}` : `exec [${(p.exec?.command ?? []).join(' ')}]`;
    w.field(level, name, `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`);
  }
  const env = (c.env ?? []).map((e) => {
    if (e.value !== undefined) return `${e.name}:\t${e.value}`;
    const f = e.valueFrom;
    if (f?.configMapKeyRef) return `${e.name}:\t<set to the key '${f.configMapKeyRef.key}' of config map '${f.configMapKeyRef.name ?? ''}'>\tOptional: ${String(f.configMapKeyRef.optional ?? false)}`;
    if (f?.secretKeyRef) return `${e.name}:\t<set to the key '${f.secretKeyRef.key}' in secret '${f.secretKeyRef.name ?? ''}'>\tOptional: ${String(f.secretKeyRef.optional ?? false)}`;
    if (f?.fieldRef) return `${e.name}:\t${fieldRefValue(pod, f.fieldRef.fieldPath)} (${f.fieldRef.apiVersion ?? 'v1'}:${f.fieldRef.fieldPath})`;
    return `${e.name}:\t`;
  });
  if (c.envFrom?.length) {
    w.line(level, 'Environment Variables from:');
    for (const f of c.envFrom) {
      const [name, kind, optional] = f.configMapRef ? [f.configMapRef.name, 'ConfigMap', f.configMapRef.optional] : [f.secretRef?.name ?? '', 'Secret', f.secretRef?.optional];
      w.line(level + 1, `${name}\t${kind}${f.prefix ? ` with prefix '${f.prefix}'` : ''}\tOptional: ${String(optional ?? false)}`);
    }
  }
  if (env.length === 0) w.field(level, 'Environment', undefined);
  else {
    w.line(level, 'Environment:');
    for (const e of env) w.line(level + 1, e);
  }
  const mounts = (c.volumeMounts ?? []).map((m) => `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'}${m.subPath ? `,path="${m.subPath}"` : ''})`);
  if (mounts.length === 0) w.field(level, 'Mounts', undefined);
  else {
    w.line(level, 'Mounts:');
    for (const m of mounts) w.line(level + 1, m);
  }
}

/** Volumes; `nameIndent` overrides the indent of each volume's name line (3 spaces in pod templates). */
export function describeVolumes(w: DescribeWriter, level: number, volumes: Volume[] | undefined, nameIndent?: string): void {
  if (!volumes?.length) {
    w.field(level, 'Volumes', undefined);
    return;
  }
  w.line(level, 'Volumes:');
  for (const v of volumes) {
    if (nameIndent !== undefined) w.line(0, `${nameIndent}${v.name}:`);
    else w.line(level + 1, `${v.name}:`);
    const fl = nameIndent !== undefined ? level + 1 : level + 2;
    if (v.emptyDir) {
      w.field(fl, 'Type', "EmptyDir (a temporary directory that shares a pod's lifetime)");
      w.line(fl, 'Medium:', v.emptyDir.medium ?? '');
      w.field(fl, 'SizeLimit', v.emptyDir.sizeLimit ?? '<unset>');
    } else if (v.hostPath) {
      w.field(fl, 'Type', 'HostPath (bare host directory volume)');
      w.field(fl, 'Path', v.hostPath.path);
      w.line(fl, 'HostPathType:', v.hostPath.type ?? '<none>');
    } else if (v.configMap) {
      w.field(fl, 'Type', 'ConfigMap (a volume populated by a ConfigMap)');
      w.field(fl, 'Name', v.configMap.name);
      w.field(fl, 'Optional', String(v.configMap.optional ?? false));
    } else if (v.secret) {
      w.field(fl, 'Type', 'Secret (a volume populated by a Secret)');
      w.field(fl, 'SecretName', v.secret.secretName);
      w.field(fl, 'Optional', String(v.secret.optional ?? false));
    } else if (v.persistentVolumeClaim) {
      w.field(fl, 'Type', 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)');
      w.field(fl, 'ClaimName', v.persistentVolumeClaim.claimName);
      w.field(fl, 'ReadOnly', String(v.persistentVolumeClaim.readOnly ?? false));
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      w.field(fl, 'Type', kind);
    }
  }
}

export function describePodTemplate(w: DescribeWriter, t: PodTemplateSpec | undefined): void {
  if (!t) return;
  w.line(0, 'Pod Template:');
  w.multi(1, 'Labels', sortedEntries(t.metadata?.labels).map(([k, v]) => `${k}=${v}`));
  const ann = sortedEntries(t.metadata?.annotations);
  if (ann.length) w.multi(1, 'Annotations', ann.map(([k, v]) => `${k}: ${v}`));
  if (t.spec.serviceAccountName) w.field(1, 'Service Account', t.spec.serviceAccountName);
  for (const [title, list] of [
    ['Init Containers', t.spec.initContainers],
    ['Containers', t.spec.containers],
  ] as const) {
    if (!list?.length) continue;
    w.line(1, `${title}:`);
    for (const c of list) {
      describeContainer(w, 1, c, '   ');
      describeContainerTail(w, 2, c);
    }
  }
  describeVolumes(w, 1, t.spec.volumes, '   ');
  w.multi(1, 'Node-Selectors', sortedEntries(t.spec.nodeSelector).map(([k, v]) => `${k}=${v}`));
  w.multi(1, 'Tolerations', describeTolerations(t.spec.tolerations));
}

/** kubectl's toleration lines: `key=value:Effect`, `key:Effect op=Exists for 300s`. */
export function describeTolerations(tolerations: Toleration[] | undefined): string[] {
  return (tolerations ?? []).map((t) => {
    let text = t.key ?? '';
    if (t.operator !== 'Exists' && t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists') text += ' op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    return text;
  });
}

/** Anything without its own describer: metadata, then the remaining top-level fields as YAML-ish lines. */
export function describeGenericBody(w: DescribeWriter, obj: KubeObject): void {
  const rest = Object.entries(obj as unknown as Record<string, unknown>).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k));
  for (const [k, v] of rest) dumpValue(w, 0, titleCase(k), v);
}

function titleCase(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1);
}

function dumpValue(w: DescribeWriter, level: number, key: string, v: unknown): void {
  if (v === null || v === undefined || typeof v !== 'object') {
    w.field(level, key, v === undefined || v === null ? undefined : String(v));
    return;
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return w.field(level, key, v.join(', '));
    w.line(level, `${key}:`);
    v.forEach((item, i) => dumpValue(w, level + 1, `[${i}]`, item));
    return;
  }
  w.line(level, `${key}:`);
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) dumpValue(w, level + 1, titleCase(k), x);
}

export { describeConditions as conditions };
