/**
 * Signing and verifying service account JWTs with jose: `signToken` writes a compact JWS
 * (header alg + kid) over the given claims; `verifyToken` accepts a token only when it is
 * signed by one of the verification keys (the header's kid picks the key when it names
 * one; otherwise every key of the token's algorithm is tried), comes from `issuer`, names
 * one of `audiences`, and is inside nbf/exp with Kubernetes' one-minute leeway.
 */
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { ServiceAccountClaims } from './claims.js';
import type { SigningKey, VerificationKey } from './keys.js';

export const CLOCK_LEEWAY_SECONDS = 60;

export async function signToken(key: SigningKey, claims: ServiceAccountClaims): Promise<string> {
  return new SignJWT({ ...claims } as unknown as JWTPayload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
}

export interface VerifyOptions {
  issuer: string;
  audiences: string[];
  /** milliseconds since the epoch */
  now: number;
}

/** A cheap shape check before any cryptography: three base64url parts. */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

export async function verifyToken(token: string, keys: VerificationKey[], o: VerifyOptions): Promise<JWTPayload | undefined> {
  if (!looksLikeJwt(token)) return undefined;
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
  const byKid = header.kid ? keys.filter((k) => k.kid === header.kid) : [];
  const candidates = byKid.length ? byKid : keys.filter((k) => k.alg === header.alg);
  for (const k of candidates) {
    try {
      const { payload } = await jwtVerify(token, k.key, {
        issuer: o.issuer,
        audience: o.audiences,
        algorithms: [k.alg],
        clockTolerance: CLOCK_LEEWAY_SECONDS,
        currentDate: new Date(o.now),
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch {
      // wrong key, bad signature, issuer, audience or time: try the next key
    }
  }
  return undefined;
}
