/**
 * RSASSA-PKCS1-v1_5 verification over a digest (RFC 8017 §8.2.2) rather than over the message,
 * for signatures where only the artifact's digest is at hand (Sigstore message signatures). The
 * recovered encoding is compared in full with the expected EMSA-PKCS1-v1_5 encoding (DigestInfo
 * with the NULL parameter), never parsed.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { equalBytes } from "../encoding/bytes.ts";
import type { PublicKey } from "../keys/key.ts";
import { bigintToBytes, bytesToBigint, materialOf } from "../keys/raw_key.ts";

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Uint8Array.fromHex("3031300d060960864801650304020105000420");

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature with SHA-256 given the message digest (RFC 8017
 * §8.2.2): `s^e mod n` must be exactly the EMSA-PKCS1-v1_5 encoding of the digest.
 *
 * @param key The RSA public key.
 * @param digest The SHA-256 digest of the signed message.
 * @param signature The signature, exactly the modulus length.
 * @returns Whether it verifies; `false` for a non-RSA key or a malformed signature.
 */
export function verifyRsaPkcs1Sha256Digest(
  key: PublicKey,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const material = materialOf(key);
  if (material.type !== "rsa") return false;
  const size = Math.ceil(key.bits / 8);
  if (signature.length !== size) return false;
  const s = bytesToBigint(signature);
  if (s >= material.n) return false;
  let m = 1n;
  let base = s;
  let e = material.e;
  while (e > 0n) {
    if (e & 1n) m = (m * base) % material.n;
    base = (base * base) % material.n;
    e >>= 1n;
  }
  const em = bigintToBytes(m, size);
  const t = SHA256_DIGEST_INFO.length + digest.length;
  if (size < t + 11) return false;
  const expected = new Uint8Array(size);
  expected[1] = 0x01;
  expected.fill(0xff, 2, size - t - 1);
  expected.set(SHA256_DIGEST_INFO, size - t);
  expected.set(digest, size - digest.length);
  return equalBytes(em, expected);
}
