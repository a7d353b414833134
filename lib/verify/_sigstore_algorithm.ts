/**
 * Sigstore's algorithm registry (protobuf-specs `sigstore_common.proto` `PublicKeyDetails`,
 * `docs/algorithm-registry.md`; sigstore/sigstore `pkg/signature/algorithm_registry.go`) for the
 * signatures a Sigstore bundle carries: which signature scheme and which digest a signing key uses.
 *
 * | details | key | digest |
 * | --- | --- | --- |
 * | `PKIX_ECDSA_P256_SHA_256` | ECDSA P-256 | SHA-256 |
 * | `PKIX_ECDSA_P384_SHA_384` | ECDSA P-384 | SHA-384 (the key's default) |
 * | `PKIX_ECDSA_P384_SHA_256` | ECDSA P-384 | SHA-256 (deprecated, still written by older clients) |
 * | `PKIX_ECDSA_P521_SHA_512` | ECDSA P-521 | SHA-512 (the key's default) |
 * | `PKIX_ECDSA_P521_SHA_256` | ECDSA P-521 | SHA-256 (deprecated, still written by older clients) |
 * | `PKIX_RSA_PKCS1V15_{2048,3072,4096}_SHA256` | RSA `rsaEncryption` of exactly that size | SHA-256, RSASSA-PKCS1-v1_5 |
 * | `PKIX_ED25519` | Ed25519 | none: the signature covers the message itself (RFC 8032) |
 *
 * The scheme comes from the key alone: its algorithm OID, curve and modulus size. The digest is
 * the key's default unless the bundle itself names one (the message digest's algorithm, or the
 * hash the hashedrekord entry records), and the pair must be in the table; a signature is then
 * checked once, under exactly that scheme, never retried under another. `rsaEncryption` keys are
 * PKCS#1 v1.5 keys (RSASSA-PSS is never assumed for them, as sigstore-go's default details do);
 * keys that declare RSASSA-PSS, other curves and other RSA sizes are not in the registry and are
 * refused, as are `PKIX_ED25519_PH` (Ed25519ph) signatures.
 *
 * ECDSA and RSA signatures are verified over the digest (so an artifact digest is enough), with a
 * strict DER → P1363 conversion and `0 < r, s < n` for ECDSA (`@noble/curves`, RFC 6979 §2.4
 * truncation) and an exact EMSA-PKCS1-v1_5 encoding comparison for RSA (RFC 8017 §8.2.2).
 * Ed25519 needs the message bytes.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { p256, p384, p521 } from "@noble/curves/nist.js";
import { DerReader } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { type DigestAlgorithm, digestBytes, digestSize } from "../digest/digest.ts";
import { computeKeyId } from "../keys/key.ts";
import { importSpki } from "../keys/key_der.ts";
import type { PublicKey } from "../keys/key.ts";
import { derToP1363 } from "../crypto/ecdsa_signature.ts";
import { createVerifier } from "../crypto/local_verifier.ts";
import { verifyRsaPkcs1Sha256Digest } from "../crypto/rsa_pkcs1.ts";

/** The `PublicKeyDetails` names this verifier accepts for bundle signatures. */
export type SigstoreKeyDetails =
  | "PKIX_ECDSA_P256_SHA_256"
  | "PKIX_ECDSA_P384_SHA_384"
  | "PKIX_ECDSA_P384_SHA_256"
  | "PKIX_ECDSA_P521_SHA_512"
  | "PKIX_ECDSA_P521_SHA_256"
  | "PKIX_RSA_PKCS1V15_2048_SHA256"
  | "PKIX_RSA_PKCS1V15_3072_SHA256"
  | "PKIX_RSA_PKCS1V15_4096_SHA256"
  | "PKIX_ED25519";

/** What kind of key signs: ECDSA on a curve, RSA PKCS#1 v1.5 of a size, or Ed25519. */
type KeyClass = "P256" | "P384" | "P521" | "RSA_2048" | "RSA_3072" | "RSA_4096" | "ED25519";

/** Per key class: the digests the registry pairs it with, the default first. */
const REGISTRY: Readonly<
  Record<KeyClass, readonly (readonly [DigestAlgorithm | undefined, SigstoreKeyDetails])[]>
> = {
  P256: [["sha256", "PKIX_ECDSA_P256_SHA_256"]],
  P384: [["sha384", "PKIX_ECDSA_P384_SHA_384"], ["sha256", "PKIX_ECDSA_P384_SHA_256"]],
  P521: [["sha512", "PKIX_ECDSA_P521_SHA_512"], ["sha256", "PKIX_ECDSA_P521_SHA_256"]],
  RSA_2048: [["sha256", "PKIX_RSA_PKCS1V15_2048_SHA256"]],
  RSA_3072: [["sha256", "PKIX_RSA_PKCS1V15_3072_SHA256"]],
  RSA_4096: [["sha256", "PKIX_RSA_PKCS1V15_4096_SHA256"]],
  ED25519: [[undefined, "PKIX_ED25519"]],
};

const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const OID_SECP521R1 = "1.3.132.0.35";

const CURVES = {
  P256: { curve: p256, size: 32 },
  P384: { curve: p384, size: 48 },
  P521: { curve: p521, size: 66 },
} as const;

/** The hash names a bundle may give (`HashAlgorithm` enum names and Rekor v1 spellings). */
const HASH_NAMES: Readonly<Record<string, DigestAlgorithm>> = {
  SHA2_256: "sha256",
  SHA2_384: "sha384",
  SHA2_512: "sha512",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
};

/** Protobuf `HashAlgorithm` names of the digests. */
export const PROTO_HASH_NAMES: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: "SHA2_256",
  sha384: "SHA2_384",
  sha512: "SHA2_512",
};

/**
 * Reads a hash name a bundle gives (`SHA2_384` in protobuf JSON, `sha384` in Rekor v1 bodies).
 *
 * @returns The digest algorithm, or `undefined` for any other name (SHA-1, SHA3, unknown).
 */
export function hashFromName(name: string): DigestAlgorithm | undefined {
  return Object.hasOwn(HASH_NAMES, name) ? HASH_NAMES[name] : undefined;
}

/** A signing key, read and matched to a registry class. */
export interface SigningKey {
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** `sha256(spki)` in hex: the key id reports carry. */
  readonly keyid: string;
  /** The key class (internal). */
  readonly keyClass: KeyClass;
  /** The digest the key signs by default (registry), `undefined` for Ed25519. */
  readonly defaultHash: DigestAlgorithm | undefined;
  /** The toolkit key, for the types the key library holds (all but P-521). */
  readonly key?: PublicKey | undefined;
  /** The uncompressed EC point, for ECDSA keys. */
  readonly point?: Uint8Array | undefined;
}

/** One registry entry: a key's scheme with the digest it signs. */
export interface SigstoreAlgorithm {
  readonly details: SigstoreKeyDetails;
  /** The digest the signature is over; `undefined` for Ed25519 (over the message). */
  readonly hash: DigestAlgorithm | undefined;
}

/**
 * Reads a signing key from its SubjectPublicKeyInfo and finds its class in the registry.
 *
 * @param spki DER SubjectPublicKeyInfo.
 * @returns The key, or why it is not a registry key (no key material in the text).
 */
export function readSigningKey(spki: Uint8Array): SigningKey | string {
  const keyid = computeKeyId(spki);
  // P-521 is not a toolkit key type: read the point here and validate it on the curve.
  let algorithmOid: string;
  let curveOid: string | undefined;
  let bitString: Uint8Array;
  try {
    const outer = new DerReader(spki);
    const seq = outer.readSequence();
    outer.end();
    const algorithm = seq.readSequence();
    algorithmOid = algorithm.readOid();
    if (algorithmOid === OID_EC_PUBLIC_KEY && !algorithm.isEmpty()) {
      if (algorithm.peekTag() === 0x06) curveOid = algorithm.readOid();
    }
    bitString = seq.readBitStringBytes();
    seq.end();
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return `the public key is not a SubjectPublicKeyInfo: ${error.message}`;
  }
  if (algorithmOid === OID_EC_PUBLIC_KEY && curveOid === OID_SECP521R1) {
    try {
      p521.Point.fromBytes(bitString).assertValidity();
    } catch {
      return "the P-521 public key is not a point on the curve";
    }
    if (bitString.length !== 1 + 2 * 66) return "the P-521 public key is not uncompressed";
    return { spki, keyid, keyClass: "P521", defaultHash: "sha512", point: bitString };
  }
  let key: PublicKey;
  try {
    key = importSpki(spki);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return error.message;
  }
  switch (key.type) {
    case "ecdsa-p256":
      return { spki, keyid, keyClass: "P256", defaultHash: "sha256", key, point: bitString };
    case "ecdsa-p384":
      return { spki, keyid, keyClass: "P384", defaultHash: "sha384", key, point: bitString };
    case "ed25519":
      return { spki, keyid, keyClass: "ED25519", defaultHash: undefined, key };
    case "rsa": {
      const bits = key.bits;
      if (bits !== 2048 && bits !== 3072 && bits !== 4096) {
        return `an RSA key of ${bits} bits is not in Sigstore's algorithm registry (2048, 3072 or 4096)`;
      }
      return { spki, keyid, keyClass: `RSA_${bits}`, defaultHash: "sha256", key };
    }
    default:
      return `a ${key.type} key is not in Sigstore's algorithm registry`;
  }
}

/**
 * The registry entry for a key and the digest the bundle names for it (or the key's default).
 *
 * @param key The signing key.
 * @param hash The digest algorithm the bundle names, if it names one.
 * @returns The entry, or why the pair is not in the registry.
 */
export function algorithmFor(
  key: SigningKey,
  hash: DigestAlgorithm | undefined,
): SigstoreAlgorithm | string {
  const entries = REGISTRY[key.keyClass];
  if (key.keyClass === "ED25519") {
    // The signature covers the message; a digest the bundle names only identifies the artifact.
    return { details: entries[0]![1], hash: undefined };
  }
  const entry = hash === undefined ? entries[0]! : entries.find(([h]) => h === hash);
  if (entry === undefined) {
    return `Sigstore's algorithm registry pairs a ${describe(key.keyClass)} key with ${
      entries.map(([h]) => PROTO_HASH_NAMES[h!]).join(" or ")
    }, not ${PROTO_HASH_NAMES[hash!]}`;
  }
  return { details: entry[1], hash: entry[0] };
}

function describe(keyClass: KeyClass): string {
  return keyClass.startsWith("RSA_")
    ? `${keyClass.slice(4)}-bit RSA`
    : keyClass === "ED25519"
    ? "Ed25519"
    : `${keyClass.slice(0, 1)}-${keyClass.slice(1)}`;
}

/**
 * Verifies a signature under one registry entry, over a message or its digest.
 *
 * @param key The signing key.
 * @param algorithm The registry entry (from {@link algorithmFor} for this key).
 * @param signed The message bytes, or the digest under `algorithm.hash`.
 * @param signature The signature bytes (DER for ECDSA).
 * @returns Whether it verifies; never throws on a malformed signature.
 */
export async function verifySigstoreSignature(
  key: SigningKey,
  algorithm: SigstoreAlgorithm,
  signed: { message: Uint8Array } | { digest: Uint8Array },
  signature: Uint8Array,
): Promise<boolean> {
  if (key.keyClass === "ED25519") {
    if (!("message" in signed)) return false;
    const verifier = createVerifier(key.key!, { algorithm: "ed25519" });
    return await verifier.verify(signed.message, signature);
  }
  const hash = algorithm.hash!;
  const digest = "message" in signed ? digestBytes(hash, signed.message) : signed.digest;
  if (digest.length !== digestSize(hash)) return false;
  if (key.keyClass === "P256" || key.keyClass === "P384" || key.keyClass === "P521") {
    const { curve, size } = CURVES[key.keyClass];
    const p1363 = derToP1363(signature, size, curve.Point.Fn.ORDER);
    if (p1363 === undefined) return false;
    try {
      return curve.verify(p1363, digest, key.point!, {
        prehash: false,
        format: "compact",
        lowS: false,
      });
    } catch {
      return false;
    }
  }
  return verifyRsaPkcs1Sha256Digest(key.key!, digest, signature);
}
