/**
 * Sigstore bundles (sigstore/protobuf-specs `dev.sigstore.bundle.v1.Bundle`, protobuf JSON form):
 * media types `application/vnd.dev.sigstore.bundle+json;version=0.1`, `…;version=0.2`,
 * `…;version=0.3` and `application/vnd.dev.sigstore.bundle.v0.3+json`.
 *
 * The parser is strict: unknown media types, unknown fields where trust depends on them, invalid
 * base64, negative or non-decimal integers and the version rules of the bundle specification
 * (`docs/bundle.md` of protobuf-specs: v0.1 entries need an inclusion promise, v0.2 and later an
 * inclusion proof, v0.3 carries a single `certificate` rather than a chain) are
 * rejected with a {@link ParseError}. Where protobuf JSON allows `null` for a field's default,
 * it reads as absent (optional messages, a DSSE signature's `keyid`). Nothing here is verified:
 * see `verifyBundle`.
 *
 * @module
 */

import { decodeBase64 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { isObject, type JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { type ParsedEnvelope, parseEnvelope } from "./dsse.ts";

/** The bundle versions this parser reads. */
export const BUNDLE_VERSIONS = ["0.1", "0.2", "0.3"] as const;

/** One of {@link BUNDLE_VERSIONS}. */
export type BundleVersion = typeof BUNDLE_VERSIONS[number];

const MEDIA_TYPES: Readonly<Record<string, BundleVersion>> = {
  "application/vnd.dev.sigstore.bundle+json;version=0.1": "0.1",
  "application/vnd.dev.sigstore.bundle+json;version=0.2": "0.2",
  "application/vnd.dev.sigstore.bundle+json;version=0.3": "0.3",
  "application/vnd.dev.sigstore.bundle.v0.3+json": "0.3",
};

/**
 * A transparency-log entry of a bundle (`TransparencyLogEntry`), integers as `bigint`.
 *
 * @example Usage
 * ```ts
 * import { type BundleTlogEntry } from "@stellaops/provenance/model";
 * import { parseSigstoreBundle } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const tlogEntry = {
 *   logIndex: "42",
 *   logId: { keyId: "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=" },
 *   kindVersion: { kind: "hashedrekord", version: "0.0.1" },
 *   integratedTime: "1689177043",
 *   canonicalizedBody: "e30=",
 *   inclusionProof: {
 *     logIndex: "42",
 *     rootHash: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
 *     treeSize: "43",
 *     hashes: [],
 *   },
 * };
 * const bundle = parseSigstoreBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { publicKey: { hint: "k1" }, tlogEntries: [tlogEntry] },
 *   messageSignature: { signature: "AAEC" },
 * }));
 * const entry: BundleTlogEntry | undefined = bundle.verificationMaterial.tlogEntries[0];
 * assert.equal(entry?.logIndex, 42n);
 * assert.equal(entry?.integratedTime, 1689177043n);
 * assert.deepEqual(entry?.kindVersion, { kind: "hashedrekord", version: "0.0.1" });
 * assert.equal(new TextDecoder().decode(entry?.canonicalizedBody), "{}");
 * assert.equal(entry?.inclusionProof?.treeSize, 43n);
 * ```
 */
export interface BundleTlogEntry {
  /** Index of the entry in the log (global index for Rekor v1). */
  readonly logIndex: bigint;
  /** The log's ID (SHA-256 of its key for Rekor v1). */
  readonly logId: Uint8Array<ArrayBuffer>;
  /** The entry's kind and API version, e.g. `hashedrekord` `0.0.1`. */
  readonly kindVersion: { readonly kind: string; readonly version: string };
  /** Time the log integrated the entry, seconds since the epoch; 0 when absent (Rekor v2). */
  readonly integratedTime: bigint;
  /** The entry body exactly as the log canonicalized it (decoded from base64). */
  readonly canonicalizedBody: Uint8Array<ArrayBuffer>;
  /** The entry body as the base64 text of the bundle (what a SET signs). */
  readonly canonicalizedBodyBase64: string;
  /** Signed entry timestamp (Rekor v1), when present. */
  readonly inclusionPromise?: { readonly signedEntryTimestamp: Uint8Array<ArrayBuffer> };
  /** Inclusion proof, when present. */
  readonly inclusionProof?: {
    readonly logIndex: bigint;
    readonly rootHash: Uint8Array<ArrayBuffer>;
    readonly treeSize: bigint;
    readonly hashes: readonly Uint8Array<ArrayBuffer>[];
    /** The checkpoint (a C2SP signed note), when present. */
    readonly checkpoint?: string;
  };
}

/**
 * The verification material: exactly one of a public-key hint, a certificate chain (v0.1/v0.2)
 * or a single certificate (v0.3), plus tlog entries and RFC 3161 timestamps.
 *
 * @example Usage
 * ```ts
 * import { type BundleVerificationMaterial } from "@stellaops/provenance/model";
 * import { parseSigstoreBundle } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const bundle = (verificationMaterial: object) =>
 *   JSON.stringify({
 *     mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *     verificationMaterial,
 *     messageSignature: { signature: "AAEC" },
 *   });
 * const material: BundleVerificationMaterial =
 *   parseSigstoreBundle(bundle({ publicKey: { hint: "k1" } })).verificationMaterial;
 * assert.deepEqual(material, { kind: "publicKey", hint: "k1", tlogEntries: [], rfc3161Timestamps: [] });
 * assert.throws(
 *   () => parseSigstoreBundle(bundle({ publicKey: { hint: "k1" }, certificate: { rawBytes: "AA==" } })),
 *   {
 *     code: "BUNDLE_MALFORMED",
 *     message: "Cannot read Sigstore bundle: /verificationMaterial needs exactly one of publicKey, " +
 *       "x509CertificateChain, certificate",
 *   },
 * );
 * ```
 */
export type BundleVerificationMaterial =
  & (
    | { readonly kind: "publicKey"; readonly hint: string }
    | {
      readonly kind: "x509CertificateChain";
      readonly certificates: readonly Uint8Array<ArrayBuffer>[];
    }
    | { readonly kind: "certificate"; readonly certificates: readonly Uint8Array<ArrayBuffer>[] }
  )
  & {
    readonly tlogEntries: readonly BundleTlogEntry[];
    /** DER `TimeStampResponse`/`TimeStampToken` bytes of `timestampVerificationData`. */
    readonly rfc3161Timestamps: readonly Uint8Array<ArrayBuffer>[];
  };

/**
 * The signed content: a message signature over an artifact, or a DSSE envelope.
 *
 * @example Usage
 * ```ts
 * import { type BundleContent } from "@stellaops/provenance/model";
 * import { parseSigstoreBundle } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const dsseEnvelope = { payloadType: "text/plain", payload: "aGk=", signatures: [{ sig: "AAEC" }] };
 * const content: BundleContent = parseSigstoreBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { publicKey: { hint: "k1" } },
 *   dsseEnvelope,
 * })).content;
 * assert.ok(content.kind === "dsseEnvelope");
 * assert.equal(new TextDecoder().decode(content.envelope.payloadBytes), "hi");
 * ```
 */
export type BundleContent =
  | {
    readonly kind: "messageSignature";
    /** The artifact digest hint (unauthenticated), when present. */
    readonly messageDigest?: {
      readonly algorithm: string;
      readonly digest: Uint8Array<ArrayBuffer>;
    };
    readonly signature: Uint8Array<ArrayBuffer>;
  }
  | { readonly kind: "dsseEnvelope"; readonly envelope: ParsedEnvelope };

/**
 * A parsed Sigstore bundle.
 *
 * @example Usage
 * ```ts
 * import { type SigstoreBundle } from "@stellaops/provenance/model";
 * import { parseSigstoreBundle } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const bundle: SigstoreBundle = parseSigstoreBundle(JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle+json;version=0.2",
 *   verificationMaterial: { publicKey: { hint: "k1" } },
 *   messageSignature: {
 *     messageDigest: { algorithm: "SHA2_256", digest: "AAEC" },
 *     signature: "AwQ=",
 *   },
 * }));
 * assert.equal(bundle.version, "0.2");
 * assert.deepEqual(bundle.content, {
 *   kind: "messageSignature",
 *   messageDigest: { algorithm: "SHA2_256", digest: new Uint8Array([0, 1, 2]) },
 *   signature: new Uint8Array([3, 4]),
 * });
 * ```
 */
export interface SigstoreBundle {
  /** The media type as written. */
  readonly mediaType: string;
  /** The bundle version the media type names. */
  readonly version: BundleVersion;
  /** Keys, certificates, tlog entries and timestamps. */
  readonly verificationMaterial: BundleVerificationMaterial;
  /** What was signed. */
  readonly content: BundleContent;
}

/** Options of {@link parseSigstoreBundle}. */
export interface ParseSigstoreBundleOptions {
  /** Name of the input (e.g. the file name), used in error messages. */
  name?: string | undefined;
}

/**
 * Parses and checks a Sigstore bundle (strict JSON, known media type, version rules).
 *
 * @param input The bundle JSON (text or UTF-8 bytes).
 * @param options Name of the input for messages.
 * @returns The parsed bundle.
 * @throws {ParseError} `BUNDLE_VERSION_UNSUPPORTED` for an unknown media type, `BUNDLE_MALFORMED`
 *   for a missing or invalid field or a broken version rule (the JSON parser's codes when the
 *   text is not strict JSON).
 *
 * @example Usage
 * ```ts
 * import { ParseError } from "@stellaops/provenance";
 * import { parseSigstoreBundle } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => parseSigstoreBundle('{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=9.9"}'),
 *   (e: unknown) => e instanceof ParseError && e.code === "BUNDLE_VERSION_UNSUPPORTED",
 * );
 * ```
 */
export function parseSigstoreBundle(
  input: string | Uint8Array,
  options: ParseSigstoreBundleOptions = {},
): SigstoreBundle {
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  const bad = (path: string, why: string): ParseError =>
    new ParseError("BUNDLE_MALFORMED", `Cannot read Sigstore bundle${label}: ${path} ${why}`);
  const root = parseJson(input, { name });
  if (!isObject(root)) throw bad("(root)", "is not an object");
  const mediaType = root.mediaType;
  if (typeof mediaType !== "string") throw bad("/mediaType", "is not a string");
  const version = MEDIA_TYPES[mediaType];
  if (version === undefined) {
    throw new ParseError(
      "BUNDLE_VERSION_UNSUPPORTED",
      `Cannot read Sigstore bundle${label}: media type "${mediaType}" is not a supported bundle version`,
    );
  }
  const vm = root.verificationMaterial;
  if (!isObject(vm)) throw bad("/verificationMaterial", "is missing");

  // Key material: exactly one of the three.
  const present = ["publicKey", "x509CertificateChain", "certificate"].filter((k) =>
    vm[k] !== undefined && vm[k] !== null
  );
  if (present.length !== 1) {
    throw bad(
      "/verificationMaterial",
      "needs exactly one of publicKey, x509CertificateChain, certificate",
    );
  }
  let material:
    | { kind: "publicKey"; hint: string }
    | { kind: "x509CertificateChain" | "certificate"; certificates: Uint8Array<ArrayBuffer>[] };
  if (present[0] === "publicKey") {
    const pk = vm.publicKey;
    if (!isObject(pk)) throw bad("/verificationMaterial/publicKey", "is not an object");
    const hint = pk.hint ?? "";
    if (typeof hint !== "string") {
      throw bad("/verificationMaterial/publicKey/hint", "is not a string");
    }
    material = { kind: "publicKey", hint };
  } else if (present[0] === "x509CertificateChain") {
    if (version === "0.3") {
      throw bad(
        "/verificationMaterial/x509CertificateChain",
        "is not allowed in a v0.3 bundle (use certificate)",
      );
    }
    const chain = vm.x509CertificateChain;
    if (!isObject(chain) || !Array.isArray(chain.certificates)) {
      throw bad("/verificationMaterial/x509CertificateChain/certificates", "is not an array");
    }
    if (chain.certificates.length === 0) {
      throw bad("/verificationMaterial/x509CertificateChain/certificates", "is empty");
    }
    const certificates = chain.certificates.map((c, i) =>
      rawBytes(c, `/verificationMaterial/x509CertificateChain/certificates/${i}`, bad)
    );
    material = { kind: "x509CertificateChain", certificates };
  } else {
    material = {
      kind: "certificate",
      certificates: [rawBytes(vm.certificate, "/verificationMaterial/certificate", bad)],
    };
  }

  // Tlog entries.
  const entriesValue = vm.tlogEntries ?? [];
  if (!Array.isArray(entriesValue)) {
    throw bad("/verificationMaterial/tlogEntries", "is not an array");
  }
  const tlogEntries = entriesValue.map((e, i) =>
    tlogEntry(e, `/verificationMaterial/tlogEntries/${i}`, version, bad)
  );

  // Timestamps.
  const rfc3161Timestamps: Uint8Array<ArrayBuffer>[] = [];
  const tvd = vm.timestampVerificationData;
  if (tvd !== undefined && tvd !== null) {
    if (!isObject(tvd)) {
      throw bad("/verificationMaterial/timestampVerificationData", "is not an object");
    }
    const list = tvd.rfc3161Timestamps ?? [];
    if (!Array.isArray(list)) {
      throw bad(
        "/verificationMaterial/timestampVerificationData/rfc3161Timestamps",
        "is not an array",
      );
    }
    list.forEach((t, i) => {
      const at = `/verificationMaterial/timestampVerificationData/rfc3161Timestamps/${i}`;
      if (!isObject(t)) throw bad(at, "is not an object");
      rfc3161Timestamps.push(b64(t.signedTimestamp, `${at}/signedTimestamp`, bad));
    });
  }

  // Content.
  const hasMessage = root.messageSignature !== undefined && root.messageSignature !== null;
  const hasDsse = root.dsseEnvelope !== undefined && root.dsseEnvelope !== null;
  if (hasMessage === hasDsse) {
    throw bad("(root)", "needs exactly one of messageSignature, dsseEnvelope");
  }
  let content: BundleContent;
  if (hasMessage) {
    const ms = root.messageSignature;
    if (!isObject(ms)) throw bad("/messageSignature", "is not an object");
    const signature = b64(ms.signature, "/messageSignature/signature", bad);
    const md = ms.messageDigest;
    if (md !== undefined && md !== null) {
      if (!isObject(md)) throw bad("/messageSignature/messageDigest", "is not an object");
      const algorithm = md.algorithm;
      if (typeof algorithm !== "string") {
        throw bad("/messageSignature/messageDigest/algorithm", "is not a string");
      }
      const digest = b64(md.digest, "/messageSignature/messageDigest/digest", bad);
      content = { kind: "messageSignature", messageDigest: { algorithm, digest }, signature };
    } else {
      content = { kind: "messageSignature", signature };
    }
  } else {
    let envelope: ParsedEnvelope;
    try {
      envelope = parseEnvelope(JSON.stringify(withoutNullKeyids(root.dsseEnvelope)), { name });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      throw bad("/dsseEnvelope", `is not a DSSE envelope (${error.message})`);
    }
    if (envelope.signatures.length !== 1) {
      throw bad("/dsseEnvelope/signatures", "must hold exactly one signature");
    }
    content = { kind: "dsseEnvelope", envelope };
  }
  return {
    mediaType,
    version,
    verificationMaterial: { ...material, tlogEntries, rfc3161Timestamps },
    content,
  };
}

type Bad = (path: string, why: string) => ParseError;

/**
 * In protobuf JSON (the bundle's encoding) `null` is a field's default value, so a DSSE
 * signature's `"keyid": null` means no key id (the envelope proto's `keyid` is a plain string);
 * DSSE's own JSON form, parsed by `parseEnvelope` elsewhere, stays strict.
 */
function withoutNullKeyids(envelope: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(envelope) || !Array.isArray(envelope.signatures)) return envelope;
  return {
    ...envelope,
    signatures: envelope.signatures.map((signature) => {
      if (!isObject(signature) || signature.keyid !== null) return signature;
      const { keyid: _null, ...rest } = signature;
      return rest;
    }),
  };
}

function b64(value: JsonValue | undefined, path: string, bad: Bad): Uint8Array<ArrayBuffer> {
  if (typeof value !== "string" || value === "") throw bad(path, "is not a base64 string");
  try {
    // Protobuf JSON decoders (Go's encoding/base64, Python's base64) skip line breaks inside
    // bytes fields; tools such as `base64` wrap at 76 columns, so bundles carry them.
    return decodeBase64(value.replace(/\r?\n/g, ""));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw bad(path, "is not valid base64");
  }
}

function rawBytes(value: JsonValue | undefined, path: string, bad: Bad): Uint8Array<ArrayBuffer> {
  if (!isObject(value)) throw bad(path, "is not an object");
  return b64(value.rawBytes, `${path}/rawBytes`, bad);
}

function uint(value: JsonValue | undefined, path: string, bad: Bad, optional = false): bigint {
  if ((value === undefined || value === null) && optional) return 0n;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(0|[1-9][0-9]{0,19})$/.test(value)) {
    const n = BigInt(value);
    if (n <= 0x7fffffffffffffffn) return n;
  }
  throw bad(path, "is not a non-negative int64");
}

function tlogEntry(
  value: JsonValue,
  at: string,
  version: BundleVersion,
  bad: Bad,
): BundleTlogEntry {
  if (!isObject(value)) throw bad(at, "is not an object");
  const logIndex = uint(value.logIndex, `${at}/logIndex`, bad);
  const logIdObject = value.logId;
  if (!isObject(logIdObject)) throw bad(`${at}/logId`, "is not an object");
  const logId = b64(logIdObject.keyId, `${at}/logId/keyId`, bad);
  const kv = value.kindVersion;
  if (!isObject(kv) || typeof kv.kind !== "string" || typeof kv.version !== "string") {
    throw bad(`${at}/kindVersion`, "needs kind and version strings");
  }
  const integratedTime = uint(value.integratedTime, `${at}/integratedTime`, bad, true);
  const bodyText = value.canonicalizedBody;
  const canonicalizedBody = b64(bodyText, `${at}/canonicalizedBody`, bad);
  const entry: {
    -readonly [K in keyof BundleTlogEntry]: BundleTlogEntry[K];
  } = {
    logIndex,
    logId,
    kindVersion: { kind: kv.kind, version: kv.version },
    integratedTime,
    canonicalizedBody,
    canonicalizedBodyBase64: bodyText as string,
  };
  const promise = value.inclusionPromise;
  if (promise !== undefined && promise !== null) {
    if (!isObject(promise)) throw bad(`${at}/inclusionPromise`, "is not an object");
    entry.inclusionPromise = {
      signedEntryTimestamp: b64(
        promise.signedEntryTimestamp,
        `${at}/inclusionPromise/signedEntryTimestamp`,
        bad,
      ),
    };
  }
  const proof = value.inclusionProof;
  if (proof !== undefined && proof !== null) {
    const p = `${at}/inclusionProof`;
    if (!isObject(proof)) throw bad(p, "is not an object");
    if (!Array.isArray(proof.hashes)) throw bad(`${p}/hashes`, "is not an array");
    const hashes = proof.hashes.map((h, i) => {
      if (h === "") return new Uint8Array(0);
      return b64(h, `${p}/hashes/${i}`, bad);
    });
    let checkpoint: string | undefined;
    const cp = proof.checkpoint;
    if (cp !== undefined && cp !== null) {
      if (!isObject(cp) || typeof cp.envelope !== "string") {
        throw bad(`${p}/checkpoint/envelope`, "is not a string");
      }
      checkpoint = cp.envelope;
    }
    entry.inclusionProof = {
      logIndex: uint(proof.logIndex, `${p}/logIndex`, bad),
      rootHash: b64(proof.rootHash, `${p}/rootHash`, bad),
      treeSize: uint(proof.treeSize, `${p}/treeSize`, bad),
      hashes,
      ...(checkpoint === undefined ? {} : { checkpoint }),
    };
  }
  if (version === "0.1" && entry.inclusionPromise === undefined) {
    throw bad(`${at}/inclusionPromise`, "is required in a v0.1 bundle");
  }
  if (version !== "0.1") {
    if (entry.inclusionProof === undefined) {
      throw bad(`${at}/inclusionProof`, `is required in a v${version} bundle`);
    }
  }
  return entry;
}
