/**
 * The scheduler's cache: a NodeInfo per node with the pods counted on it.
 *
 * Contract:
 * - Bound pods come from the pod informer (`addPod` / `updatePod` / `removePod`, keyed by
 *   uid). A pod is counted on exactly one node: re-adding it elsewhere moves it.
 * - `assumePod` counts a pod on its chosen node the moment the decision is made, before
 *   the bind reaches the apiserver, so the next decision already sees the reduced room.
 *   When the informer later reports the pod bound, the assumption is confirmed (replaced by
 *   the real object); `forgetPod` undoes an assumption whose bind failed.
 * - Pods may name a node the cache has not seen yet; they wait on a placeholder that is not
 *   offered to the framework until the Node arrives. A deleted node with pods left on it
 *   becomes such a placeholder again.
 * - `nodeList()` is the schedulable view for the framework, rebuilt only when the set of
 *   nodes changes.
 */
import type { Node, Pod } from '@mk8s/shared';
import { NodeInfo } from './node-info.js';

interface PodState {
  nodeName: string;
  assumed: boolean;
}

export const podUid = (pod: Pod): string => pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** node names whose NodeInfo has no Node object yet (placeholders) */
  private readonly placeholders = new Set<string>();
  private readonly podStates = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const existing = this.nodes.get(name);
    if (existing) existing.setNode(node);
    else this.nodes.set(name, new NodeInfo(node));
    if (this.placeholders.delete(name) || !existing) this.list = undefined;
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    if (info.pods.size > 0) this.placeholders.add(name);
    else this.nodes.delete(name);
    this.list = undefined;
  }

  /** A pod the informer reports bound to `spec.nodeName` (also confirms an assumption). */
  addPod(pod: Pod): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    this.place(pod, nodeName, false);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    this.removeByUid(podUid(pod));
  }

  /** Counts `pod` on `nodeName` ahead of the bind. */
  assumePod(pod: Pod, nodeName: string): void {
    this.place({ ...pod, spec: { ...pod.spec, nodeName } }, nodeName, true);
  }

  /** Undoes `assumePod` after a failed bind; a confirmed pod is left alone. */
  forgetPod(pod: Pod): void {
    const uid = podUid(pod);
    if (this.podStates.get(uid)?.assumed) this.removeByUid(uid);
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(podUid(pod))?.assumed ?? false;
  }

  /** The node the pod is counted on (assumed or confirmed), if any. */
  nodeOf(pod: Pod): string | undefined {
    return this.podStates.get(podUid(pod))?.nodeName;
  }

  getNode(name: string): NodeInfo | undefined {
    return this.placeholders.has(name) ? undefined : this.nodes.get(name);
  }

  /** The real nodes, for the framework. Do not mutate the array. */
  nodeList(): readonly NodeInfo[] {
    if (!this.list) this.list = [...this.nodes.values()].filter((n) => !this.placeholders.has(n.name));
    return this.list;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  private place(pod: Pod, nodeName: string, assumed: boolean): void {
    const uid = podUid(pod);
    const prev = this.podStates.get(uid);
    if (prev && prev.nodeName !== nodeName) this.removeByUid(uid);
    let info = this.nodes.get(nodeName);
    if (!info) {
      info = new NodeInfo({ metadata: { name: nodeName } });
      this.nodes.set(nodeName, info);
      this.placeholders.add(nodeName);
    }
    info.addPod(pod);
    this.podStates.set(uid, { nodeName, assumed });
  }

  private removeByUid(uid: string): void {
    const state = this.podStates.get(uid);
    if (!state) return;
    this.podStates.delete(uid);
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    info.removePod(uid);
    if (info.pods.size === 0 && this.placeholders.has(state.nodeName)) {
      this.nodes.delete(state.nodeName);
      this.placeholders.delete(state.nodeName);
    }
  }
}
