/**
 * Facts about the host the kubelet reports on its Node: hostname, first non-loopback IPv4
 * address, CPU count, memory, architecture in Go's naming. Read once at start; flags may
 * override each of them.
 */
import os from 'node:os';

export function defaultNodeName(): string {
  return os.hostname().toLowerCase();
}

export function defaultNodeIp(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
    }
  }
  return '127.0.0.1';
}

export function goArch(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return map[arch] ?? arch;
}

export function hostCpus(): string {
  return String(os.cpus().length || 1);
}

export function hostMemory(): string {
  return `${Math.floor(os.totalmem() / 1024)}Ki`;
}
