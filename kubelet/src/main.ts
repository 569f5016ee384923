#!/usr/bin/env node
/**
 * mk8s kubelet process: parses flags, makes sure the pause image and the pod network exist,
 * registers the Node, keeps its status and Lease fresh, serves logs/exec, and runs pods
 * bound to the node on Docker. SIGTERM stops the loops but leaves containers running, so a
 * restarted kubelet adopts them.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import Docker from 'dockerode';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EventRecorder, Informer, RESOURCES, RestClient, newRootLogger, resolveClientConfig, startOpsServer, type Service } from '@mk8s/shared';
import { tokenAuthenticator } from './auth/token-authenticator.js';
import { DEFAULT_PAUSE_IMAGE, DEFAULT_PAUSE_SOURCE, ensurePauseImage } from './images/ensure.js';
import { Kubelet } from './kubelet.js';
import { Ipam, cidrContains } from './network/ipam.js';
import { defaultNodeIp, defaultNodeName, hostCpus, hostMemory } from './node/info.js';
import { NodeLease } from './node/lease.js';
import { registerNode, updateNodeStatus, waitForPodCidr, type NodeConfig } from './node/register.js';
import { Backoff } from './pod/backoff.js';
import type { PodContext } from './pod/context.js';
import { apiEnvSources } from './pod/env-sources.js';
import { ProbeManager } from './pod/probe-manager.js';
import { StatusWriter } from './pod/status-writer.js';
import { DockerRuntime } from './runtime/docker.js';
import { startKubeletServer } from './server/index.js';
import { StatsSampler } from './stats/summary.js';

const env = process.env;
const program = new Command()
  .name('mk8s-kubelet')
  .option('--kubeconfig <path>', 'kubeconfig file', env.KUBECONFIG)
  .option('--server <url>', 'apiserver URL', env.MK8S_SERVER)
  .option('--token-file <path>', 'bearer token file', env.MK8S_TOKEN_FILE)
  .option('--ca-file <path>', 'apiserver CA file', env.MK8S_CA_FILE)
  .option('--node-name <name>', 'node name', env.NODE_NAME ?? defaultNodeName())
  .option('--node-ip <ip>', 'InternalIP reported for the node', env.NODE_IP)
  .option('--node-labels <k=v,...>', 'extra node labels', env.NODE_LABELS ?? '')
  .option('--root-dir <dir>', 'kubelet state dir (default /var/lib/mk8s/kubelet-<node>)', env.KUBELET_ROOT_DIR)
  .option('--pod-cidr <cidr>', "this node's pod CIDR (else wait for the controller-manager)", env.POD_CIDR)
  .option('--cluster-cidr <cidr>', 'subnet of the Docker pod network', env.CLUSTER_CIDR ?? '10.244.0.0/16')
  .option('--docker-network <name>', 'Docker network for pods', env.DOCKER_NETWORK ?? 'mk8s')
  .option('--docker-socket <path>', 'Docker socket', env.DOCKER_SOCKET ?? '/var/run/docker.sock')
  .option('--address <ip>', 'kubelet server address', env.KUBELET_ADDRESS ?? '0.0.0.0')
  .option('--port <n>', 'kubelet server port (0 = free port)', env.KUBELET_PORT ?? '10250')
  .option('--pause-image <ref>', 'pause image', env.PAUSE_IMAGE ?? DEFAULT_PAUSE_IMAGE)
  .option('--pause-source <path>', 'pause.c to build the pause image from', env.PAUSE_SOURCE ?? DEFAULT_PAUSE_SOURCE)
  .option('--cpu <n>', 'reported cpu capacity', env.NODE_CPU)
  .option('--memory <q>', 'reported memory capacity', env.NODE_MEMORY)
  .option('--max-pods <n>', 'reported pod capacity', env.MAX_PODS ?? '110')
  .option('--node-status-update-frequency <s>', 'node status update period (seconds)', env.NODE_STATUS_UPDATE_FREQUENCY ?? '10')
  .option('--node-lease-duration <s>', 'node lease duration (seconds)', env.NODE_LEASE_DURATION ?? '40')
  .option('--crash-backoff-base <s>', 'container restart back-off base (seconds)', env.CRASH_BACKOFF_BASE ?? '10')
  .option('--crash-backoff-max <s>', 'container restart back-off cap (seconds)', env.CRASH_BACKOFF_MAX ?? '300')
  .option('--image-backoff-base <s>', 'image pull back-off base (seconds)', env.IMAGE_BACKOFF_BASE ?? '10')
  .option('--image-backoff-max <s>', 'image pull back-off cap (seconds)', env.IMAGE_BACKOFF_MAX ?? '300')
  .option('--relist-period <ms>', 'container relist period (ms)', env.RELIST_PERIOD ?? '1000')
  .option('--sync-frequency <s>', 'periodic pod resync (seconds)', env.SYNC_FREQUENCY ?? '10')
  .option('--cluster-dns <ip,...>', 'DNS servers for ClusterFirst pods', env.CLUSTER_DNS ?? '')
  .option('--cluster-domain <domain>', 'cluster DNS domain', env.CLUSTER_DOMAIN ?? 'cluster.local')
  .option('--ops-address <ip>', 'healthz/metrics address', env.OPS_ADDRESS ?? '127.0.0.1')
  .option('--ops-port <n>', 'healthz/metrics port (0 = free port)', env.OPS_PORT ?? '10248')
  .parse();

const o = program.opts<Record<string, string | undefined>>();
const num = (name: string): number => {
  const v = Number(o[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: not a number: ${o[name]}`);
  return v;
};

async function main(): Promise<void> {
  const nodeName = o.nodeName ?? defaultNodeName();
  const logger = newRootLogger('kubelet').child({ node: nodeName });
  const cfg = resolveClientConfig({ kubeconfig: o.kubeconfig, server: o.server, tokenFile: o.tokenFile, caFile: o.caFile, userAgent: `mk8s-kubelet/${nodeName}` });
  const client = new RestClient(cfg);
  // DOCKER_HOST (read by dockerode) applies unless --docker-socket was given
  const socketFromCli = program.getOptionValueSource('dockerSocket') === 'cli' || env.DOCKER_SOCKET !== undefined;
  const docker = env.DOCKER_HOST && !socketFromCli ? new Docker() : new Docker({ socketPath: o.dockerSocket ?? '/var/run/docker.sock' });
  const runtime = new DockerRuntime(docker, nodeName, logger);
  const rootDir = o.rootDir ?? `/var/lib/mk8s/kubelet-${nodeName}`;
  await mkdir(join(rootDir, 'pods'), { recursive: true });

  const dockerVersion = await runtime.version();
  if (await ensurePauseImage(docker, o.pauseImage, o.pauseSource)) logger.info({ image: o.pauseImage }, 'pause image built');
  const network = o.dockerNetwork ?? 'mk8s';
  const subnets = await runtime.ensureNetwork(network, o.clusterCidr ?? '10.244.0.0/16');

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const syncHist = new Histogram({ name: 'kubelet_pod_worker_duration_seconds', help: 'Duration of pod syncs', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] });
  const syncErrors = new Counter({ name: 'kubelet_pod_sync_errors_total', help: 'Failed pod syncs', registers: [registry] });
  let kubelet: Kubelet | undefined;
  new Gauge({ name: 'kubelet_running_pods', help: 'Pods in the syncing state', registers: [registry], collect() { this.set(kubelet?.workers.activeCount() ?? 0); } });
  new Gauge({
    name: 'kubelet_running_containers',
    help: 'Running containers on this node',
    registers: [registry],
    collect() {
      this.set(kubelet?.pleg.containers().filter((c) => c.state === 'running').length ?? 0);
    },
  });

  const stats = new StatsSampler(docker, nodeName, logger);
  stats.start();
  const server = await startKubeletServer({
    docker,
    nodeName,
    host: o.address ?? '0.0.0.0',
    port: num('port'),
    authenticate: tokenAuthenticator(cfg, logger),
    logger,
    summary: () => stats.summary(),
  });
  logger.info({ port: server.port }, 'kubelet server listening');

  const nodeIp = o.nodeIp ?? defaultNodeIp();
  const extraLabels = Object.fromEntries(
    (o.nodeLabels ?? '').split(',').filter(Boolean).map((kv) => [kv.split('=')[0] ?? '', kv.split('=').slice(1).join('=')]),
  );
  const nodeCfg: NodeConfig = {
    name: nodeName,
    ip: nodeIp,
    hostname: nodeName,
    cpu: o.cpu ?? hostCpus(),
    memory: o.memory ?? hostMemory(),
    maxPods: num('maxPods'),
    kubeletPort: server.port,
    dockerVersion,
    labels: extraLabels,
  };
  if (o.podCidr) nodeCfg.podCidr = o.podCidr;
  // without a podCIDR the node is NotReady (no pod network) until the controller-manager assigns one
  let node: Awaited<ReturnType<typeof registerNode>> | undefined;
  for (let attempt = 1; !node; attempt++) {
    try {
      node = await registerNode(client, nodeCfg, logger, o.podCidr !== undefined);
    } catch (err) {
      if (attempt >= 60) throw err;
      logger.warn({ err, attempt }, 'node registration failed; retrying');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
    }
  }

  const abort = new AbortController();
  const statusTimer = setInterval(() => {
    updateNodeStatus(client, nodeCfg, undefined, kubelet?.pleg.healthy() === true).catch((err: unknown) => logger.warn({ err }, 'node status update failed'));
  }, num('nodeStatusUpdateFrequency') * 1000);
  const lease = new NodeLease({ client, nodeName, nodeUid: node.metadata.uid, durationSeconds: num('nodeLeaseDuration'), logger });
  lease.start();

  const services = new Informer<Service>(client.resource<Service>(RESOURCES.services), { logger });
  services.start();
  const recorder = new EventRecorder({ client, component: 'kubelet', host: nodeName, logger });
  const ipam = new Ipam();
  const clusterDns = (o.clusterDns ?? '').split(',').filter(Boolean);
  let workersRef: Kubelet['workers'] | undefined;
  const ctx: PodContext = {
    docker,
    runtime,
    client,
    nodeName,
    network,
    pauseImage: o.pauseImage ?? DEFAULT_PAUSE_IMAGE,
    rootDir,
    ipam,
    hostIp: nodeIp,
    probes: new ProbeManager({ docker, logger, recorder, onChange: (uid) => workersRef?.enqueue(uid) }),
    recorder,
    crashBackoff: new Backoff({ baseMs: num('crashBackoffBase') * 1000, capMs: num('crashBackoffMax') * 1000, resetAfterMs: 10 * 60_000 }),
    pullBackoff: new Backoff({ baseMs: num('imageBackoffBase') * 1000, capMs: num('imageBackoffMax') * 1000 }),
    sources: apiEnvSources(client, services),
    statusWriter: new StatusWriter(client, logger),
    logger,
    now: Date.now,
  };
  if (clusterDns.length) ctx.dns = { servers: clusterDns, domain: o.clusterDomain ?? 'cluster.local' };

  const ops = await startOpsServer({
    host: o.opsAddress ?? '127.0.0.1',
    port: num('opsPort'),
    registry,
    checks: { pleg: () => kubelet?.pleg.healthy() ?? 'starting', syncloop: () => (kubelet ? true : 'starting') },
  });
  logger.info({ port: ops.port }, 'ops server listening');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down (containers keep running)');
    abort.abort();
    clearInterval(statusTimer);
    lease.stop();
    stats.stop();
    await kubelet?.stop().catch(() => undefined);
    await services.stop().catch(() => undefined);
    await server.close().catch(() => undefined);
    await ops.close().catch(() => undefined);
    client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const cidr = o.podCidr ?? (await waitForPodCidr(client, nodeName, abort.signal, logger));
  if (!cidr) return;
  ipam.setCidr(cidr);
  logger.info({ podCIDR: cidr }, 'pod CIDR known');
  const base = cidr.split('/')[0] ?? '';
  if (!subnets.some((s) => cidrContains(s, base))) {
    logger.error({ podCIDR: cidr, network, subnets }, 'the pod network does not contain this node\'s podCIDR; pods will not start');
  }

  kubelet = new Kubelet({
    ctx,
    logger,
    relistPeriodMs: num('relistPeriod'),
    resyncMs: num('syncFrequency') * 1000,
    onSynced: (seconds, ok) => {
      syncHist.observe(seconds);
      if (!ok) syncErrors.inc();
    },
  });
  workersRef = kubelet.workers;
  await kubelet.start();
  logger.info('kubelet started');
}

main().catch((err: unknown) => {
  // eslint-disable-next-line no-console
  console.error(`kubelet: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
