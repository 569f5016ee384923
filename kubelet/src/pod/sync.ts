/**
 * syncPod: one convergent step moving a pod's containers toward its spec, then writing its
 * status. Reentrant and idempotent; a transient error is thrown and the worker retries.
 *
 * Order: inspect the pod's containers -> decide per container (decide.ts) -> kill what
 * must go -> make sure a running sandbox exists when anything must run (and stop it once
 * the pod is complete) -> start containers in spec order (image policy, env, mounts,
 * crash back-off) -> sync probes -> compute and write status. Returns when to look again.
 */
import type { Container, Pod } from '@mk8s/shared';
import { containerCreateOptions, containerHash, terminationGraceSeconds } from '../runtime/container-spec.js';
import type { ContainerDetails } from '../runtime/docker.js';
import type { PodContext } from './context.js';
import { decideContainer, type CurrentContainer, type Decision, type RestartPolicy } from './decide.js';
import { initProgress, type InitProgress } from './init.js';
import { ContainerConfigError, expandVars, resolveEnv } from './env.js';
import { runPostStart, runPreStop } from './hooks.js';
import { ImagePuller } from './images.js';
import { currentOf, dockerMessage, inspectAll, ms, type Waiting } from './observe.js';
import { groupPod, type RuntimePod } from './runtime-pod.js';
import { writePodStatus } from './status-sync.js';
import { prepareTerminationLog } from './termination-message.js';
import { createSandbox, createWithRetry, sandboxIp } from './sandbox.js';
import { containerMounts, setupVolumes, type PreparedVolume } from './volumes.js';

export interface SyncResult {
  /** sync again after this long (back-off expiry); undefined = the periodic resync */
  requeueAfterMs?: number;
}

export class PodSyncer {
  readonly images: ImagePuller;

  constructor(private readonly ctx: PodContext) {
    this.images = new ImagePuller(ctx);
  }

  async syncPod(pod: Pod): Promise<SyncResult> {
    const ctx = this.ctx;
    const uid = pod.metadata.uid ?? '';
    // this pod's containers only: listing the whole node on every sync loads Docker
    const rp = groupPod(await ctx.runtime.listContainers(uid), uid);
    const details = await inspectAll(this.ctx, rp);
    const waiting = new Map<string, Waiting>();
    const requeue: number[] = [];
    const oldPhase = (ctx.statusWriter.last(uid) ?? pod.status)?.phase;
    const terminal = oldPhase === 'Succeeded' || oldPhase === 'Failed';

    const sandbox = rp.sandboxes[0];
    const sandboxAlive = sandbox !== undefined && details.get(sandbox.id)?.running === true;
    const policy: RestartPolicy = pod.spec.restartPolicy ?? 'Always';
    const currentByName = (name: string): CurrentContainer | undefined => {
      const cur = rp.byName.get(name)?.[0];
      return cur ? currentOf(cur, details.get(cur.id)) : undefined;
    };
    const inits = pod.spec.initContainers ?? [];
    const init: InitProgress = terminal
      ? { done: true }
      : initProgress(inits, policy, currentByName, pod.spec.containers.some((c) => rp.byName.has(c.name)));
    const decisions: Decision[] = pod.spec.containers.map((c) => {
      const cur = rp.byName.get(c.name)?.[0];
      if (terminal || !init.done) {
        return { kill: cur ? details.get(cur.id)?.running === true : false, next: 'done', restartCount: cur?.restartCount ?? 0, isRestart: false };
      }
      return decideContainer({
        policy,
        hash: containerHash(c),
        sandboxId: sandboxAlive ? sandbox.id : undefined,
        current: currentByName(c.name),
        unhealthy: cur ? ctx.probes.unhealthy(cur.id) : undefined,
      });
    });
    if (!init.done) for (const c of pod.spec.containers) waiting.set(c.name, { reason: 'PodInitializing' });

    await this.killContainers(pod, rp, decisions, sandboxAlive ? sandboxIp(ctx, pod, sandbox) : undefined);

    const needSandbox = decisions.some((d) => d.next !== 'done') || (!init.done && !init.failed);
    let sandboxId = sandboxAlive ? sandbox.id : undefined;
    let podIp = sandboxAlive ? sandboxIp(ctx, pod, sandbox) : undefined;
    if (needSandbox && !sandboxAlive) {
      if (!pod.spec.hostNetwork && !ctx.ipam.podCidr) {
        for (const c of pod.spec.containers) waiting.set(c.name, { reason: 'ContainerCreating', message: 'node has no podCIDR yet' });
        requeue.push(1000);
      } else {
        for (const old of rp.sandboxes) {
          await ctx.runtime.remove(old.id);
          const oldIp = sandboxIp(ctx, pod, old);
          if (oldIp && !pod.spec.hostNetwork) ctx.ipam.release(oldIp);
        }
        const attempt = sandbox ? sandbox.restartCount + 1 : 0;
        try {
          const sb = await createSandbox(ctx, pod, attempt, await ctx.runtime.listContainers());
          sandboxId = sb.id;
          podIp = sb.podIp;
          ctx.logger.info({ pod: pod.metadata.name, sandbox: sb.id.slice(0, 12), podIp }, 'sandbox started');
        } catch (err) {
          // e.g. a hostPort already taken: report it and try again later
          const message = `Failed to create pod sandbox: ${dockerMessage(err)}`;
          ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', message);
          for (const c of pod.spec.containers) waiting.set(c.name, { reason: 'ContainerCreating', message });
          requeue.push(5000);
        }
      }
    } else if (!needSandbox && sandboxAlive) {
      await ctx.runtime.stop(sandbox.id, 2);
    }

    if (sandboxId) {
      let volumes: Map<string, PreparedVolume> | undefined;
      const starts: Array<[string, Container, Decision | undefined]> = pod.spec.containers.map((c, i) => [String(i), c, decisions[i]]);
      if (!init.done && !init.failed) {
        const ic = inits[init.index];
        if (ic) starts.unshift([`init-${init.index}`, ic, init.decision]);
      }
      for (const [index, c, d] of starts) {
        if (!d || d.next !== 'start') continue;
        try {
          volumes ??= await setupVolumes(pod, ctx.rootDir, ctx.sources, ctx.tokens, ctx.logger);
          const w = await this.startContainer(pod, index, c, d, rp, details, sandboxId, podIp, volumes);
          if (w) {
            waiting.set(c.name, w.waiting);
            if (w.retryAfterMs !== undefined) requeue.push(w.retryAfterMs);
          }
        } catch (err) {
          if (!(err instanceof ContainerConfigError)) throw err;
          waiting.set(c.name, { reason: err.reason, message: err.message });
          ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${err.message}`);
          requeue.push(5000);
        }
      }
    }

    // a pod that was already Succeeded/Failed keeps the status it ended with
    if (terminal) ctx.probes.removePod(uid);
    else await writePodStatus(ctx, pod, waiting, podIp);
    const next = requeue.length ? Math.max(100, Math.min(...requeue)) : undefined;
    return next === undefined ? {} : { requeueAfterMs: next };
  }

  private async killContainers(pod: Pod, rp: RuntimePod, decisions: Decision[], podIp: string | undefined): Promise<void> {
    const grace = terminationGraceSeconds(pod);
    await Promise.all(
      pod.spec.containers.map(async (c, i) => {
        const d = decisions[i];
        const cur = rp.byName.get(c.name)?.[0];
        if (!d?.kill || !cur) return;
        const why =
          d.killReason === 'unhealthy'
            ? (this.ctx.probes.unhealthy(cur.id) ?? `Container ${c.name} is unhealthy`)
            : d.killReason === 'spec-changed'
              ? `Container ${c.name} definition changed, will be restarted`
              : `Stopping container ${c.name}`;
        this.ctx.recorder.event(pod, 'Normal', 'Killing', why);
        const left = await runPreStop(this.ctx, pod, c, cur.id, podIp, grace);
        await this.ctx.runtime.stop(cur.id, left);
      }),
    );
  }

  /** Starts one container; returns why it is waiting instead, if it is. */
  private async startContainer(
    pod: Pod,
    index: string,
    c: Container,
    d: Decision,
    rp: RuntimePod,
    details: Map<string, ContainerDetails>,
    sandboxId: string,
    podIp: string | undefined,
    volumes: Map<string, PreparedVolume>,
  ): Promise<{ waiting: Waiting; retryAfterMs?: number } | undefined> {
    const ctx = this.ctx;
    const uid = pod.metadata.uid ?? '';
    const key = `${uid}/${c.name}`;
    const list = rp.byName.get(c.name) ?? [];
    const cur = list[0];
    if (d.isRestart && cur) {
      const det = details.get(cur.id);
      // a container killed in this very sync has no finish time yet; one that never
      // started (Docker refused to start it) counts from its creation
      const finished = ms(det?.finishedAt) ?? (d.kill ? ctx.now() : cur.createdAt * 1000);
      if (ctx.crashBackoff.isInBackOff(key, finished)) {
        const delay = ctx.crashBackoff.delay(key);
        const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})`;
        ctx.recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
        return { waiting: { reason: 'CrashLoopBackOff', message }, retryAfterMs: ctx.crashBackoff.remaining(key, finished) };
      }
      const started = ms(det?.startedAt);
      ctx.crashBackoff.next(key, started !== undefined ? finished - started : undefined);
    }
    const image = await this.images.ensure(pod, c);
    if (!image.ok) {
      const w: { waiting: Waiting; retryAfterMs?: number } = { waiting: { reason: image.reason, message: image.message } };
      if (image.retryAfterMs !== undefined) w.retryAfterMs = image.retryAfterMs;
      return w;
    }
    const env = await resolveEnv(pod, c, { nodeName: ctx.nodeName, podIp, hostIp: ctx.hostIp }, ctx.sources);
    const vars = new Map(env);
    const mounts = await containerMounts(c, volumes);
    const terminationLog = await prepareTerminationLog(ctx.rootDir, uid, c, d.restartCount);
    if (terminationLog) mounts.push(terminationLog);
    // keep the newest dead container as "previous"; a never-started one is replaced
    const stale = cur && d.isRestart ? list.slice(1) : list;
    for (const s of stale) await ctx.runtime.remove(s.id);
    const opts = containerCreateOptions(pod, c, {
      index,
      nodeName: ctx.nodeName,
      sandboxId,
      restartCount: d.restartCount,
      image: c.image ?? '',
      env,
      mounts,
      command: c.command?.map((s) => expandVars(s, vars)),
      args: c.args?.map((s) => expandVars(s, vars)),
    });
    const id = await createWithRetry(ctx, opts);
    ctx.recorder.event(pod, 'Normal', 'Created', `Created container ${c.name}`);
    try {
      await ctx.runtime.start(id);
    } catch (err) {
      const message = dockerMessage(err);
      ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      ctx.crashBackoff.next(key);
      return { waiting: { reason: 'RunContainerError', message }, retryAfterMs: ctx.crashBackoff.delay(key) };
    }
    ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    const hookFailure = await runPostStart(ctx, pod, c, id, podIp);
    if (hookFailure) {
      ctx.recorder.event(pod, 'Normal', 'Killing', `FailedPostStartHook`);
      await ctx.runtime.stop(id, terminationGraceSeconds(pod));
    }
    return undefined;
  }
}
