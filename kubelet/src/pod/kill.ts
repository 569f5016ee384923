/**
 * Pod termination: stop every container of a pod (app containers first, in parallel, with
 * the grace period: preStop hook, SIGTERM, SIGKILL when it runs out; then the sandbox), remove them all
 * with the pod's directories and IP reservations, and - when the pod object asked for its
 * deletion - finish that deletion in the API (DELETE with gracePeriodSeconds 0 and a uid
 * precondition, so a new pod of the same name is never hit). Idempotent.
 */
import { RESOURCES, isConflict, isNotFound, type Pod } from '@mk8s/shared';
import { LABEL_POD_IP, LABEL_TERMINATION_GRACE } from '../runtime/labels.js';
import { terminationGraceSeconds } from '../runtime/container-spec.js';
import type { PodContext } from './context.js';
import type { ImagePuller } from './images.js';
import { runPreStop } from './hooks.js';
import { groupPod } from './runtime-pod.js';
import { teardownPodDir } from './volumes.js';

export async function killPod(ctx: PodContext, uid: string, pod: Pod | undefined): Promise<void> {
  const rp = groupPod(await ctx.runtime.listContainers(uid), uid);
  const running = rp.all.filter((c) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused');
  const labelGrace = Number(rp.all[0]?.labels[LABEL_TERMINATION_GRACE] ?? '2');
  const grace = pod ? terminationGraceSeconds(pod) : Math.min(Number.isFinite(labelGrace) ? labelGrace : 2, 2);
  ctx.probes.removePod(uid);
  const podIp = rp.sandboxes[0]?.labels[LABEL_POD_IP];
  await Promise.all(
    running
      .filter((c) => !c.isSandbox)
      .map(async (c) => {
        let left = grace;
        if (pod) {
          ctx.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${c.containerName}`);
          const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((s) => s.name === c.containerName);
          left = await runPreStop(ctx, pod, spec, c.id, podIp, grace);
        }
        await ctx.runtime.stop(c.id, left);
      }),
  );
  await Promise.all(running.filter((c) => c.isSandbox).map((c) => ctx.runtime.stop(c.id, 2)));
}

export async function removePodContainers(ctx: PodContext, uid: string, images?: ImagePuller): Promise<void> {
  const rp = groupPod(await ctx.runtime.listContainers(uid), uid);
  for (const c of rp.all.filter((x) => !x.isSandbox)) await ctx.runtime.remove(c.id);
  for (const c of rp.sandboxes) {
    await ctx.runtime.remove(c.id);
    const ip = c.labels[LABEL_POD_IP];
    if (ip) ctx.ipam.release(ip);
  }
  await teardownPodDir(ctx.rootDir, uid);
  ctx.tokens.forgetPod(uid);
  ctx.crashBackoff.resetPrefix(`${uid}/`);
  images?.forgetPod(uid);
}

/** Kill, clean up, and complete the API deletion when `pod` carries a deletionTimestamp. */
export async function terminatePod(ctx: PodContext, uid: string, pod: Pod | undefined, images?: ImagePuller): Promise<void> {
  await killPod(ctx, uid, pod);
  await removePodContainers(ctx, uid, images);
  if (pod?.metadata.deletionTimestamp) {
    try {
      await ctx.client
        .resource<Pod>(RESOURCES.pods)
        .delete(pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
  ctx.statusWriter.forget(uid);
  ctx.logger.info({ pod: pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : undefined, uid }, 'pod terminated');
}
