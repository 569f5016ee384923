/**
 * OpenAPI models for apps/v1 DaemonSet (spec, update strategy, rolling update, status,
 * condition), in the notation of openapi-types.ts, with the descriptions `kubectl explain`
 * prints. Kept in their own file so each model file stays small.
 */
import type { TypeSpec } from './openapi-types.js';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const MORE_INFO = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/';

export const DAEMONSET_SPEC = `${APPS}.DaemonSetSpec`;
export const DAEMONSET_STATUS = `${APPS}.DaemonSetStatus`;

export const DAEMONSET_TYPES: Record<string, TypeSpec> = {
  [DAEMONSET_SPEC]: {
    description: 'DaemonSetSpec is the specification of a daemon set.',
    required: ['selector', 'template'],
    fields: {
      selector: [
        `#${META}.LabelSelector`,
        "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      ],
      template: [
        `#${CORE}.PodTemplateSpec`,
        "An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template's node selector (or on every node if no node selector is specified). The only allowed template.spec.restartPolicy value is \"Always\". More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#pod-template",
      ],
      updateStrategy: [`#${APPS}.DaemonSetUpdateStrategy`, 'An update strategy to replace existing DaemonSet pods with new pods.'],
      minReadySeconds: [
        'integer',
        'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready).',
      ],
      revisionHistoryLimit: [
        'integer',
        'The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.',
      ],
    },
  },
  [`${APPS}.DaemonSetUpdateStrategy`]: {
    description: 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.',
    fields: {
      type: [
        'string',
        'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.\n\nPossible enum values:\n - `"OnDelete"` Replace the old daemons only when it\'s killed\n - `"RollingUpdate"` Replace the old daemons by new ones using rolling update i.e replace them on each node one after the other.',
      ],
      rollingUpdate: [`#${APPS}.RollingUpdateDaemonSet`, 'Rolling update config params. Present only if type = "RollingUpdate".'],
    },
  },
  [`${APPS}.RollingUpdateDaemonSet`]: {
    description: 'Spec to control the desired behavior of daemon set rolling update.',
    fields: {
      maxUnavailable: [
        'intorstring',
        'The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). Absolute number is calculated from percentage by rounding up. This cannot be 0 if MaxSurge is 0 Default value is 1.',
      ],
      maxSurge: [
        'intorstring',
        'The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up to a minimum of 1. Default value is 0.',
      ],
    },
  },
  [DAEMONSET_STATUS]: {
    description: 'DaemonSetStatus represents the current status of a daemon set.',
    required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    fields: {
      currentNumberScheduled: ['integer', `The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. ${MORE_INFO}`],
      numberMisscheduled: ['integer', `The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod. ${MORE_INFO}`],
      desiredNumberScheduled: ['integer', `The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). ${MORE_INFO}`],
      numberReady: ['integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'],
      observedGeneration: ['integer', 'The most recent generation observed by the daemon set controller.'],
      updatedNumberScheduled: ['integer', 'The total number of nodes that are running updated daemon pod'],
      numberAvailable: ['integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'],
      numberUnavailable: ['integer', 'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)'],
      collisionCount: [
        'integer',
        'Count of hash collisions for the DaemonSet. The DaemonSet controller uses this field as a collision-avoidance mechanism when it needs to create the name for the newest ControllerRevision.',
      ],
      conditions: [`[]#${APPS}.DaemonSetCondition`, "Represents the latest available observations of a DaemonSet's current state."],
    },
  },
  [`${APPS}.DaemonSetCondition`]: {
    description: 'DaemonSetCondition describes the state of a DaemonSet at a certain point.',
    required: ['type', 'status'],
    fields: {
      type: ['string', 'Type of DaemonSet condition.'],
      status: ['string', 'Status of the condition, one of True, False, Unknown.'],
      lastTransitionTime: ['string', 'Last time the condition transitioned from one status to another.'],
      reason: ['string', "The reason for the condition's last transition."],
      message: ['string', 'A human readable message indicating details about the transition.'],
    },
  },
};
