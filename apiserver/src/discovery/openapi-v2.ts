/**
 * A minimal OpenAPI v2 (Swagger 2.0) document: no paths, no definitions. kubectl 1.27/1.28
 * fetch `/openapi/v2` (as gnostic protobuf) before `create -f`/`apply -f` and fail outright on
 * a 404; an empty document satisfies them, and an empty document means "no client-side
 * schema" to every consumer (validation, explain, apply), so all real answers come from the
 * v3 documents and the server. Encoded by hand: protobuf fields of openapi.v2.Document are
 * swagger=1, info=2 (title=1, version=2), paths=8, definitions=9.
 */
import { SERVER_GIT_VERSION } from './version.js';

/**
 * The response type. Clients ask with the older `...spec.v2@v1.0+protobuf`, but '@' is not
 * a token character: Go's mime parser (client-go) and fastify reject it, so answer with the
 * dotted form the real apiserver also uses.
 */
export const OPENAPI_V2_PROTOBUF_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function lengthDelimited(field: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), payload]);
}

const str = (field: number, s: string): Buffer => lengthDelimited(field, Buffer.from(s, 'utf8'));

export function openapiV2Protobuf(): Buffer {
  const info = Buffer.concat([str(1, 'Kubernetes'), str(2, SERVER_GIT_VERSION)]);
  return Buffer.concat([str(1, '2.0'), lengthDelimited(2, info), lengthDelimited(8, Buffer.alloc(0)), lengthDelimited(9, Buffer.alloc(0))]);
}

export function openapiV2Json(): { swagger: '2.0'; info: { title: string; version: string }; paths: Record<string, never>; definitions: Record<string, never> } {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: SERVER_GIT_VERSION }, paths: {}, definitions: {} };
}
