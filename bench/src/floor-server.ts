#!/usr/bin/env node
/**
 * The stack's floor: the least an apiserver built on mk8s' required libraries must do per
 * create, with none of the API machinery. Over HTTPS (Node's server, the apiserver's
 * certificate) it takes `POST <any path>` with a JSON object, checks the bearer token, writes
 * the object with one create-if-absent etcd transaction through the etcd3 client (the
 * apiserver's options and its AsyncResource#bind fix), and replies 201 with the object and its
 * resourceVersion, or 409 when the key exists. Like the apiserver's watch cache it keeps one
 * etcd watch on its prefix and decodes every event. No routing, defaulting, validation,
 * admission, metrics or logging.
 *
 * The benchmark runs it as a separate process beside the apiserver, so "mk8s / floor" says how
 * much of what the stack allows the apiserver reaches, and "floor / raw" how much of raw etcd
 * any apiserver on this stack could reach on this machine.
 *
 *   node bench/dist/floor-server.js --etcd-servers URL --tls-cert-file F --tls-private-key-file F --token T [--port 0]
 * prints `listening <port>` when ready; stops on SIGTERM.
 */
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { installFastAsyncResourceBind } from '@mk8s/shared';

const PREFIX = '/bench-floor/';

const { values: flags } = parseArgs({
  options: {
    'etcd-servers': { type: 'string' },
    'tls-cert-file': { type: 'string' },
    'tls-private-key-file': { type: 'string' },
    token: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
for (const f of ['etcd-servers', 'tls-cert-file', 'tls-private-key-file', 'token'] as const) {
  if (!flags[f]) {
    console.error(`floor-server: --${f} is required`);
    process.exit(2);
  }
}

installFastAsyncResourceBind();
const etcd = new Etcd3({
  hosts: flags['etcd-servers']!.split(','),
  dialTimeout: 3000,
  defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 10_000 }),
});
const authorization = `Bearer ${flags.token}`;

interface Obj {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

function reply(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function create(raw: string, res: ServerResponse): Promise<void> {
  const obj = JSON.parse(raw) as Obj;
  const key = `${PREFIX}${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
  const txn = await etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value(JSON.stringify(obj))).commit();
  if (!txn.succeeded) return reply(res, 409, JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409 }));
  obj.metadata = { ...obj.metadata, resourceVersion: String(txn.header.revision) };
  reply(res, 201, JSON.stringify(obj));
}

async function main(): Promise<void> {
  const watcher = await etcd.watch().prefix(PREFIX).create();
  watcher.on('put', (kv) => JSON.parse(kv.value.toString('utf8')));
  const server = https.createServer({ cert: readFileSync(flags['tls-cert-file']!), key: readFileSync(flags['tls-private-key-file']!) }, (req, res) => {
    if (req.headers.authorization !== authorization) return reply(res, 401, '{"kind":"Status","code":401}');
    if (req.method !== 'POST') return reply(res, 405, '{"kind":"Status","code":405}');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      create(Buffer.concat(chunks).toString('utf8'), res).catch((err: Error) => reply(res, 500, JSON.stringify({ kind: 'Status', code: 500, message: err.message })));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(flags.port), '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void watcher.cancel().finally(() => {
      etcd.close();
      process.exit(0);
    });
  });
}

main().catch((err: Error) => {
  console.error(`floor-server: ${err.message}`);
  process.exit(1);
});
