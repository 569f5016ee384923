/**
 * Field selectors with Kubernetes semantics (apimachinery `fields`): `f=v`, `f==v`, `f!=v`,
 * comma-separated terms ANDed; `\,`, `\=` and `\\` escape those characters in values.
 * A field missing from the map reads as '' (so `f=` matches it and `f!=x` matches it).
 * Which fields exist for a kind is the apiserver's business: it passes a flat `fields` map
 * (metadata.name, metadata.namespace, spec.nodeName, status.phase, involvedObject.*, ...).
 * Bad syntax throws a 400 BadRequest.
 */
import { newBadRequest } from './api/errors.js';

export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
  /** true when it selects everything */
  empty(): boolean;
  toString(): string;
}

/** Escapes `\`, `,` and `=` in a field selector value. */
export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(v: string, whole: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=')
        throw newBadRequest(`invalid field selector: '${whole}': invalid escape sequence \\${n ?? ''}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw newBadRequest(`invalid field selector: '${whole}': unescaped '${c}' in value`);
    } else out += c;
  }
  return out;
}

/** Splits on commas not escaped by a backslash. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else cur += c;
  }
  terms.push(cur);
  return terms;
}

class Fields implements FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.prototype.hasOwnProperty.call(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.op === '=' ? actual === r.value : actual !== r.value;
    });
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Parses a field selector string; '' selects everything. */
export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(s)) {
    if (term.trim() === '') continue;
    const m = /^([^=!]*?)(!=|==|=)(.*)$/s.exec(term);
    const field = m?.[1]?.trim() ?? '';
    if (!m || field === '' || /\s/.test(field))
      throw newBadRequest(`invalid field selector: '${s}': can't understand '${term}'`);
    const op = m[2] === '!=' ? '!=' : '=';
    reqs.push({ field, op, value: unescapeValue(m[3] ?? '', s) });
  }
  return new Fields(reqs);
}

/** A selector requiring each field to equal its value. */
export function fieldSelectorFromSet(fields: Record<string, string>): FieldSelector {
  return new Fields(Object.entries(fields).map(([field, value]) => ({ field, op: '=' as const, value })));
}

/** The `field=value` terms of a selector as a map (e.g. `spec.nodeName` for a per-node watch). */
export function requiredFields(sel: FieldSelector): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of sel.requirements) if (r.op === '=') out[r.field] = r.value;
  return out;
}

/** The value `field` must equal, if the selector pins it exactly. */
export function requiresExactMatch(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.op === '=')?.value;
}
