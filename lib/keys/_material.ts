/**
 * Key material, its validation, and the ASN.1 containers that carry it:
 * - SubjectPublicKeyInfo: RFC 5280 §4.1.2.7; algorithm identifiers RFC 3279 §2.3.1 (RSA, NULL
 *   parameters required), RFC 5480 §2.1.1 (EC named curves only), RFC 8410 §3 (Ed25519, absent
 *   parameters).
 * - PKCS#8 PrivateKeyInfo / OneAsymmetricKey: RFC 5208 §5, RFC 5958 §2 (v2 `publicKey` checked
 *   against the private key); Ed25519 CurvePrivateKey: RFC 8410 §7.
 * - SEC1 ECPrivateKey: RFC 5915 §3 (SEC 1 v2 §C.4).
 * - PKCS#1 RSAPublicKey / RSAPrivateKey: RFC 8017 §A.1.1–A.1.2 (two-prime only).
 *
 * Validation (on every import path): EC points must be uncompressed and on the curve, EC scalars
 * in [1, n-1] with any embedded public key matching; Ed25519 public keys canonical; RSA moduli
 * odd and 2048–4096 bits, exponents odd in [3, 2^32), private CRT parameters consistent. Curves
 * other than P-256/P-384, Ed448, X25519, RSA-PSS-restricted keys and multi-prime RSA are
 * rejected as unsupported.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import { p256, p384 } from "@noble/curves/nist.js";
import {
  DER_TAGS,
  DerReader,
  encodeDerBitString,
  encodeDerContext,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
} from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";

/** Ed25519 key material (RFC 8032). */
export interface Ed25519Material {
  readonly type: "ed25519";
  /** 32-byte public key A. */
  readonly publicKey: Uint8Array;
  /** 32-byte private seed. */
  readonly seed?: Uint8Array | undefined;
}

/** ECDSA key material on P-256 or P-384. */
export interface EcMaterial {
  readonly type: "ecdsa-p256" | "ecdsa-p384";
  /** Uncompressed point `04 ‖ x ‖ y`. */
  readonly point: Uint8Array;
  /** Private scalar, big-endian, exactly the field size. */
  readonly scalar?: Uint8Array | undefined;
}

/** RSA private CRT parameters (RFC 8017 §3.2, second representation). */
export interface RsaPrivateParts {
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qi: bigint;
}

/** RSA key material. */
export interface RsaMaterial {
  readonly type: "rsa";
  readonly n: bigint;
  readonly e: bigint;
  readonly private?: RsaPrivateParts | undefined;
}

/** HMAC secret. */
export interface HmacMaterial {
  readonly type: "hmac";
  readonly secret: Uint8Array;
}

/** Any asymmetric key material. */
export type AsymmetricMaterial = Ed25519Material | EcMaterial | RsaMaterial;

/** Any key material. */
export type KeyMaterial = AsymmetricMaterial | HmacMaterial;

/** Object identifiers used by the key containers. */
export const OID = {
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsassaPss: "1.2.840.113549.1.1.10",
  ecPublicKey: "1.2.840.10045.2.1",
  prime256v1: "1.2.840.10045.3.1.7",
  secp384r1: "1.3.132.0.34",
  ed25519: "1.3.101.112",
} as const;

const CURVE_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.10045.3.1.7": "P-256",
  "1.3.132.0.34": "P-384",
  "1.3.132.0.35": "P-521",
  "1.3.132.0.33": "P-224",
  "1.2.840.10045.3.1.1": "P-192",
  "1.3.132.0.10": "secp256k1",
};

const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.10": "RSASSA-PSS-restricted RSA",
  "1.3.101.113": "Ed448",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.2.840.10040.4.1": "DSA",
  "1.2.840.10046.2.1": "Diffie-Hellman",
};

/** RSA modulus sizes this toolkit accepts, in bits (inclusive). */
export const RSA_MIN_BITS = 2048;
/** Largest accepted RSA modulus, in bits. */
export const RSA_MAX_BITS = 4096;
/** Shortest accepted HMAC secret, in bytes (RFC 2104 §3: at least half the output length). */
export const HMAC_MIN_BYTES = 16;
/** Longest accepted HMAC secret, in bytes. */
export const HMAC_MAX_BYTES = 4096;

/** The curve implementation and sizes for an EC key type. */
export function curveOf(type: EcMaterial["type"]): {
  curve: typeof p256;
  size: number;
  oid: string;
  name: string;
} {
  return type === "ecdsa-p256"
    ? { curve: p256, size: 32, oid: OID.prime256v1, name: "P-256" }
    : { curve: p384, size: 48, oid: OID.secp384r1, name: "P-384" };
}

/** ` "NAME"` for messages about a named key input, or nothing. */
export function keyLabel(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

/** A `KEY_INVALID` error: the key is malformed or inconsistent. */
export function invalidKey(name: string | undefined, detail: string, offset = -1): ParseError {
  return new ParseError("KEY_INVALID", `Cannot import key${keyLabel(name)}: ${detail}`, offset);
}

/** A `KEY_UNSUPPORTED` error: well-formed, but an algorithm, curve or size this toolkit refuses. */
export function unsupportedKey(name: string | undefined, detail: string): ParseError {
  return new ParseError("KEY_UNSUPPORTED", `Cannot import key${keyLabel(name)}: ${detail}`);
}

/** Runs `parse`, turning DER errors into `KEY_INVALID` (same offset, no key bytes in the text). */
export function withDer<T>(name: string | undefined, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ParseError && error.code === "DER_INVALID") {
      throw invalidKey(
        name,
        `malformed ${what}: ${error.message.replace(/^[^:]*: /, "")}`,
        error.offset,
      );
    }
    throw error;
  }
}

/** Big-endian unsigned bytes → bigint. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** bigint → big-endian unsigned bytes, minimal or left-padded to `length`. */
export function bigintToBytes(value: bigint, length?: number): Uint8Array<ArrayBuffer> {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  const bytes = Uint8Array.fromHex(hex);
  if (length === undefined || bytes.length === length) return bytes;
  if (bytes.length > length) throw new RangeError("Cannot encode integer: too large for its field");
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/** Bit length of a positive bigint. */
export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Validates (and completes) Ed25519 material; returns it with the public key derived. */
export function checkEd25519(
  publicKey: Uint8Array | undefined,
  seed: Uint8Array | undefined,
  name: string | undefined,
): Ed25519Material {
  if (seed !== undefined && seed.length !== 32) {
    throw invalidKey(name, `Ed25519 private key must be 32 bytes, got ${seed.length}`);
  }
  const derived = seed === undefined ? undefined : ed25519.getPublicKey(seed);
  const pub = publicKey ?? derived;
  if (pub === undefined) throw invalidKey(name, "Ed25519 key has neither public nor private part");
  if (pub.length !== 32) {
    throw invalidKey(name, `Ed25519 public key must be 32 bytes, got ${pub.length}`);
  }
  if (derived !== undefined && !sameBytes(derived, pub)) {
    throw invalidKey(name, "Ed25519 public key does not match the private key");
  }
  if (!ed25519.utils.isValidPublicKey(pub, false)) {
    throw invalidKey(name, "Ed25519 public key is not a canonical curve point");
  }
  return { type: "ed25519", publicKey: pub.slice(), seed: seed?.slice() };
}

/** Validates (and completes) EC material. */
export function checkEc(
  type: EcMaterial["type"],
  point: Uint8Array | undefined,
  scalar: Uint8Array | undefined,
  name: string | undefined,
): EcMaterial {
  const { curve, size, name: curveName } = curveOf(type);
  let d: Uint8Array | undefined;
  if (scalar !== undefined) {
    if (scalar.length > size) {
      // Tolerate one leading zero only when the rest fits (some encoders write INTEGER-style).
      const extra = scalar.subarray(0, scalar.length - size);
      if (extra.some((b) => b !== 0)) {
        throw invalidKey(name, `${curveName} private scalar is longer than ${size} bytes`);
      }
      d = scalar.slice(scalar.length - size);
    } else {
      d = new Uint8Array(size);
      d.set(scalar, size - scalar.length);
    }
    if (!curve.utils.isValidSecretKey(d)) {
      throw invalidKey(name, `${curveName} private scalar is out of range`);
    }
  }
  const derived = d === undefined ? undefined : curve.getPublicKey(d, false);
  const pub = point ?? derived;
  if (pub === undefined) {
    throw invalidKey(name, `${curveName} key has neither public nor private part`);
  }
  if (pub[0] === 0x02 || pub[0] === 0x03) {
    throw unsupportedKey(name, `compressed ${curveName} points are not supported`);
  }
  if (pub.length !== 1 + 2 * size || pub[0] !== 0x04) {
    throw invalidKey(name, `${curveName} public key is not an uncompressed point`);
  }
  try {
    curve.Point.fromBytes(pub).assertValidity();
  } catch {
    throw invalidKey(name, `${curveName} public key is not on the curve`);
  }
  if (derived !== undefined && !sameBytes(derived, pub)) {
    throw invalidKey(name, `${curveName} public key does not match the private key`);
  }
  return { type, point: pub.slice(), scalar: d };
}

/** Validates RSA material. */
export function checkRsa(
  n: bigint,
  e: bigint,
  parts: RsaPrivateParts | undefined,
  name: string | undefined,
): RsaMaterial {
  const bits = bitLength(n);
  if (n <= 0n || n % 2n === 0n) throw invalidKey(name, "RSA modulus must be odd and positive");
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw unsupportedKey(
      name,
      `RSA key size ${bits} is not supported (use ${RSA_MIN_BITS}-${RSA_MAX_BITS} bits)`,
    );
  }
  if (e < 3n || e % 2n === 0n || e >= 1n << 32n) {
    throw unsupportedKey(name, "RSA public exponent must be odd and between 3 and 2^32");
  }
  if (parts !== undefined) {
    const { d, p, q, dp, dq, qi } = parts;
    const ok = p > 1n && q > 1n && p * q === n && d > 0n && d < n &&
      dp === mod(d, p - 1n) && dq === mod(d, q - 1n) &&
      mod(e * dp, p - 1n) === 1n && mod(e * dq, q - 1n) === 1n && mod(q * qi, p) === 1n;
    if (!ok) throw invalidKey(name, "RSA private key parameters are inconsistent");
  }
  return { type: "rsa", n, e, private: parts };
}

/** Validates an HMAC secret. */
export function checkHmac(secret: Uint8Array, name: string | undefined): HmacMaterial {
  if (secret.length < HMAC_MIN_BYTES || secret.length > HMAC_MAX_BYTES) {
    throw unsupportedKey(
      name,
      `HMAC secret must be ${HMAC_MIN_BYTES}-${HMAC_MAX_BYTES} bytes, got ${secret.length}`,
    );
  }
  return { type: "hmac", secret: secret.slice() };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function algorithmIdentifier(material: AsymmetricMaterial): Uint8Array {
  switch (material.type) {
    case "ed25519":
      return encodeDerSequence([encodeDerOid(OID.ed25519)]);
    case "rsa":
      return encodeDerSequence([encodeDerOid(OID.rsaEncryption), encodeDerNull()]);
    default:
      return encodeDerSequence([
        encodeDerOid(OID.ecPublicKey),
        encodeDerOid(curveOf(material.type).oid),
      ]);
  }
}

/** PKCS#1 RSAPublicKey DER. */
export function encodeRsaPublicKey(material: RsaMaterial): Uint8Array<ArrayBuffer> {
  return encodeDerSequence([encodeDerInteger(material.n), encodeDerInteger(material.e)]);
}

/** Canonical DER SubjectPublicKeyInfo. */
export function encodeSpki(material: AsymmetricMaterial): Uint8Array<ArrayBuffer> {
  const key = material.type === "ed25519"
    ? material.publicKey
    : material.type === "rsa"
    ? encodeRsaPublicKey(material)
    : material.point;
  return encodeDerSequence([algorithmIdentifier(material), encodeDerBitString(key)]);
}

/** PKCS#1 RSAPrivateKey DER (two-prime, version 0). */
export function encodeRsaPrivateKey(material: RsaMaterial): Uint8Array<ArrayBuffer> {
  const parts = material.private;
  if (parts === undefined) throw new TypeError("Pass a private key: this RSA key is public");
  return encodeDerSequence([
    encodeDerInteger(0),
    encodeDerInteger(material.n),
    encodeDerInteger(material.e),
    ...[parts.d, parts.p, parts.q, parts.dp, parts.dq, parts.qi].map((v) => encodeDerInteger(v)),
  ]);
}

/** SEC1 ECPrivateKey DER; `withParameters` adds the curve OID (standalone `EC PRIVATE KEY`). */
export function encodeEcPrivateKey(
  material: EcMaterial,
  withParameters: boolean,
): Uint8Array<ArrayBuffer> {
  if (material.scalar === undefined) {
    throw new TypeError("Pass a private key: this EC key is public");
  }
  const parts = [encodeDerInteger(1), encodeDerOctetString(material.scalar)];
  if (withParameters) parts.push(encodeDerContext(0, encodeDerOid(curveOf(material.type).oid)));
  parts.push(encodeDerContext(1, encodeDerBitString(material.point)));
  return encodeDerSequence(parts);
}

/** Canonical DER PKCS#8 PrivateKeyInfo (version 0, as OpenSSL and Go write it). */
export function encodePkcs8(material: AsymmetricMaterial): Uint8Array<ArrayBuffer> {
  let inner: Uint8Array;
  switch (material.type) {
    case "ed25519":
      if (material.seed === undefined) {
        throw new TypeError("Pass a private key: this key is public");
      }
      inner = encodeDerOctetString(material.seed);
      break;
    case "rsa":
      inner = encodeRsaPrivateKey(material);
      break;
    default:
      inner = encodeEcPrivateKey(material, false);
  }
  return encodeDerSequence([
    encodeDerInteger(0),
    algorithmIdentifier(material),
    encodeDerOctetString(inner),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Parsing

type ParsedAlgorithm =
  | { type: "ed25519" }
  | { type: "rsa" }
  | { type: "ecdsa-p256" | "ecdsa-p384" };

function readAlgorithm(reader: DerReader, name: string | undefined): ParsedAlgorithm {
  const seq = reader.readSequence();
  const oid = seq.readOid();
  switch (oid) {
    case OID.ed25519:
      if (!seq.isEmpty()) throw invalidKey(name, "Ed25519 algorithm parameters must be absent");
      return { type: "ed25519" };
    case OID.rsaEncryption:
      if (seq.isEmpty()) throw invalidKey(name, "RSA algorithm parameters must be NULL");
      seq.readNull();
      seq.end();
      return { type: "rsa" };
    case OID.ecPublicKey: {
      if (seq.peekTag() !== DER_TAGS.OBJECT_IDENTIFIER) {
        throw unsupportedKey(
          name,
          "EC keys must name their curve (explicit parameters are not supported)",
        );
      }
      const curve = seq.readOid();
      seq.end();
      return { type: ecTypeOfCurve(curve, name) };
    }
    default:
      throw unsupportedKey(
        name,
        `${ALGORITHM_NAMES[oid] ?? `key algorithm ${oid}`} is not supported`,
      );
  }
}

function ecTypeOfCurve(oid: string, name: string | undefined): EcMaterial["type"] {
  if (oid === OID.prime256v1) return "ecdsa-p256";
  if (oid === OID.secp384r1) return "ecdsa-p384";
  throw unsupportedKey(
    name,
    `EC curve ${CURVE_NAMES[oid] ?? oid} is not supported (use P-256 or P-384)`,
  );
}

function readRsaPublicKey(reader: DerReader, name: string | undefined): RsaMaterial {
  const seq = reader.readSequence();
  const n = bytesToBigint(seq.readUnsignedIntegerBytes());
  const e = bytesToBigint(seq.readUnsignedIntegerBytes());
  seq.end();
  return checkRsa(n, e, undefined, name);
}

/** Parses a DER SubjectPublicKeyInfo. */
export function parseSpki(der: Uint8Array, name?: string): AsymmetricMaterial {
  return withDer(name, "SubjectPublicKeyInfo", () => {
    const outer = new DerReader(der, { name });
    const spki = outer.readSequence();
    outer.end();
    const algorithm = readAlgorithm(spki, name);
    const key = spki.readBitStringBytes();
    spki.end();
    switch (algorithm.type) {
      case "ed25519":
        return checkEd25519(key, undefined, name);
      case "rsa": {
        const inner = new DerReader(key, { name });
        const material = readRsaPublicKey(inner, name);
        inner.end();
        return material;
      }
      default:
        return checkEc(algorithm.type, key, undefined, name);
    }
  });
}

/** Parses a PKCS#1 RSAPublicKey (`RSA PUBLIC KEY`). */
export function parseRsaPublicKey(der: Uint8Array, name?: string): RsaMaterial {
  return withDer(name, "RSAPublicKey", () => {
    const reader = new DerReader(der, { name });
    const material = readRsaPublicKey(reader, name);
    reader.end();
    return material;
  });
}

/** Parses a PKCS#1 RSAPrivateKey (`RSA PRIVATE KEY`). */
export function parseRsaPrivateKey(der: Uint8Array, name?: string): RsaMaterial {
  return withDer(name, "RSAPrivateKey", () => {
    const outer = new DerReader(der, { name });
    const seq = outer.readSequence();
    outer.end();
    const version = seq.readSmallInteger();
    if (version !== 0) {
      throw unsupportedKey(name, "multi-prime RSA keys are not supported");
    }
    const values = Array.from({ length: 8 }, () => bytesToBigint(seq.readUnsignedIntegerBytes()));
    seq.end();
    const [n, e, d, p, q, dp, dq, qi] = values as [
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    return checkRsa(n, e, { d, p, q, dp, dq, qi }, name);
  });
}

/**
 * Parses a SEC1 ECPrivateKey. `curveFromAlgorithm` is the curve named by an enclosing PKCS#8
 * AlgorithmIdentifier; without it the key must carry its own `parameters`.
 */
export function parseEcPrivateKey(
  der: Uint8Array,
  name?: string,
  curveFromAlgorithm?: EcMaterial["type"],
): EcMaterial {
  return withDer(name, "ECPrivateKey", () => {
    const outer = new DerReader(der, { name });
    const seq = outer.readSequence();
    outer.end();
    if (seq.readSmallInteger() !== 1) throw invalidKey(name, "ECPrivateKey version must be 1");
    const scalar = seq.readOctetString();
    const params = seq.readOptionalContext(0);
    let type = curveFromAlgorithm;
    if (params !== undefined) {
      if (params.peekTag() !== DER_TAGS.OBJECT_IDENTIFIER) {
        throw unsupportedKey(
          name,
          "EC keys must name their curve (explicit parameters are not supported)",
        );
      }
      const fromParams = ecTypeOfCurve(params.readOid(), name);
      params.end();
      if (type !== undefined && type !== fromParams) {
        throw invalidKey(name, "ECPrivateKey curve differs from the algorithm identifier");
      }
      type = fromParams;
    }
    if (type === undefined) throw invalidKey(name, "ECPrivateKey does not name its curve");
    let point: Uint8Array | undefined;
    const pub = seq.readOptionalContext(1);
    if (pub !== undefined) {
      point = pub.readBitStringBytes();
      pub.end();
    }
    seq.end();
    return checkEc(type, point, scalar, name);
  });
}

/** Parses a DER PKCS#8 PrivateKeyInfo / OneAsymmetricKey. */
export function parsePkcs8(der: Uint8Array, name?: string): AsymmetricMaterial {
  return withDer(name, "PKCS#8 PrivateKeyInfo", () => {
    const outer = new DerReader(der, { name });
    const seq = outer.readSequence();
    outer.end();
    const version = seq.readSmallInteger();
    if (version !== 0 && version !== 1) {
      throw invalidKey(name, `PKCS#8 version ${version} is unknown`);
    }
    const algorithm = readAlgorithm(seq, name);
    const privateKey = seq.readOctetString();
    seq.readOptional(0xa0); // attributes: ignored
    const publicKeyElement = seq.readOptional(0x81);
    seq.end();
    if (publicKeyElement !== undefined && version !== 1) {
      throw invalidKey(name, "PKCS#8 v1 keys cannot carry a public key");
    }
    let embedded: Uint8Array | undefined;
    if (publicKeyElement !== undefined) {
      const contents = publicKeyElement.contents;
      if (contents[0] !== 0) throw invalidKey(name, "PKCS#8 public key has unused bits");
      embedded = contents.subarray(1);
    }
    let material: AsymmetricMaterial;
    switch (algorithm.type) {
      case "ed25519": {
        const inner = new DerReader(privateKey, { name });
        const seed = inner.readOctetString();
        inner.end();
        material = checkEd25519(embedded, seed, name);
        break;
      }
      case "rsa":
        material = parseRsaPrivateKey(privateKey, name);
        if (embedded !== undefined && !sameBytes(embedded, encodeRsaPublicKey(material))) {
          throw invalidKey(name, "PKCS#8 public key does not match the private key");
        }
        break;
      default:
        material = parseEcPrivateKey(privateKey, name, algorithm.type);
        if (embedded !== undefined && !sameBytes(embedded, (material as EcMaterial).point)) {
          throw invalidKey(name, "PKCS#8 public key does not match the private key");
        }
    }
    return material;
  });
}
