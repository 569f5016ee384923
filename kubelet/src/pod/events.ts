/**
 * What the kubelet needs of an event recorder: fire-and-forget events about an object.
 * shared's EventRecorder satisfies it; tests pass a recording fake.
 */
import type { KubeObject } from '@mk8s/shared';

export type EventType = 'Normal' | 'Warning';

export interface EventSink {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export const nullEventSink: EventSink = { event: () => undefined };
