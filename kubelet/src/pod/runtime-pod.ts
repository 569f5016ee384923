/**
 * One pod's containers as Docker has them, grouped: sandboxes newest first, and app
 * containers by container name, newest first (by restart count, then creation time).
 */
import type { RuntimeContainer } from '../runtime/docker.js';

export interface RuntimePod {
  uid: string;
  sandboxes: RuntimeContainer[];
  byName: Map<string, RuntimeContainer[]>;
  all: RuntimeContainer[];
}

const newestFirst = (a: RuntimeContainer, b: RuntimeContainer): number => b.restartCount - a.restartCount || b.createdAt - a.createdAt;

export function groupPod(list: RuntimeContainer[], uid: string): RuntimePod {
  const all = list.filter((c) => c.podUid === uid);
  const sandboxes = all.filter((c) => c.isSandbox).sort(newestFirst);
  const byName = new Map<string, RuntimeContainer[]>();
  for (const c of all) {
    if (c.isSandbox) continue;
    const l = byName.get(c.containerName) ?? [];
    l.push(c);
    byName.set(c.containerName, l);
  }
  for (const l of byName.values()) l.sort(newestFirst);
  return { uid, sandboxes, byName, all };
}

/** Pod uids present in a container list. */
export function podUids(list: RuntimeContainer[]): Set<string> {
  return new Set(list.map((c) => c.podUid).filter((u) => u !== ''));
}
