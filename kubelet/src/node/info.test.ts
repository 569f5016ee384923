import { describe, expect, it } from 'vitest';
import { hostSystemInfo, prettyName } from './info.js';

describe('prettyName', () => {
  it.each([
    { name: 'quoted', text: 'NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', want: 'Debian GNU/Linux 12 (bookworm)' },
    { name: 'bare', text: 'PRETTY_NAME=Alpine\n', want: 'Alpine' },
    { name: 'absent', text: 'NAME=x\n', want: '' },
  ])('$name', ({ text, want }) => {
    expect(prettyName(text)).toBe(want);
  });
});

describe('hostSystemInfo', () => {
  it('reads this machine: a kernel version, and a boot id shaped like a UUID', () => {
    const s = hostSystemInfo();
    expect(s.kernelVersion).toMatch(/^\d+\.\d+/);
    expect(s.bootID).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.osImage).not.toBe('');
  });
});
