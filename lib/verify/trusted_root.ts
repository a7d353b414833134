/**
 * Sigstore trusted roots (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`,
 * sigstore/protobuf-specs `dev.sigstore.trustroot.v1.TrustedRoot`), read from bytes only: no TUF,
 * no network. `certificateAuthorities[]` and `timestampAuthorities[]` (`CertificateAuthority`:
 * `certChain.certificates[].rawBytes`, leaf first and root last, and `validFor`), `tlogs[]` and
 * `ctlogs[]` (`TransparencyLogInstance`, read by `logKeysFromTrustedRoot`).
 *
 * Validity windows (`TimeRange`) are closed intervals: both `start` and `end` are inclusive. A
 * missing `start` is rejected; a missing `end` means open-ended.
 *
 * @module
 */

import { decodeBase64 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonObject, JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import { type Certificate, parseCertificate } from "../keys/x509.ts";
import { logKeysFromTrustedRoot, type TransparencyLogKey } from "./log_keys.ts";

/**
 * A certificate authority or timestamp authority of a trusted root.
 *
 * @example Usage
 * ```ts
 * import type { TrustedAuthority } from "@stellaops/provenance";
 * const root = (a: TrustedAuthority) => a.chain[a.chain.length - 1];
 * console.assert(typeof root === "function");
 * ```
 */
export interface TrustedAuthority {
  /** The authority's URI as written. */
  readonly uri: string;
  /** The certificate chain, leaf (or intermediate) first, root last. */
  readonly chain: readonly Certificate[];
  /** Start of validity, epoch milliseconds (inclusive). */
  readonly validFrom: number;
  /** End of validity, epoch milliseconds (inclusive), when set. */
  readonly validUntil?: number;
}

/**
 * A parsed trusted root.
 *
 * @example Usage
 * ```ts
 * import type { TrustedRoot } from "@stellaops/provenance";
 * const count = (r: TrustedRoot): number => r.tlogs.length;
 * console.assert(typeof count === "function");
 * ```
 */
export interface TrustedRoot {
  /** The media type as written. */
  readonly mediaType: string;
  /** Fulcio certificate authorities. */
  readonly certificateAuthorities: readonly TrustedAuthority[];
  /** Rekor transparency logs. */
  readonly tlogs: readonly TransparencyLogKey[];
  /** Certificate Transparency logs (SCT keys). */
  readonly ctlogs: readonly TransparencyLogKey[];
  /** RFC 3161 timestamp authorities. */
  readonly timestampAuthorities: readonly TrustedAuthority[];
}

/** Options of {@link parseTrustedRoot}. */
export interface ParseTrustedRootOptions {
  /** Name of the input (e.g. the file name), used in error messages. */
  name?: string | undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `at` lies in the closed validity window of a trusted-root item.
 *
 * @param item Something with `validFrom` and an optional `validUntil` (epoch milliseconds).
 * @param at The time, epoch milliseconds.
 * @returns True when `validFrom ≤ at ≤ validUntil` (no upper bound without `validUntil`).
 *
 * @example Usage
 * ```ts
 * import { isValidAt } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(isValidAt({ validFrom: 0, validUntil: 10 }, 10), true);
 * assert.equal(isValidAt({ validFrom: 0, validUntil: 10 }, 11), false);
 * ```
 */
export function isValidAt(
  item: { validFrom: number; validUntil?: number | undefined },
  at: number,
): boolean {
  return at >= item.validFrom && (item.validUntil === undefined || at <= item.validUntil);
}

/**
 * Reads a Sigstore trusted root.
 *
 * @param input The trusted root JSON (text or UTF-8 bytes).
 * @param options Name of the input for messages.
 * @returns The authorities and log keys, in file order.
 * @throws {ParseError} `TRUSTED_ROOT_INVALID` when an entry is missing a field, has an invalid
 *   certificate or key, or a validity window without a start (the JSON parser's codes when the
 *   text is not strict JSON).
 *
 * @example Usage
 * ```ts
 * import { parseTrustedRoot } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const root = parseTrustedRoot('{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}');
 * assert.equal(root.tlogs.length, 0);
 * assert.equal(root.certificateAuthorities.length, 0);
 * ```
 */
export function parseTrustedRoot(
  input: string | Uint8Array,
  options: ParseTrustedRootOptions = {},
): TrustedRoot {
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  const invalid = (path: string, why: string): ParseError =>
    new ParseError("TRUSTED_ROOT_INVALID", `Cannot read trusted root${label}: ${path} ${why}`);
  const root = parseJson(input, { name });
  if (!isObject(root)) throw invalid("(root)", "is not an object");
  const mediaType = root.mediaType;
  if (
    typeof mediaType !== "string" ||
    !mediaType.startsWith("application/vnd.dev.sigstore.trustedroot")
  ) {
    throw invalid("/mediaType", "is not a Sigstore trusted root media type");
  }
  const tlogs = logKeysFromTrustedRoot(input, { name });
  const ctlogsValue = root.ctlogs;
  if (ctlogsValue !== undefined && ctlogsValue !== null && !Array.isArray(ctlogsValue)) {
    throw invalid("/ctlogs", "is not an array");
  }
  // CT logs share the tlog shape. A CT key this toolkit cannot use (e.g. a bare PKCS#1 RSA key
  // of an old staging log) is skipped: no SCT can verify against it, so skipping fails closed.
  const ctlogs: TransparencyLogKey[] = [];
  for (const entry of ctlogsValue ?? []) {
    try {
      ctlogs.push(...logKeysFromTrustedRoot(JSON.stringify({ tlogs: [entry] }), { name }));
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
  }
  return {
    mediaType,
    certificateAuthorities: authorities(
      root.certificateAuthorities,
      "/certificateAuthorities",
      invalid,
    ),
    tlogs,
    ctlogs,
    timestampAuthorities: authorities(root.timestampAuthorities, "/timestampAuthorities", invalid),
  };
}

function authorities(
  value: JsonValue | undefined,
  path: string,
  invalid: (path: string, why: string) => ParseError,
): TrustedAuthority[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, "is not an array");
  return value.map((item, index) => {
    const at = `${path}/${index}`;
    if (!isObject(item)) throw invalid(at, "is not an object");
    const uri = typeof item.uri === "string" ? item.uri : "";
    const certChain = item.certChain;
    if (
      !isObject(certChain) || !Array.isArray(certChain.certificates) ||
      certChain.certificates.length === 0
    ) {
      throw invalid(`${at}/certChain/certificates`, "is not a non-empty array");
    }
    const chain = certChain.certificates.map((c, i) => {
      const cat = `${at}/certChain/certificates/${i}/rawBytes`;
      if (!isObject(c) || typeof c.rawBytes !== "string") throw invalid(cat, "is missing");
      try {
        return parseCertificate(decodeBase64(c.rawBytes), { name: cat });
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        throw invalid(cat, `is not a certificate (${error.code})`);
      }
    });
    const validFor = item.validFor;
    if (!isObject(validFor)) throw invalid(`${at}/validFor`, "is missing");
    if (typeof validFor.start !== "string") throw invalid(`${at}/validFor/start`, "is missing");
    const validFrom = time(validFor.start, `${at}/validFor/start`, invalid);
    let validUntil: number | undefined;
    if (validFor.end !== undefined && validFor.end !== null) {
      if (typeof validFor.end !== "string") throw invalid(`${at}/validFor/end`, "is not a string");
      validUntil = time(validFor.end, `${at}/validFor/end`, invalid);
    }
    const authority: TrustedAuthority = {
      uri,
      chain,
      validFrom,
      ...(validUntil === undefined ? {} : { validUntil }),
    };
    return authority;
  });
}

function time(
  value: string,
  path: string,
  invalid: (path: string, why: string) => ParseError,
): number {
  try {
    return parseRfc3339(value);
  } catch (error) {
    if (error instanceof ParseError) throw invalid(path, "is not an RFC 3339 time");
    throw error;
  }
}
