import { describe, expect, it } from 'vitest';
import { silentLogger } from '@mk8s/shared';
import { ServiceRangeRoute } from './service-route.js';

function fakeIp(present: boolean) {
  const calls: string[] = [];
  let routes = present ? ['unreachable 10.96.0.0/12'] : [];
  const exec = async (_cmd: string, args: string[]): Promise<string> => {
    calls.push(args.join(' '));
    if (args[1] === 'route' && args[2] === 'show') return routes.join('\n');
    if (args[1] === 'replace') routes = ['unreachable 10.96.0.0/12'];
    if (args[1] === 'del') routes = [];
    return '';
  };
  return { calls, exec, routes: () => routes };
}

describe('ServiceRangeRoute', () => {
  it.each([
    { name: 'adds a missing route and removes it at the end', present: false, afterEnsure: 1, afterRemove: 0 },
    { name: 'leaves a route it did not add', present: true, afterEnsure: 1, afterRemove: 1 },
  ])('$name', async ({ present, afterEnsure, afterRemove }) => {
    const ip = fakeIp(present);
    const r = new ServiceRangeRoute('10.96.0.0/12', silentLogger(), ip.exec);
    await r.ensure();
    expect(ip.routes()).toHaveLength(afterEnsure);
    await r.remove();
    expect(ip.routes()).toHaveLength(afterRemove);
  });
});
