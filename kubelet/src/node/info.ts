/**
 * Facts about the host the kubelet reports on its Node: hostname, first non-loopback IPv4
 * address, CPU count, memory, architecture in Go's naming, and the system identity shown by
 * `kubectl describe node` (machine and boot ids, kernel, OS). Read once at start; flags may
 * override the first four.
 */
import { readFileSync } from 'node:fs';
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

export interface SystemInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
}

/** The first line of a file, or '' when it cannot be read (a container, no permission). */
function firstLine(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n')[0]!.trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME from an os-release file's text. */
export function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=("?)(.*)\1$/m.exec(osRelease);
  return m?.[2] ?? '';
}

export function hostSystemInfo(): SystemInfo {
  let osRelease = '';
  try {
    osRelease = readFileSync('/etc/os-release', 'utf8');
  } catch {
    // no os-release: leave the OS image generic
  }
  return {
    machineID: firstLine('/etc/machine-id'),
    systemUUID: firstLine('/sys/class/dmi/id/product_uuid').toLowerCase(),
    bootID: firstLine('/proc/sys/kernel/random/boot_id'),
    kernelVersion: os.release(),
    osImage: prettyName(osRelease) || 'Linux',
  };
}
