/**
 * The kubelet's view of Docker: a thin layer over dockerode that only ever lists and
 * touches containers labelled with this node's name (several kubelets may share one
 * daemon), and turns Docker's shapes into small typed records.
 * `listContainers` is what the relist (PLEG) and the pod sync read; `inspect` adds the
 * timestamps and exit details a container status needs. Errors from Docker propagate,
 * except "not found" on stop/remove/inspect, which mean the work is already done.
 */
import type Docker from 'dockerode';
import type { Logger } from '@mk8s/shared';
import {
  DOCKER_TYPE_SANDBOX,
  LABEL_CONTAINER_HASH,
  LABEL_CONTAINER_NAME,
  LABEL_DOCKER_TYPE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
  LABEL_SANDBOX_ID,
  nodeFilter,
  podFilter,
} from './labels.js';

export interface RuntimeContainer {
  id: string;
  name: string;
  /** Docker's state: created, running, exited, dead, paused, restarting, removing */
  state: string;
  /** creation time, unix seconds */
  createdAt: number;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  podUid: string;
  podName: string;
  podNamespace: string;
  containerName: string;
  isSandbox: boolean;
  sandboxId?: string;
  hash?: string;
  restartCount: number;
}

export interface ContainerDetails {
  id: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** IPv4 address on the given network, when asked for */
  ip?: string;
  imageId: string;
}

const isNotFound = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 404;
const isNotModified = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 304;

/** Docker's zero time means "never". */
export function dockerTime(t: string | undefined): string | undefined {
  if (!t || t.startsWith('0001-01-01')) return undefined;
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function toRuntimeContainer(c: Docker.ContainerInfo): RuntimeContainer {
  const labels = c.Labels ?? {};
  const rc: RuntimeContainer = {
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    state: c.State,
    createdAt: c.Created,
    image: c.Image,
    imageId: c.ImageID,
    labels,
    podUid: labels[LABEL_POD_UID] ?? '',
    podName: labels[LABEL_POD_NAME] ?? '',
    podNamespace: labels[LABEL_POD_NAMESPACE] ?? '',
    containerName: labels[LABEL_CONTAINER_NAME] ?? '',
    isSandbox: labels[LABEL_DOCKER_TYPE] === DOCKER_TYPE_SANDBOX,
    restartCount: Number(labels[LABEL_RESTART_COUNT] ?? '0') || 0,
  };
  if (labels[LABEL_SANDBOX_ID]) rc.sandboxId = labels[LABEL_SANDBOX_ID];
  if (labels[LABEL_CONTAINER_HASH]) rc.hash = labels[LABEL_CONTAINER_HASH];
  return rc;
}

export class DockerRuntime {
  constructor(
    readonly docker: Docker,
    readonly nodeName: string,
    private readonly logger: Logger,
  ) {}

  /** Every container (running or not) carrying this node's label; only one pod's with `podUid`. */
  async listContainers(podUid?: string): Promise<RuntimeContainer[]> {
    const filters = podUid ? podFilter(this.nodeName, podUid) : nodeFilter(this.nodeName);
    const list = await this.docker.listContainers({ all: true, filters });
    return list.map(toRuntimeContainer).filter((c) => c.podUid !== '');
  }

  async inspect(id: string, network?: string): Promise<ContainerDetails | undefined> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(id).inspect();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const s = info.State;
    const d: ContainerDetails = {
      id: info.Id,
      running: s.Running,
      exitCode: s.ExitCode,
      oomKilled: s.OOMKilled,
      imageId: info.Image,
    };
    const startedAt = dockerTime(s.StartedAt);
    const finishedAt = dockerTime(s.FinishedAt);
    if (startedAt) d.startedAt = startedAt;
    if (finishedAt) d.finishedAt = finishedAt;
    if (s.Error) d.error = s.Error;
    const ip = network ? info.NetworkSettings.Networks?.[network]?.IPAddress : undefined;
    if (ip) d.ip = ip;
    return d;
  }

  async create(opts: Docker.ContainerCreateOptions): Promise<string> {
    const c = await this.docker.createContainer(opts);
    return c.id;
  }

  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
  }

  /** SIGTERM (or the image's stop signal), then SIGKILL after `timeoutSeconds`. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.floor(timeoutSeconds)) });
    } catch (err) {
      if (!isNotFound(err) && !isNotModified(err)) throw err;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      if (!isNotFound(err) && !String((err as Error).message).includes('already in progress')) throw err;
    }
  }

  /** The image's id when present locally. */
  async imageId(image: string): Promise<string | undefined> {
    try {
      const info = await this.docker.getImage(image).inspect();
      return info.Id;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** docker pull; rejects with Docker's message (there is no registry in mk8s, so it usually fails). */
  async pull(image: string, timeoutMs = 60_000): Promise<void> {
    const ref = image.includes(':') || image.includes('@') ? image : `${image}:latest`;
    const stream = (await this.docker.pull(ref)) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pull of ${image} timed out`)), timeoutMs);
      this.docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
        clearTimeout(timer);
        const failed = out?.find((o) => o.error);
        if (err) reject(err);
        else if (failed) reject(new Error(failed.error));
        else resolve();
      });
    });
  }

  /**
   * Creates the pod bridge network with `subnet` unless a network of that name exists.
   * Returns the network's subnets (an existing network may have been made differently).
   */
  async ensureNetwork(name: string, subnet: string): Promise<string[]> {
    const subnetsOf = (n: { IPAM?: { Config?: Array<{ Subnet?: string }> } }): string[] =>
      (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter((s) => s !== '');
    const nets = await this.docker.listNetworks({ filters: { name: [name] } });
    const existing = nets.find((n) => n.Name === name);
    if (existing) return subnetsOf(existing);
    try {
      await this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
        Labels: { 'mk8s.network': 'pods' },
      });
      this.logger.info({ network: name, subnet }, 'pod network created');
      return [subnet];
    } catch (err) {
      // another kubelet on the same daemon won the race
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
      const again = await this.docker.listNetworks({ filters: { name: [name] } });
      return subnetsOf(again.find((n) => n.Name === name) ?? {});
    }
  }

  /** IPv4 addresses of every container attached to `network` (any node, any owner). */
  async networkAddresses(network: string): Promise<string[]> {
    try {
      const info = (await this.docker.getNetwork(network).inspect()) as { Containers?: Record<string, { IPv4Address?: string }> };
      return Object.values(info.Containers ?? {})
        .map((c) => (c.IPv4Address ?? '').split('/')[0] ?? '')
        .filter((ip) => ip !== '');
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  async version(): Promise<string> {
    const v = await this.docker.version();
    return v.Version;
  }
}
