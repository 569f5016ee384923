import { describe, it, expect } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { parsePublicKeys, parseSigningKey } from './keys.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: { export(o: object): string | Buffer }, type: 'spki' | 'pkcs8' | 'pkcs1') => String(k.export({ type, format: 'pem' }));
/** The kid computed independently: SHA-256 over the DER inside the SPKI PEM. */
const expectedKid = (spkiPem: string) =>
  createHash('sha256').update(Buffer.from(spkiPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')).digest('base64url');

describe('service account keys', () => {
  const rsaSpki = pem(rsa.publicKey, 'spki');
  const ecSpki = pem(ec.publicKey, 'spki');

  it.each<[string, string, { kid: string; alg: string }[]]>([
    ['an RSA public key', rsaSpki, [{ kid: expectedKid(rsaSpki), alg: 'RS256' }]],
    ['an RSA private key (PKCS#1)', pem(rsa.privateKey, 'pkcs1'), [{ kid: expectedKid(rsaSpki), alg: 'RS256' }]],
    ['an EC P-256 key', ecSpki, [{ kid: expectedKid(ecSpki), alg: 'ES256' }]],
    ['two keys in one file', `${rsaSpki}\n${ecSpki}`, [{ kid: expectedKid(rsaSpki), alg: 'RS256' }, { kid: expectedKid(ecSpki), alg: 'ES256' }]],
  ])('reads %s', (_name, text, want) => {
    expect(parsePublicKeys(text).map(({ kid, alg }) => ({ kid, alg }))).toEqual(want);
  });

  it('refuses a file without keys', () => {
    expect(() => parsePublicKeys('nothing here', 'sa.pub')).toThrow('no public keys found in sa.pub');
  });

  it('signs with the private key and names its public half', () => {
    const k = parseSigningKey(pem(rsa.privateKey, 'pkcs8'));
    expect(k.kid).toBe(expectedKid(rsaSpki));
    expect(k.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k.alg).toBe('RS256');
    expect(k.privateKey.type).toBe('private');
  });
});
