/** What request handlers share: the registry, the resource table and server settings. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Etcd3 } from 'etcd3';
import type { KubeObject, Logger, Pod, TokenRequest } from '@mk8s/shared';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef } from '../registry/resource-def.js';
import type { WatchServerOptions } from './watch.js';

export interface TableConverter {
  wants(accept: string | undefined): boolean;
  list(kind: string, items: KubeObject[], opts: { includeObject?: string; resourceVersion?: string; continue?: string }): unknown;
  one(kind: string, obj: KubeObject, opts: { includeObject?: string }): unknown;
}

export interface ApiContext {
  registry: Registry;
  etcd: Etcd3;
  log: Logger;
  /** group/version/plural -> definition */
  defs: Map<string, ResourceDef>;
  watch: WatchServerOptions;
  tables?: TableConverter;
  kubelets?: KubeletProxy;
  /** serviceaccounts/token (TokenRequest); absent without a service account signing key */
  serviceAccountTokens?: (namespace: string, name: string, body: unknown) => Promise<TokenRequest>;
}

/** Streams pods' logs and exec sessions from the kubelet that runs them. */
export interface KubeletProxy {
  proxyLog(req: FastifyRequest, reply: FastifyReply, pod: Pod, q: Record<string, string | string[] | undefined>): Promise<unknown>;
  proxyExec(req: FastifyRequest, reply: FastifyReply, pod: Pod, q: Record<string, string | string[] | undefined>): Promise<unknown>;
  upgradeStream(
    kind: 'exec' | 'attach' | 'portforward',
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: Pod,
    q: Record<string, string | string[] | undefined>,
  ): Promise<void>;
}

export function defKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}
