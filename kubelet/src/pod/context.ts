/**
 * Everything a pod worker needs, passed as one object so each piece of the sync can be
 * built and tested on its own. Created once by the Kubelet.
 */
import type Docker from 'dockerode';
import type { ApiClient, Logger } from '@mk8s/shared';
import type { Ipam } from '../network/ipam.js';
import type { DockerRuntime } from '../runtime/docker.js';
import type { SandboxOptions } from '../runtime/container-spec.js';
import type { Backoff } from './backoff.js';
import type { EnvSources } from './env.js';
import type { EventSink } from './events.js';
import type { ProbeManager } from './probe-manager.js';
import type { StatusWriter } from './status-writer.js';
import type { TokenManager } from './token-manager.js';

export interface PodContext {
  docker: Docker;
  runtime: DockerRuntime;
  client: ApiClient;
  nodeName: string;
  /** Docker network all pods join */
  network: string;
  pauseImage: string;
  rootDir: string;
  ipam: Ipam;
  /** the node's InternalIP */
  hostIp: string;
  probes: ProbeManager;
  recorder: EventSink;
  crashBackoff: Backoff;
  pullBackoff: Backoff;
  sources: EnvSources;
  /** service account tokens of projected volumes */
  tokens: TokenManager;
  statusWriter: StatusWriter;
  dns?: SandboxOptions['dns'];
  logger: Logger;
  /** ms since epoch */
  now: () => number;
}
