/**
 * Parsing `label`/`annotate` arguments: resource arguments first, then `key=value` (set)
 * and `key-` (remove) changes. Builds the merge patch for one object and decides whether
 * it is allowed (`--overwrite` to change an existing value) and what changed. Pure.
 */
import { CliError } from './errors.js';

export interface KeyChanges {
  set: Record<string, string>;
  remove: string[];
}

const isChange = (a: string): boolean => a.includes('=') || (a.endsWith('-') && !a.includes('/')) || /^[^=]+-$/.test(a);

/** Splits positional args into resource args and changes. */
export function splitLabelArgs(args: string[]): { resourceArgs: string[]; changes: string[] } {
  const first = args.findIndex((a, i) => i > 0 && isChange(a));
  if (first < 0) return { resourceArgs: args, changes: [] };
  return { resourceArgs: args.slice(0, first), changes: args.slice(first) };
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `prefix part must be a DNS-1123 subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Parses `k=v` and `k-` items; label values are validated too when `labels` is true. */
export function parseKeyChanges(changes: string[], kind: 'label' | 'annotation'): KeyChanges {
  if (changes.length === 0) throw new CliError(`at least one ${kind} update is required`);
  const out: KeyChanges = { set: {}, remove: [] };
  for (const c of changes) {
    const eq = c.indexOf('=');
    if (eq < 0) {
      if (!c.endsWith('-')) throw new CliError(`invalid ${kind} spec: ${c}, should be key=value or key-`);
      const key = c.slice(0, -1);
      const bad = validateKey(key);
      if (bad) throw new CliError(`invalid ${kind} spec: ${c}: ${bad}`);
      out.remove.push(key);
      continue;
    }
    const key = c.slice(0, eq);
    const value = c.slice(eq + 1);
    const bad = validateKey(key);
    if (bad) throw new CliError(`invalid ${kind} spec: ${c}: ${bad}`);
    if (kind === 'label' && (value.length > 63 || !LABEL_VALUE.test(value))) {
      throw new CliError(`invalid label value: "${c}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    }
    if (key in out.set) throw new CliError(`can not both modify and remove ${kind} in the same command`);
    out.set[key] = value;
  }
  for (const k of out.remove) if (k in out.set) throw new CliError(`can not both modify and remove ${kind} in the same command`);
  return out;
}

/**
 * The map patch for one object's current labels/annotations, or an error message when a
 * value would change without --overwrite. `changed` is false when nothing would change.
 */
export function planKeyChanges(
  current: Record<string, string> | undefined,
  changes: KeyChanges,
  overwrite: boolean,
): { patch: Record<string, string | null>; changed: boolean; onlyRemovals: boolean } {
  const cur = current ?? {};
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes.set)) {
    if (k in cur && cur[k] !== v && !overwrite) throw new CliError(`'${k}' already has a value (${cur[k] ?? ''}), and --overwrite is false`);
    if (cur[k] !== v) patch[k] = v;
  }
  for (const k of changes.remove) if (k in cur) patch[k] = null;
  const changed = Object.keys(patch).length > 0;
  return { patch, changed, onlyRemovals: Object.keys(changes.set).length === 0 };
}
