import { describe, expect, it } from 'vitest';
import { silentLogger } from '@mk8s/shared';
import { addressLabel, AddressManager, parseAddresses } from './addresses.js';

/** A fake `ip` holding the addresses of one device with their labels. */
function fakeIp(initial: Record<string, string> = {}) {
  const addrs = new Map(Object.entries(initial));
  const calls: string[] = [];
  const exec = async (_cmd: string, args: string[]): Promise<string> => {
    calls.push(args.join(' '));
    if (args[0] === '-o') {
      const label = args[args.indexOf('label') + 1];
      return [...addrs].filter(([, l]) => l === label).map(([ip, l]) => `1: lo    inet ${ip}/32 scope global ${l}\\       valid_lft forever`).join('\n');
    }
    const ip = args[2]!.replace('/32', '');
    if (args[1] === 'add') {
      if (addrs.has(ip)) throw new Error('RTNETLINK answers: File exists');
      addrs.set(ip, args[args.indexOf('label') + 1]!);
    } else if (args[1] === 'del') {
      if (!addrs.delete(ip)) throw new Error('RTNETLINK answers: Cannot assign requested address');
    }
    return '';
  };
  return { addrs, calls, exec };
}

describe('AddressManager', () => {
  it.each([
    { name: 'adds missing', have: {}, desired: ['10.96.0.1'], added: ['10.96.0.1'], removed: [], left: ['10.96.0.1'] },
    { name: 'removes stale own', have: { '10.96.0.5': 'lo:mk8s' }, desired: ['10.96.0.1'], added: ['10.96.0.1'], removed: ['10.96.0.5'], left: ['10.96.0.1'] },
    { name: 'leaves foreign labels', have: { '10.96.0.5': 'lo:other' }, desired: [], added: [], removed: [], left: ['10.96.0.5'] },
    { name: 'existing unlabelled address is not an error', have: { '10.96.0.1': 'lo' }, desired: ['10.96.0.1'], added: ['10.96.0.1'], removed: [], left: ['10.96.0.1'] },
    { name: 'nothing to do', have: { '10.96.0.1': 'lo:mk8s' }, desired: ['10.96.0.1'], added: [], removed: [], left: ['10.96.0.1'] },
  ])('sync: $name', async ({ have, desired, added, removed, left }) => {
    const ip = fakeIp(have);
    const m = new AddressManager('lo', 'mk8s', silentLogger(), ip.exec);
    expect(await m.sync(new Set(desired))).toEqual({ added, removed });
    expect([...ip.addrs.keys()].sort()).toEqual(left);
  });

  it('removeAll removes what it owns and leaves the rest', async () => {
    const ip = fakeIp({ '10.96.0.9': 'lo:other' });
    const m = new AddressManager('lo', 'mk8s', silentLogger(), ip.exec);
    await m.sync(new Set(['10.96.0.1', '10.96.0.2']));
    await m.removeAll();
    expect([...ip.addrs.keys()]).toEqual(['10.96.0.9']);
  });

  it.each([
    { device: 'lo', tag: 'mk8s', want: 'lo:mk8s' },
    { device: 'lo', tag: 'this-is-too-long', want: 'error' },
  ])('addressLabel($device, $tag)', ({ device, tag, want }) => {
    let got: string;
    try {
      got = addressLabel(device, tag);
    } catch {
      got = 'error';
    }
    expect(got).toBe(want);
  });

  it('parseAddresses reads ip -o output', () => {
    expect(parseAddresses('1: lo    inet 10.96.0.1/32 scope global lo:mk8s\\n1: lo    inet 10.96.0.10/32 scope global lo:mk8s')).toEqual(['10.96.0.1', '10.96.0.10']);
  });
});
