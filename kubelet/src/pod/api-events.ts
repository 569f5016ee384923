/**
 * A small fire-and-forget event recorder writing core/v1 Events for the kubelet (source
 * component "kubelet", host = node). Repeats of the same (object, type, reason, message)
 * within 10 minutes bump `count` and `lastTimestamp` of the existing Event instead of
 * creating a new one. Writes are serialised and failures only logged. Used until (or
 * instead of) shared's EventRecorder; both satisfy EventSink.
 */
import { RESOURCES, type ApiClient, type Event, type KubeObject, type Logger } from '@mk8s/shared';
import type { EventSink, EventType } from './events.js';

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class ApiEventRecorder implements EventSink {
  private readonly seen = new Map<string, Seen>();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly opts: { client: ApiClient; component: string; host: string; logger: Logger },
  ) {}

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.pending > 500) return; // the apiserver is not keeping up; drop
    this.pending++;
    this.chain = this.chain
      .then(() => this.write(obj, type, reason, message))
      .catch((err: unknown) => this.opts.logger.debug({ err, reason }, 'event write failed'))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves when every event recorded so far has been written (tests). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const api = this.opts.client.resource<Event>(RESOURCES.events);
    const ns = obj.metadata.namespace ?? 'default';
    const key = [obj.metadata.uid, type, reason, message].join('\u0000');
    const t = now();
    const prev = this.seen.get(key);
    if (prev && Date.now() - prev.at < 600_000) {
      prev.count++;
      prev.at = Date.now();
      await api.patch(prev.namespace, prev.name, { count: prev.count, lastTimestamp: t }, 'merge');
      return;
    }
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${obj.metadata.name ?? 'object'}.`, namespace: ns },
      involvedObject: {
        apiVersion: obj.apiVersion ?? 'v1',
        kind: obj.kind ?? 'Pod',
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: t,
      lastTimestamp: t,
      source: { component: this.opts.component, host: this.opts.host },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host,
    };
    const created = await api.create(ev);
    if (this.seen.size > 5000) this.seen.clear();
    this.seen.set(key, { name: created.metadata.name ?? '', namespace: ns, count: 1, first: t, at: Date.now() });
  }
}
