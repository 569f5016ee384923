#!/usr/bin/env node
/**
 * mk8s kubelet process: parses flags, makes sure the pause image and the pod network exist,
 * registers the Node, keeps its status and Lease fresh, serves logs/exec, and runs pods
 * bound to the node on Docker. SIGTERM stops the loops but leaves containers running, so a
 * restarted kubelet adopts them.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EventRecorder, Informer, RESOURCES, newRootLogger, resolveClientConfig, RestClient, startOpsServer, type Service } from '@mk8s/shared';
import { onTermination, parseFlagsOrExit } from '@mk8s/shared/component';
import { subjectAccessReviewer, tokenAuthenticator } from './auth/token-authenticator.js';
import { ensurePauseImage } from './images/ensure.js';
import { Kubelet } from './kubelet.js';
import { Ipam, cidrContains } from './network/ipam.js';
import { defaultNodeIp, hostCpus, hostMemory, hostSystemInfo } from './node/info.js';
import { NodeLease } from './node/lease.js';
import { parseOptions } from './options.js';
import { registerNode, updateNodeStatus, waitForPodCidr, type NodeConfig } from './node/register.js';
import { Backoff } from './pod/backoff.js';
import type { PodContext } from './pod/context.js';
import { apiEnvSources } from './pod/env-sources.js';
import { ProbeManager } from './pod/probe-manager.js';
import { StatusWriter } from './pod/status-writer.js';
import { TokenManager, apiTokenRequester } from './pod/token-manager.js';
import { DockerRuntime } from './runtime/docker.js';
import { startKubeletServer } from './server/index.js';
import { StatsSampler } from './stats/summary.js';

async function main(): Promise<void> {
  const o = parseFlagsOrExit(newRootLogger('kubelet'), () => parseOptions(process.argv.slice(2)));
  const nodeName = o.nodeName;
  const logger = newRootLogger('kubelet').child({ node: nodeName });
  // the REST config itself, not just a client: the kubelet server checks callers' tokens with it
  const cfg = resolveClientConfig({ ...o, userAgent: `mk8s-kubelet/${nodeName}` });
  const client = new RestClient(cfg);
  // DOCKER_HOST (read by dockerode) applies unless --docker-socket was given
  const docker = process.env.DOCKER_HOST && o.dockerSocket === undefined ? new Docker() : new Docker({ socketPath: o.dockerSocket ?? '/var/run/docker.sock' });
  const runtime = new DockerRuntime(docker, nodeName, logger);
  const rootDir = o.rootDir;
  await mkdir(join(rootDir, 'pods'), { recursive: true });

  const dockerVersion = await runtime.version();
  if (await ensurePauseImage(docker, o.pauseImage, o.pauseSource)) logger.info({ image: o.pauseImage }, 'pause image built');
  const network = o.dockerNetwork;
  const subnets = await runtime.ensureNetwork(network, o.clusterCidr);

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
    host: o.address,
    port: o.port,
    authenticate: tokenAuthenticator(cfg, logger),
    authorize: subjectAccessReviewer(cfg, logger),
    logger,
    summary: () => stats.summary(),
  });
  logger.info({ port: server.port }, 'kubelet server listening');

  const nodeIp = o.nodeIp ?? defaultNodeIp();
  const nodeCfg: NodeConfig = {
    name: nodeName,
    ip: nodeIp,
    hostname: nodeName,
    cpu: o.cpu ?? hostCpus(),
    memory: o.memory ?? hostMemory(),
    maxPods: o.maxPods,
    kubeletPort: server.port,
    dockerVersion,
    labels: o.nodeLabels,
    system: hostSystemInfo(),
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
  }, o.nodeStatusUpdateFrequencySeconds * 1000);
  const lease = new NodeLease({ client, nodeName, nodeUid: node.metadata.uid, durationSeconds: o.nodeLeaseDurationSeconds, logger });
  lease.start();

  const services = new Informer<Service>(client.resource<Service>(RESOURCES.services), { logger });
  services.start();
  const recorder = new EventRecorder({ client, component: 'kubelet', host: nodeName, logger });
  const ipam = new Ipam();
  const clusterDns = o.clusterDns;
  let workersRef: Kubelet['workers'] | undefined;
  const ctx: PodContext = {
    docker,
    runtime,
    client,
    nodeName,
    network,
    pauseImage: o.pauseImage,
    rootDir,
    ipam,
    hostIp: nodeIp,
    probes: new ProbeManager({ docker, logger, recorder, onChange: (uid) => workersRef?.enqueue(uid) }),
    recorder,
    crashBackoff: new Backoff({ baseMs: o.crashBackoffBaseSeconds * 1000, capMs: o.crashBackoffMaxSeconds * 1000, resetAfterMs: 10 * 60_000 }),
    pullBackoff: new Backoff({ baseMs: o.imageBackoffBaseSeconds * 1000, capMs: o.imageBackoffMaxSeconds * 1000 }),
    sources: apiEnvSources(client, services),
    statusWriter: new StatusWriter(client, logger),
    tokens: new TokenManager({ request: apiTokenRequester(client), logger }),
    logger,
    now: Date.now,
  };
  if (clusterDns.length) ctx.dns = { servers: clusterDns, domain: o.clusterDomain };

  const ops = await startOpsServer({
    host: o.opsAddress,
    port: o.opsPort,
    registry,
    checks: { pleg: () => kubelet?.pleg.healthy() ?? 'starting', syncloop: () => (kubelet ? true : 'starting') },
  });
  logger.info({ port: ops.port }, 'ops server listening');

  // containers keep running: a restarted kubelet adopts them
  onTermination(logger, async () => {
    abort.abort();
    clearInterval(statusTimer);
    lease.stop();
    stats.stop();
    await kubelet?.stop().catch(() => undefined);
    await services.stop().catch(() => undefined);
    await server.close().catch(() => undefined);
    await ops.close().catch(() => undefined);
    client.close();
  });

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
    relistPeriodMs: o.relistPeriodMs,
    resyncMs: o.syncFrequencySeconds * 1000,
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
