/**
 * Projected volume validation (core `validateProjectedVolumeSource`): every source sets
 * exactly one of secret, configMap, downwardAPI or serviceAccountToken; item paths are
 * relative, never climb out with '..', and are unique across the volume; a
 * serviceAccountToken needs a path and lives at least 10 minutes (at most 2^32 seconds).
 * Expects defaults applied (expirationSeconds 3600). Pure; returns causes.
 */
import type { DownwardAPIVolumeFile, KeyToPath, Volume, VolumeProjection } from '@mk8s/shared';
import { arrayOf, child, forbidden, index, invalid, isObj, isSet, required, type FieldCause } from './causes.js';
import { validateLocalDescendingPath } from './container.js';

const SOURCES = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const;
export const MIN_TOKEN_SECONDS = 600;
export const MAX_TOKEN_SECONDS = 2 ** 32;

/** A relative path inside the volume: no leading '/', no '..' element, not starting with '..'. */
function validateLocalNonReservedPath(path: string, field: string): FieldCause[] {
  const causes = validateLocalDescendingPath(path, field);
  if (path.startsWith('..') && !causes.length) causes.push(invalid(field, path, "must not start with '..'"));
  return causes;
}

function notePath(path: unknown, volumePath: string, seen: Set<string>, value: unknown): FieldCause[] {
  if (typeof path !== 'string' || !path) return [];
  if (seen.has(path)) return [invalid(volumePath, value, 'conflicting duplicate paths')];
  seen.add(path);
  return [];
}

function validateItems(items: unknown, p: string, volumePath: string, seen: Set<string>, owner: unknown): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<KeyToPath>(items).forEach((it, i) => {
    const ip = index(child(p, 'items'), i);
    if (!isObj(it)) return void causes.push(invalid(ip, it, 'must be an object'));
    if (!it.key) causes.push(required(child(ip, 'key')));
    if (!it.path) causes.push(required(child(ip, 'path')));
    else causes.push(...validateLocalNonReservedPath(String(it.path), child(ip, 'path')), ...notePath(it.path, volumePath, seen, owner));
  });
  return causes;
}

function validateDownwardAPIFiles(items: unknown, p: string, volumePath: string, seen: Set<string>): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<DownwardAPIVolumeFile>(items).forEach((f, i) => {
    const ip = index(child(p, 'items'), i);
    if (!isObj(f)) return void causes.push(invalid(ip, f, 'must be an object'));
    if (!f.path) causes.push(required(child(ip, 'path')));
    else causes.push(...validateLocalNonReservedPath(String(f.path), child(ip, 'path')), ...notePath(f.path, volumePath, seen, f.path));
    const refs = [isSet(f.fieldRef), isSet(f.resourceFieldRef)].filter(Boolean).length;
    if (refs === 0) causes.push(required(ip, 'one of fieldRef and resourceFieldRef is required'));
    if (refs > 1) causes.push(invalid(ip, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    if (isObj(f.fieldRef) && !f.fieldRef.fieldPath) causes.push(required(child(child(ip, 'fieldRef'), 'fieldPath')));
  });
  return causes;
}

function validateTokenSource(t: NonNullable<VolumeProjection['serviceAccountToken']>, p: string, volumePath: string, seen: Set<string>): FieldCause[] {
  const causes: FieldCause[] = [];
  const exp = t.expirationSeconds ?? 3600;
  const ep = child(p, 'expirationSeconds');
  if (typeof exp !== 'number' || !Number.isInteger(exp)) causes.push(invalid(ep, exp, 'must be an integer'));
  else if (exp < MIN_TOKEN_SECONDS) causes.push(invalid(ep, exp, 'may not specify a duration less than 10 minutes'));
  else if (exp > MAX_TOKEN_SECONDS) causes.push(invalid(ep, exp, 'may not specify a duration larger than 2^32 seconds'));
  if (!t.path) causes.push(required(child(p, 'path')));
  else causes.push(...validateLocalNonReservedPath(String(t.path), child(p, 'path')), ...notePath(t.path, volumePath, seen, t.path));
  if (isSet(t.audience) && typeof t.audience !== 'string') causes.push(invalid(child(p, 'audience'), t.audience, 'must be a string'));
  return causes;
}

/** `p` is the volume's field path (`spec.volumes[0]`). */
export function validateProjectedVolume(projected: Volume['projected'], p: string): FieldCause[] {
  const path = child(p, 'projected');
  if (!isObj(projected)) return [invalid(path, projected, 'must be an object')];
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  const mode = projected.defaultMode;
  if (isSet(mode) && (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777)) {
    causes.push(invalid(child(path, 'defaultMode'), mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
  }
  arrayOf<VolumeProjection>(projected.sources).forEach((src, i) => {
    const sp = index(child(path, 'sources'), i);
    if (!isObj(src)) return void causes.push(invalid(sp, src, 'must be an object'));
    const present = SOURCES.filter((s) => isSet((src as Record<string, unknown>)[s]));
    if (present.length === 0) causes.push(required(sp, 'must specify exactly 1 volume type per source'));
    if (present.length > 1) causes.push(forbidden(sp, 'may not specify more than 1 volume type per source'));
    for (const kind of ['secret', 'configMap'] as const) {
      const s = src[kind];
      if (!isSet(s)) continue;
      if (!isObj(s)) causes.push(invalid(child(sp, kind), s, 'must be an object'));
      else {
        if (!s.name) causes.push(required(child(child(sp, kind), 'name')));
        causes.push(...validateItems(s.items, child(sp, kind), path, seen, s.name ?? ''));
      }
    }
    if (isSet(src.downwardAPI)) {
      if (!isObj(src.downwardAPI)) causes.push(invalid(child(sp, 'downwardAPI'), src.downwardAPI, 'must be an object'));
      else causes.push(...validateDownwardAPIFiles(src.downwardAPI.items, child(sp, 'downwardAPI'), path, seen));
    }
    if (isSet(src.serviceAccountToken)) {
      if (!isObj(src.serviceAccountToken)) causes.push(invalid(child(sp, 'serviceAccountToken'), src.serviceAccountToken, 'must be an object'));
      else causes.push(...validateTokenSource(src.serviceAccountToken, child(sp, 'serviceAccountToken'), path, seen));
    }
  });
  return causes;
}
