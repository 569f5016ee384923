#!/usr/bin/env node
/**
 * mk8s-apiserver: parses flags, connects to etcd, builds the server and listens over HTTPS.
 * Shuts down cleanly on SIGTERM/SIGINT (open watches are closed, etcd disconnected).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { Etcd3 } from 'etcd3';
import { newRootLogger } from '@mk8s/shared';
import { loadTokenFile } from './http/auth.js';
import { buildServer } from './server.js';
import { installFastAsyncResourceBind } from './storage/async-resource-bind.js';
import { serverExtensions } from './extensions.js';

const program = new Command('mk8s-apiserver')
  .description('The mk8s API server: Kubernetes v1 objects over etcd')
  .addOption(new Option('--etcd-servers <urls>', 'comma-separated etcd client URLs').env('ETCD_SERVERS').default('http://127.0.0.1:2379'))
  .addOption(new Option('--etcd-prefix <prefix>', 'key prefix in etcd').env('ETCD_PREFIX').default('/registry'))
  .addOption(new Option('--bind-address <ip>', 'address to listen on').env('BIND_ADDRESS').default('0.0.0.0'))
  .addOption(new Option('--secure-port <port>', 'HTTPS port').env('SECURE_PORT').default('6443'))
  .addOption(new Option('--tls-cert-file <path>', 'serving certificate').env('TLS_CERT_FILE'))
  .addOption(new Option('--tls-private-key-file <path>', 'serving key').env('TLS_PRIVATE_KEY_FILE'))
  .addOption(new Option('--insecure-http', 'serve plain HTTP (tests and debugging only)').default(false))
  .addOption(new Option('--token-auth-file <path>', 'static bearer tokens: token,user,uid,"groups"').env('TOKEN_AUTH_FILE').makeOptionMandatory())
  .addOption(new Option('--kubelet-token-file <path>', 'token the apiserver presents to kubelets').env('KUBELET_TOKEN_FILE'))
  .addOption(new Option('--service-cluster-ip-range <cidr>', 'service ClusterIP range').env('SERVICE_CLUSTER_IP_RANGE').default('10.96.0.0/12'))
  .addOption(new Option('--service-node-port-range <range>', 'NodePort range').env('SERVICE_NODE_PORT_RANGE').default('30000-32767'))
  .addOption(new Option('--allow-loopback-kubelets', 'let pods/log and pods/exec reach kubelets on loopback addresses (single-machine clusters)').env('ALLOW_LOOPBACK_KUBELETS').default(false))
  .addOption(new Option('--advertise-address <ip>', 'address other components reach the apiserver at').env('ADVERTISE_ADDRESS'))
  .addOption(new Option('--default-toleration-seconds <n>', 'default not-ready/unreachable toleration for pods').env('DEFAULT_TOLERATION_SECONDS').default('300'))
  .addOption(new Option('--etcd-compaction-interval <seconds>', 'compact etcd history this often (0 = never)').env('ETCD_COMPACTION_INTERVAL').default('300'))
  .addOption(new Option('--watch-bookmark-interval <seconds>', 'bookmark period for watches that allow them').default('15'))
  .addOption(new Option('--min-request-timeout <seconds>', 'default watch timeout').default('1800'))
  .parse();

const opts = program.opts<Record<string, string | boolean | undefined>>();
const log = newRootLogger('apiserver');

async function main(): Promise<void> {
  if (installFastAsyncResourceBind()) log.info('AsyncResource#bind replaced by one without the deprecated asyncResource property (nodejs/node#58218: ~0.1 ms per etcd call)');
  const etcd = new Etcd3({
    hosts: String(opts.etcdServers).split(','),
    dialTimeout: 3000,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 10_000 }),
  });
  const tokens = loadTokenFile(String(opts.tokenAuthFile));
  const https =
    opts.insecureHttp || !opts.tlsCertFile
      ? undefined
      : { cert: readFileSync(String(opts.tlsCertFile)), key: readFileSync(String(opts.tlsPrivateKeyFile ?? '')) };
  if (!https && !opts.insecureHttp) throw new Error('--tls-cert-file and --tls-private-key-file are required (or --insecure-http)');
  const ext = await serverExtensions({
    logger: log,
    etcd,
    etcdPrefix: String(opts.etcdPrefix),
    serviceClusterIPRange: String(opts.serviceClusterIpRange),
    nodePortRange: String(opts.serviceNodePortRange),
    defaultTolerationSeconds: Number(opts.defaultTolerationSeconds),
    kubeletToken: opts.kubeletTokenFile ? readFileSync(String(opts.kubeletTokenFile), 'utf8').trim() : undefined,
    advertiseAddress: opts.advertiseAddress ? String(opts.advertiseAddress) : undefined,
    securePort: Number(opts.securePort),
    allowLoopbackKubelets: !!opts.allowLoopbackKubelets,
  });
  const { app } = buildServer({
    etcd,
    logger: log,
    tokens,
    https,
    etcdPrefix: String(opts.etcdPrefix),
    compactionIntervalMs: Number(opts.etcdCompactionInterval) * 1000,
    bookmarkIntervalMs: Number(opts.watchBookmarkInterval) * 1000,
    watchTimeoutSeconds: Number(opts.minRequestTimeout),
    ...ext,
  });
  await app.listen({ host: String(opts.bindAddress), port: Number(opts.securePort) });
  const addr = app.server.address();
  log.info({ address: addr, https: !!https, etcd: opts.etcdServers }, 'apiserver listening');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    etcd.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: Error) => {
  log.fatal({ err: err.message }, 'apiserver failed to start');
  process.exit(1);
});
