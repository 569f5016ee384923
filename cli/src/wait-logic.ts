/**
 * `mkctl wait --for=...` conditions, parsed and evaluated against an object. Supported:
 * `delete`, `condition=Ready` (`=true` implied, or `=false`/`=Unknown`), `create`, and
 * `jsonpath={.status.phase}=Running`. Pure.
 */
import { CliError } from './errors.js';
import { evalPath, parsePath } from './printers/jsonpath.js';

export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; type: string; status: string }
  | { kind: 'jsonpath'; path: string; value: string | undefined };

export function parseWaitFor(s: string): WaitFor {
  if (s === 'delete') return { kind: 'delete' };
  if (s === 'create') return { kind: 'create' };
  if (s.startsWith('condition=')) {
    const rest = s.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = eq < 0 ? rest : rest.slice(0, eq);
    const status = eq < 0 ? 'true' : rest.slice(eq + 1);
    if (!type) throw new CliError(`invalid --for condition: ${s}`);
    return { kind: 'condition', type, status: status.toLowerCase() };
  }
  if (s.startsWith('jsonpath=')) {
    const rest = s.slice('jsonpath='.length);
    const m = /^'?\{(.+)\}'?(?:=(.*))?$/s.exec(rest);
    if (!m) throw new CliError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3`);
    parsePath(m[1]!.trim());
    return { kind: 'jsonpath', path: m[1]!.trim(), value: m[2]?.replace(/^(['"])(.*)\1$/, '$2') };
  }
  throw new CliError(`unrecognized condition: "${s}"`);
}

/** Whether an existing object satisfies a non-delete condition. */
export function conditionMet(obj: unknown, w: WaitFor): boolean {
  switch (w.kind) {
    case 'delete':
      return false;
    case 'create':
      return true;
    case 'condition': {
      const conds = (obj as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      return conds.some((c) => c.type.toLowerCase() === w.type.toLowerCase() && c.status.toLowerCase() === w.status);
    }
    case 'jsonpath': {
      const found = evalPath(obj, parsePath(w.path));
      if (w.value === undefined) return found.length > 0 && found.every((v) => v !== null && v !== undefined);
      return found.length > 0 && found.every((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)) === w.value);
    }
  }
}
