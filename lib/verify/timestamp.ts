/**
 * RFC 3161 time-stamp tokens, verified offline against TSA roots the operator supplies. The strict
 * reader (`TimeStampResp`, `SignedData`, `TSTInfo`, ESS signing-certificate attributes) is in
 * `timestamp_parse.ts` and the token's data types in `timestamp_token.ts`; this module re-exports
 * both.
 *
 * {@link verifyTimestamp} then checks, in order (each check reported):
 * 1. `timestamp.parse` — the token parses (`TIMESTAMP_MALFORMED`);
 * 2. `timestamp.imprint` — the imprint is SHA-256/384/512 of the given data
 *    (`TIMESTAMP_IMPRINT_MISMATCH`); for DSSE, the data is the decoded signature bytes
 *    (Sigstore's convention, docs/architecture.md);
 * 3. `timestamp.signer` — the signer certificate is found among the token's certificates (unless
 *    `useEmbeddedCertificates` is false) and the supplied ones (`TSA_UNTRUSTED`; without it,
 *    checks 4 and 6 are not run and check 5 fails with `TSA_UNTRUSTED` too);
 * 4. `timestamp.signature` — content-type is `id-ct-TSTInfo`, message-digest is the hash of the
 *    TSTInfo, the signing-certificate attributes name the signer certificate, and the signature
 *    over the DER `SET OF` signed attributes verifies (RFC 5652 §5.4, §5.6)
 *    (`TIMESTAMP_SIGNATURE_INVALID`);
 * 5. `timestamp.chain` — the signer certificate chains to a supplied root, every certificate valid
 *    at `genTime` (RFC 3161 §2.3, RFC 5280 §6.1) (`TSA_UNTRUSTED`, `TSA_CERT_NOT_VALID_AT_TIME`);
 * 6. `timestamp.eku` — the TSA certificate has one extended key usage, `id-kp-timeStamping`, marked
 *    critical (RFC 3161 §2.3) and, when it has key usage, digitalSignature or nonRepudiation
 *    (`TSA_EKU_MISSING`);
 * 7. `timestamp.time` (only with `at`) — `genTime − accuracy` is not after `at + skew`
 *    (`SIGNED_IN_FUTURE`).
 *
 * `genTime` is the trusted signing time once every check passed; the caller applies its own time
 * window (`--not-after`) with `accuracyMs` and its skew. Nonces are returned, not checked: an
 * offline verifier has no request to compare with.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { encodeHex, equalBytes } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { digestBytes } from "../digest/digest.ts";
import { type Certificate, KEY_PURPOSES, parseCertificate } from "../keys/x509.ts";
import { digestOf, verifyPkixSignature } from "../crypto/pkix_signature.ts";
import { type Check, fail, pass } from "./report.ts";
import { validateChain } from "./x509_chain.ts";
import { isDigestName, OID_TST_INFO, parseTimestampResponse } from "./timestamp_parse.ts";
import type { EssCertId, SignerIdentifier, TimestampToken } from "./timestamp_token.ts";

/** Options of {@link verifyTimestamp}. */
export interface VerifyTimestampOptions {
  /**
   * The time-stamped bytes: the imprint must be their hash. For DSSE, the decoded signature bytes
   * (Sigstore's convention); for a Sigstore message signature, the signature bytes.
   */
  data: Uint8Array;
  /** Trusted TSA roots (DER or parsed); the signer's chain must end in one. */
  roots: readonly (Uint8Array | Certificate)[];
  /**
   * Untrusted certificates that may complete the chain, and the TSA certificate itself when the
   * token carries none (a Sigstore trusted root's `certChain` minus its last certificate).
   */
  intermediates?: readonly (Uint8Array | Certificate)[] | undefined;
  /**
   * Whether the certificates carried in the token may supply the signer certificate and the
   * chain; default true. Sigstore bundle verification passes false: a TSA of a trusted root is
   * trusted with the certificates that root lists for it, never with ones the token brings.
   */
  useEmbeddedCertificates?: boolean | undefined;
  /** The verifier's "now", epoch milliseconds: `genTime` must not be later (see `skew`). */
  at?: number | undefined;
  /** Allowed clock difference for `at`, in milliseconds; default 0. */
  skew?: number | undefined;
  /** Name of the token input (e.g. a file name), used in messages. */
  name?: string | undefined;
}

/**
 * The outcome of {@link verifyTimestamp}. `genTime` and `accuracyMs` are present whenever the
 * token parsed; trust them only when `verified` is true.
 */
export interface TimestampVerification {
  /** True exactly when every check passed. */
  verified: boolean;
  /** The checks, in the order of the module documentation. */
  checks: Check[];
  /** `genTime`, epoch milliseconds. */
  genTime?: number;
  /** The accuracy in milliseconds (micros rounded up), when the token states one. */
  accuracyMs?: number;
  /** The parsed token. */
  token?: TimestampToken;
  /** The TSA certificate path (signer first, root last), when it validated. */
  chain?: Certificate[];
}

function toCertificates(
  list: readonly (Uint8Array | Certificate)[] | undefined,
  what: string,
): Certificate[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError(`Pass options.${what} as a list of certificates`);
  return list.map((item, i) => {
    if (item instanceof Uint8Array) return parseCertificate(item, { name: `${what} ${i}` });
    if (typeof item === "object" && item !== null && item.der instanceof Uint8Array) return item;
    throw new TypeError(`Pass options.${what} as DER bytes or parsed certificates`);
  });
}

function findSigners(sid: SignerIdentifier, pool: readonly Certificate[]): Certificate[] {
  const found: Certificate[] = [];
  for (const cert of pool) {
    const matches = "subjectKeyIdentifier" in sid
      ? cert.extensions.subjectKeyIdentifier !== undefined &&
        equalBytes(cert.extensions.subjectKeyIdentifier, sid.subjectKeyIdentifier)
      : cert.serialNumber === sid.serialNumber && equalBytes(cert.issuer.der, sid.issuer.der);
    if (matches && !found.some((c) => equalBytes(c.der, cert.der))) found.push(cert);
  }
  return found;
}

function describeSid(sid: SignerIdentifier): string {
  return "subjectKeyIdentifier" in sid
    ? `subject key identifier ${encodeHex(sid.subjectKeyIdentifier)}`
    : `issuer "${sid.issuer.text}" serial ${sid.serialNumber.toString(16)}`;
}

/** Why the signing-certificate attribute does not name `cert`, if it does not. */
function essMismatch(
  ids: readonly EssCertId[],
  cert: Certificate,
  v2: boolean,
): string | undefined {
  const label = v2 ? "SigningCertificateV2" : "SigningCertificate";
  const first = ids[0];
  if (first === undefined) return `the ${label} attribute lists no certificate`;
  let hash: Uint8Array;
  if (!v2) {
    hash = createHash("sha1").update(cert.der).digest();
  } else {
    const digest = digestOf(first.hashAlgorithm);
    if (!isDigestName(digest)) return `the ${label} attribute uses an unsupported hash: ${digest}`;
    hash = digestBytes(digest, cert.der);
  }
  if (!equalBytes(hash, first.certHash)) {
    return `the ${label} attribute names another certificate than the signer's`;
  }
  const issuerSerial = first.issuerSerial;
  if (issuerSerial !== undefined) {
    const nameMatches = issuerSerial.issuer.some((n) =>
      n.type === "directoryName" && n.value === cert.issuer.text
    );
    if (!nameMatches || issuerSerial.serialNumber !== cert.serialNumber) {
      return `the ${label} attribute's issuer and serial number are not the signer certificate's`;
    }
  }
  return undefined;
}

async function checkSignature(
  token: TimestampToken,
  signerCert: Certificate,
): Promise<string | undefined> {
  const signer = token.signer;
  if (signer.contentType !== OID_TST_INFO) {
    return `the content-type attribute is ${signer.contentType}, not id-ct-TSTInfo`;
  }
  const digest = digestOf(signer.digestAlgorithm);
  if (!isDigestName(digest)) return digest;
  if (!equalBytes(digestBytes(digest, token.tstInfoDer), signer.messageDigest)) {
    return "the message-digest attribute does not match the TSTInfo";
  }
  if (signer.signingCertificate !== undefined) {
    const why = essMismatch(signer.signingCertificate, signerCert, false);
    if (why !== undefined) return why;
  }
  if (signer.signingCertificateV2 !== undefined) {
    const why = essMismatch(signer.signingCertificateV2, signerCert, true);
    if (why !== undefined) return why;
  }
  const verdict = await verifyPkixSignature(
    signerCert.spki,
    signer.signatureAlgorithm,
    signer.signedAttributes,
    signer.signature,
    digest,
  );
  return verdict.ok ? undefined : verdict.reason;
}

function checkEku(cert: Certificate): string | undefined {
  const eku = cert.extensions.extKeyUsage;
  if (eku === undefined) return "it has no extended key usage";
  if (!eku.purposes.includes(KEY_PURPOSES.timeStamping)) {
    return "its extended key usage does not include id-kp-timeStamping";
  }
  if (eku.purposes.length !== 1) return "its extended key usage has purposes besides timeStamping";
  if (!eku.critical) return "its extended key usage is not marked critical";
  const ku = cert.extensions.keyUsage;
  if (
    ku !== undefined && !ku.usages.includes("digitalSignature") &&
    !ku.usages.includes("nonRepudiation")
  ) {
    return "its key usage allows neither digitalSignature nor nonRepudiation";
  }
  return undefined;
}

/**
 * Verifies an RFC 3161 time-stamp token over `options.data` against trusted TSA roots.
 *
 * @param bytes A DER `TimeStampResp` or bare `TimeStampToken`.
 * @param options The time-stamped data, TSA roots, extra certificates, the current time and skew.
 * @returns Every check (see the module documentation), `genTime` and the accuracy.
 * @throws {TypeError} When an option has the wrong type.
 * @throws {RangeError} When `at` or `skew` is not a finite number (or `skew` is negative).
 * @throws {ParseError} `CERT_INVALID` when a root or intermediate given as DER does not parse.
 *
 * @example Usage
 * ```ts
 * import { verifyTimestamp } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const result = await verifyTimestamp(new Uint8Array([0x30, 0x00]), {
 *   data: new TextEncoder().encode("signature bytes"),
 *   roots: [],
 * });
 * assert.equal(result.verified, false);
 * assert.deepEqual(result.checks.map((check) => check.code), ["TIMESTAMP_MALFORMED"]);
 * ```
 */
export async function verifyTimestamp(
  bytes: Uint8Array,
  options: VerifyTimestampOptions,
): Promise<TimestampVerification> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the time-stamp token as bytes");
  if (typeof options !== "object" || options === null) throw new TypeError("Pass the options");
  if (!(options.data instanceof Uint8Array)) {
    throw new TypeError("Pass options.data as the time-stamped bytes");
  }
  if (!Array.isArray(options.roots)) throw new TypeError("Pass options.roots as certificates");
  const at = options.at;
  if (at !== undefined && (typeof at !== "number" || !Number.isFinite(at))) {
    throw new RangeError("Pass options.at as epoch milliseconds");
  }
  const skew = options.skew ?? 0;
  if (typeof skew !== "number" || !Number.isFinite(skew) || skew < 0) {
    throw new RangeError("Pass options.skew as non-negative milliseconds");
  }
  const roots = toCertificates(options.roots, "roots");
  const intermediates = toCertificates(options.intermediates, "intermediates");
  const useEmbedded = options.useEmbeddedCertificates ?? true;
  if (typeof useEmbedded !== "boolean") {
    throw new TypeError("Pass options.useEmbeddedCertificates as a boolean");
  }
  const label = options.name === undefined
    ? "time-stamp token"
    : `time-stamp token "${options.name}"`;

  let token: TimestampToken;
  try {
    token = parseTimestampResponse(bytes, { name: options.name });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const check = fail("timestamp.parse", "TIMESTAMP_MALFORMED", error.message);
    return { verified: false, checks: [check] };
  }
  const checks: Check[] = [pass("timestamp.parse")];
  const info = token.tstInfo;
  const accuracyMs = info.accuracy === undefined
    ? undefined
    : info.accuracy.seconds * 1000 + info.accuracy.millis + Math.ceil(info.accuracy.micros / 1000);

  // 2. Imprint.
  const imprint = info.messageImprint;
  if (imprint.digestAlgorithm === undefined) {
    checks.push(fail(
      "timestamp.imprint",
      "TIMESTAMP_IMPRINT_MISMATCH",
      `Cannot check the imprint of the ${label}: hash algorithm ${imprint.hashAlgorithm.oid} is not supported`,
    ));
  } else if (
    !equalBytes(digestBytes(imprint.digestAlgorithm, options.data), imprint.hashedMessage)
  ) {
    checks.push(fail(
      "timestamp.imprint",
      "TIMESTAMP_IMPRINT_MISMATCH",
      `Cannot match the ${label} to the data: its ${imprint.digestAlgorithm} imprint is of other bytes`,
    ));
  } else {
    checks.push(pass("timestamp.imprint"));
  }

  // 3. Signer certificate.
  const embedded = useEmbedded ? token.certificates : [];
  const signers = findSigners(token.signer.sid, [...embedded, ...intermediates, ...roots]);
  if (signers.length === 0) {
    const why = `no certificate ${
      useEmbedded ? "in the token or the supplied ones" : "supplied for this TSA"
    } matches its signer (${describeSid(token.signer.sid)})`;
    checks.push(
      fail("timestamp.signer", "TSA_UNTRUSTED", `Cannot identify the TSA of the ${label}: ${why}`),
    );
    // Without the signer certificate neither the signature nor the purpose can be checked; the
    // chain check fails for the same reason.
    checks.push(
      fail(
        "timestamp.chain",
        "TSA_UNTRUSTED",
        `Cannot trust the ${label}: its TSA certificate was not found`,
      ),
    );
  } else {
    checks.push(pass("timestamp.signer"));
    // 4. CMS signature. Several certificates may match the identifier (a reused serial number, a
    // shared key identifier): the first one whose key verifies the signature is the signer.
    let signerCert = signers[0]!;
    let why = await checkSignature(token, signerCert);
    for (const candidate of signers.slice(1)) {
      if (why === undefined) break;
      const candidateWhy = await checkSignature(token, candidate);
      if (candidateWhy === undefined) {
        signerCert = candidate;
        why = undefined;
      }
    }
    checks.push(
      why === undefined ? pass("timestamp.signature") : fail(
        "timestamp.signature",
        "TIMESTAMP_SIGNATURE_INVALID",
        `Cannot verify the ${label}: ${why}`,
      ),
    );
    // 5. Chain at genTime.
    const result = await validateChain(signerCert, {
      roots,
      intermediates: [...embedded, ...intermediates],
      at: info.genTime,
    });
    if (result.ok) {
      checks.push(pass("timestamp.chain"));
    } else {
      const code = result.code === "CERT_NOT_VALID_AT_TIME"
        ? "TSA_CERT_NOT_VALID_AT_TIME"
        : "TSA_UNTRUSTED";
      checks.push(fail("timestamp.chain", code, `${result.message} (TSA of the ${label})`));
    }
    // 6. TSA certificate purpose.
    const ekuWhy = checkEku(signerCert);
    checks.push(
      ekuWhy === undefined ? pass("timestamp.eku") : fail(
        "timestamp.eku",
        "TSA_EKU_MISSING",
        `Cannot accept certificate "${signerCert.subject.text}" as a TSA: ${ekuWhy}`,
      ),
    );
    if (result.ok) {
      return finish(checks, token, accuracyMs, at, skew, label, result.chain);
    }
  }
  return finish(checks, token, accuracyMs, at, skew, label, undefined);
}

function finish(
  checks: Check[],
  token: TimestampToken,
  accuracyMs: number | undefined,
  at: number | undefined,
  skew: number,
  label: string,
  chain: Certificate[] | undefined,
): TimestampVerification {
  const genTime = token.tstInfo.genTime;
  if (at !== undefined) {
    if (genTime - (accuracyMs ?? 0) > at + skew) {
      checks.push(fail(
        "timestamp.time",
        "SIGNED_IN_FUTURE",
        `Cannot accept the ${label}: its time ${formatRfc3339(genTime)} is after ${
          formatRfc3339(Math.trunc(at))
        } plus the allowed skew`,
      ));
    } else {
      checks.push(pass("timestamp.time"));
    }
  }
  return {
    verified: checks.every((check) => check.ok),
    checks,
    genTime,
    ...(accuracyMs === undefined ? {} : { accuracyMs }),
    token,
    ...(chain === undefined ? {} : { chain }),
  };
}
