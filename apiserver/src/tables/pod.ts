/**
 * The Pod row, with kubectl's status logic: phase (or status.reason) overridden by init
 * container progress (`Init:1/2`, `Init:CrashLoopBackOff`, `Init:Error`), then by the last
 * main container with a waiting/terminated reason (`CrashLoopBackOff`, `ErrImagePull`,
 * `Completed`, `Error`, `ExitCode:3`), `Terminating` while a deletion is pending and
 * `Unknown` for pods lost with their node. Restarts carry `(5m ago)` for the latest restart.
 */
import type { Condition, Container, ContainerStatus, KubeObject, Pod } from '@mk8s/shared';
import { translateTimestampSince } from './duration.js';
import { ageColumn, column, nameColumn } from './format.js';
import type { KindPrinter, PrintedRow } from './types.js';

/** Fields newer than (or absent from) the shared Pod type that the printer reads. */
interface PodExtras {
  spec: { readinessGates?: { conditionType: string }[]; initContainers?: (Container & { restartPolicy?: string })[] };
  status?: { nominatedNodeName?: string; conditions?: Condition[] };
}

export const podColumns = [
  nameColumn(),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn(),
  column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
  column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
  column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
];

const isTerminalPhase = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';
const conditionTrue = (conds: Condition[] | undefined, type: string) => (conds ?? []).some((c) => c.type === type && c.status === 'True');

/** The later of two RFC 3339 timestamps (undefined counts as the zero time). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export function printPod(obj: KubeObject, now: Date): PrintedRow {
  const pod = obj as Pod & PodExtras;
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const initContainers = (spec.initContainers ?? []) as (Container & { restartPolicy?: string })[];
  const initSpecs = new Map(initContainers.map((c) => [c.name, c]));
  const isSidecar = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';

  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let ready = 0;
  const total = (spec.containers ?? []).length + [...initSpecs.keys()].filter(isSidecar).length;
  let reason: string = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses: ContainerStatus[] = (status as { initContainerStatuses?: ContainerStatus[] }).initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i] as ContainerStatus;
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    lastRestart = later(lastRestart, finished);
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] as ContainerStatus;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminalPhase(status.phase)) reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${translateTimestampSince(lastRestart, now)} ago)` : String(restarts);
  const gates = spec.readinessGates ?? [];
  const gatesCell = gates.length
    ? `${gates.filter((g) => conditionTrue(status.conditions, g.conditionType)).length}/${gates.length}`
    : '<none>';

  const row: PrintedRow = {
    cells: [
      pod.metadata.name ?? '',
      `${ready}/${total}`,
      reason,
      restartsCell,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      status.podIPs?.[0]?.ip || status.podIP || '<none>',
      spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      gatesCell,
    ],
  };
  if (status.phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (status.phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return row;
}

export const podPrinter: KindPrinter = { columns: podColumns, print: printPod };
