/**
 * Stock kubectl (1.27 ... 1.33, installed next to the `kubectl` dispatcher) against the
 * discovery plugin plus a few fake pod routes: discovery, `--validate=strict` through
 * OpenAPI v3, `explain`, and server-side Tables as `get -o wide` prints them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { ALL_RESOURCES, type KubeObject } from '@mk8s/shared';
import { discoveryRoutes } from '../src/discovery/plugin.js';
import { parseIncludeObject, toTable, wantsTable } from '../src/tables/table.js';
import { kubectlBinary } from '@mk8s/shared/testing';

const run = promisify(execFile);
/** The folder of the `kubectl` dispatcher, where the versioned binaries live. */
const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', labels: { app: 'web' }, creationTimestamp: new Date(Date.now() - 30 * 86400_000).toISOString() },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
  status: {
    phase: 'Running',
    podIP: '10.1.0.5',
    podIPs: [{ ip: '10.1.0.5' }],
    containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: {} } }],
  },
} as KubeObject;

let app: FastifyInstance;
let server: string;
const posts: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'mk8s-discovery-'));

beforeAll(async () => {
  app = Fastify();
  await app.register(discoveryRoutes, { resources: ALL_RESOURCES });
  app.get('/api/v1/namespaces/:ns/pods', async (req: { headers: { accept?: string }; query: { includeObject?: string } }) =>
    wantsTable(req.headers.accept)
      ? toTable('Pod', [pod], { resourceVersion: '7', includeObject: parseIncludeObject(req.query.includeObject) })
      : { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [pod] },
  );
  app.post('/api/v1/namespaces/:ns/pods', async (req, reply) => {
    posts.push(req.url);
    return reply.code(201).send(req.body);
  });
  server = await app.listen({ port: 0, host: '127.0.0.1' });
  writeFileSync(join(work, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: default}\nspec: {containers: [{name: c, image: busybox}]}\n');
});

afterAll(async () => {
  await app.close();
});

async function kubectl(version: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(kubectlBinary(version), ['--server', server, '--cache-dir', join(work, `cache-${version}`), ...args], {
    env: { ...process.env, KUBECONFIG: '/dev/null' },
  });
  return stdout;
}

describe.each(VERSIONS)('kubectl %s', (version) => {
  it('lists api-resources from discovery', async () => {
    const out = await kubectl(version, 'api-resources', '--no-headers');
    const rows = out.trim().split('\n').map((l) => l.split(/\s+/));
    expect(rows.find((r) => r[0] === 'pods' && r[2] === 'v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(rows.find((r) => r[0] === 'deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(rows.find((r) => r[0] === 'pods' && r[1] === 'metrics.k8s.io/v1beta1')).toEqual(['pods', 'metrics.k8s.io/v1beta1', 'true', 'PodMetrics']);
  });

  it('creates with strict validation left to the server', async () => {
    posts.length = 0;
    const out = await kubectl(version, 'create', '-f', join(work, 'pod.yaml'));
    expect(out.trim()).toBe('pod/x created');
    expect(posts).toEqual(['/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict']);
  });
});

describe('kubectl 1.32', () => {
  it('explains fields from the OpenAPI v3 schemas', async () => {
    const out = await kubectl('1.32', 'explain', 'pods.spec.containers');
    expect(out).toContain('KIND:       Pod');
    expect(out).toContain('FIELD: containers <[]Container>');
    expect(out).toMatch(/image\s+<string>/);
  });

  it('prints the server-side table with wide columns', async () => {
    const out = await kubectl('1.32', 'get', 'pods', '-o', 'wide');
    const [header, row] = out.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(row?.split(/\s+/)).toEqual(['web', '1/1', 'Running', '0', '30d', '10.1.0.5', 'node-1', '<none>', '<none>']);
  });

  it('builds label columns from the row metadata', async () => {
    const out = await kubectl('1.32', 'get', 'pods', '--show-labels', '--sort-by=.metadata.name');
    expect(out.trim().split('\n')[1]?.split(/\s+/)).toEqual(['web', '1/1', 'Running', '0', '30d', 'app=web']);
  });
});
