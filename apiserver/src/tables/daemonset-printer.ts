/**
 * Rows for apps/v1 DaemonSet, as kubectl's printer shows them: NAME, DESIRED, CURRENT, READY,
 * UP-TO-DATE, AVAILABLE (the status counters, 0 when unset), NODE SELECTOR (the template's
 * nodeSelector as sorted `k=v` pairs, `<none>` when empty), AGE, and the wide CONTAINERS,
 * IMAGES, SELECTOR.
 */
import type { DaemonSet } from '@mk8s/shared';
import { translateTimestampSince } from './duration.js';
import { ageColumn, column, containerCells, containersColumn, formatLabels, formatLabelSelector, imagesColumn, nameColumn } from './format.js';
import type { KindPrinter } from './types.js';

export const daemonSetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
  ],
  print(obj, now) {
    const ds = obj as DaemonSet;
    const podSpec = ds.spec.template?.spec;
    const [names, images] = containerCells(podSpec?.containers);
    const status = ds.status;
    return {
      cells: [
        ds.metadata.name ?? '',
        status?.desiredNumberScheduled ?? 0,
        status?.currentNumberScheduled ?? 0,
        status?.numberReady ?? 0,
        status?.updatedNumberScheduled ?? 0,
        status?.numberAvailable ?? 0,
        formatLabels(podSpec?.nodeSelector),
        translateTimestampSince(ds.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(ds.spec.selector),
      ],
    };
  },
};
