/**
 * Making a container's image available per imagePullPolicy. There is no registry in mk8s,
 * so a pull normally fails: Always/IfNotPresent-with-missing-image -> ErrImagePull, then
 * ImagePullBackOff while the pull back-off runs; Never with a missing image ->
 * ErrImageNeverPull. Deliberate difference from Kubernetes: with policy Always, when the
 * pull fails but the image is present locally, the local image is used (otherwise no
 * `:latest` image could ever run here).
 */
import type { Container, Pod } from '@mk8s/shared';
import type { PodContext } from './context.js';

export type ImageResult = { ok: true; imageId: string } | { ok: false; reason: string; message: string; retryAfterMs?: number };

export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class ImagePuller {
  /** last pull failure per key, ms since epoch */
  private readonly failures = new Map<string, number>();

  constructor(private readonly ctx: PodContext) {}

  async ensure(pod: Pod, c: Container): Promise<ImageResult> {
    const image = c.image ?? '';
    if (!image) return { ok: false, reason: 'InvalidImageName', message: 'container has no image' };
    const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
    const present = await this.ctx.runtime.imageId(image);
    const rec = this.ctx.recorder;
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        rec.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, imageId: present };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      rec.event(pod, 'Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata.uid}/${c.name}/${image}`;
    const lastFailure = this.failures.get(key);
    const backoff = this.ctx.pullBackoff;
    if (lastFailure !== undefined && backoff.isInBackOff(key, lastFailure)) {
      const message = `Back-off pulling image "${image}"`;
      rec.event(pod, 'Normal', 'BackOff', message);
      return { ok: false, reason: 'ImagePullBackOff', message, retryAfterMs: backoff.remaining(key, lastFailure) };
    }
    rec.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    try {
      await this.ctx.runtime.pull(image);
      this.failures.delete(key);
      backoff.reset(key);
      const id = (await this.ctx.runtime.imageId(image)) ?? '';
      rec.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}"`);
      return { ok: true, imageId: id };
    } catch (err) {
      const why = (err as Error).message;
      if (present) {
        this.ctx.logger.debug({ image, err: why }, 'pull failed, using the local image');
        rec.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine (pull failed: ${why})`);
        return { ok: true, imageId: present };
      }
      backoff.next(key);
      this.failures.set(key, this.ctx.now());
      const message = `Failed to pull image "${image}": ${why}`;
      rec.event(pod, 'Warning', 'Failed', message);
      rec.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, reason: 'ErrImagePull', message, retryAfterMs: backoff.remaining(key, this.ctx.now()) };
    }
  }

  forgetPod(uid: string): void {
    for (const k of this.failures.keys()) if (k.startsWith(`${uid}/`)) this.failures.delete(k);
    this.ctx.pullBackoff.resetPrefix(`${uid}/`);
  }
}
