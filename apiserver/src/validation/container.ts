/**
 * Container checks inside a pod spec (core `validateContainers`): names, images, ports,
 * env, resources, volume mounts and probes. Called by pod.ts with the containers' field path
 * and the pod-wide context (declared volumes, names seen so far). Pure; returns causes.
 */
import {
  compareQuantity,
  formatQuantity,
  isDNS1123Label,
  isEnvVarName,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  isInRange,
  parseQuantity,
  QuantityError,
  type Container,
  type ContainerPort,
  type Probe,
} from '@mk8s/shared';
import {
  arrayOf,
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  invalidEach,
  isObj,
  isSet,
  key,
  nonNegative,
  notFound,
  notSupported,
  required,
  type FieldCause,
} from './causes.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
export const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);

export interface PodContext {
  /** volume names declared in spec.volumes */
  volumes: Set<string>;
  /** container names across containers and initContainers */
  names: Set<string>;
  /** port names across the pod */
  portNames: Set<string>;
  /** hostPort/protocol/hostIP already taken */
  hostPorts: Set<string>;
  /** pod templates may leave images empty (filled in later) */
  isTemplate: boolean;
  /** with hostNetwork, a hostPort must equal its containerPort */
  hostNetwork: boolean;
}

/** A named or numbered port (probe handlers, service targetPort). */
export function validatePortNumOrName(port: unknown, field: string): FieldCause[] {
  if (typeof port === 'number') return invalidEach(field, port, isValidPortNum(port));
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) return invalidEach(field, port, isValidPortNum(Number(port)));
    return invalidEach(field, port, isValidPortName(port));
  }
  return [required(field)];
}

function validatePorts(ports: ContainerPort[] | undefined, path: string, ctx: PodContext): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  arrayOf<ContainerPort>(ports).forEach((port, i) => {
    const p = index(path, i);
    if (!isObj(port)) return void causes.push(invalid(p, port, 'must be an object'));
    if (port.name) {
      causes.push(...invalidEach(child(p, 'name'), port.name, isValidPortName(port.name)));
      if (ctx.portNames.has(port.name)) causes.push(duplicate(child(p, 'name'), port.name));
      ctx.portNames.add(port.name);
    }
    if (!isSet(port.containerPort)) causes.push(required(child(p, 'containerPort')));
    else causes.push(...invalidEach(child(p, 'containerPort'), port.containerPort, isValidPortNum(port.containerPort)));
    if (isSet(port.hostPort) && port.hostPort !== 0) {
      causes.push(...invalidEach(child(p, 'hostPort'), port.hostPort, isInRange(port.hostPort as number, 1, 65535)));
      if (ctx.hostNetwork && port.hostPort !== port.containerPort) {
        causes.push(invalid(child(p, 'hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }
    if (!port.protocol) causes.push(required(child(p, 'protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) causes.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
    const own = `${port.containerPort}/${port.protocol ?? 'TCP'}`;
    if (seen.has(own)) causes.push(duplicate(child(p, 'containerPort'), own));
    seen.add(own);
    if (port.hostPort) {
      const host = `${port.hostPort}/${port.protocol ?? 'TCP'}`;
      const hostKey = `${host}/${port.hostIP ?? ''}`;
      if (ctx.hostPorts.has(hostKey)) causes.push(duplicate(child(p, 'hostPort'), host));
      ctx.hostPorts.add(hostKey);
    }
  });
  return causes;
}

function validateEnv(env: Container['env'], path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<NonNullable<Container['env']>[number]>(env).forEach((e, i) => {
    const p = index(path, i);
    if (!isObj(e)) return void causes.push(invalid(p, e, 'must be an object'));
    if (!e.name) causes.push(required(child(p, 'name')));
    else causes.push(...invalidEach(child(p, 'name'), e.name, isEnvVarName(e.name)));
    if (isSet(e.valueFrom)) {
      const src = isObj(e.valueFrom) ? e.valueFrom : {};
      const n = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isSet((src as Record<string, unknown>)[k])).length;
      const vf = child(p, 'valueFrom');
      if (e.value) causes.push(invalid(vf, '', 'may not be specified when `value` is not empty'));
      if (n === 0) causes.push(invalid(vf, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      if (n > 1) causes.push(invalid(vf, '', 'may not have more than one field specified at a time'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
        const r = src[ref];
        if (isObj(r) && !r.key) causes.push(required(child(child(vf, ref), 'key')));
      }
      if (isObj(src.fieldRef) && !src.fieldRef.fieldPath) causes.push(required(child(child(vf, 'fieldRef'), 'fieldPath')));
    }
  });
  return causes;
}

function parseOrCause(value: unknown, field: string): { ok: true; value: string } | { ok: false; cause: FieldCause } {
  try {
    parseQuantity(value as string);
    return { ok: true, value: String(value) };
  } catch (err) {
    const msg = err instanceof QuantityError ? err.message : String(err);
    return { ok: false, cause: invalid(field, value, msg) };
  }
}

function validateResourceName(name: string, field: string): FieldCause[] {
  if (STANDARD_RESOURCES.has(name) || name.startsWith('hugepages-')) return [];
  const errs = isQualifiedName(name);
  if (errs.length) return invalidEach(field, name, errs);
  return name.includes('/') ? [] : [invalid(field, name, 'must be a standard resource type or fully qualified')];
}

/** `resources.limits` / `resources.requests`: valid names, valid non-negative quantities, requests <= limits. */
export function validateResources(resources: Container['resources'], path: string): FieldCause[] {
  if (!isSet(resources)) return [];
  if (!isObj(resources)) return [invalid(path, resources, 'must be an object')];
  const causes: FieldCause[] = [];
  const good: Record<'limits' | 'requests', Record<string, string>> = { limits: {}, requests: {} };
  for (const which of ['limits', 'requests'] as const) {
    const list = resources[which];
    if (!isSet(list)) continue;
    if (!isObj(list)) {
      causes.push(invalid(child(path, which), list, 'must be a map of resource names to quantities'));
      continue;
    }
    for (const [name, value] of Object.entries(list)) {
      const f = key(child(path, which), name);
      causes.push(...validateResourceName(name, f));
      const parsed = parseOrCause(value, f);
      if (!parsed.ok) causes.push(parsed.cause);
      else if (compareQuantity(parsed.value, 0) < 0) causes.push(invalid(f, value, 'must be greater than or equal to 0'));
      else good[which][name] = parsed.value;
    }
  }
  for (const [name, request] of Object.entries(good.requests)) {
    const limit = good.limits[name];
    if (limit !== undefined && compareQuantity(request, limit) > 0) {
      causes.push(
        invalid(key(child(path, 'requests'), name), formatQuantity(request), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`),
      );
    }
  }
  return causes;
}

function validateVolumeMounts(mounts: Container['volumeMounts'], path: string, ctx: PodContext): FieldCause[] {
  const causes: FieldCause[] = [];
  const paths = new Set<string>();
  arrayOf<NonNullable<Container['volumeMounts']>[number]>(mounts).forEach((m, i) => {
    const p = index(path, i);
    if (!isObj(m)) return void causes.push(invalid(p, m, 'must be an object'));
    if (!m.name) causes.push(required(child(p, 'name')));
    else if (!ctx.volumes.has(m.name)) causes.push(notFound(child(p, 'name'), m.name));
    if (!m.mountPath) causes.push(required(child(p, 'mountPath')));
    else {
      if (paths.has(m.mountPath)) causes.push(invalid(child(p, 'mountPath'), m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
    if (m.subPath) causes.push(...validateLocalDescendingPath(m.subPath, child(p, 'subPath')));
  });
  return causes;
}

/** A relative path that does not climb out of its root (subPath, volume item paths). */
export function validateLocalDescendingPath(path: string, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (path.startsWith('/')) causes.push(invalid(field, path, 'must be a relative path'));
  if (path.split(/[\\/]/).includes('..')) causes.push(invalid(field, path, "must not contain '..'"));
  return causes;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

export function validateProbe(probe: Probe | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldCause[] {
  if (!isSet(probe)) return [];
  if (!isObj(probe)) return [invalid(path, probe, 'must be an object')];
  const causes: FieldCause[] = [];
  const present = HANDLERS.filter((h) => isSet((probe as Record<string, unknown>)[h]));
  if (present.length === 0) causes.push(required(path, 'must specify a handler type'));
  for (const extra of present.slice(1)) causes.push(forbidden(child(path, extra), 'may not specify more than 1 handler type'));
  if (isObj(probe.exec) && arrayOf(probe.exec.command).length === 0) causes.push(required(child(child(path, 'exec'), 'command')));
  if (isObj(probe.httpGet)) causes.push(...validatePortNumOrName(probe.httpGet.port, child(child(path, 'httpGet'), 'port')));
  if (isObj(probe.tcpSocket)) causes.push(...validatePortNumOrName(probe.tcpSocket.port, child(child(path, 'tcpSocket'), 'port')));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    causes.push(...nonNegative(child(path, f), probe[f]));
  }
  if (kind !== 'readiness' && isSet(probe.successThreshold) && probe.successThreshold !== 1) {
    causes.push(invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  if (isSet(probe.terminationGracePeriodSeconds) && (probe.terminationGracePeriodSeconds as number) <= 0) {
    causes.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return causes;
}

export function validateContainer(c: Container, path: string, ctx: PodContext, init: boolean): FieldCause[] {
  if (!isObj(c)) return [invalid(path, c, 'must be an object')];
  const causes: FieldCause[] = [];
  if (!c.name) causes.push(required(child(path, 'name')));
  else if (typeof c.name !== 'string') causes.push(invalid(child(path, 'name'), c.name, 'must be a string'));
  else {
    causes.push(...invalidEach(child(path, 'name'), c.name, isDNS1123Label(c.name)));
    if (ctx.names.has(c.name)) causes.push(duplicate(child(path, 'name'), c.name));
    ctx.names.add(c.name);
  }
  if (!c.image) {
    if (!ctx.isTemplate) causes.push(required(child(path, 'image')));
  } else if (typeof c.image !== 'string') {
    causes.push(invalid(child(path, 'image'), c.image, 'must be a string'));
  } else if (c.image.trim() !== c.image) {
    causes.push(invalid(child(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  }
  if (!c.imagePullPolicy) causes.push(required(child(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) causes.push(notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    causes.push(notSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  causes.push(...validatePorts(c.ports, child(path, 'ports'), ctx));
  causes.push(...validateEnv(c.env, child(path, 'env')));
  causes.push(...validateResources(c.resources, child(path, 'resources')));
  causes.push(...validateVolumeMounts(c.volumeMounts, child(path, 'volumeMounts'), ctx));
  if (init) {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (isSet(c[probe])) causes.push(forbidden(child(path, probe), 'may not be set for init containers without restartPolicy=Always'));
    }
  } else {
    causes.push(...validateProbe(c.livenessProbe, child(path, 'livenessProbe'), 'liveness'));
    causes.push(...validateProbe(c.readinessProbe, child(path, 'readinessProbe'), 'readiness'));
    causes.push(...validateProbe(c.startupProbe, child(path, 'startupProbe'), 'startup'));
  }
  return causes;
}
