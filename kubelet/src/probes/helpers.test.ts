import { describe, it, expect } from 'vitest';
import { resolveProbePort } from './index.js';
import { isProbeSuccessCode, probeURL, redirectDecision, type HttpProbeTarget } from './http-probe.js';
import { BoundedOutput } from './output.js';

describe('resolveProbePort', () => {
  it.each<[string, number | string, Record<string, number>, number | string]>([
    ['number', 8080, {}, 8080],
    ['numeric string', '80', {}, 80],
    ['named port', 'http', { http: 8080 }, 8080],
    ['unknown name', 'metrics', { http: 8080 }, 'port "metrics" not found in the container\'s ports'],
    ['zero', 0, {}, 'invalid port 0'],
    ['too large', 70000, {}, 'invalid port 70000'],
  ])('%s', (_name, port, ports, want) => {
    expect(resolveProbePort(port, ports)).toEqual(want);
  });
});

describe('isProbeSuccessCode', () => {
  it.each<[number, boolean]>([
    [199, false],
    [200, true],
    [302, true],
    [399, true],
    [400, false],
    [500, false],
  ])('%i -> %s', (code, want) => {
    expect(isProbeSuccessCode(code)).toBe(want);
  });
});

describe('BoundedOutput', () => {
  it.each<[string, number, string[], string]>([
    ['under the limit', 10, ['ab', 'cd'], 'abcd'],
    ['cut at the limit', 5, ['abc', 'def', 'g'], 'abcde'],
    ['empty', 5, [], ''],
  ])('%s', (_name, limit, writes, want) => {
    const out = new BoundedOutput(limit);
    for (const w of writes) out.write(w);
    expect(out.text()).toBe(want);
  });
});

describe('redirectDecision', () => {
  const at = new URL('http://10.0.0.5:8080/healthz');
  it.each<[string, number, string | undefined, string]>([
    ['200 is judged', 200, undefined, 'done'],
    ['302 without Location is judged', 302, undefined, 'done'],
    ['relative redirect is followed', 302, '/ready', 'http://10.0.0.5:8080/ready'],
    ['same host, other port is followed', 301, 'http://10.0.0.5:9090/x', 'http://10.0.0.5:9090/x'],
    ['other host stops', 307, 'http://example.com/', 'other-host'],
    ['304 is not a redirect', 304, '/x', 'done'],
    ['non-http scheme is judged', 302, 'ftp://10.0.0.5/x', 'done'],
  ])('%s', (_name, code, location, want) => {
    const got = redirectDecision(at, code, location);
    expect(typeof got === 'string' ? got : got.follow.href).toBe(want);
  });
});

describe('probeURL', () => {
  it.each<[string, HttpProbeTarget, string]>([
    ['plain', { scheme: 'HTTP', host: '10.0.0.5', port: 80, path: '/healthz', headers: [] }, 'http://10.0.0.5/healthz'],
    ['path without slash', { scheme: 'HTTP', host: '10.0.0.5', port: 8080, path: 'ready?x=1', headers: [] }, 'http://10.0.0.5:8080/ready?x=1'],
    ['ipv6 https', { scheme: 'HTTPS', host: 'fd00::5', port: 8443, path: '/', headers: [] }, 'https://[fd00::5]:8443/'],
  ])('%s', (_name, target, want) => {
    expect(probeURL(target).href).toBe(want);
  });
});
