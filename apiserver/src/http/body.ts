/**
 * Request bodies: fastify hands every body over as a Buffer (bounded at 3 MiB); this module
 * decodes it by Content-Type. Objects may come as JSON, YAML or Kubernetes protobuf;
 * patches by their patch media types. Anything else is a 415, a malformed body a 400.
 */
import { parse as parseYaml } from 'yaml';
import { ApiError } from '@mk8s/shared';
import { MAX_NESTING_DEPTH, parseJsonBody } from '../patch/index.js';
import { valueDepth } from '../patch/json-body.js';

export const BODY_LIMIT = 3 * 1024 * 1024;

export type ObjectDecoder = (buf: Buffer) => unknown;

let protobufDecoder: ObjectDecoder | undefined;

/** Installs the protobuf decoder (kept pluggable so the HTTP layer does not load schemas it never uses). */
export function setProtobufDecoder(d: ObjectDecoder): void {
  protobufDecoder = d;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function unsupported(type: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf${type ? ` (got ${type})` : ''}`,
  );
}

/** YAML with the same limits as JSON bodies: few aliases (no alias bombs), bounded nesting. */
export function parseYamlBody(text: string): unknown {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 10, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (valueDepth(value) > MAX_NESTING_DEPTH) throw new ApiError(400, 'BadRequest', `error converting YAML to JSON: nesting deeper than ${MAX_NESTING_DEPTH} levels`);
  return value;
}

/** Decodes an object body (create, update). An empty Content-Type is read as JSON. */
export function decodeObjectBody(contentType: string | undefined, body: unknown): unknown {
  const type = mediaType(contentType);
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '');
  if (buf.length === 0) throw new ApiError(400, 'BadRequest', 'the request body is empty');
  switch (type) {
    case '':
    case 'application/json':
      return parseJsonBody(buf.toString('utf8'));
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return parseYamlBody(buf.toString('utf8'));
    case 'application/vnd.kubernetes.protobuf':
      if (!protobufDecoder) throw unsupported(type);
      return protobufDecoder(buf);
    default:
      throw unsupported(type);
  }
}

/** Decodes an optional JSON body (DELETE options); empty means none. */
export function decodeOptionalJson(contentType: string | undefined, body: unknown): unknown {
  const buf = Buffer.isBuffer(body) ? body : undefined;
  if (!buf || buf.length === 0) return undefined;
  const type = mediaType(contentType);
  if (type === 'application/vnd.kubernetes.protobuf' && protobufDecoder) return protobufDecoder(buf);
  if (type && type !== 'application/json') throw unsupported(type);
  return parseJsonBody(buf.toString('utf8'));
}

export function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}
