/**
 * Test-only X.509 certificate builder: writes TBSCertificates with the toolkit's DER encoders and
 * signs them with `node:crypto`, so chain tests can make exactly the certificate they need
 * (expired, non-CA issuer, loops, unknown critical extensions, malformed fields).
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { sha256 } from "../../lib/digest/mod.ts";
import {
  encodeDerBitString,
  encodeDerBoolean,
  encodeDerContext,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
  encodeDerSet,
  encodeDerTime,
  encodeDerTlv,
  encodeDerUtf8String,
} from "../../lib/encoding/der.ts";

/** A key pair for the builder. */
export interface TestKey {
  privateKey: KeyObject;
  spki: Uint8Array;
  kind: "p256" | "p384" | "rsa" | "ed25519";
}

/** Makes a key pair. */
export function makeKey(kind: TestKey["kind"] = "p256"): TestKey {
  const pair = kind === "rsa"
    ? generateKeyPairSync("rsa", { modulusLength: 2048 })
    : kind === "ed25519"
    ? generateKeyPairSync("ed25519")
    : generateKeyPairSync("ec", { namedCurve: kind === "p256" ? "P-256" : "P-384" });
  const spki = new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" }));
  return { privateKey: pair.privateKey, spki, kind };
}

/** Encodes a Name from `[type OID, value]` pairs, one RDN each. */
export function encodeName(attributes: readonly [string, string][]): Uint8Array {
  return encodeDerSequence(
    attributes.map(([oid, value]) =>
      encodeDerSet([encodeDerSequence([encodeDerOid(oid), encodeDerUtf8String(value)])])
    ),
  );
}

/** `CN=<cn>,O=StellaOps Test` as DER. */
export function nameOf(cn: string): Uint8Array {
  return encodeName([["2.5.4.10", "StellaOps Test"], ["2.5.4.3", cn]]);
}

/** One raw extension. */
export interface RawExtension {
  oid: string;
  critical?: boolean;
  value: Uint8Array;
}

/** What to put in a certificate. */
export interface CertSpec {
  subject: string | Uint8Array;
  issuer?: string | Uint8Array;
  key: TestKey;
  issuerKey?: TestKey;
  serial?: bigint;
  notBefore?: number;
  notAfter?: number;
  ca?: boolean;
  pathLength?: number;
  keyUsage?: number[];
  eku?: string[];
  ekuCritical?: boolean;
  ski?: Uint8Array | null;
  aki?: Uint8Array | null;
  extra?: RawExtension[];
  hash?: "sha256" | "sha384" | "sha512";
  pss?: boolean;
  /** Replace the TBSCertificate signature AlgorithmIdentifier (to test the outer/inner rule). */
  innerAlgorithm?: Uint8Array;
  version?: number | null;
  noExtensions?: boolean;
}

const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 1);

function algorithmFor(key: TestKey, hash: string, pss: boolean): Uint8Array {
  const hashOid = {
    sha256: "2.16.840.1.101.3.4.2.1",
    sha384: "2.16.840.1.101.3.4.2.2",
    sha512: "2.16.840.1.101.3.4.2.3",
  }[hash]!;
  switch (key.kind) {
    case "ed25519":
      return encodeDerSequence([encodeDerOid("1.3.101.112")]);
    case "rsa":
      if (pss) {
        const hashAlg = encodeDerSequence([encodeDerOid(hashOid)]);
        return encodeDerSequence([
          encodeDerOid("1.2.840.113549.1.1.10"),
          encodeDerSequence([
            encodeDerContext(0, hashAlg),
            encodeDerContext(1, encodeDerSequence([encodeDerOid("1.2.840.113549.1.1.8"), hashAlg])),
            encodeDerContext(2, encodeDerInteger(32)),
          ]),
        ]);
      }
      return encodeDerSequence([
        encodeDerOid(
          {
            sha256: "1.2.840.113549.1.1.11",
            sha384: "1.2.840.113549.1.1.12",
            sha512: "1.2.840.113549.1.1.13",
          }[hash]!,
        ),
        encodeDerNull(),
      ]);
    default:
      return encodeDerSequence([
        encodeDerOid(
          {
            sha256: "1.2.840.10045.4.3.2",
            sha384: "1.2.840.10045.4.3.3",
            sha512: "1.2.840.10045.4.3.4",
          }[hash]!,
        ),
      ]);
  }
}

/** Signs `data` like the certificate signature algorithm of `key` says. */
export function signWith(key: TestKey, data: Uint8Array, hash: string, pss = false): Uint8Array {
  if (key.kind === "ed25519") return new Uint8Array(sign(null, data, key.privateKey));
  if (key.kind === "rsa" && pss) {
    return new Uint8Array(sign(hash, data, { key: key.privateKey, padding: 6, saltLength: 32 }));
  }
  return new Uint8Array(sign(hash, data, key.privateKey));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return encodeDerSequence([
    encodeDerOid(oid),
    ...(critical ? [encodeDerBoolean(true)] : []),
    encodeDerOctetString(value),
  ]);
}

/** Key identifier: SHA-256 of the SPKI, first 20 bytes. */
export function keyId(key: TestKey): Uint8Array {
  return sha256(key.spki).subarray(0, 20);
}

/** Key usage bits for {@link CertSpec.keyUsage}. */
export const KU = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

function keyUsageBits(bits: number[]): Uint8Array {
  const bytes = new Uint8Array(2);
  let highest = 0;
  for (const bit of bits) {
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    highest = Math.max(highest, bit);
  }
  const length = highest < 8 ? 1 : 2;
  const used = bytes.subarray(0, length);
  const last = used[length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return encodeDerBitString(used, unused);
}

/** Builds and signs a certificate. */
export function buildCert(spec: CertSpec): Uint8Array {
  const issuerKey = spec.issuerKey ?? spec.key;
  const subject = typeof spec.subject === "string" ? nameOf(spec.subject) : spec.subject;
  const issuer = spec.issuer === undefined
    ? subject
    : typeof spec.issuer === "string"
    ? nameOf(spec.issuer)
    : spec.issuer;
  const hash = spec.hash ?? "sha256";
  const algorithm = algorithmFor(issuerKey, hash, spec.pss ?? false);
  const exts: Uint8Array[] = [];
  if (spec.ca !== undefined) {
    const parts = spec.ca ? [encodeDerBoolean(true)] : [];
    if (spec.pathLength !== undefined) parts.push(encodeDerInteger(spec.pathLength));
    exts.push(extension("2.5.29.19", true, encodeDerSequence(parts)));
  }
  const keyUsage = spec.keyUsage ??
    (spec.ca ? [KU.keyCertSign, KU.cRLSign] : [KU.digitalSignature]);
  if (keyUsage.length > 0) exts.push(extension("2.5.29.15", true, keyUsageBits(keyUsage)));
  if (spec.eku !== undefined) {
    exts.push(
      extension(
        "2.5.29.37",
        spec.ekuCritical ?? true,
        encodeDerSequence(spec.eku.map(encodeDerOid)),
      ),
    );
  }
  const ski = spec.ski === undefined ? keyId(spec.key) : spec.ski;
  if (ski !== null) exts.push(extension("2.5.29.14", false, encodeDerOctetString(ski)));
  const aki = spec.aki === undefined ? keyId(issuerKey) : spec.aki;
  if (aki !== null && spec.issuerKey !== undefined) {
    exts.push(extension("2.5.29.35", false, encodeDerSequence([encodeDerTlv(0x80, aki)])));
  }
  for (const extra of spec.extra ?? []) {
    exts.push(extension(extra.oid, extra.critical ?? false, extra.value));
  }
  const version = spec.version === undefined ? 2 : spec.version;
  const tbs = encodeDerSequence([
    ...(version === null ? [] : [encodeDerContext(0, encodeDerInteger(version))]),
    encodeDerInteger(spec.serial ?? 1n),
    spec.innerAlgorithm ?? algorithm,
    issuer,
    encodeDerSequence([
      encodeDerTime(new Date(spec.notBefore ?? T0)),
      encodeDerTime(new Date(spec.notAfter ?? T0 + 3650 * DAY)),
    ]),
    subject,
    spec.key.spki,
    ...(spec.noExtensions || exts.length === 0
      ? []
      : [encodeDerContext(3, encodeDerSequence(exts))]),
  ]);
  const signature = signWith(issuerKey, tbs, hash, spec.pss ?? false);
  return encodeDerSequence([tbs, algorithm, encodeDerBitString(signature)]);
}

export { DAY };
