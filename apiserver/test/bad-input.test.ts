/**
 * Bad input against a real apiserver: each request gets the right 4xx code and a Kubernetes
 * Status body, nothing is stored, and the server keeps serving.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '@mk8s/shared';
import { startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.client.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'exists' } } });
});
afterAll(async () => {
  await cp?.stop();
});

interface Raw {
  code: number;
  body: string;
}

function raw(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>, token: string | null = cp.tokens.admin): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${cp.url}${path}`,
      {
        method,
        ca: cp.caPem,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const CM = '/api/v1/namespaces/default/configmaps';
const json = { 'Content-Type': 'application/json' };
const cm = (name: string, extra: object = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra } });
const deep = (n: number) => '{"metadata":{"name":"deep"},"data":' + '{"a":'.repeat(n) + '1' + '}'.repeat(n) + '}';
const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  token?: string | null;
  code: number;
  reason: string;
  /** an object name that must not exist afterwards */
  absent?: string;
  cause?: string;
}

const cases: Case[] = [
  { name: 'malformed JSON', method: 'POST', path: CM, body: '{"metadata": {"name": "broken"', headers: json, code: 400, reason: 'BadRequest', absent: 'broken' },
  { name: 'body over 3 MiB', method: 'POST', path: CM, body: JSON.stringify({ metadata: { name: 'huge' }, data: { x: 'a'.repeat(3.2 * 1024 * 1024) } }), headers: json, code: 413, reason: 'RequestEntityTooLarge', absent: 'huge' },
  { name: 'invalid name', method: 'POST', path: CM, body: cm('Bad_Name'), headers: json, code: 422, reason: 'Invalid', absent: 'Bad_Name', cause: 'metadata.name' },
  { name: 'invalid label key', method: 'POST', path: CM, body: cm('badlabel', { labels: { 'in valid/key': 'x' } }), headers: json, code: 422, reason: 'Invalid', absent: 'badlabel', cause: 'metadata.labels' },
  { name: 'invalid label value', method: 'POST', path: CM, body: cm('badvalue', { labels: { ok: 'x'.repeat(64) } }), headers: json, code: 422, reason: 'Invalid', absent: 'badvalue', cause: 'metadata.labels' },
  { name: 'wrong content type', method: 'POST', path: CM, body: cm('texty'), headers: { 'Content-Type': 'text/plain' }, code: 415, reason: 'UnsupportedMediaType', absent: 'texty' },
  { name: 'duplicate create', method: 'POST', path: CM, body: cm('exists'), headers: json, code: 409, reason: 'AlreadyExists' },
  { name: 'unknown patch type', method: 'PATCH', path: `${CM}/exists`, body: '{}', headers: { 'Content-Type': 'application/xml' }, code: 415, reason: 'UnsupportedMediaType' },
  { name: 'JSON nested too deep', method: 'POST', path: CM, body: deep(5000), headers: json, code: 400, reason: 'BadRequest', absent: 'deep' },
  { name: 'YAML alias bomb in apply', method: 'PATCH', path: `${CM}/bomb`, body: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${aliasBomb}\n`, headers: { 'Content-Type': 'application/apply-patch+yaml' }, code: 400, reason: 'BadRequest', absent: 'bomb' },
  { name: 'kind that does not match the URL', method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wrongkind' } }), headers: json, code: 400, reason: 'BadRequest', absent: 'wrongkind' },
  { name: 'namespace that does not match the URL', method: 'POST', path: CM, body: cm('otherns', { namespace: 'kube-system' }), headers: json, code: 400, reason: 'BadRequest', absent: 'otherns' },
  { name: 'missing token', method: 'GET', path: CM, token: null, code: 401, reason: 'Unauthorized' },
  { name: 'wrong token', method: 'GET', path: CM, token: 'not-a-token', code: 401, reason: 'Unauthorized' },
  { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/widgets', code: 404, reason: 'NotFound' },
  { name: 'unknown path', method: 'GET', path: '/nothing/here', code: 404, reason: 'NotFound' },
  { name: 'bad label selector', method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent('a in (b')}`, code: 400, reason: 'BadRequest' },
  { name: 'bad field selector', method: 'GET', path: `${CM}?fieldSelector=${encodeURIComponent('metadata.name')}`, code: 400, reason: 'BadRequest' },
  { name: 'bad continue token', method: 'GET', path: `${CM}?limit=1&continue=garbage`, code: 400, reason: 'BadRequest' },
  { name: 'bad dryRun value', method: 'POST', path: `${CM}?dryRun=Some`, body: cm('drysome'), headers: json, code: 400, reason: 'BadRequest', absent: 'drysome' },
  { name: 'invalid pod (no image)', method: 'POST', path: '/api/v1/namespaces/default/pods', body: JSON.stringify({ metadata: { name: 'noimage' }, spec: { containers: [{ name: 'c' }] } }), headers: json, code: 422, reason: 'Invalid', cause: 'spec.containers[0].image' },
  { name: 'negative replicas', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: JSON.stringify({ metadata: { name: 'neg' }, spec: { replicas: -1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }), headers: json, code: 422, reason: 'Invalid', cause: 'spec.replicas' },
  { name: 'service with port out of range', method: 'POST', path: '/api/v1/namespaces/default/services', body: JSON.stringify({ metadata: { name: 'badport' }, spec: { ports: [{ port: 70000 }] } }), headers: json, code: 422, reason: 'Invalid', cause: 'spec.ports[0].port' },
];

describe('bad input', () => {
  it.each(cases)('$name -> $code $reason', async (c) => {
    const res = await raw(c.method, c.path, c.body, c.headers ?? {}, c.token === undefined ? cp.tokens.admin : c.token);
    expect(res.code).toBe(c.code);
    const status = JSON.parse(res.body) as Status;
    expect(status.kind).toBe('Status');
    expect(status.status).toBe('Failure');
    expect(status.code).toBe(c.code);
    expect(status.reason).toBe(c.reason);
    if (c.cause) expect(status.details?.causes?.map((x) => x.field).some((f) => f?.startsWith(c.cause!))).toBe(true);
    if (c.absent) expect((await raw('GET', `${CM}/${c.absent}`, undefined, {})).code).toBe(404);
  });

  it('keeps serving after all of it', async () => {
    const res = await raw('GET', '/api/v1/namespaces/default', undefined, {});
    expect(res.code).toBe(200);
    expect((await raw('GET', '/readyz', undefined, {}, null)).code).toBe(200);
  });

  it('counts requests in /metrics by verb, resource and code, with latencies', async () => {
    const invalid = cases.filter((c) => c.method === 'POST' && c.path === CM && c.code === 422 && c.token === undefined).length;
    const res = await raw('GET', '/metrics', undefined, {});
    expect(res.code).toBe(200);
    const value = (series: string) => Number(res.body.split('\n').find((l) => l.startsWith(series + ' '))?.split(' ')[1] ?? NaN);
    expect(invalid).toBeGreaterThan(0);
    expect(value('apiserver_request_total{verb="create",resource="configmaps",subresource="",code="422"}')).toBeGreaterThanOrEqual(invalid);
    expect(value('apiserver_request_total{verb="create",resource="configmaps",subresource="",code="201"}')).toBeGreaterThanOrEqual(1);
    expect(value('apiserver_request_duration_seconds_count{verb="create",resource="configmaps",subresource=""}')).toBeGreaterThanOrEqual(invalid + 1);
    expect((await raw('GET', '/metrics', undefined, {}, null)).code).toBe(401);
  });
});
