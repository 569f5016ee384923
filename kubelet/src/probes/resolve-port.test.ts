import { describe, it, expect } from 'vitest';
import { resolveProbePort } from './index.js';
import { isProbeSuccessCode } from './http-probe.js';
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
