/**
 * Every controller the controller-manager can run, by name (the `--controllers` flag picks
 * among them). A flat list: one import and one entry per controller.
 */
import type { ControllerDescriptor } from '../context.js';
import { replicaSetController, replicationControllerController } from '../replication/index.js';
import { deploymentController } from '../deployment/index.js';
import { garbageCollectorController } from '../gc/index.js';
import { endpointsController } from '../endpoints/index.js';
import { endpointSliceController } from '../endpointslice/index.js';
import { nodeLifecycleController } from '../nodelifecycle/index.js';
import { namespaceController } from '../namespace/index.js';
import { nodeIpamController } from '../nodeipam/index.js';
import { hpaController } from '../hpa/index.js';
import { persistentVolumeController } from '../volume/index.js';
import { jobController } from '../job/index.js';
import { daemonSetController } from '../daemonset/index.js';
import { rootCACertPublisherController, serviceAccountController } from '../serviceaccounts/index.js';
import { clusterRoleAggregationController } from '../clusterrole-aggregation/index.js';

export const CONTROLLERS: ControllerDescriptor[] = [
  replicaSetController,
  replicationControllerController,
  deploymentController,
  garbageCollectorController,
  endpointsController,
  endpointSliceController,
  nodeLifecycleController,
  namespaceController,
  nodeIpamController,
  hpaController,
  persistentVolumeController,
  jobController,
  daemonSetController,
  serviceAccountController,
  rootCACertPublisherController,
  clusterRoleAggregationController,
];
