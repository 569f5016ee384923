/**
 * A small subset of kubectl's JSONPath templates, enough for scripting:
 * literal text, `{.a.b}`, `{.items[*].metadata.name}`, `{.items[0].x}`, `{['a.b']}`,
 * `{.metadata.labels.app\.kubernetes\.io/name}`, `{range .items[*]}...{end}`, `{"\n"}` and
 * `{@}`/`{$}`. Several results of one expression are joined by a space; objects print as
 * JSON with sorted keys, as kubectl does. Pure.
 */
import { sortKeys } from './json.js';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'path'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: Node[] };

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export class JsonPathError extends Error {}

/** Splits a template into literal text and `{...}` expressions, then builds nodes. */
export function parseTemplate(template: string): Node[] {
  const tokens: { expr: boolean; text: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      tokens.push({ expr: false, text: template.slice(i) });
      break;
    }
    if (open > i) tokens.push({ expr: false, text: template.slice(i, open) });
    const close = findClose(template, open);
    tokens.push({ expr: true, text: template.slice(open + 1, close).trim() });
    i = close + 1;
  }
  const [nodes, rest] = build(tokens, 0, false);
  if (rest !== tokens.length) throw new JsonPathError('unexpected {end}');
  return nodes;
}

function findClose(s: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}') return i;
  }
  throw new JsonPathError(`unclosed action in template ${JSON.stringify(s)}`);
}

function build(tokens: { expr: boolean; text: string }[], start: number, inRange: boolean): [Node[], number] {
  const nodes: Node[] = [];
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (!t.expr) {
      nodes.push({ kind: 'text', text: t.text });
      i++;
      continue;
    }
    if (t.text === 'end') {
      if (!inRange) throw new JsonPathError('not in range, nothing to end');
      return [nodes, i];
    }
    const range = /^range(?:\s+|(?=[.$@[]))(.*)$/s.exec(t.text);
    if (range) {
      const [body, endAt] = build(tokens, i + 1, true);
      if (endAt >= tokens.length) throw new JsonPathError('range without {end}');
      nodes.push({ kind: 'range', steps: parsePath(range[1]!.trim()), body });
      i = endAt + 1;
      continue;
    }
    if (t.text.startsWith('"') || t.text.startsWith("'")) {
      nodes.push({ kind: 'text', text: unquote(t.text) });
      i++;
      continue;
    }
    nodes.push({ kind: 'path', steps: parsePath(t.text) });
    i++;
  }
  if (inRange) return [nodes, tokens.length];
  return [nodes, i];
}

function unquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new JsonPathError(`unterminated string ${s}`);
  const inner = s.slice(1, -1);
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** Parses `.a.b[0][*]['x.y']` (a leading `$` or `@` is the current object). */
export function parsePath(expr: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  if (expr[0] === '$' || expr[0] === '@') i = 1;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === '.') {
      i++;
      let key = '';
      while (i < expr.length && expr[i] !== '.' && expr[i] !== '[') {
        if (expr[i] === '\\' && i + 1 < expr.length) i++;
        key += expr[i];
        i++;
      }
      if (key === '*') steps.push({ kind: 'wildcard' });
      else if (key !== '') steps.push({ kind: 'key', key });
    } else if (ch === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`unterminated [ in ${expr}`);
      const inner = expr.slice(i + 1, close).trim();
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw new JsonPathError(`unsupported expression [${inner}]`);
      i = close + 1;
    } else {
      throw new JsonPathError(`unrecognized character ${JSON.stringify(ch)} in ${expr}`);
    }
  }
  return steps;
}

export function evalPath(root: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.kind === 'key') {
        if (v && typeof v === 'object' && !Array.isArray(v) && step.key in v) next.push((v as Record<string, unknown>)[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (Array.isArray(v)) next.push(...v);
      else if (v && typeof v === 'object') next.push(...Object.values(v));
    }
    cur = next;
  }
  return cur;
}

function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(sortKeys(v));
  return String(v);
}

function execute(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'path') out += evalPath(data, n.steps).map(render).join(' ');
    else for (const item of evalPath(data, n.steps)) out += execute(n.body, item);
  }
  return out;
}

/** Evaluates a kubectl-style JSONPath template (`{.metadata.name}`) against data. */
export function jsonpath(template: string, data: unknown): string {
  return execute(parseTemplate(template), data);
}
