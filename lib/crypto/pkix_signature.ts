/**
 * Signature checks for PKIX structures (X.509 certificates, CMS SignerInfo): maps an
 * AlgorithmIdentifier (RFC 5758 §3.2 ECDSA with SHA-2, RFC 4055 §5 RSA PKCS#1 v1.5 with SHA-2,
 * RFC 4055 §3.1 RSASSA-PSS parameters, RFC 8410 §3 Ed25519; RFC 5652 §5.3 / RFC 5754 §3 CMS forms
 * where the signature OID is the bare key OID and the digest comes from `digestAlgorithm`) to a
 * verifier.
 *
 * The common pairs go through `createVerifier` (ECDSA P-256/SHA-256, P-384/SHA-384, RSA PKCS#1
 * v1.5 and PSS with SHA-256, Ed25519). The pairs that factory does not offer but certificates and
 * timestamp tokens do use (ECDSA P-256 with SHA-384/512, P-384 with SHA-256/512, RSA and PSS with
 * SHA-384/512; Sigstore's TSA signs with P-384 and SHA-256) are checked here with `node:crypto`
 * `verify()`, with the same strict DER → P1363 conversion and range checks for ECDSA. SHA-1 and
 * other algorithms are refused.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { constants, createPublicKey, verify as nodeVerify } from "node:crypto";
import { Buffer } from "node:buffer";
import { DerReader } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import type { DigestAlgorithm } from "../digest/digest.ts";
import { importSpki } from "../keys/key_der.ts";
import type { PublicKey, SignatureAlgorithm } from "../keys/key.ts";
import { readAlgorithmIdentifier } from "../keys/pkix.ts";
import { curveOf } from "../keys/raw_key.ts";
import type { AlgorithmIdentifier } from "../keys/x509.ts";
import { checkP1363, derToP1363 } from "./ecdsa_signature.ts";
import { createVerifier } from "./local_verifier.ts";

/** Digest algorithm OIDs (RFC 5754 §2). */
export const DIGEST_OIDS: Readonly<Record<string, DigestAlgorithm>> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** Names of digest OIDs this toolkit refuses, for messages. */
const REFUSED_DIGESTS: Readonly<Record<string, string>> = {
  "1.3.14.3.2.26": "SHA-1",
  "2.16.840.1.101.3.4.2.4": "SHA-224",
  "1.2.840.113549.2.5": "MD5",
};

const ECDSA_WITH: Readonly<Record<string, DigestAlgorithm>> = {
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};

const RSA_WITH: Readonly<Record<string, DigestAlgorithm>> = {
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
};

const OID_RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const OID_RSASSA_PSS = "1.2.840.113549.1.1.10";
const OID_MGF1 = "1.2.840.113549.1.1.8";
const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const OID_ED25519 = "1.3.101.112";

/** A resolved signature scheme. */
interface Scheme {
  kind: "ecdsa" | "rsa-pkcs1" | "rsa-pss" | "ed25519";
  hash: DigestAlgorithm | undefined;
  saltLength?: number;
}

/** The outcome of {@link verifyPkixSignature}: ok, or why not (no key material in `reason`). */
export type PkixSignatureVerdict = { ok: true } | { ok: false; reason: string };

/** Tells whether AlgorithmIdentifier parameters are absent or NULL. */
function absentOrNull(parameters: Uint8Array | undefined): boolean {
  return parameters === undefined ||
    (parameters.length === 2 && parameters[0] === 0x05 && parameters[1] === 0x00);
}

/** Reads a hash AlgorithmIdentifier (parameters absent or NULL) to a digest name. */
export function digestOf(algorithm: AlgorithmIdentifier): DigestAlgorithm | string {
  const digest = DIGEST_OIDS[algorithm.oid];
  if (digest === undefined) {
    const refused = REFUSED_DIGESTS[algorithm.oid];
    return refused === undefined
      ? `digest algorithm ${algorithm.oid} is not supported`
      : `digest algorithm ${refused} is not supported`;
  }
  if (!absentOrNull(algorithm.parameters)) return `digest algorithm ${digest} has parameters`;
  return digest;
}

function isDigest(value: DigestAlgorithm | string): value is DigestAlgorithm {
  return value === "sha256" || value === "sha384" || value === "sha512";
}

/** RSASSA-PSS-params (RFC 4055 §3.1): SHA-2 hash, MGF1 with the same hash, trailer 1. */
function readPssParams(parameters: Uint8Array | undefined): Scheme | string {
  if (parameters === undefined) return "RSASSA-PSS parameters are missing (SHA-1 defaults)";
  try {
    const outer = new DerReader(parameters);
    const seq = outer.readSequence();
    outer.end();
    const hashReader = seq.readOptionalContext(0);
    if (hashReader === undefined) return "RSASSA-PSS with SHA-1 is not supported";
    const hash = digestOf(readAlgorithmIdentifier(hashReader));
    hashReader.end();
    if (!isDigest(hash)) return hash;
    const mgfReader = seq.readOptionalContext(1);
    if (mgfReader === undefined) return "RSASSA-PSS with MGF1-SHA-1 is not supported";
    const mgf = readAlgorithmIdentifier(mgfReader);
    mgfReader.end();
    if (mgf.oid !== OID_MGF1 || mgf.parameters === undefined) {
      return "RSASSA-PSS mask generation must be MGF1";
    }
    const mgfHash = digestOf(readAlgorithmIdentifier(new DerReader(mgf.parameters)));
    if (mgfHash !== hash) return "RSASSA-PSS MGF1 hash must equal the message hash";
    let saltLength = 20;
    const saltReader = seq.readOptionalContext(2);
    if (saltReader !== undefined) {
      saltLength = saltReader.readSmallInteger();
      saltReader.end();
    }
    const trailerReader = seq.readOptionalContext(3);
    if (trailerReader !== undefined) {
      if (trailerReader.readSmallInteger() !== 1) return "RSASSA-PSS trailer field must be 1";
      trailerReader.end();
    }
    seq.end();
    if (saltLength < 0) return "RSASSA-PSS salt length is negative";
    return { kind: "rsa-pss", hash, saltLength };
  } catch (error) {
    if (error instanceof ParseError) return "RSASSA-PSS parameters are malformed";
    throw error;
  }
}

/** Resolves the signature algorithm (and, for CMS bare key OIDs, the digest algorithm). */
function resolveScheme(
  algorithm: AlgorithmIdentifier,
  digest: DigestAlgorithm | undefined,
): Scheme | string {
  const oid = algorithm.oid;
  const ecdsaHash = ECDSA_WITH[oid];
  if (ecdsaHash !== undefined) {
    if (algorithm.parameters !== undefined) return `signature algorithm ${oid} has parameters`;
    return { kind: "ecdsa", hash: ecdsaHash };
  }
  const rsaHash = RSA_WITH[oid];
  if (rsaHash !== undefined) {
    if (!absentOrNull(algorithm.parameters)) return `signature algorithm ${oid} has parameters`;
    return { kind: "rsa-pkcs1", hash: rsaHash };
  }
  if (oid === OID_RSASSA_PSS) return readPssParams(algorithm.parameters);
  if (oid === OID_ED25519) {
    if (algorithm.parameters !== undefined) return "Ed25519 signature algorithm has parameters";
    return { kind: "ed25519", hash: undefined };
  }
  // CMS (RFC 5652 §5.3, RFC 5754 §3.2/§3.3): the key algorithm plus the SignerInfo digest.
  if (oid === OID_RSA_ENCRYPTION && digest !== undefined && absentOrNull(algorithm.parameters)) {
    return { kind: "rsa-pkcs1", hash: digest };
  }
  if (oid === OID_EC_PUBLIC_KEY && digest !== undefined) return { kind: "ecdsa", hash: digest };
  return `signature algorithm ${oid} is not supported`;
}

/** The `createVerifier` algorithm for a scheme and key, when the factory offers the pair. */
function factoryAlgorithm(scheme: Scheme, key: PublicKey): SignatureAlgorithm | undefined {
  switch (scheme.kind) {
    case "ed25519":
      return "ed25519";
    case "ecdsa":
      if (key.type === "ecdsa-p256" && scheme.hash === "sha256") return "ecdsa-p256-sha256";
      if (key.type === "ecdsa-p384" && scheme.hash === "sha384") return "ecdsa-p384-sha384";
      return undefined;
    case "rsa-pkcs1":
      return scheme.hash === "sha256" ? "rsa-pkcs1-sha256" : undefined;
    case "rsa-pss":
      return scheme.hash === "sha256" ? "rsa-pss-sha256" : undefined;
  }
}

function keyFits(scheme: Scheme, key: PublicKey): boolean {
  switch (scheme.kind) {
    case "ed25519":
      return key.type === "ed25519";
    case "ecdsa":
      return key.type === "ecdsa-p256" || key.type === "ecdsa-p384";
    default:
      return key.type === "rsa";
  }
}

/**
 * Verifies `signature` over `data` with the public key in `spki` under `algorithm`.
 *
 * @param spki DER SubjectPublicKeyInfo of the signer.
 * @param algorithm The signature AlgorithmIdentifier.
 * @param data The signed bytes.
 * @param signature The signature bytes (DER for ECDSA).
 * @param digest The CMS SignerInfo digest algorithm, for bare key OIDs (`rsaEncryption`,
 *   `id-ecPublicKey`).
 * @returns `{ ok: true }`, or the reason it does not verify.
 */
export async function verifyPkixSignature(
  spki: Uint8Array,
  algorithm: AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  digest?: DigestAlgorithm,
): Promise<PkixSignatureVerdict> {
  const scheme = resolveScheme(algorithm, digest);
  if (typeof scheme === "string") return { ok: false, reason: scheme };
  let key: PublicKey;
  try {
    key = importSpki(spki);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, reason: `the signer's public key is not usable: ${error.message}` };
  }
  if (!keyFits(scheme, key)) {
    return { ok: false, reason: `a ${key.type} key cannot make ${algorithm.oid} signatures` };
  }
  const mismatch: PkixSignatureVerdict = { ok: false, reason: "the signature does not match" };
  const factory = factoryAlgorithm(scheme, key);
  if (factory !== undefined) {
    let ok: boolean;
    try {
      const verifier = createVerifier(key, {
        algorithm: factory,
        ecdsaSignatureFormat: "der",
        rsaPssSaltLength: scheme.kind === "rsa-pss" ? scheme.saltLength : undefined,
      });
      ok = await verifier.verify(data, signature);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return { ok: false, reason: "the RSASSA-PSS salt length does not fit the key" };
    }
    return ok ? { ok: true } : mismatch;
  }
  // Pairs the verifier factory does not offer: node:crypto with the same strictness.
  const object = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const hash = scheme.hash!;
  try {
    if (scheme.kind === "ecdsa") {
      const { size, curve } = curveOf(key.type as "ecdsa-p256" | "ecdsa-p384");
      const order = curve.Point.Fn.ORDER;
      const p1363 = derToP1363(signature, size, order);
      if (p1363 === undefined || !checkP1363(p1363, size, order)) return mismatch;
      return nodeVerify(hash, data, { key: object, dsaEncoding: "ieee-p1363" }, p1363)
        ? { ok: true }
        : mismatch;
    }
    const modulusBytes = Math.ceil(key.bits / 8);
    if (signature.length !== modulusBytes) return mismatch;
    const padding = scheme.kind === "rsa-pss"
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength! }
      : { padding: constants.RSA_PKCS1_PADDING };
    return nodeVerify(hash, data, { key: object, ...padding }, signature) ? { ok: true } : mismatch;
  } catch {
    return mismatch;
  }
}
