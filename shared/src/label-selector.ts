/**
 * Label selectors with Kubernetes semantics (apimachinery `labels`).
 *
 * - `parseSelector` reads the string syntax of `?labelSelector=` and `kubectl -l`:
 *   `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a`, `a>1`, `a<1`,
 *   comma-separated requirements ANDed. Bad syntax or a bad key/value throws a 400 BadRequest.
 * - `selectorFromLabelSelector` turns a `LabelSelector` object into a `Selector`:
 *   `undefined` selects nothing, `{}` selects everything.
 * - `selectorFromSet` is the ReplicationController/Service map form (empty map selects everything;
 *   callers that mean "no selector selects nothing", like Services, must check that themselves).
 * Requirements are kept sorted by key, so `toString()` is canonical. Selectors are immutable.
 */
import { newBadRequest } from './api/errors.js';
import type { LabelSelector } from './api/meta.js';

export type LabelOperator =
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** sorted and de-duplicated; one value for the equality operators, none for (Does)Exist(s) */
  readonly values: readonly string[];
}

export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** true when the selector selects everything */
  empty(): boolean;
  toString(): string;
  readonly requirements: Requirement[];
}

type Labels = Record<string, string> | undefined;

const has = (labels: Labels, key: string): boolean => labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'Equals':
    case 'DoubleEquals':
    case 'In':
      return has(labels, r.key) && r.values.includes(labels![r.key]!);
    case 'NotEquals':
    case 'NotIn':
      return !has(labels, r.key) || !r.values.includes(labels![r.key]!);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
    case 'GreaterThan':
    case 'LessThan': {
      if (!has(labels, r.key)) return false;
      const actual = parseInteger(labels![r.key]!);
      const bound = parseInteger(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

export function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'DoubleEquals':
      return `${r.key}==${r.values[0] ?? ''}`;
    case 'NotEquals':
      return `${r.key}!=${r.values[0] ?? ''}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'GreaterThan':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'LessThan':
      return `${r.key}<${r.values[0] ?? ''}`;
  }
}

function parseInteger(s: string): number | undefined {
  return /^-?\d+$/.test(s) ? Number(s) : undefined;
}

class RequirementsSelector implements Selector {
  readonly requirements: Requirement[];
  constructor(reqs: Requirement[]) {
    // stable sort by key, as apimachinery keeps them
    this.requirements = reqs.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : i - j)).map(([r]) => r);
  }
  matches(labels: Labels): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

class NothingSelector implements Selector {
  readonly requirements: Requirement[] = [];
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

export const everythingSelector = (): Selector => new RequirementsSelector([]);
export const nothingSelector = (): Selector => new NothingSelector();

// ---- validation of keys and values (KUBE-API.md "Limits") ----

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Returns why `key` is not a valid label key, or undefined when it is. */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `label key "${key}" must be a qualified name: an optional DNS subdomain prefix and '/', then a name`;
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return `label key "${key}": prefix part must be non-empty`;
    if (prefix.length > 253) return `label key "${key}": prefix part must be no more than 253 characters`;
    if (!prefix.split('.').every((l) => DNS1123_LABEL_RE.test(l)))
      return `label key "${key}": prefix part must be a lowercase RFC 1123 subdomain (e.g. 'example.com')`;
  }
  if (name.length === 0) return `label key "${key}": name part must be non-empty`;
  if (name.length > 63) return `label key "${key}": name part must be no more than 63 characters`;
  if (!NAME_RE.test(name))
    return `label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is (empty is valid). */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return `label value "${value}" must be no more than 63 characters`;
  if (value !== '' && !NAME_RE.test(value))
    return `label value "${value}": a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  return undefined;
}

/** Builds a validated requirement; throws a 400 BadRequest when it is not valid. */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[] = []): Requirement {
  const keyErr = labelKeyError(key);
  if (keyErr) throw newBadRequest(`invalid label selector: ${keyErr}`);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw newBadRequest(`invalid label selector: for 'in', 'notin' operators, values set can't be empty (key "${key}")`);
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) throw newBadRequest(`invalid label selector: exact-match compatibility requires one single value (key "${key}")`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw newBadRequest(`invalid label selector: values set must be empty for exists and does not exist (key "${key}")`);
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1 || parseInteger(values[0]!) === undefined)
        throw newBadRequest(`invalid label selector: for 'Gt', 'Lt' operators, exactly one integer value is required (key "${key}")`);
      break;
  }
  for (const v of values) {
    const err = labelValueError(v);
    if (err) throw newBadRequest(`invalid label selector: ${err}`);
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

export function selectorFromRequirements(reqs: Requirement[]): Selector {
  return new RequirementsSelector(reqs);
}

/** RC/Service-style map selector: every key must equal its value. An empty map selects everything. */
export function selectorFromSet(labels: Record<string, string>): Selector {
  return new RequirementsSelector(Object.entries(labels).map(([k, v]) => newRequirement(k, 'Equals', [v])));
}

const EXPRESSION_OPS: Record<string, LabelOperator> = { In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' };

/** `LabelSelector` object to `Selector`: undefined selects nothing, `{}` selects everything. */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return nothingSelector();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, 'Equals', [v]));
  for (const e of ls.matchExpressions ?? []) {
    const op = EXPRESSION_OPS[e.operator];
    if (!op) throw newBadRequest(`invalid label selector: "${String(e.operator)}" is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return new RequirementsSelector(reqs);
}

/** String form of a `LabelSelector` (Scale.status.selector, kubectl): '' when it selects everything. */
export function formatLabelSelector(ls: LabelSelector): string {
  return selectorFromLabelSelector(ls).toString();
}

/** True when `labels` match the map selector `set` (every key equal). */
export function matchesSet(set: Record<string, string>, labels: Labels): boolean {
  return Object.entries(set).every(([k, v]) => has(labels, k) && labels![k] === v);
}


// ---- the string syntax ----

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '>' | '<' | ',' | '(' | ')' }
  | { kind: 'end' };

function tokenize(s: string, fail: (msg: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '=' || c === '!') {
      const two = s[i + 1] === '=';
      out.push({ kind: 'op', text: two ? (c === '=' ? '==' : '!=') : c });
      i += two ? 2 : 1;
    } else if (c === '>' || c === '<' || c === ',' || c === '(' || c === ')') {
      out.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < s.length && !/[\s=!<>,()]/.test(s[j]!)) j++;
      out.push({ kind: 'id', text: s.slice(i, j) });
      i = j;
    }
  }
  if (out.length === 0) fail('empty');
  out.push({ kind: 'end' });
  return out;
}

const describe = (t: Token): string => (t.kind === 'end' ? 'end of string' : `'${t.text}'`);

/**
 * Parses the label selector string syntax. '' selects everything. Throws a 400 BadRequest
 * (`unable to parse requirement: ...`) on bad syntax, keys or values.
 */
export function parseSelector(s: string): Selector {
  if (s.trim() === '') return everythingSelector();
  const fail = (msg: string): never => {
    throw newBadRequest(`unable to parse label selector "${s}": ${msg}`);
  };
  const toks = tokenize(s, fail);
  let pos = 0;
  const peek = (): Token => toks[pos]!;
  const next = (): Token => toks[pos++] ?? { kind: 'end' };
  const isOp = (t: Token, text: string): boolean => t.kind === 'op' && t.text === text;
  const atTermEnd = (): boolean => peek().kind === 'end' || isOp(peek(), ',');
  const expectId = (what: string): string => {
    const t = next();
    if (t.kind !== 'id') return fail(`found ${describe(t)}, expected: ${what}`);
    return t.text;
  };

  const parseRequirement = (): Requirement => {
    if (isOp(peek(), '!')) {
      next();
      const key = expectId('identifier after \'!\'');
      if (!atTermEnd()) fail(`found ${describe(peek())}, expected: ',' or end of string`);
      return newRequirement(key, 'DoesNotExist');
    }
    const key = expectId('identifier');
    if (atTermEnd()) return newRequirement(key, 'Exists');
    const op = next();
    const opText = op.kind === 'end' ? '' : op.text;
    switch (opText) {
      case '=':
      case '==':
      case '!=': {
        const value = atTermEnd() ? '' : expectId('value');
        const operator: LabelOperator = opText === '=' ? 'Equals' : opText === '==' ? 'DoubleEquals' : 'NotEquals';
        return newRequirement(key, operator, [value]);
      }
      case '>':
      case '<':
        return newRequirement(key, opText === '>' ? 'GreaterThan' : 'LessThan', [expectId('integer value')]);
      case 'in':
      case 'notin':
        return newRequirement(key, opText === 'in' ? 'In' : 'NotIn', parseValueSet());
      default:
        return fail(`found ${describe(op)}, expected: in, notin, =, ==, !=, gt, lt`);
    }
  };

  const parseValueSet = (): string[] => {
    if (!isOp(next(), '(')) fail(`found ${describe(toks[pos - 1]!)}, expected: '('`);
    const values: string[] = [];
    if (isOp(peek(), ')')) {
      next();
      return values;
    }
    for (;;) {
      // an empty entry, as in `a in (,x)`, is the empty value
      values.push(peek().kind === 'id' ? expectId('value') : '');
      const t = next();
      if (isOp(t, ')')) return values;
      if (!isOp(t, ',')) fail(`found ${describe(t)}, expected: ',' or ')'`);
    }
  };

  const reqs: Requirement[] = [];
  for (;;) {
    reqs.push(parseRequirement());
    const t = next();
    if (t.kind === 'end') break;
    if (!isOp(t, ',')) fail(`found ${describe(t)}, expected: ',' or end of string`);
  }
  return new RequirementsSelector(reqs);
}
