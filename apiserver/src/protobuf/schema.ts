/**
 * protobufjs message types for the Kubernetes API types in GO_TYPES (generated from the Go
 * struct tags, so field numbers match Kubernetes' generated.proto). Every message field is named
 * `f<number>`; the JSON shape is restored from GO_TYPES by to-json.ts. Also the meta/v1 special
 * messages (Time, IntOrString, Quantity, ...) and the runtime.Unknown envelope.
 * Built once, lazily; callers get a `Type` by qualified Go name ('core/v1.Pod').
 */
import protobuf from 'protobufjs';
import { GO_TYPES, type GoField } from './types.generated.js';

/** Hand-written messages for types with custom Go codecs. */
export const SPECIAL_MESSAGES: Record<string, Record<string, protobuf.IField>> = {
  Time: { f1: { type: 'int64', id: 1 }, f2: { type: 'int32', id: 2 } }, // seconds, nanos
  MicroTime: { f1: { type: 'int64', id: 1 }, f2: { type: 'int32', id: 2 } },
  Duration: { f1: { type: 'int64', id: 1 } }, // nanoseconds
  IntOrString: { f1: { type: 'int64', id: 1 }, f2: { type: 'int32', id: 2 }, f3: { type: 'string', id: 3 } }, // type, intVal, strVal
  Quantity: { f1: { type: 'string', id: 1 } },
  RawExtension: { f1: { type: 'bytes', id: 1 } },
  FieldsV1: { f1: { type: 'bytes', id: 1 } },
  // runtime.Unknown { TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3; string contentType = 4 }
  'runtime.TypeMeta': { f1: { type: 'string', id: 1 }, f2: { type: 'string', id: 2 } }, // apiVersion, kind
  'runtime.Unknown': {
    f1: { type: 'runtime_TypeMeta', id: 1 },
    f2: { type: 'bytes', id: 2 },
    f3: { type: 'string', id: 3 },
    f4: { type: 'string', id: 4 },
  },
};

const PROTO_SCALARS: Record<string, string> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  bool: 'bool',
  float64: 'double',
  bytes: 'bytes',
};

/** protobufjs type names cannot hold '/' or '.': 'core/v1.Pod' -> 'core_v1_Pod'. */
export function messageName(goType: string): string {
  return goType.replace(/[/.]/g, '_');
}

function fieldJson(f: GoField): protobuf.IField | protobuf.IMapField {
  const type = PROTO_SCALARS[f.t] ?? messageName(f.t);
  const id = f.f ?? 0;
  if (f.m) return { keyType: 'string', type, id };
  return f.r ? { rule: 'repeated', type, id } : { type, id };
}

let root: protobuf.Root | undefined;

function buildRoot(): protobuf.Root {
  const nested: Record<string, protobuf.IType> = {};
  for (const [name, fields] of Object.entries(SPECIAL_MESSAGES)) nested[messageName(name)] = { fields };
  for (const [name, fields] of Object.entries(GO_TYPES)) {
    const out: Record<string, protobuf.IField> = {};
    for (const f of fields) if (f.f !== undefined) out[`f${f.f}`] = fieldJson(f);
    nested[messageName(name)] = { fields: out };
  }
  const r = protobuf.Root.fromJSON({ nested });
  r.resolveAll(); // surface schema mistakes at build time, not on first decode
  return r;
}

export function messageType(goType: string): protobuf.Type {
  root ??= buildRoot();
  return root.lookupType(messageName(goType));
}
