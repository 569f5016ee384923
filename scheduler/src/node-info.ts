/**
 * One node as the scheduler sees it: the Node object plus the pods counted on it (bound pods
 * from the informer and pods assumed after a bind), with running totals so that filters and
 * scores are O(1) in the number of pods.
 *
 * Contract: `addPod` / `removePod` are keyed by pod uid and idempotent (adding a uid twice
 * replaces the first entry, removing an unknown uid does nothing), so totals never drift.
 */
import type { Node, Pod } from '@mk8s/shared';
import { nodeAllocatable, podResourcesOf, type Allocatable, type HostPort, type PodResources, type Resources } from './resources.js';

export interface PodEntry {
  pod: Pod;
  res: PodResources;
}

export class NodeInfo {
  node: Node;
  allocatable: Allocatable;
  readonly pods = new Map<string, PodEntry>();
  readonly requested: Resources = { milliCpu: 0, memory: 0 };
  readonly nonZeroRequested: Resources = { milliCpu: 0, memory: 0 };
  /** `${protocol}/${port}` -> hostIP -> count */
  private readonly ports = new Map<string, Map<string, number>>();
  /** controller uid -> number of its pods here */
  private readonly owners = new Map<string, number>();

  constructor(node: Node) {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  addPod(pod: Pod, res: PodResources = podResourcesOf(pod)): void {
    const uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.removePod(uid);
    this.pods.set(uid, { pod, res });
    this.account(res, 1);
  }

  removePod(uid: string): void {
    const entry = this.pods.get(uid);
    if (!entry) return;
    this.pods.delete(uid);
    this.account(entry.res, -1);
  }

  hasPod(uid: string): boolean {
    return this.pods.has(uid);
  }

  /** true when `want` collides with a host port in use: same protocol and port, and same IP or either is 0.0.0.0 */
  portInUse(want: HostPort): boolean {
    const ips = this.ports.get(`${want.protocol}/${want.port}`);
    if (!ips || ips.size === 0) return false;
    if (want.ip === '0.0.0.0') return true;
    return ips.has(want.ip) || ips.has('0.0.0.0');
  }

  /** how many pods of controller `ownerUid` are counted here */
  ownerCount(ownerUid: string): number {
    return this.owners.get(ownerUid) ?? 0;
  }

  private account(res: PodResources, sign: 1 | -1): void {
    this.requested.milliCpu += sign * res.requests.milliCpu;
    this.requested.memory += sign * res.requests.memory;
    this.nonZeroRequested.milliCpu += sign * res.nonZero.milliCpu;
    this.nonZeroRequested.memory += sign * res.nonZero.memory;
    for (const p of res.hostPorts) {
      const key = `${p.protocol}/${p.port}`;
      let ips = this.ports.get(key);
      if (!ips) this.ports.set(key, (ips = new Map()));
      const n = (ips.get(p.ip) ?? 0) + sign;
      if (n > 0) ips.set(p.ip, n);
      else ips.delete(p.ip);
      if (ips.size === 0) this.ports.delete(key);
    }
    if (res.ownerUid) {
      const n = (this.owners.get(res.ownerUid) ?? 0) + sign;
      if (n > 0) this.owners.set(res.ownerUid, n);
      else this.owners.delete(res.ownerUid);
    }
  }
}
