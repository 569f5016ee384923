/**
 * The pod sandbox: one pause container per pod holding its network and IPC namespaces.
 * `createSandbox` allocates a pod IP from the node's podCIDR (none with hostNetwork),
 * creates and starts the pause container with that static address on the pod network,
 * and returns its id and IP. A failed creation releases the address and removes the
 * half-made container, so the next sync starts clean. The address stays reserved in the
 * Ipam until the sandbox is removed (`removeContainers` releases it).
 */
import type { Pod } from '@mk8s/shared';
import { sandboxCreateOptions } from '../runtime/container-spec.js';
import { LABEL_POD_IP } from '../runtime/labels.js';
import type { RuntimeContainer } from '../runtime/docker.js';
import type { PodContext } from './context.js';

export interface Sandbox {
  id: string;
  podIp: string | undefined;
}

/** Pod IPs recorded on this node's sandboxes. */
export function ipsInUse(list: RuntimeContainer[]): string[] {
  return list.filter((c) => c.isSandbox && c.labels[LABEL_POD_IP]).map((c) => c.labels[LABEL_POD_IP] ?? '');
}

export async function createSandbox(ctx: PodContext, pod: Pod, attempt: number, allContainers: RuntimeContainer[]): Promise<Sandbox> {
  const hostNetwork = pod.spec.hostNetwork === true;
  const inUse = hostNetwork ? [] : [...ipsInUse(allContainers), ...(await ctx.runtime.networkAddresses(ctx.network))];
  const podIp = hostNetwork ? undefined : ctx.ipam.allocate(inUse);
  const opts = sandboxCreateOptions(pod, {
    nodeName: ctx.nodeName,
    network: ctx.network,
    pauseImage: ctx.pauseImage,
    podIp,
    attempt,
    dns: ctx.dns,
  });
  let id: string | undefined;
  try {
    id = await createWithRetry(ctx, opts);
    await ctx.runtime.start(id);
    return { id, podIp: hostNetwork ? ctx.hostIp : podIp };
  } catch (err) {
    if (id) await ctx.runtime.remove(id).catch(() => undefined);
    // an address taken by a container we cannot see (exited, foreign) stays reserved so
    // the next attempt picks another one
    if (podIp && !String((err as Error).message).includes('Address already in use')) ctx.ipam.release(podIp);
    throw err;
  }
}

/** docker create; on a name conflict (a leftover of ours) removes the old one and retries once. */
export async function createWithRetry(ctx: PodContext, opts: Parameters<PodContext['runtime']['create']>[0]): Promise<string> {
  try {
    return await ctx.runtime.create(opts);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409 || !opts.name) throw err;
    await ctx.runtime.remove(opts.name);
    return ctx.runtime.create(opts);
  }
}

export function sandboxIp(ctx: PodContext, pod: Pod, sandbox: RuntimeContainer | undefined): string | undefined {
  if (pod.spec.hostNetwork) return ctx.hostIp;
  return sandbox?.labels[LABEL_POD_IP];
}
