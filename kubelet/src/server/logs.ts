/**
 * GET /containerLogs/:namespace/:pod/:container: a container's logs as text/plain, as the kubelet
 * serves them. Headers go out at once; with follow=true the body streams until the container
 * stops or the client goes away (then the Docker stream is destroyed). stdout and stderr are
 * interleaved in Docker's order; limitBytes cuts the body. previous=true reads the previous
 * instance. Errors before streaming are Status bodies: 400 bad query, no previous instance or a
 * container not created yet ("waiting to start"), 404 unknown pod.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { DockerDemuxer, type DockerFrame } from './demux.js';
import { dockerLogsOptions, parseLogRequest, type LogRequest } from './log-options.js';
import { findPodContainers, previousInstance } from './containers.js';
import { apiStatus } from './status.js';
import type { Query } from './query.js';
import type { ServerDeps } from './deps.js';

interface LogParams {
  namespace: string;
  pod: string;
  container: string;
}

export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: LogParams; Querystring: Query }>('/containerLogs/:namespace/:pod/:container', async (req, reply) => {
    const { namespace, pod, container } = req.params;
    const logReq = parseLogRequest(req.query, Date.now());
    if (typeof logReq === 'string') return reply.code(400).send(apiStatus(400, 'BadRequest', logReq));
    const found = await findPodContainers(deps.docker, deps.nodeName, namespace, pod, container);
    if (!found.podExists) {
      return reply.code(404).send(apiStatus(404, 'NotFound', `pod "${namespace}/${pod}" does not exist`));
    }
    const current = found.containers[0];
    if (!current) {
      // The apiserver checked the name against the spec, so the container is not created yet.
      const msg = `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`;
      return reply.code(400).send(apiStatus(400, 'BadRequest', msg));
    }
    const target = logReq.previous ? previousInstance(found.containers) : current;
    if (!target) {
      const msg = `previous terminated container "${container}" in pod "${pod}" not found`;
      return reply.code(400).send(apiStatus(400, 'BadRequest', msg));
    }
    const docker = deps.docker.getContainer(target.id);
    const tty = (await docker.inspect()).Config.Tty;
    const opts = dockerLogsOptions(logReq);
    const source: Readable = opts.follow
      ? ((await docker.logs({ ...opts, follow: true })) as Readable)
      : ReadableStream.from([await docker.logs({ ...opts, follow: false })]);
    deps.logger.debug({ namespace, pod, container, id: target.id, follow: opts.follow }, 'serving logs');
    return streamLogs(reply, source, tty, logReq);
  });
}

function streamLogs(reply: FastifyReply, source: Readable, tty: boolean, logReq: LogRequest): FastifyReply {
  reply.hijack();
  const res: ServerResponse = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let remaining = logReq.limitBytes ?? Infinity;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    source.destroy();
    res.end();
  };
  const chunks: Readable = tty ? source : source.pipe(new DockerDemuxer());
  chunks.on('data', (chunk: Buffer | DockerFrame) => {
    if (done) return;
    const data = Buffer.isBuffer(chunk) ? chunk : chunk.data;
    const part = data.length > remaining ? data.subarray(0, remaining) : data;
    remaining -= part.length;
    if (!res.write(part)) {
      chunks.pause();
      res.once('drain', () => chunks.resume());
    }
    if (remaining <= 0) finish();
  });
  chunks.on('end', finish);
  chunks.on('error', finish);
  source.on('error', finish);
  res.on('close', () => {
    done = true;
    source.destroy();
  });
  return reply;
}
