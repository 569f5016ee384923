/**
 * EventRecorder: records core/v1 Events about objects, fire-and-forget (`event()` never throws;
 * failures are logged). An event goes to the object's namespace ('default' for cluster-scoped
 * objects), named `<object name>.<unique hex>`. The same event (object uid, type, reason,
 * message) repeated within `foldWindowMs` (10 minutes) is folded: the existing Event's count and
 * lastTimestamp are patched instead of creating another. Writes are sent one at a time, in order.
 * Messages are stored as given and readable by anyone who can list events: callers must never put
 * secret data (Secret contents, tokens, env values) in them.
 */
import type { Logger } from 'pino';
import type { Event, ObjectReference } from './api/core.js';
import { isNotFound } from './api/errors.js';
import type { KubeObject } from './api/meta.js';
import { RESOURCES } from './api/resources.js';
import type { ApiClient, ResourceApi } from './client/types.js';
import { realClock, type Clock } from './clock.js';
import { silentLogger } from './log.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: ApiClient;
  component: string;
  host?: string;
  logger?: Logger;
  clock?: Clock;
  /** repeats within this window are folded into one Event; default 10 minutes */
  foldWindowMs?: number;
  /** most writes waiting to be sent; more are dropped (and logged); default 1000 */
  maxPending?: number;
}

interface Folded {
  namespace: string;
  name: string;
  count: number;
  lastSeenMs: number;
}

const MAX_MESSAGE = 1024;
const MAX_CACHE = 4096;
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class EventRecorder {
  private readonly events: ResourceApi<Event>;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly foldWindowMs: number;
  private readonly maxPending: number;
  private readonly folded = new Map<string, Folded>();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private seq = 0;

  constructor(private readonly opts: EventRecorderOptions) {
    this.events = opts.client.resource<Event>(RESOURCES.events);
    this.log = (opts.logger ?? silentLogger()).child({ events: opts.component });
    this.clock = opts.clock ?? realClock;
    this.foldWindowMs = opts.foldWindowMs ?? 10 * 60_000;
    this.maxPending = opts.maxPending ?? 1000;
  }

  /** Records an event about `obj`. Never throws; the write happens in the background. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.pending >= this.maxPending) {
      this.log.warn({ reason, object: obj.metadata.name }, 'too many pending events; dropping event');
      return;
    }
    this.pending++;
    const nowMs = this.clock.now();
    this.chain = this.chain
      .then(() => this.write(obj, type, reason, message.slice(0, MAX_MESSAGE), nowMs))
      .catch((err: unknown) => this.log.warn({ err, reason, object: obj.metadata.name }, 'failed to record event'))
      .finally(() => this.pending--);
  }

  /** Resolves when every event recorded so far has been written (or has failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(obj: KubeObject, type: EventType, reason: string, message: string, nowMs: number): Promise<void> {
    const key = [obj.metadata.uid ?? `${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, type, reason, message].join('\u0000');
    const prev = this.folded.get(key);
    if (prev && nowMs - prev.lastSeenMs <= this.foldWindowMs) {
      try {
        await this.events.patch(prev.namespace, prev.name, { count: prev.count + 1, lastTimestamp: timestamp(nowMs) }, 'merge');
        prev.count++;
        prev.lastSeenMs = nowMs;
        this.touch(key, prev);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // the event was deleted (TTL); record a fresh one
      }
    }
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name ?? 'unknown'}.${this.uniqueSuffix(nowMs)}`;
    const ts = timestamp(nowMs);
    await this.events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: this.referenceTo(obj),
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      eventTime: null,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    });
    this.touch(key, { namespace, name, count: 1, lastSeenMs: nowMs });
  }

  private referenceTo(obj: KubeObject): ObjectReference {
    const ref: ObjectReference = { kind: obj.kind, apiVersion: obj.apiVersion, name: obj.metadata.name };
    if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
    if (obj.metadata.uid) ref.uid = obj.metadata.uid;
    if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
    return ref;
  }

  /** Hex of the time in nanoseconds plus a sequence number, as client-go names events. */
  private uniqueSuffix(nowMs: number): string {
    return (BigInt(nowMs) * 1_000_000n + BigInt(++this.seq % 1_000_000)).toString(16);
  }

  /** Keeps the fold cache bounded, least recently used out first. */
  private touch(key: string, f: Folded): void {
    this.folded.delete(key);
    this.folded.set(key, f);
    if (this.folded.size > MAX_CACHE) this.folded.delete(this.folded.keys().next().value!);
  }
}
