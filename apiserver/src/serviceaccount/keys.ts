/**
 * Service account key material: the signing key (`--service-account-signing-key-file`, a
 * PEM private key) and the verification keys (`--service-account-key-file`, PEM files of
 * public keys, certificates or private keys; several keys per file and several files).
 * Every key carries the `kid` Kubernetes puts in token headers: the unpadded base64url
 * SHA-256 of the public key's DER (SubjectPublicKeyInfo) encoding. RSA keys sign RS256,
 * EC keys ES256/ES384/ES512 by curve.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type JwtAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface VerificationKey {
  kid: string;
  alg: JwtAlgorithm;
  key: KeyObject;
}

export interface SigningKey extends VerificationKey {
  /** the private half; `key` is the public half */
  privateKey: KeyObject;
}

const CURVES: Record<string, JwtAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

export function algorithmOf(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const alg = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return alg;
  }
  throw new Error(`unsupported service account key type ${key.asymmetricKeyType ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}`);
}

/** Kubernetes' key id: base64url(SHA-256(DER SubjectPublicKeyInfo)), without padding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Every public key in a PEM text (public keys, certificates, or the public half of private keys). */
export function parsePublicKeys(pem: string, source = 'key file'): VerificationKey[] {
  const keys: VerificationKey[] = [];
  for (const m of pem.matchAll(PEM_BLOCK)) {
    const type = m[1]!;
    const block = m[0];
    let key: KeyObject;
    if (type === 'CERTIFICATE') key = new X509Certificate(block).publicKey;
    else if (type.endsWith('PRIVATE KEY')) key = createPublicKey(createPrivateKey(block));
    else if (type.endsWith('PUBLIC KEY')) key = createPublicKey(block);
    else continue;
    keys.push({ kid: keyIdOf(key), alg: algorithmOf(key), key });
  }
  if (keys.length === 0) throw new Error(`no public keys found in ${source}`);
  return keys;
}

export function parseSigningKey(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const key = createPublicKey(privateKey);
  return { kid: keyIdOf(key), alg: algorithmOf(key), key, privateKey };
}

export interface LoadedKeys {
  signing?: SigningKey;
  verification: VerificationKey[];
}

/**
 * Reads the flag files. Without explicit verification files the signing key's public half
 * verifies; with them, the signing key's public half is accepted too only if listed.
 */
export function loadServiceAccountKeys(signingKeyFile: string | undefined, keyFiles: string[]): LoadedKeys {
  const signing = signingKeyFile ? parseSigningKey(readFileSync(signingKeyFile, 'utf8')) : undefined;
  const verification = keyFiles.flatMap((f) => parsePublicKeys(readFileSync(f, 'utf8'), f));
  if (verification.length === 0 && signing) verification.push({ kid: signing.kid, alg: signing.alg, key: signing.key });
  return { signing, verification };
}
