/**
 * The plugin registry: plugin names to factories, and the default profile (which plugins run,
 * in which order, with which score weights). Adding a plugin is a row here plus its file.
 */
import { leastAllocated } from './plugins/least-allocated.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { nodePorts } from './plugins/node-ports.js';
import { nodeReady } from './plugins/node-ready.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { ownerSpread } from './plugins/owner-spread.js';
import { taintToleration } from './plugins/taint-toleration.js';
import { volumeBinding, type VolumeLister } from './plugins/volume-binding.js';
import type { Plugin } from './types.js';

/** What plugins may read beyond the pod and node (informer caches), given by the app. */
export interface PluginDeps {
  volumes?: VolumeLister;
}

export type PluginFactory = (deps: PluginDeps) => Plugin;

export const REGISTRY: Readonly<Record<string, PluginFactory>> = {
  NodeUnschedulable: nodeUnschedulable,
  NodeName: nodeName,
  NodeReady: nodeReady,
  TaintToleration: taintToleration,
  NodeAffinity: nodeAffinity,
  NodePorts: nodePorts,
  NodeResourcesFit: nodeResourcesFit,
  NodeResourcesLeastAllocated: leastAllocated,
  OwnerSpread: ownerSpread,
  VolumeBinding: volumeBinding,
};

export interface PluginConfig {
  name: string;
  /** weight of the plugin's normalized score; ignored for filter-only plugins */
  weight?: number;
}

/** Filters run in this order (cheap, decisive checks first); scores are weighted as in Kubernetes' defaults. */
export const DEFAULT_PROFILE: readonly PluginConfig[] = [
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'NodeReady' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit' },
  { name: 'VolumeBinding' },
  { name: 'NodeResourcesLeastAllocated', weight: 1 },
  { name: 'OwnerSpread', weight: 2 },
];

export interface ConfiguredPlugin {
  plugin: Plugin;
  weight: number;
}

/** Instantiates a profile; throws on an unknown plugin name. */
export function buildPlugins(profile: readonly PluginConfig[] = DEFAULT_PROFILE, deps: PluginDeps = {}): ConfiguredPlugin[] {
  return profile.map(({ name, weight }) => {
    const factory = REGISTRY[name];
    if (!factory) throw new Error(`unknown scheduler plugin ${JSON.stringify(name)}`);
    return { plugin: factory(deps), weight: weight ?? 1 };
  });
}
