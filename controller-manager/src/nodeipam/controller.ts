/**
 * NodeIpamController: gives every Node a `spec.podCIDR` (and `podCIDRs`) block from the cluster
 * CIDR. The used blocks are recomputed on each sync from the cached nodes (a node that set its own
 * podCIDR, e.g. kubelet --pod-cidr, is respected and its block counted as used) plus allocations
 * written but not yet seen in the cache; a deleted node's block is therefore free again as soon as
 * the cache drops it. Run with a single worker so two nodes never race for the same block.
 */
import { keyOf, type EventRecorder, type Logger, type Node, type ResourceApi } from '@mk8s/shared';
import { blockCidr, blocksCoveredBy, firstFreeBlock, type CidrSet } from './cidr.js';

export interface NodeIpamDeps {
  nodes: { get(namespace: string | undefined, name: string): Node | undefined; list(): Node[] };
  nodeApi: ResourceApi<Node>;
  recorder: EventRecorder;
  logger: Logger;
  cidrs: CidrSet;
  enqueue: (name: string) => void;
}

const podCidrsOf = (n: Node): string[] => [...new Set([...(n.spec?.podCIDRs ?? []), ...(n.spec?.podCIDR ? [n.spec.podCIDR] : [])])];

export class NodeIpamController {
  /** node name -> block written but not yet in the cache */
  private readonly pending = new Map<string, number>();

  constructor(private readonly d: NodeIpamDeps) {}

  onNodeChange = (n: Node): void => {
    if (podCidrsOf(n).length > 0) this.pending.delete(n.metadata.name ?? '');
    else this.d.enqueue(keyOf(n));
  };
  onNodeUpdate = (_old: Node, n: Node): void => this.onNodeChange(n);
  /** A freed block may unblock nodes still waiting for one. */
  onNodeDelete = (n: Node): void => {
    this.pending.delete(n.metadata.name ?? '');
    for (const other of this.d.nodes.list()) if (podCidrsOf(other).length === 0) this.d.enqueue(keyOf(other));
  };

  usedBlocks(): Set<number> {
    const used = new Set<number>(this.pending.values());
    for (const n of this.d.nodes.list()) for (const c of podCidrsOf(n)) for (const i of blocksCoveredBy(this.d.cidrs, c)) used.add(i);
    return used;
  }

  async sync(name: string): Promise<void> {
    const node = this.d.nodes.get(undefined, name);
    if (!node || podCidrsOf(node).length > 0 || this.pending.has(name)) return;
    const block = firstFreeBlock(this.d.cidrs, this.usedBlocks());
    if (block === undefined) {
      this.d.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      throw new Error('no pod CIDR block left in the cluster CIDR');
    }
    const cidr = blockCidr(this.d.cidrs, block);
    this.pending.set(name, block);
    try {
      await this.d.nodeApi.patch(undefined, name, { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
    } catch (err) {
      this.pending.delete(name);
      throw err;
    }
    this.d.logger.info({ node: name, podCIDR: cidr }, 'pod CIDR assigned');
  }
}
