#!/usr/bin/env node
/**
 * mk8s-apiserver: parses flags, connects to etcd, builds the server and listens over HTTPS.
 * Shuts down cleanly on SIGTERM/SIGINT (open watches are closed, etcd disconnected).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { Etcd3 } from 'etcd3';
import { installFastAsyncResourceBind, newRootLogger } from '@mk8s/shared';
import { loadTokenFile } from './http/auth.js';
import { buildServer } from './server.js';
import { serverExtensions } from './extensions.js';
import { parseAuthorizationModes } from './authz/authorizer.js';
import { loadServiceAccountKeys } from './serviceaccount/keys.js';
import { DEFAULT_ISSUER, type ServiceAccountOptions } from './serviceaccount/wiring.js';

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
  .addOption(new Option('--service-account-signing-key-file <path>', 'PEM private key that signs service account tokens; enables TokenRequest and the ServiceAccount admission').env('SERVICE_ACCOUNT_SIGNING_KEY_FILE'))
  .addOption(
    new Option('--service-account-key-file <path...>', 'PEM file(s) of public keys (or certificates, private keys) that verify service account tokens; default: the signing key').env(
      'SERVICE_ACCOUNT_KEY_FILE',
    ),
  )
  .addOption(new Option('--service-account-issuer <url>', 'issuer (iss) of service account tokens').env('SERVICE_ACCOUNT_ISSUER').default(DEFAULT_ISSUER))
  .addOption(
    new Option('--service-account-extend-token-expiration <bool>', "issue kubelets' 3607 s pod-bound tokens for a year, warning after 3607 s")
      .env('SERVICE_ACCOUNT_EXTEND_TOKEN_EXPIRATION')
      .default('true'),
  )
  .addOption(new Option('--authorization-mode <modes>', 'comma-separated authorizers in order: AlwaysAllow, RBAC (members of system:masters are always allowed)').env('AUTHORIZATION_MODE').default('AlwaysAllow'))
  .addOption(new Option('--api-audiences <list>', 'comma-separated audiences a token must name to reach the API; default: the issuer').env('API_AUDIENCES'))
  .parse();

const opts = program.opts<Record<string, string | string[] | boolean | undefined>>();

/** Service account settings from the flags; undefined (feature off) without a signing key. */
function serviceAccountOptions(): ServiceAccountOptions | undefined {
  const signingFile = opts.serviceAccountSigningKeyFile ? String(opts.serviceAccountSigningKeyFile) : undefined;
  const raw = opts.serviceAccountKeyFile;
  const keyFiles = (Array.isArray(raw) ? raw : raw ? [String(raw)] : []).flatMap((f) => f.split(',')).filter(Boolean);
  if (!signingFile) {
    if (keyFiles.length) log.warn('--service-account-key-file without --service-account-signing-key-file: service account tokens stay off');
    return undefined;
  }
  const keys = loadServiceAccountKeys(signingFile, keyFiles);
  const issuer = String(opts.serviceAccountIssuer);
  const audiences = opts.apiAudiences ? String(opts.apiAudiences).split(',').map((a) => a.trim()).filter(Boolean) : [issuer];
  log.info({ issuer, audiences, kid: keys.signing!.kid, verificationKeys: keys.verification.length }, 'service account tokens enabled');
  const extendExpiration = String(opts.serviceAccountExtendTokenExpiration) !== 'false';
  return { issuer, audiences, keys: { ...keys, signing: keys.signing! }, extendExpiration };
}
const log = newRootLogger('apiserver');

async function main(): Promise<void> {
  if (installFastAsyncResourceBind()) log.info('AsyncResource#bind replaced by one without the deprecated asyncResource property (nodejs/node#58218: ~0.1 ms per etcd call)');
  const etcd = new Etcd3({
    hosts: String(opts.etcdServers).split(','),
    dialTimeout: 3000,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 10_000 }),
  });
  const tokens = loadTokenFile(String(opts.tokenAuthFile));
  const serviceAccounts = serviceAccountOptions();
  const authorizationModes = parseAuthorizationModes(String(opts.authorizationMode));
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
    serviceAccounts,
    authorizationModes,
    ...ext,
  });
  await app.listen({ host: String(opts.bindAddress), port: Number(opts.securePort) });
  const addr = app.server.address();
  log.info({ address: addr, https: !!https, etcd: opts.etcdServers, authorization: authorizationModes }, 'apiserver listening');
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
