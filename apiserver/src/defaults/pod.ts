/**
 * Pod defaulting as Kubernetes applies it (core/v1 `SetDefaults_*` plus the
 * DefaultTolerationSeconds and Priority admission plugins). `defaultPodSpec` is safe for pod
 * templates; `defaultPod` adds what only real pods get (default tolerations, priority,
 * initial status). All functions mutate in place and are idempotent.
 */
import { compareQuantity, type Container, type Pod, type PodSpec, type PodStatus, type PodTemplateSpec, type Probe, type Toleration, type Volume } from '@mk8s/shared';

let defaultTolerationSeconds = 300;

/** Set from the apiserver's `--default-not-ready-toleration-seconds`-style flag. */
export function setDefaultTolerationSeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`invalid default toleration seconds: ${seconds}`);
  defaultTolerationSeconds = seconds;
}

export const getDefaultTolerationSeconds = (): number => defaultTolerationSeconds;

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Always` for `:latest` or untagged images, otherwise `IfNotPresent` (digests count as pinned). */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image || typeof image !== 'string') return 'Always';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!isObj(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObj(probe.httpGet)) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  if (!isObj(c)) return;
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.protocol ??= 'TCP';
  if (Array.isArray(c.env)) {
    for (const e of c.env) if (isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  c.resources ??= {};
  // Requests default to limits for every resource that has a limit but no request.
  const { limits } = c.resources;
  if (isObj(limits) && Object.keys(limits).length > 0) {
    c.resources.requests ??= {};
    for (const [name, value] of Object.entries(limits)) c.resources.requests[name] ??= value;
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultProjected(projected: NonNullable<Volume['projected']>): void {
  projected.defaultMode ??= 420;
  for (const src of Array.isArray(projected.sources) ? projected.sources : []) {
    if (!isObj(src)) continue;
    if (isObj(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
    const files = isObj(src.downwardAPI) && Array.isArray(src.downwardAPI.items) ? src.downwardAPI.items : [];
    for (const f of files) if (isObj(f) && isObj(f.fieldRef)) f.fieldRef.apiVersion ??= 'v1';
  }
}

/** Spec-level defaults shared by pods and pod templates. */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!isObj(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  // serviceAccount is the deprecated spelling of serviceAccountName; v1 keeps the two equal.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const raw = spec as PodSpec & { securityContext?: unknown };
  raw.securityContext ??= {};
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
  if (spec.hostNetwork === true) {
    // With the host's network a container port is a host port.
    for (const c of [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])]) {
      for (const p of Array.isArray(c?.ports) ? c.ports : []) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isObj(v)) continue;
    if (isObj(v.secret)) v.secret.defaultMode ??= 420;
    if (isObj(v.configMap)) v.configMap.defaultMode ??= 420;
    if (isObj(v.downwardAPI)) v.downwardAPI.defaultMode ??= 420;
    if (isObj(v.hostPath)) v.hostPath.type ??= '';
    if (isObj(v.projected)) defaultProjected(v.projected);
  }
}

export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (!isObj(template)) return;
  defaultPodSpec(template.spec);
}

/** Does some toleration already cover this NoExecute taint key? (DefaultTolerationSeconds' rule) */
function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => isObj(t) && (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

function defaultTolerations(spec: PodSpec): void {
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!tolerates(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
    }
  }
  spec.tolerations = tolerations;
}

function sameQuantity(a: string, b: string): boolean {
  try {
    return compareQuantity(a, b) === 0;
  } catch {
    return a === b;
  }
}

type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Kubernetes' QoS class: Guaranteed when every container limits cpu and memory at its request. */
export function podQOSClass(spec: PodSpec | undefined): QOSClass {
  const list = (v: unknown): Container[] => (Array.isArray(v) ? v.filter((c): c is Container => isObj(c)) : []);
  const containers = [...list(spec?.containers), ...list(spec?.initContainers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = isObj(c.resources?.requests) ? c.resources.requests : {};
    const limits = isObj(c.resources?.limits) ? c.resources.limits : {};
    const relevant = (r: Record<string, string>) => Object.keys(r).filter((k) => k === 'cpu' || k === 'memory');
    if (relevant(requests).length || relevant(limits).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const limit = limits[r];
      const request = requests[r] ?? limit;
      if (limit === undefined || request === undefined || !sameQuantity(request, limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The status a newly created pod starts with. */
export function initialPodStatus(pod: Pod): PodStatus {
  return { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
}

export function defaultPod(pod: Pod): void {
  if (!isObj(pod.spec)) return;
  defaultPodSpec(pod.spec);
  defaultTolerations(pod.spec);
  pod.spec.priority ??= 0;
  const raw = pod.spec as PodSpec & { preemptionPolicy?: string };
  raw.preemptionPolicy ??= 'PreemptLowerPriority';
  if (!isObj(pod.status) || !pod.status.phase) pod.status = { ...initialPodStatus(pod), ...(isObj(pod.status) ? pod.status : {}) };
  else pod.status.qosClass ??= podQOSClass(pod.spec);
}
