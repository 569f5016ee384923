/**
 * Kubernetes' protobuf wire format for request bodies (`application/vnd.kubernetes.protobuf`),
 * as kubectl 1.32+ sends for generator commands: the 4 magic bytes `k8s\0`, then a
 * runtime.Unknown { typeMeta{apiVersion, kind}, raw, contentEncoding, contentType } whose `raw`
 * is the object in its k8s.io/api generated.proto encoding.
 * decodeProtobufObject turns such a body into the JSON-shaped object the JSON body would have
 * carried (400 for malformed bytes, 415 for kinds without a schema here);
 * encodeProtobufObject is its inverse.
 */
import { ApiError, type KubeObject } from '@mk8s/shared';
import { messageType } from './schema.js';
import { structFromJson } from './from-json.js';
import { structToJson } from './to-json.js';
import { GO_TYPES } from './types.generated.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** apiVersion (group/version as in JSON) -> package key in GO_TYPES. */
const PACKAGES: Record<string, string> = {
  v1: 'core/v1',
  'apps/v1': 'apps/v1',
  'batch/v1': 'batch/v1',
  'autoscaling/v1': 'autoscaling/v1',
  'autoscaling/v2': 'autoscaling/v2',
  'coordination.k8s.io/v1': 'coordination/v1',
  'scheduling.k8s.io/v1': 'scheduling/v1',
  'authentication.k8s.io/v1': 'authentication/v1',
  'authorization.k8s.io/v1': 'authorization/v1',
  'storage.k8s.io/v1': 'storage/v1',
  'rbac.authorization.k8s.io/v1': 'rbac/v1',
  'meta.k8s.io/v1': 'meta/v1',
};

/** Go type for an apiVersion/kind, or undefined when there is no schema for it. */
export function goTypeFor(apiVersion: string, kind: string): string | undefined {
  const pkg = PACKAGES[apiVersion];
  if (!pkg) return undefined;
  // DeleteOptions and friends travel as v1 / <group>/<version> but live in meta/v1
  for (const candidate of [`${pkg}.${kind}`, `meta/v1.${kind}`]) {
    if (GO_TYPES[candidate] && GO_TYPES[candidate].some((f) => f.n === 'metadata' || kind === 'DeleteOptions')) return candidate;
  }
  return undefined;
}

const unsupported = (apiVersion: string, kind: string): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - no protobuf decoding for ${kind || '<empty kind>'} in ${apiVersion || '<empty apiVersion>'}; accepted media types include: application/json, application/yaml`,
  );

const malformed = (why: string): ApiError => new ApiError(400, 'BadRequest', `unable to decode protobuf body: ${why}`);

interface UnknownEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentType: string;
}

function decodeEnvelope(buf: Buffer): UnknownEnvelope {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(PROTOBUF_MAGIC)) throw malformed('missing the k8s\\0 prefix');
  let m: Record<string, unknown>;
  try {
    m = messageType('runtime.Unknown').decode(buf.subarray(4)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw malformed((err as Error).message);
  }
  const tm = (m.f1 ?? {}) as Record<string, unknown>;
  return {
    apiVersion: typeof tm.f1 === 'string' ? tm.f1 : '',
    kind: typeof tm.f2 === 'string' ? tm.f2 : '',
    raw: (m.f2 as Uint8Array | undefined) ?? new Uint8Array(),
    contentType: typeof m.f4 === 'string' ? m.f4 : '',
  };
}

export function decodeProtobufObject(buf: Buffer): KubeObject {
  const env = decodeEnvelope(buf);
  if (env.contentType !== '' && env.contentType !== PROTOBUF_MEDIA_TYPE) {
    throw new ApiError(415, 'UnsupportedMediaType', `unsupported content type ${env.contentType} inside a protobuf envelope`);
  }
  const type = goTypeFor(env.apiVersion, env.kind);
  if (!type) throw unsupported(env.apiVersion, env.kind);
  let msg: Record<string, unknown>;
  try {
    msg = messageType(type).decode(env.raw) as unknown as Record<string, unknown>;
  } catch (err) {
    throw malformed((err as Error).message);
  }
  let body: Record<string, unknown>;
  try {
    body = structToJson(type, msg);
  } catch (err) {
    throw malformed((err as Error).message); // e.g. RawExtension bytes that are not JSON
  }
  const obj = { kind: env.kind, apiVersion: env.apiVersion, ...body };
  if (!('metadata' in obj)) (obj as Record<string, unknown>).metadata = {};
  return obj as unknown as KubeObject;
}

export function encodeProtobufObject(obj: { apiVersion?: string; kind?: string }): Buffer {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const type = goTypeFor(apiVersion, kind);
  if (!type) throw unsupported(apiVersion, kind);
  const T = messageType(type);
  const raw = T.encode(T.fromObject(structFromJson(type, obj as Record<string, unknown>))).finish();
  const U = messageType('runtime.Unknown');
  const env = U.encode(U.fromObject({ f1: { f1: apiVersion, f2: kind }, f2: raw, f3: '', f4: '' })).finish();
  return Buffer.concat([PROTOBUF_MAGIC, env]);
}
