// Generates ../types.generated.ts: the shape of the Kubernetes API types mk8s serves (JSON
// names, omitempty, protobuf field numbers, strategic-merge-patch tags), read from the Go
// struct tags of k8s.io/api and k8s.io/apimachinery types.go files. Run by hand:
//   node gen-types.mjs <pkg>=<types.go> ... > ../types.generated.ts
// e.g. core/v1=/tmp/core_v1-types.go meta/v1=/tmp/meta_v1-types.go apps/v1=...
// The committed table was generated from k8s.io/api and k8s.io/apimachinery tag v0.33.9
// (core/v1 meta/v1 apps/v1 batch/v1 coordination/v1 autoscaling/v1 autoscaling/v2 scheduling/v1
// authorization/v1 storage/v1 rbac/v1), i.e. Kubernetes 1.33.
import { readFileSync } from 'node:fs';

const ROOTS = {
  'core/v1': ['Namespace', 'Pod', 'Service', 'ConfigMap', 'Secret', 'ReplicationController', 'PersistentVolume',
    'PersistentVolumeClaim', 'Node', 'Endpoints', 'Event', 'Binding', 'ServiceAccount'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
  'coordination/v1': ['Lease'],
  'autoscaling/v1': ['HorizontalPodAutoscaler', 'Scale'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'scheduling/v1': ['PriorityClass'],
  'authentication/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  'authorization/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'storage/v1': ['StorageClass'],
  'rbac/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'meta/v1': ['DeleteOptions', 'Status'],
};
// Types with a hand-written codec (meta/v1 Time etc.), keyed by their Go spelling.
const SPECIAL = {
  'metav1.Time': 'Time', 'metav1.MicroTime': 'MicroTime', 'metav1.Duration': 'Duration', 'Time': 'Time',
  'MicroTime': 'MicroTime', 'Duration': 'Duration', 'intstr.IntOrString': 'IntOrString',
  'resource.Quantity': 'Quantity', 'runtime.RawExtension': 'RawExtension', 'FieldsV1': 'FieldsV1',
  'metav1.FieldsV1': 'FieldsV1', 'types.UID': 'string',
};
const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'float64', 'int']);

const pkgs = {}; // pkg -> { structs: {name: fields[]}, aliases: {name: goType}, imports: {alias: pkg} }
for (const arg of process.argv.slice(2)) {
  const [pkg, file] = arg.split('=');
  pkgs[pkg] = parseGo(readFileSync(file, 'utf8'));
}

function parseGo(src) {
  const structs = {}, aliases = {}, imports = {};
  for (const m of src.matchAll(/^\s*(\w+)?\s*"k8s\.io\/(?:api|apimachinery\/pkg\/apis)\/([\w.]+\/v\w+)"/gm)) {
    const pkg = m[2];
    imports[m[1] ?? pkg.split('/').pop()] = pkg;
  }
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const st = /^type (\w+) struct \{/.exec(lines[i]);
    if (st) {
      const fields = [];
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const f = /^\s+(?:(\w+)\s+)?([\w.*\[\]]+)\s+`([^`]*)`/.exec(lines[i]);
        if (f) fields.push({ goName: f[1], goType: f[2], tags: parseTags(f[3]) });
      }
      structs[st[1]] = fields;
      continue;
    }
    const al = /^type (\w+) ([\w.*\[\]]+)\s*$/.exec(lines[i]);
    if (al) aliases[al[1]] = al[2];
  }
  return { structs, aliases, imports };
}

function parseTags(s) {
  const out = {};
  for (const m of s.matchAll(/(\w+):"([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

const out = {}; // qualified name -> fields
const queue = [];
for (const [pkg, names] of Object.entries(ROOTS)) for (const n of names) queue.push(`${pkg}.${n}`);

function resolve(pkg, goType) {
  // returns { type, pointer, repeated, map }
  let t = goType, pointer = false, repeated = false, map;
  if (t.startsWith('*')) { pointer = true; t = t.slice(1); }
  if (t === '[]byte') return { type: 'bytes', pointer, repeated, map };
  const mm = /^map\[[\w.]+\](.+)$/.exec(t);
  if (mm) { map = true; t = mm[1]; }
  if (t === '[]byte') return { type: 'bytes', pointer, repeated, map };
  if (t.startsWith('[]')) { repeated = true; t = t.slice(2); }
  if (t.startsWith('*')) t = t.slice(1);
  return { type: resolveNamed(pkg, t), pointer, repeated, map };
}

function resolveNamed(pkg, t) {
  if (SPECIAL[t] && (t.includes('.') || pkg === 'meta/v1')) return SPECIAL[t];
  if (SCALARS.has(t)) return t === 'int' ? 'int64' : t;
  if (t === 'byte') return 'bytes';
  let p = pkg, name = t;
  if (t.includes('.')) {
    const [alias, n] = t.split('.');
    p = pkgs[pkg].imports[alias];
    name = n;
    if (!p) throw new Error(`unknown import ${alias} in ${pkg} for ${t}`);
  }
  const P = pkgs[p];
  if (!P) throw new Error(`package ${p} not loaded (for ${t})`);
  if (P.structs[name]) { queue.push(`${p}.${name}`); return `${p}.${name}`; }
  if (P.aliases[name]) {
    const r = resolve(p, P.aliases[name]);
    if (r.map || r.repeated) return { alias: r };
    return r.type;
  }
  throw new Error(`unknown type ${t} in ${pkg}`);
}

while (queue.length) {
  const q = queue.shift();
  if (out[q]) continue;
  const dot = q.lastIndexOf('.');
  const pkg = q.slice(0, dot), name = q.slice(dot + 1);
  const fields = pkgs[pkg].structs[name];
  if (!fields) throw new Error(`no struct ${q}`);
  out[q] = [];
  for (const f of fields) {
    const json = f.tags.json;
    if (json === undefined || json === '-') continue;
    const [jname, ...opts] = json.split(',');
    const embedded = !f.goName;
    if (embedded && /TypeMeta$/.test(f.goType)) continue;
    let r = resolve(pkg, f.goType);
    if (typeof r.type === 'object') { // named slice/map type, e.g. ResourceList
      r = { ...r.type.alias, pointer: r.pointer };
    }
    const pb = f.tags.protobuf ? /^(\w+),(\d+)/.exec(f.tags.protobuf) : null;
    const def = { n: jname, t: r.type };
    if (opts.includes('omitempty')) def.o = 1;
    if (r.pointer) def.p = 1;
    if (r.repeated) def.r = 1;
    if (r.map) def.m = 1;
    if (pb) def.f = Number(pb[2]);
    if (f.tags.patchStrategy) def.ps = f.tags.patchStrategy;
    if (f.tags.patchMergeKey) def.mk = f.tags.patchMergeKey;
    out[q].push(def);
  }
}

const keys = Object.keys(out).sort();
let ts = `/**
 * GENERATED by gen/gen-types.mjs from the Go struct tags of k8s.io/api and k8s.io/apimachinery v0.33.9
 * (types.go): per struct, its fields with JSON name (n, '' = inlined embedded struct), type (t:
 * a scalar, a special meta type, or another struct's qualified name), omitempty (o), pointer (p),
 * repeated (r), map with string keys (m), protobuf field number (f), strategic-merge-patch
 * strategy (ps) and merge key (mk). Do not edit by hand.
 */
export interface GoField {
  n: string;
  t: string;
  o?: 1;
  p?: 1;
  r?: 1;
  m?: 1;
  f?: number;
  ps?: string;
  mk?: string;
}

export const GO_TYPES: Record<string, GoField[]> = {\n`;
for (const k of keys) {
  ts += `  '${k}': [\n`;
  for (const d of out[k]) ts += `    ${JSON.stringify(d).replace(/"(\w+)":/g, '$1: ').replace(/"/g, "'").replace(/,(\w+: )/g, ', $1').replace(/^\{/, '{ ').replace(/\}$/, ' }')},\n`;
  ts += `  ],\n`;
}
ts += '};\n';
process.stdout.write(ts);
