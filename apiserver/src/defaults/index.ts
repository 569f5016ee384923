/** Defaulting hooks per kind; see each module for the rules. */
export * from './pod.js';
export * from './service.js';
export * from './workloads.js';
export * from './misc.js';
export * from './discovery.js';
export * from './batch.js';
export * from './daemonset.js';
export * from './rbac.js';
