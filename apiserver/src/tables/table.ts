/**
 * Server-side Tables for `kubectl get`: `wantsTable` decides from the Accept header,
 * `toTable` renders a list, `tableForWatchEvent` a single watch-event object. Printers are
 * chosen by kind; kinds without one get (Name, Age). Rows carry the object as
 * PartialObjectMetadata by default (`includeObject=Metadata`), the full object for `Object`
 * (`--sort-by`) and nothing for `None`. Pure functions; `now` defaults to the wall clock.
 */
import { newBadRequest, type KubeObject } from '@mk8s/shared';
import { negotiateTable, type TableVersion } from '../discovery/accept.js';
import { configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core-printers.js';
import { endpointSlicePrinter } from './discovery-printers.js';
import { jobPrinter } from './batch-printers.js';
import { daemonSetPrinter } from './daemonset-printer.js';
import { podPrinter } from './pod.js';
import { clusterRoleBindingPrinter, defaultTablePrinter, roleBindingPrinter } from './rbac-printers.js';
import type { KindPrinter, PartialObjectMetadata, Table, TableRow } from './types.js';
import {
  deploymentPrinter,
  genericPrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  scalePrinter,
  storageClassPrinter,
} from './workload-printers.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject?: IncludeObject;
  now?: Date;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** The Table version negotiated (`negotiateTable`); default v1. */
  tableVersion?: TableVersion;
}

const PRINTERS: Record<string, KindPrinter> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  Event: eventPrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  ReplicationController: replicationControllerPrinter,
  ReplicaSet: replicaSetPrinter,
  Deployment: deploymentPrinter,
  DaemonSet: daemonSetPrinter,
  Job: jobPrinter,
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  Lease: leasePrinter,
  EndpointSlice: endpointSlicePrinter,
  HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter,
  StorageClass: storageClassPrinter,
  Scale: scalePrinter,
  // Kubernetes has no printer for roles: they get the default NAME / CREATED AT table
  Role: defaultTablePrinter,
  ClusterRole: defaultTablePrinter,
  RoleBinding: roleBindingPrinter,
  ClusterRoleBinding: clusterRoleBindingPrinter,
};

export function printerFor(kind: string): KindPrinter {
  return PRINTERS[kind] ?? genericPrinter;
}

/** True when the Accept header's first servable media range is a meta.k8s.io Table (v1 or v1beta1). */
export function wantsTable(accept: string | undefined): boolean {
  return negotiateTable(accept) !== undefined;
}

/** The `includeObject` query parameter; absent means Metadata, anything unknown is a 400. */
export function parseIncludeObject(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw newBadRequest(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`);
}

export function partialObjectMetadata(obj: KubeObject): PartialObjectMetadata {
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

function row(printer: KindPrinter, obj: KubeObject, now: Date, include: IncludeObject): TableRow {
  const printed = printer.print(obj, now);
  const r: TableRow = { cells: printed.cells };
  if (printed.conditions) r.conditions = printed.conditions;
  if (include === 'Metadata') r.object = partialObjectMetadata(obj);
  else if (include === 'Object') r.object = obj;
  return r;
}

export function toTable(kind: string, objects: KubeObject[], opts: TableOptions = {}): Table {
  const printer = printerFor(kind);
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: opts.tableVersion === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => row(printer, o, now, include)),
  };
}

/**
 * A one-row Table for a watch event's object, with the object's resourceVersion in the
 * Table metadata. Column definitions are repeated on every event (kubectl prints the header
 * once, as long as they do not change).
 */
export function tableForWatchEvent(kind: string, obj: KubeObject, opts: TableOptions = {}): Table {
  return toTable(kind, [obj], { ...opts, resourceVersion: opts.resourceVersion ?? obj.metadata.resourceVersion });
}

/**
 * The object of a BOOKMARK event on a Table watch: no columns, no rows, only the
 * resourceVersion (kubectl keeps its last columns for tables without definitions).
 */
export function bookmarkTable(resourceVersion: string, opts: Pick<TableOptions, 'tableVersion'> = {}): Table {
  return {
    kind: 'Table',
    apiVersion: opts.tableVersion === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [],
    rows: [],
  };
}
