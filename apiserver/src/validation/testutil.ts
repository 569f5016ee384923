/**
 * Builders and helpers for validation tests (not part of the build's public surface).
 * `run(kind, obj)` defaults then validates like the registry would for a create.
 */
import type { KubeObject, StatusCause } from '@mk8s/shared';
import { strategies } from './index.js';

export type Mutator<T> = (obj: T) => void;

export function clone<T>(obj: T): T {
  return structuredClone(obj);
}

/** Defaults and validates a create of `obj` (a copy), returning `[field, reason]` pairs. */
export function run(kind: string, obj: KubeObject): Array<[string, string]> {
  const s = strategies[kind];
  if (!s) throw new Error(`no strategy for ${kind}`);
  const copy = clone(obj);
  s.default?.(copy);
  return pairs(s.validate?.(copy) ?? []);
}

/** Defaults both and validates an update of `old` to `obj`. */
export function runUpdate(kind: string, obj: KubeObject, old: KubeObject): Array<[string, string]> {
  const s = strategies[kind];
  if (!s) throw new Error(`no strategy for ${kind}`);
  const a = clone(obj);
  const b = clone(old);
  s.default?.(a);
  s.default?.(b);
  return pairs(s.validateUpdate?.(a, b) ?? []);
}

export const pairs = (causes: StatusCause[]): Array<[string, string]> => causes.map((c) => [c.field ?? '', c.reason ?? '']);

export function messages(kind: string, obj: KubeObject): string[] {
  const s = strategies[kind];
  const copy = clone(obj);
  s?.default?.(copy);
  return (s?.validate?.(copy) ?? []).map((c) => `${c.field}: ${c.message}`);
}

export function mutate<T>(base: T, m: Mutator<T>): T {
  const copy = clone(base);
  m(copy);
  return copy;
}
