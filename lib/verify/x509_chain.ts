/**
 * X.509 certificate signatures and certification paths (RFC 5280 §6.1, reduced to what offline
 * verification against operator-supplied roots needs).
 *
 * {@link validateChain} builds a path from a leaf to one of the supplied trust anchors (§6.1:
 * "trust anchor information"; an anchor may be self-signed or not, and its own signature is not
 * checked) through the supplied intermediates, and checks:
 *
 * - issuer/subject name chaining (the issuer's subject DER equals the child's issuer DER, as Go's
 *   `crypto/x509` and sigstore compare names) and, when both are present, authority key
 *   identifier = subject key identifier (§4.2.1.1);
 * - each signature, with the issuer's key (§6.1.3 (a)(1));
 * - issuers are CAs: basicConstraints `cA` true, `keyCertSign` when keyUsage is present, and
 *   pathLenConstraint honoured (§4.2.1.9, §6.1.4 (k), (l), (m), (n));
 * - every certificate, anchor included, is valid at the given time (§6.1.3 (a)(2); bounds are
 *   inclusive, §4.1.2.5);
 * - no critical extension this module does not process (§6.1.4 (o)): basicConstraints, keyUsage,
 *   extKeyUsage, subjectAltName, subject/authority key identifiers and certificatePolicies (read
 *   as "any policy", as Go does) are the known ones;
 * - optionally, the leaf's extendedKeyUsage names a required purpose (§4.2.1.12).
 *
 * Path building is depth-first over every candidate issuer, without revisiting a certificate (no
 * loops) and bounded in length and in signature checks. Revocation (CRLs, OCSP), name and policy
 * constraints are not processed: verification here is offline against roots the operator chose.
 *
 * @module
 */

import { equalBytes } from "../encoding/bytes.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import type { Certificate } from "../keys/x509.ts";
import { verifyPkixSignature } from "../crypto/pkix_signature.ts";
import type { ChainFailureCode } from "../encoding/error_codes.ts";

export { CHAIN_FAILURE_CODES } from "../encoding/error_codes.ts";
export type { ChainFailureCode } from "../encoding/error_codes.ts";

/** Options of {@link validateChain}. */
export interface ValidateChainOptions {
  /** Trust anchors; the path must end in one of them (compared by DER). */
  roots: readonly Certificate[];
  /** Untrusted certificates that may link the leaf to a root (order does not matter). */
  intermediates?: readonly Certificate[] | undefined;
  /** The time at which every certificate must be valid, epoch milliseconds. */
  at: number;
  /** A key purpose OID the leaf's extendedKeyUsage must contain (absent extension = missing). */
  requireEku?: string | undefined;
  /** Longest path, in certificates, leaf and anchor included; default 10. */
  maxLength?: number | undefined;
}

/**
 * The outcome of {@link validateChain}: on success the path from the leaf to the anchor; on
 * failure a code, a message and the longest path that was tried (or the path that failed the
 * time or extension checks).
 */
export type ChainValidation =
  | { ok: true; chain: Certificate[] }
  | { ok: false; code: ChainFailureCode; message: string; chain: Certificate[] };

/** Extensions this module processes (a critical one of any other kind fails the path). */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  "2.5.29.14",
  "2.5.29.15",
  "2.5.29.17",
  "2.5.29.19",
  "2.5.29.32",
  "2.5.29.35",
  "2.5.29.37",
]);

/** Upper bound on signature checks during one path search. */
const MAX_SIGNATURE_CHECKS = 256;

function describe(cert: Certificate): string {
  return `certificate "${
    cert.subject.text || cert.extensions.subjectAltName?.names[0]?.value || "(no subject)"
  }"`;
}

/**
 * Verifies the signature of `cert` with the public key of `issuer` (no name or CA checks).
 *
 * @param cert The certificate whose signature to check.
 * @param issuer The certificate holding the signer's public key.
 * @returns `true` when the signature over `cert.tbs` verifies under `cert.signatureAlgorithm`.
 * @throws {TypeError} When an argument is not a parsed certificate.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { verifyCertificateSignature } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * // The self-signed root of the sigstore-python test TSA.
 * const root = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * ));
 * assert.equal(await verifyCertificateSignature(root, root), true);
 * ```
 */
export async function verifyCertificateSignature(
  cert: Certificate,
  issuer: Certificate,
): Promise<boolean> {
  checkCertificate(cert, "cert");
  checkCertificate(issuer, "issuer");
  const verdict = await verifyPkixSignature(
    issuer.spki,
    cert.signatureAlgorithm,
    cert.tbs,
    cert.signature,
  );
  return verdict.ok;
}

function checkCertificate(value: unknown, what: string): asserts value is Certificate {
  const cert = value as Certificate | null;
  if (
    typeof cert !== "object" || cert === null || !(cert.der instanceof Uint8Array) ||
    !(cert.tbs instanceof Uint8Array) || !(cert.spki instanceof Uint8Array)
  ) {
    throw new TypeError(`Pass ${what} as a certificate from parseCertificate`);
  }
}

interface Failure {
  code: ChainFailureCode;
  message: string;
  chain: Certificate[];
}

function timeFailure(chain: readonly Certificate[], at: number): Failure | undefined {
  for (const cert of chain) {
    if (at < cert.notBefore || at > cert.notAfter) {
      const when = Number.isSafeInteger(at) ? formatRfc3339(at) : String(at);
      return {
        code: "CERT_NOT_VALID_AT_TIME",
        message:
          `Cannot trust ${describe(cert)}: it is valid from ${formatRfc3339(cert.notBefore)} ` +
          `to ${formatRfc3339(cert.notAfter)}, not at ${when}`,
        chain: [...chain],
      };
    }
  }
  return undefined;
}

function extensionFailure(chain: readonly Certificate[]): Failure | undefined {
  for (const cert of chain) {
    for (const ext of cert.extensions.all) {
      if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) {
        return {
          code: "CRITICAL_EXTENSION_UNSUPPORTED",
          message: `Cannot trust ${describe(cert)}: critical extension ${ext.oid} is not supported`,
          chain: [...chain],
        };
      }
    }
  }
  return undefined;
}

/** Why `issuer` may not issue a certificate at `index` of the path (0 = leaf), if it may not. */
function caFailure(issuer: Certificate, path: readonly Certificate[]): string | undefined {
  const bc = issuer.extensions.basicConstraints;
  if (bc === undefined || !bc.ca) return "it is not a CA (basicConstraints cA is not set)";
  const ku = issuer.extensions.keyUsage;
  if (ku !== undefined && !ku.usages.includes("keyCertSign")) {
    return "its key usage does not allow keyCertSign";
  }
  if (bc.pathLength !== undefined) {
    // Non-self-issued certificates between the leaf and this issuer (RFC 5280 §6.1.4 (l), (m)).
    let below = 0;
    for (let i = 1; i < path.length; i++) {
      if (!equalBytes(path[i]!.subject.der, path[i]!.issuer.der)) below++;
    }
    if (below > bc.pathLength) {
      return `its pathLenConstraint ${bc.pathLength} allows fewer CA certificates below it`;
    }
  }
  return undefined;
}

function mayHaveIssued(child: Certificate, issuer: Certificate): boolean {
  if (!equalBytes(child.issuer.der, issuer.subject.der)) return false;
  const aki = child.extensions.authorityKeyIdentifier?.keyIdentifier;
  const ski = issuer.extensions.subjectKeyIdentifier;
  return aki === undefined || ski === undefined || equalBytes(aki, ski);
}

/**
 * Builds and validates a certification path from `leaf` to one of `options.roots`.
 *
 * @param leaf The end-entity certificate.
 * @param options Trust anchors, intermediates, validation time, required key purpose.
 * @returns `{ ok: true, chain }` (leaf first, anchor last), or the failure code and message.
 * @throws {TypeError} When a certificate argument is not a parsed certificate.
 * @throws {RangeError} When `at` is not a finite number or `maxLength` is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { parseCertificate } from "@stellaops/provenance/keys";
 * import { validateChain } from "@stellaops/provenance/sigstore";
 * import assert from "node:assert/strict";
 * const root = parseCertificate(decodeBase64(
 *   "MIIBkzCCATqgAwIBAgIUfHAOxJRvpMlmRi3vt7yebkXSb9IwCgYIKoZIzj0EAwIwKDEOMAwGA1UEChMFbG9jYWwxFjAUBgNVBAMTDVRlc3QgVFNBIFJvb3QwHhcNMjQxMDMxMTAxNDQyWhcNMzQxMDMxMTAxOTQyWjAoMQ4wDAYDVQQKEwVsb2NhbDEWMBQGA1UEAxMNVGVzdCBUU0EgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDQ2pO3oB5x2HKXp1YpgHB7SCVD1pag46/QUGfQHpyYWOdO4q7uqSx19f2StEszzqrZvpRioo1j6Lwnpp6oQ4P+jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTtJChswQs+xHXU7GAXLsKdVYG4cTAKBggqhkjOPQQDAgNHADBEAiAFbrVtlmebUMEzUL6JijgYrZhkjUR9VvNO+J2rbQ2eeAIgHUf+TJCnYoq3In8hUlH4D92Fc3Xad6lI0mLfYWm5wpk=",
 * ));
 * const at = Date.parse("2025-01-01T00:00:00Z");
 * const ok = await validateChain(root, { roots: [root], at });
 * assert.equal(ok.ok, true);
 * const late = await validateChain(root, { roots: [root], at: Date.parse("2040-01-01T00:00:00Z") });
 * assert.equal(late.ok ? "ok" : late.code, "CERT_NOT_VALID_AT_TIME");
 * const untrusted = await validateChain(root, { roots: [], at });
 * assert.equal(untrusted.ok ? "ok" : untrusted.code, "CHAIN_UNTRUSTED");
 * ```
 */
export async function validateChain(
  leaf: Certificate,
  options: ValidateChainOptions,
): Promise<ChainValidation> {
  checkCertificate(leaf, "leaf");
  if (typeof options !== "object" || options === null) throw new TypeError("Pass the options");
  if (!Array.isArray(options.roots)) throw new TypeError("Pass options.roots as certificates");
  options.roots.forEach((root) => checkCertificate(root, "each root"));
  const intermediates = options.intermediates ?? [];
  if (!Array.isArray(intermediates)) {
    throw new TypeError("Pass options.intermediates as certificates");
  }
  intermediates.forEach((cert) => checkCertificate(cert, "each intermediate"));
  if (typeof options.at !== "number" || !Number.isFinite(options.at)) {
    throw new RangeError("Pass options.at as epoch milliseconds");
  }
  const maxLength = options.maxLength ?? 10;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError("Pass options.maxLength as a positive integer");
  }
  const at = options.at;
  const roots = options.roots;
  const isRoot = (cert: Certificate): boolean => roots.some((r) => equalBytes(r.der, cert.der));
  // Candidate issuers: intermediates then roots, each certificate once.
  const candidates: Certificate[] = [];
  for (const cert of [...intermediates, ...roots]) {
    if (!candidates.some((c) => equalBytes(c.der, cert.der))) candidates.push(cert);
  }

  const signatureCache = new Map<string, boolean>();
  let signatureChecks = 0;
  let structural: Failure | undefined;
  let structuralDepth = -1;
  let late: Failure | undefined;
  const noteStructural = (failure: Failure, depth: number): void => {
    if (depth > structuralDepth) {
      structural = failure;
      structuralDepth = depth;
    }
  };

  const complete = (path: Certificate[]): Failure | undefined =>
    extensionFailure(path) ?? timeFailure(path, at);

  const search = async (path: Certificate[]): Promise<Certificate[] | undefined> => {
    const child = path[path.length - 1]!;
    const depth = path.length;
    if (isRoot(child)) {
      const failure = complete(path);
      if (failure === undefined) return path;
      if (failure.code === "CERT_NOT_VALID_AT_TIME") late ??= failure;
      else noteStructural(failure, Number.MAX_SAFE_INTEGER);
      return undefined;
    }
    if (path.length >= maxLength) {
      noteStructural({
        code: "CHAIN_UNTRUSTED",
        message: `Cannot trust ${
          describe(path[0]!)
        }: no trusted root within ${maxLength} certificates`,
        chain: [...path],
      }, depth);
      return undefined;
    }
    const issuers = candidates.filter((c) => mayHaveIssued(child, c));
    if (issuers.length === 0) {
      noteStructural({
        code: "CHAIN_UNTRUSTED",
        message: `Cannot trust ${describe(child)}: no supplied certificate is its issuer ` +
          `"${child.issuer.text}"${depth > 1 ? "" : " and it is not a supplied root"}`,
        chain: [...path],
      }, depth);
      return undefined;
    }
    for (const issuer of issuers) {
      if (path.some((c) => equalBytes(c.der, issuer.der))) {
        const message = equalBytes(child.der, issuer.der)
          ? `Cannot trust ${describe(child)}: it is self-signed and not a supplied root`
          : `Cannot trust ${describe(path[0]!)}: the chain loops at ${describe(issuer)}`;
        noteStructural({ code: "CHAIN_UNTRUSTED", message, chain: [...path] }, depth);
        continue;
      }
      const notCa = caFailure(issuer, path);
      if (notCa !== undefined) {
        noteStructural({
          code: "ISSUER_NOT_CA",
          message: `Cannot trust ${describe(child)}: its issuer ${
            describe(issuer)
          } may not issue it: ${notCa}`,
          chain: [...path, issuer],
        }, depth + 1);
        continue;
      }
      const key = `${candidates.indexOf(issuer)}>${
        child === leaf ? -1 : candidates.indexOf(child)
      }`;
      let signed = signatureCache.get(key);
      if (signed === undefined) {
        if (signatureChecks >= MAX_SIGNATURE_CHECKS) {
          noteStructural({
            code: "CHAIN_UNTRUSTED",
            message: `Cannot trust ${describe(path[0]!)}: too many candidate paths`,
            chain: [...path],
          }, depth);
          return undefined;
        }
        signatureChecks++;
        signed = await verifyCertificateSignature(child, issuer);
        signatureCache.set(key, signed);
      }
      if (!signed) {
        noteStructural({
          code: "CHAIN_UNTRUSTED",
          message: `Cannot trust ${describe(child)}: the signature of ${
            describe(issuer)
          } on it does not verify`,
          chain: [...path, issuer],
        }, depth + 1);
        continue;
      }
      const found = await search([...path, issuer]);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const chain = await search([leaf]);
  if (chain !== undefined) {
    const eku = options.requireEku;
    if (eku !== undefined) {
      const ext = leaf.extensions.extKeyUsage;
      if (ext === undefined || !ext.purposes.includes(eku)) {
        return {
          ok: false,
          code: "EKU_MISSING",
          message: `Cannot use ${describe(leaf)}: its extended key usage does not include ${eku}`,
          chain,
        };
      }
    }
    return { ok: true, chain };
  }
  const failure = late ?? structural ?? {
    code: "CHAIN_UNTRUSTED" as const,
    message: `Cannot trust ${describe(leaf)}: no path to a supplied root`,
    chain: [leaf],
  };
  return { ok: false, ...failure };
}
