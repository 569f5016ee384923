/**
 * Pure pod status computation: what the kubelet reports for a pod, given the pod, what
 * Docker says about each of its containers, and the probe results.
 *
 * Guarantees: the result depends only on the inputs (time is passed in); condition
 * `lastTransitionTime`s and `startTime` are kept from the old status unless the value
 * changed; a pod whose old phase is Succeeded or Failed never leaves it; container
 * statuses follow spec order. `podStatusEqual` says whether a write is needed.
 */
import type { Condition, ContainerState, ContainerStatus, Pod, PodPhase, PodStatus } from '@mk8s/shared';
import { canonicalJson } from '../runtime/container-spec.js';

export interface ObservedContainer {
  id: string;
  running: boolean;
  /** Docker state `created`: never started */
  created?: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  restartCount: number;
  imageId: string;
  error?: string;
  /** termination message (file or log tail), for an ended container */
  message?: string;
}

export interface ContainerView {
  name: string;
  image: string;
  /** the newest Docker container of this name */
  current?: ObservedContainer;
  /** the newest one before `current`, exited */
  previous?: ObservedContainer;
  /** why the container is not running, when the sync decided so (CrashLoopBackOff, ErrImagePull...) */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

export interface StatusInput {
  pod: Pod;
  containers: ContainerView[];
  /** spec.initContainers, in order; `ready` means completed successfully */
  initContainers?: ContainerView[];
  podIp?: string;
  hostIp?: string;
  /** RFC 3339 timestamp (seconds) */
  now: string;
}

export function terminatedState(o: ObservedContainer): NonNullable<ContainerState['terminated']> {
  const t: NonNullable<ContainerState['terminated']> = {
    exitCode: o.exitCode,
    reason: o.oomKilled ? 'OOMKilled' : o.exitCode === 0 ? 'Completed' : 'Error',
    containerID: `docker://${o.id}`,
  };
  const message = o.message ?? o.error;
  if (message) t.message = message;
  if (o.startedAt) t.startedAt = o.startedAt;
  if (o.finishedAt) t.finishedAt = o.finishedAt;
  return t;
}

export function containerStatus(v: ContainerView): ContainerStatus {
  const cur = v.current;
  const s: ContainerStatus = {
    name: v.name,
    state: {},
    lastState: {},
    ready: false,
    started: false,
    restartCount: cur?.restartCount ?? (v.previous ? v.previous.restartCount + 1 : 0),
    image: v.image,
    imageID: cur?.imageId ? `docker://${cur.imageId}` : '',
  };
  if (cur) s.containerID = `docker://${cur.id}`;
  if (cur?.running) {
    s.state = { running: cur.startedAt ? { startedAt: cur.startedAt } : {} };
    s.ready = v.ready;
    s.started = v.started;
    if (v.previous) s.lastState = { terminated: terminatedState(v.previous) };
  } else if (cur && !cur.created) {
    if (v.waiting) {
      s.state = { waiting: waitingOf(v.waiting) };
      s.lastState = { terminated: terminatedState(cur) };
    } else {
      s.state = { terminated: terminatedState(cur) };
      if (v.previous) s.lastState = { terminated: terminatedState(v.previous) };
    }
  } else {
    s.state = { waiting: waitingOf(v.waiting ?? { reason: 'ContainerCreating' }) };
    if (v.previous) s.lastState = { terminated: terminatedState(v.previous) };
  }
  return s;
}

const waitingOf = (w: { reason: string; message?: string }): { reason: string; message?: string } =>
  w.message ? { reason: w.reason, message: w.message } : { reason: w.reason };

/** The pod phase from its container statuses, as the kubelet's getPhase decides it. */
export function podPhase(pod: Pod, statuses: ContainerStatus[]): PodPhase {
  const old = pod.status?.phase;
  if (old === 'Succeeded' || old === 'Failed') return old;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    }
  }
  if (statuses.length === 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always') return 'Running';
  if (policy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
  return stopped === succeeded ? 'Succeeded' : 'Failed';
}

function condition(old: Condition[] | undefined, type: string, status: Condition['status'], now: string, reason?: string, message?: string): Condition {
  const prev = old?.find((c) => c.type === type);
  const c: Condition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

const OWN_CONDITIONS = new Set(['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']);

export function computePodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const old = pod.status ?? {};
  const containerStatuses = input.containers.map(containerStatus);
  const initViews = input.initContainers ?? [];
  const initStatuses = initViews.map((v) => ({ ...containerStatus(v), ready: v.ready }));
  const incomplete = initViews.filter((v) => !v.ready).map((v) => v.name);
  const initFailed =
    (pod.spec.restartPolicy ?? 'Always') === 'Never' && initStatuses.some((s) => (s.state?.terminated?.exitCode ?? 0) !== 0);
  let phase = podPhase(pod, containerStatuses);
  if (phase !== 'Succeeded' && phase !== 'Failed') {
    if (initFailed) phase = 'Failed';
    else if (incomplete.length) phase = 'Pending';
  }
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  let readyStatus: Condition['status'] = unready.length === 0 ? 'True' : 'False';
  let reason = unready.length ? 'ContainersNotReady' : undefined;
  let message = unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined;
  if (terminal) {
    readyStatus = 'False';
    reason = 'PodCompleted';
    message = undefined;
  }
  const oldConds = old.conditions;
  const initialized = incomplete.length
    ? condition(oldConds, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`)
    : condition(oldConds, 'Initialized', 'True', now, terminal ? 'PodCompleted' : undefined);
  const conditions: Condition[] = [
    ...(oldConds ?? []).filter((c) => !OWN_CONDITIONS.has(c.type)),
    initialized,
    condition(oldConds, 'Ready', readyStatus, now, reason, message),
    condition(oldConds, 'ContainersReady', readyStatus, now, reason, message),
    oldConds?.find((c) => c.type === 'PodScheduled') ?? condition(undefined, 'PodScheduled', 'True', now),
  ];
  const status: PodStatus = { phase, conditions, containerStatuses };
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  if (input.hostIp) {
    status.hostIP = input.hostIp;
    status.hostIPs = [{ ip: input.hostIp }];
  }
  const podIp = input.podIp ?? old.podIP;
  if (podIp) {
    status.podIP = podIp;
    status.podIPs = [{ ip: podIp }];
  }
  status.startTime = old.startTime ?? now;
  status.qosClass = old.qosClass ?? qosClass(pod);
  return status;
}

export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec.containers) {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    if (Object.keys(l).length || Object.keys(r).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (l[res] === undefined || (r[res] !== undefined && r[res] !== l[res])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function podStatusEqual(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}
