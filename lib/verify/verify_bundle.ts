/**
 * Offline verification of Sigstore bundles (v0.1–v0.3) against a `trusted_root.json`, as the
 * Sigstore client specification (sigstore/architecture-docs `client-spec.md` §4, "Verification")
 * and sigstore-go / sigstore-python do it, with nothing but the bytes the caller passes:
 *
 * 1. `bundle.parse`, `root.parse`: strict parsing and the bundle version rules.
 * 2. `bundle.material`: the key material fits the policy (`key` ⇒ a public-key bundle; identity ⇒
 *    a certificate, never a chain that carries a self-signed root) and its key is in Sigstore's
 *    algorithm registry (`_sigstore_algorithm.ts`).
 * 3. `tlog.entries` (at least `tlogThreshold` entries), then per entry `tlog.log` (the log is in
 *    the trusted root), `tlog.body` (the entry is a kind its Rekor generation writes — Rekor v1
 *    hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2; Rekor v2 hashedrekord 0.0.2, also for DSSE
 *    envelopes, over their PAE — and its canonicalized body describes exactly this signature, key
 *    or certificate, artifact and the signature's digest algorithm), `tlog.inclusion` and
 *    `tlog.checkpoint*` (inclusion proof and signed checkpoint), `tlog.set` (signed entry
 *    timestamp), `tlog.time` (integrated time not in the future, inside the log key's window).
 * 4. `bundle.timestamp`: each RFC 3161 token over the signature, its signer chaining within one
 *    TSA entry of the trusted root whose `validFor` covers `genTime`, with that entry's own
 *    certificates (never the token's); `timestamp.threshold`: at least `timestampThreshold`
 *    verified.
 * 5. `time.observer`: at least `timeThreshold` verified times (integrated time of a verified
 *    entry, or a TSA `genTime`); certificate validity is checked at every such time.
 * 6. `cert.chain` (Fulcio chain within one CA entry of the trusted root valid at each time, with
 *    that entry's certificates only, code-signing EKU), `cert.sct` (at least `sctThreshold`
 *    embedded SCTs verify with the CT log keys), `cert.identity` (SAN, OIDC issuer, source
 *    repository extensions).
 * 7. `bundle.signature`: the message signature over the artifact (or its digest), or the DSSE
 *    signature over PAE, checked once under the registry scheme of the signing key and the digest
 *    the bundle names (or the key's default); `bundle.artifact`: the artifact digest is the
 *    message digest (under the signature's digest algorithm) or a DSSE statement subject.
 * 8. `time.window`: `--not-after` against the verified times (with `--skew`).
 *
 * Every check runs and is reported; `verified` is true when none failed. The thresholds default to
 * what the trusted root can vouch for, as sigstore-go's verifier options do per deployment: one
 * tlog entry when it lists a transparency log, one SCT when it lists a CT log, one timestamp when
 * it lists a TSA and no tlog entry is required (GitHub's instance). The report's `evidence` says
 * what was required and verified, `identity` what was expected and found (docs/sigstore.md).
 *
 * @module
 */

import { decodeBase64, encodeHex, equalBytes } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import type { JsonObject, JsonValue } from "../encoding/json_value.ts";
import { decodePem } from "../encoding/pem.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { describeTime, formatRfc3339 } from "../encoding/time.ts";
import { type DigestAlgorithm, digestBytes, sha256 } from "../digest/digest.ts";
import { preAuthEncoding } from "../model/dsse.ts";
import { parseSigstoreBundle, type SigstoreBundle } from "../model/sigstore_bundle.ts";
import { type Certificate, KEY_PURPOSES, parseCertificate } from "../keys/x509.ts";
import type { FailureCode } from "./codes.ts";
import { evaluateEmbeddedScts, type FulcioIdentity, fulcioIdentity } from "./fulcio.ts";
import {
  algorithmFor,
  hashFromName,
  PROTO_HASH_NAMES,
  readSigningKey,
  type SigningKey,
  type SigstoreAlgorithm,
  verifySigstoreSignature,
} from "./_sigstore_algorithm.ts";
import { verifyRekorInclusion, verifyRekorSet } from "./rekor.ts";
import {
  buildReport,
  type Check,
  fail,
  type IdentityMatcher,
  type IdentityReport,
  pass,
  type TimeSource,
  type VerificationReport,
} from "./report.ts";
import { verifyTimestamp } from "./timestamp.ts";
import {
  isValidAt,
  parseTrustedRoot,
  type TrustedAuthority,
  type TrustedRoot,
} from "./trusted_root.ts";
import { DEFAULT_SKEW_MS } from "./verify_envelope.ts";
import { validateChain } from "./x509_chain.ts";

/** Most RFC 3161 timestamps a bundle may carry. */
const MAX_TIMESTAMPS = 32;

/**
 * An expected certificate identity: exact strings, or regular expressions (matched anywhere,
 * as cosign's `--certificate-identity-regexp`; anchor them with `^…$`).
 *
 * @example Usage
 * ```ts
 * import { type CertificateIdentityPolicy, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * // A Fulcio-style test leaf for alice@example.com, OIDC issuer https://accounts.example.com.
 * const leaf =
 *   "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
 *   "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
 *   "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
 *   "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
 *   "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
 * const bundle = JSON.stringify({
 *   mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
 *   verificationMaterial: { certificate: { rawBytes: leaf } },
 *   messageSignature: { signature: "AAEC" },
 * });
 * const identityCheck = async (identity: CertificateIdentityPolicy) => {
 *   const report = await verifyBundle(bundle, {
 *     trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 *     identity,
 *     artifact: new Uint8Array(),
 *     now: Date.UTC(2026, 0, 1, 0, 5),
 *   });
 *   assert.equal(report.verified, false); // no signing time, untrusted issuer: only the identity is shown
 *   return report.checks.find((check) => check.id === "cert.identity");
 * };
 * const exact: CertificateIdentityPolicy = {
 *   subject: "alice@example.com",
 *   issuer: "https://accounts.example.com",
 * };
 * assert.deepEqual(await identityCheck(exact), { id: "cert.identity", ok: true });
 * const regexp: CertificateIdentityPolicy = { subject: /@example\.org$/, issuer: exact.issuer };
 * assert.deepEqual(await identityCheck(regexp), {
 *   id: "cert.identity",
 *   ok: false,
 *   code: "CERTIFICATE_IDENTITY_MISMATCH",
 *   message: 'Reject certificate: its subject ["alice@example.com"] is not /@example\\.org$/',
 * });
 * ```
 */
export interface CertificateIdentityPolicy {
  /** Expected SAN (email, URI or Fulcio otherName). */
  subject?: string | RegExp | undefined;
  /**
   * Expected OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8 or .1.1). A certificate without
   * the extension (e.g. a GitHub release attestation) has the empty issuer: only a regular
   * expression that matches `""` (such as `.*`) accepts it, never an exact string.
   */
  issuer?: string | RegExp | undefined;
  /** Expected source repository URI (Fulcio extension .1.12); absent extension never matches. */
  sourceRepositoryUri?: string | RegExp | undefined;
  /** Expected source repository owner URI (Fulcio extension .1.16); absent never matches. */
  sourceRepositoryOwnerUri?: string | RegExp | undefined;
}

/** Options of {@link verifyBundle}. */
export interface VerifyBundleOptions {
  /** The trusted root: `trusted_root.json` bytes or text, or a parsed one. */
  trustedRoot: Uint8Array | string | TrustedRoot;
  /** Verify a key-based bundle with this PEM SubjectPublicKeyInfo public key. */
  key?: string | undefined;
  /** Verify a certificate-based bundle: the expected identity. */
  identity?: CertificateIdentityPolicy | undefined;
  /**
   * The artifact bytes, or its digest as `sha256:HEX`, `sha384:HEX` or `sha512:HEX`: for a
   * message signature the digest its signature is over (SHA-384 for P-384 keys, SHA-512 for
   * P-521, as the bundle's message digest says), for a DSSE envelope a statement subject's.
   */
  artifact?: Uint8Array | { digest: string } | undefined;
  /** How many verified signing times (SET-signed integrated times, RFC 3161 timestamps) are required; default 1. */
  timeThreshold?: number | undefined;
  /**
   * How many transparency-log entries the bundle must carry (each one present must verify);
   * default 1 when the trusted root lists a transparency log, else 0.
   */
  tlogThreshold?: number | undefined;
  /**
   * How many RFC 3161 timestamps must verify; default 1 when the trusted root lists a timestamp
   * authority and no transparency-log entry is required, else 0.
   */
  timestampThreshold?: number | undefined;
  /**
   * How many SCTs from distinct trusted CT logs the signing certificate must carry; default 1
   * when the trusted root lists a CT log, else 0. Key-signed bundles carry none: a threshold
   * above 0 rejects them.
   */
  sctThreshold?: number | undefined;
  /** With `key`: the key's validity window; every verified signing time must lie in it. */
  keyValidity?: { validFrom?: number | undefined; validUntil?: number | undefined } | undefined;
  /** Evaluation time, epoch milliseconds. */
  now: number;
  /** Tolerance for every time comparison, milliseconds; default 5 minutes. */
  skew?: number | undefined;
  /** Reject bundles signed after this time (epoch milliseconds). */
  notAfter?: number | undefined;
  /** Name of the bundle input, for messages. */
  name?: string | undefined;
}

interface Signer {
  signing: SigningKey;
  leaf?: Certificate;
  extra: Certificate[];
}

/**
 * Entry kinds each Rekor generation writes. Rekor v2 logs only hashedrekord 0.0.2: its spec (Rekor
 * v2 §6.1.4) removed dsse 0.0.2, and DSSE envelopes are logged as hashedrekord 0.0.2 over
 * Hash(PAE) (sigstore-go, sigstore-java, sigstore-python, sigstore-rust).
 */
const ENTRY_KINDS: Readonly<Record<string, "Rekor v1" | "Rekor v2">> = {
  "hashedrekord/0.0.1": "Rekor v1",
  "dsse/0.0.1": "Rekor v1",
  "intoto/0.0.2": "Rekor v1",
  "hashedrekord/0.0.2": "Rekor v2",
};

interface ObservedTime {
  time: number;
  source: TimeSource;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Verifies a Sigstore bundle offline against a trusted root (see the module documentation for
 * the checks and their order).
 *
 * @param input The bundle JSON (bytes or text).
 * @param options Trusted root, key or identity policy, artifact, times.
 * @returns The verification report; `time.source` is `rekor` or `rfc3161` (the earliest verified
 *   observer time), or `clock` when none verified.
 * @throws {TypeError} When neither `key` nor `identity` is given, or an option has a wrong type.
 * @throws {RangeError} When `now`, `skew` or `notAfter` is not a finite number.
 * @throws {ParseError} `PEM_*`/`KEY_*` codes when `key` is not a PEM public key.
 *
 * @example Usage
 * ```ts
 * import { verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const report = await verifyBundle("{}", {
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 *   identity: { subject: "a@example.com", issuer: "https://accounts.google.com" },
 *   now: Date.parse("2026-01-01T00:00:00Z"),
 * });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "BUNDLE_MALFORMED");
 * ```
 */
export async function verifyBundle(
  input: Uint8Array | string,
  options: VerifyBundleOptions,
): Promise<VerificationReport> {
  if (typeof options !== "object" || options === null) throw new TypeError("Pass the options");
  if (!Number.isFinite(options.now)) throw new RangeError("Pass `now` as epoch milliseconds");
  const timeThreshold = options.timeThreshold ?? 1;
  if (!Number.isSafeInteger(timeThreshold) || timeThreshold < 1) {
    throw new RangeError("Pass `timeThreshold` as an integer ≥ 1");
  }
  for (const name of ["tlogThreshold", "timestampThreshold", "sctThreshold"] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`Pass \`${name}\` as an integer ≥ 0`);
    }
  }
  const skew = options.skew ?? DEFAULT_SKEW_MS;
  if (!Number.isFinite(skew) || skew < 0) throw new RangeError("Pass `skew` as milliseconds ≥ 0");
  if (options.notAfter !== undefined && !Number.isFinite(options.notAfter)) {
    throw new RangeError("Pass `notAfter` as epoch milliseconds");
  }
  if (options.key === undefined && options.identity === undefined) {
    throw new TypeError("Pass a public key (`key`) or a certificate identity (`identity`)");
  }
  let trustedKey: SigningKey | undefined;
  if (options.key !== undefined) {
    const spki = decodePem(options.key, { label: "PUBLIC KEY" }).bytes;
    const read = readSigningKey(spki);
    if (typeof read === "string") {
      throw new ParseError("KEY_UNSUPPORTED", `Cannot use the public key: ${read}`);
    }
    trustedKey = read;
  }
  const name = options.name;
  const label = name === undefined ? "" : ` "${name}"`;
  const checks: Check[] = [];
  const done = (
    times: ObservedTime[],
    extra: Partial<VerificationReport> = {},
  ): VerificationReport => toReport(checks, times, options.now, extra);

  // 1. Parse.
  let bundle: SigstoreBundle;
  try {
    bundle = parseSigstoreBundle(input, { name });
    checks.push(pass("bundle.parse"));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const code: FailureCode = error.code === "BUNDLE_VERSION_UNSUPPORTED"
      ? "BUNDLE_VERSION_UNSUPPORTED"
      : "BUNDLE_MALFORMED";
    checks.push(fail("bundle.parse", code, error.message));
    return done([]);
  }
  let root: TrustedRoot;
  try {
    root = isTrustedRoot(options.trustedRoot)
      ? options.trustedRoot
      : parseTrustedRoot(options.trustedRoot);
    checks.push(pass("root.parse"));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    checks.push(fail("root.parse", "TRUSTED_ROOT_INVALID", error.message));
    return done([]);
  }
  // What the bundle must carry follows what the trust material can vouch for (sigstore-go's
  // verifier options): a root without transparency logs cannot demand an entry, and a root with
  // TSAs demands a timestamp when no entry is demanded.
  const tlogThreshold = options.tlogThreshold ?? (root.tlogs.length > 0 ? 1 : 0);
  const timestampThreshold = options.timestampThreshold ??
    (root.timestampAuthorities.length > 0 && tlogThreshold === 0 ? 1 : 0);

  // 2. Key material.
  const vm = bundle.verificationMaterial;
  let signer: Signer | undefined;
  if (trustedKey !== undefined) {
    if (vm.kind !== "publicKey") {
      checks.push(fail(
        "bundle.material",
        "KEY_UNTRUSTED",
        `Reject bundle${label}: it is signed with a certificate, but a public key was given`,
      ));
    } else {
      signer = { signing: trustedKey, extra: [] };
      checks.push(pass("bundle.material"));
    }
  } else if (vm.kind === "publicKey") {
    checks.push(fail(
      "bundle.material",
      "KEY_UNTRUSTED",
      `Reject bundle${label}: it is signed with a key (hint "${vm.hint}"), but only a certificate identity was given`,
    ));
  } else {
    try {
      const certs = vm.certificates.map((der, i) =>
        parseCertificate(der, { name: `certificate ${i}` })
      );
      const leaf = certs[0]!;
      const selfSigned = certs.slice(1).find((c) => equalBytes(c.subject.der, c.issuer.der));
      if (selfSigned !== undefined) {
        checks.push(fail(
          "bundle.material",
          "CERTIFICATE_CHAIN_INVALID",
          `Reject bundle${label}: its certificate chain includes the root "${selfSigned.subject.text}"; roots come from the trusted root only`,
        ));
      } else {
        const signing = readSigningKey(leaf.spki);
        if (typeof signing === "string") {
          checks.push(fail(
            "bundle.material",
            "CERTIFICATE_CHAIN_INVALID",
            `Reject bundle${label}: its certificate's key cannot sign Sigstore bundles: ${signing}`,
          ));
        } else {
          signer = { signing, leaf, extra: certs.slice(1) };
          checks.push(pass("bundle.material"));
        }
      }
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      checks.push(
        fail(
          "bundle.material",
          "CERTIFICATE_CHAIN_INVALID",
          `Cannot read the bundle certificate: ${error.message}`,
        ),
      );
    }
  }

  // Content facts shared by the tlog and signature checks.
  const content = bundle.content;
  const signature = content.kind === "messageSignature"
    ? content.signature
    : content.envelope.signatures[0]!.sigBytes;
  const given = resolveArtifactDigest(options.artifact);
  if (typeof given === "string") throw new TypeError(given);
  // The signature scheme: Sigstore's algorithm registry entry for the signing key and the digest
  // the bundle names (message digest, or the hashedrekord entry's hash), else the key's default.
  const namedText = namedHash(bundle);
  const named = namedText === undefined ? undefined : hashFromName(namedText);
  let algorithm: SigstoreAlgorithm | string | undefined;
  if (signer !== undefined) {
    algorithm = namedText !== undefined && named === undefined
      ? `the bundle names the digest algorithm "${namedText}", which Sigstore's algorithm registry does not pair with any key`
      : algorithmFor(signer.signing, named);
  }
  // The digest algorithm of the artifact digest the bundle and its tlog entries carry (and, for a
  // DSSE envelope on a Rekor v2 log, of its PAE): the signature's digest; for Ed25519, which signs
  // the message itself, the one the bundle names, else SHA-256.
  const digestHash: DigestAlgorithm =
    (typeof algorithm === "object" ? algorithm.hash : undefined) ??
      named ?? signer?.signing.defaultHash ?? "sha256";
  const resolved: ArtifactDigest | undefined = given === undefined
    ? undefined
    : "bytes" in given
    ? content.kind === "messageSignature"
      ? { algorithm: digestHash, digest: digestBytes(digestHash, given.bytes) }
      : { algorithm: "sha256", digest: sha256(given.bytes) }
    : given;
  // The artifact's digest under `digestHash`, when known: what message signatures and hashedrekord
  // bodies name.
  const artifactDigest = resolved?.algorithm === digestHash ? resolved.digest : undefined;

  // 3. Tlog entries.
  const times: ObservedTime[] = [];
  const entryCount = vm.tlogEntries.length;
  if (entryCount < tlogThreshold) {
    checks.push(fail(
      "tlog.entries",
      "TLOG_ENTRY_MISSING",
      `Reject bundle${label}: it has ${entryCount === 0 ? "no" : entryCount} transparency-log ${
        entryCount === 1 ? "entry" : "entries"
      }, ${tlogThreshold} required`,
    ));
  } else {
    checks.push(pass("tlog.entries"));
  }
  // Entries whose every check passed (each entry present must verify, whatever the threshold).
  const verifiedEntries = new Set<number>();
  for (const [index, entry] of vm.tlogEntries.entries()) {
    const entryChecksFrom = checks.length;
    const logId = encodeHex(entry.logId);
    const log = root.tlogs.find((k) => k.logId === logId);
    if (log === undefined) {
      checks.push(fail(
        "tlog.log",
        "LOG_KEY_UNTRUSTED",
        `Reject tlog entry ${index}: its log ${logId} is not in the trusted root`,
      ));
    } else {
      checks.push(pass("tlog.log"));
    }
    const kv = `${entry.kindVersion.kind}/${entry.kindVersion.version}`;
    if (!Object.hasOwn(ENTRY_KINDS, kv)) {
      checks.push(fail(
        "tlog.body",
        "TLOG_ENTRY_KIND_UNSUPPORTED",
        `Reject tlog entry ${index}: ${entry.kindVersion.kind} ${entry.kindVersion.version} is not an entry kind a Rekor log writes ` +
          (kv === "dsse/0.0.2"
            ? "(Rekor v2 logs DSSE envelopes as hashedrekord 0.0.2 over the envelope's PAE; dsse 0.0.2 was removed from its spec)"
            : "(Rekor v1: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2; Rekor v2: hashedrekord 0.0.2)"),
      ));
    } else if (signer !== undefined) {
      const bodyProblem = checkBody(
        entry.canonicalizedBody,
        entry.kindVersion,
        bundle,
        signer,
        digestHash,
        artifactDigest,
      );
      checks.push(
        bodyProblem === undefined
          ? pass("tlog.body")
          : fail("tlog.body", "TLOG_ENTRY_MISMATCH", `Reject tlog entry ${index}: ${bodyProblem}`),
      );
    }
    if (entry.inclusionProof !== undefined) {
      const proof = entry.inclusionProof;
      const inclusion = await verifyRekorInclusion({
        canonicalizedBody: entry.canonicalizedBody,
        logIndex: proof.logIndex,
        treeSize: proof.treeSize,
        rootHash: proof.rootHash,
        hashes: proof.hashes,
        checkpoint: proof.checkpoint,
      }, {
        logKeys: log === undefined ? [] : [log],
        expectedOrigin: log !== undefined && log.keyDetails === "PKIX_ED25519"
          ? log.name
          : undefined,
        name: `tlog entry ${index}`,
      });
      if (proof.checkpoint === undefined && bundle.version !== "0.1") {
        inclusion.push(fail(
          "tlog.checkpoint",
          "CHECKPOINT_MALFORMED",
          `Reject tlog entry ${index}: its inclusion proof has no checkpoint`,
        ));
      }
      checks.push(...inclusion);
    }
    let promised = false;
    if (entry.inclusionPromise !== undefined) {
      if (log === undefined) {
        checks.push(
          fail(
            "tlog.set",
            "LOG_KEY_UNTRUSTED",
            `Cannot verify the SET of tlog entry ${index}: untrusted log`,
          ),
        );
      } else {
        const set = await verifyRekorSet({
          body: entry.canonicalizedBodyBase64,
          integratedTime: entry.integratedTime,
          logIndex: entry.logIndex,
          logId: entry.logId,
          signedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
        }, log);
        checks.push(set);
        promised = set.ok;
      }
    }
    if (entry.integratedTime > 0n) {
      const time = Number(entry.integratedTime) * 1000;
      // describeTime: an integrated time past year 9999 is rejected here, not a RangeError.
      const problem = time > options.now + skew
        ? ["SIGNED_IN_FUTURE", `its integrated time ${describeTime(time)} is after now`] as const
        : log !== undefined && !isValidAt(log, time)
        ? [
          "LOG_KEY_UNTRUSTED",
          `its integrated time ${describeTime(time)} is outside the log key's validity`,
        ] as const
        : undefined;
      if (problem !== undefined) {
        checks.push(fail("tlog.time", problem[0], `Reject tlog entry ${index}: ${problem[1]}`));
      } else {
        checks.push(pass("tlog.time"));
        // Only the SET signs the integrated time; an inclusion proof does not (sigstore-python).
        if (promised) times.push({ time, source: "rekor" });
      }
    }
    if (checks.slice(entryChecksFrom).every((c) => c.ok)) verifiedEntries.add(index);
  }

  // 4. RFC 3161 timestamps (at most 32, no duplicates: sigstore-python's limits).
  const tokens = vm.rfc3161Timestamps;
  const duplicate = tokens.findIndex((t, i) => tokens.slice(0, i).some((u) => equalBytes(t, u)));
  if (tokens.length > MAX_TIMESTAMPS || duplicate !== -1) {
    checks.push(fail(
      "timestamp.list",
      "TIMESTAMP_MALFORMED",
      tokens.length > MAX_TIMESTAMPS
        ? `Reject bundle${label}: it carries ${tokens.length} RFC 3161 timestamps, more than ${MAX_TIMESTAMPS}`
        : `Reject bundle${label}: RFC 3161 timestamp ${duplicate} is a duplicate`,
    ));
  }
  if (tokens.length > 0 && root.timestampAuthorities.length === 0) {
    checks.push(fail(
      "timestamp.list",
      "TSA_UNTRUSTED",
      `Reject bundle${label}: it carries RFC 3161 timestamps but the trusted root has no timestamp authority`,
    ));
  }
  // A timestamp that does not verify is not a time source (sigstore-go, sigstore-python). Its
  // failure decides the verdict only when no time source verified at all.
  const timestampFailures: Check[] = [];
  for (const [index, token] of tokens.entries()) {
    const result = await checkTimestamp(token, signature, root, options.now, skew, index);
    if (result.time !== undefined) {
      checks.push(result.check);
      times.push({ time: result.time, source: "rfc3161" });
    } else {
      timestampFailures.push(result.check);
    }
  }
  const timestampsVerified = times.filter((t) => t.source === "rfc3161").length;
  if (times.length === 0 || timestampsVerified < timestampThreshold) {
    checks.push(...timestampFailures);
  } else {
    for (const failed of timestampFailures) {
      checks.push({
        id: failed.id,
        ok: true,
        message: `Ignored (not a time source): ${failed.message ?? ""}`,
      });
    }
  }
  // Rekor v2 entries have no integrated time: their log key must be valid at a verified time.
  for (const [index, entry] of vm.tlogEntries.entries()) {
    if (entry.integratedTime > 0n) continue;
    const log = root.tlogs.find((k) => k.logId === encodeHex(entry.logId));
    if (log === undefined || times.length === 0) continue;
    if (!times.some((t) => isValidAt(log, t.time))) {
      verifiedEntries.delete(index);
      checks.push(fail(
        "tlog.time",
        "LOG_KEY_UNTRUSTED",
        `Reject tlog entry ${index}: no verified time lies in the log key's validity`,
      ));
    }
  }

  if (timestampThreshold > 0) {
    checks.push(
      timestampsVerified >= timestampThreshold ? pass("timestamp.threshold") : fail(
        "timestamp.threshold",
        "SIGNING_TIME_MISSING",
        `Reject bundle${label}: ${timestampsVerified} of ${timestampThreshold} required RFC 3161 ` +
          "timestamps verify against the trusted root's timestamp authorities",
      ),
    );
  }

  // 5. Observer time.
  times.sort((a, b) => a.time - b.time);
  const threshold = timeThreshold;
  checks.push(
    times.length >= threshold ? pass("time.observer") : fail(
      "time.observer",
      "SIGNING_TIME_MISSING",
      `Reject bundle${label}: ${times.length} of ${threshold} required verified signing times ` +
        "(integrated times with a verified SET, verified RFC 3161 timestamps)",
    ),
  );

  // 6. Key validity (key-based bundles) and certificate.
  const validity = options.keyValidity;
  if (trustedKey !== undefined && validity !== undefined) {
    const outside = times.find((t) =>
      (validity.validFrom !== undefined && t.time < validity.validFrom) ||
      (validity.validUntil !== undefined && t.time > validity.validUntil)
    );
    checks.push(
      outside === undefined ? pass("key.validity") : fail(
        "key.validity",
        "KEY_NOT_VALID_AT_TIME",
        `Reject bundle${label}: it was signed at ${
          formatRfc3339(outside.time)
        }, outside the key's validity`,
      ),
    );
  }
  // SCTs: only certificates carry them; a key-signed bundle meets only a threshold of 0.
  let sctThreshold = options.sctThreshold ?? 0;
  let sctsVerified = 0;
  let identityReport: IdentityReport | undefined;
  if (signer?.leaf !== undefined) {
    sctThreshold = options.sctThreshold ?? (root.ctlogs.length > 0 ? 1 : 0);
    const certificate = await checkCertificate(
      signer.leaf,
      root,
      times,
      options.identity ?? {},
      sctThreshold,
    );
    checks.push(...certificate.checks);
    sctsVerified = certificate.scts;
    identityReport = certificate.identity;
  } else if (trustedKey !== undefined && sctThreshold > 0) {
    checks.push(fail(
      "cert.sct",
      "SCT_INVALID",
      `Reject bundle${label}: it is signed with a key, which carries no SCT, but ${sctThreshold} required`,
    ));
  }

  // 7. Signature and artifact.
  if (signer !== undefined && algorithm !== undefined) {
    checks.push(
      await checkSignature(bundle, signer, algorithm, given, artifactDigest, digestHash),
    );
  }
  const artifactCheck = checkArtifact(bundle, resolved, digestHash);
  if (artifactCheck !== undefined) checks.push(artifactCheck);

  // 8. Time window.
  if (options.notAfter !== undefined) {
    const late = times.find((t) => t.time > options.notAfter! + skew);
    checks.push(
      late === undefined ? pass("time.window") : fail(
        "time.window",
        "SIGNED_AFTER_NOT_AFTER",
        `Reject signing time ${formatRfc3339(late.time)}: it is after --not-after ${
          formatRfc3339(options.notAfter)
        } beyond the skew`,
      ),
    );
  }

  const extra: Partial<VerificationReport> = {
    keyids: signer === undefined ? [] : [signer.signing.keyid],
    evidence: {
      tlogEntries: { required: tlogThreshold, verified: verifiedEntries.size },
      timestamps: { required: timestampThreshold, verified: timestampsVerified },
      scts: { required: sctThreshold, verified: sctsVerified },
      signingTimes: { required: timeThreshold, verified: times.length },
    },
  };
  if (identityReport !== undefined) extra.identity = identityReport;
  // Without an artifact nothing binds what was signed to what the caller holds.
  extra.subjectChecked = options.artifact !== undefined;
  if (content.kind === "dsseEnvelope") {
    extra.payload = {
      type: content.envelope.payloadType,
      sha256: encodeHex(sha256(content.envelope.payloadBytes)),
    };
    const subjects = statementSubjects(content.envelope.payloadBytes);
    const statement = parseStatementSummary(content.envelope.payloadBytes);
    if (statement !== undefined && subjects !== undefined) {
      extra.statement = { ...statement, subjects };
    }
  }
  return done(times, extra);
}

function isTrustedRoot(value: unknown): value is TrustedRoot {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) &&
    Array.isArray((value as TrustedRoot).tlogs);
}

interface ArtifactDigest {
  algorithm: DigestAlgorithm;
  digest: Uint8Array;
}

function resolveArtifactDigest(
  artifact: VerifyBundleOptions["artifact"],
): ArtifactDigest | { bytes: Uint8Array } | undefined | string {
  if (artifact === undefined) return undefined;
  if (artifact instanceof Uint8Array) return { bytes: artifact };
  if (typeof artifact === "object" && artifact !== null && typeof artifact.digest === "string") {
    const m = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.exec(
      artifact.digest,
    );
    if (m === null) return "Pass the artifact digest as sha256:<64 lowercase hex digits>";
    const [algorithm, hex] = artifact.digest.split(":") as [ArtifactDigest["algorithm"], string];
    return { algorithm, digest: Uint8Array.fromHex(hex) };
  }
  return 'Pass the artifact as bytes or { digest: "sha256:HEX" }';
}

/**
 * The digest algorithm the bundle names for its signature: the message digest's, else (message
 * signatures, and DSSE envelopes on a Rekor v2 log) the first hashedrekord entry's, as written
 * (`SHA2_384`, or `sha384` in a Rekor v1 body).
 */
function namedHash(bundle: SigstoreBundle): string | undefined {
  const content = bundle.content;
  if (content.kind === "messageSignature" && content.messageDigest !== undefined) {
    return content.messageDigest.algorithm;
  }
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const { kind, version } = entry.kindVersion;
    if (kind !== "hashedrekord") continue;
    if (version === "0.0.1" && content.kind === "dsseEnvelope") continue;
    let body: JsonValue;
    try {
      body = parseJson(entry.canonicalizedBody);
    } catch {
      continue;
    }
    const spec = isObject(body) && isObject(body.spec) ? body.spec : undefined;
    const data = version === "0.0.1"
      ? (isObject(spec?.data) && isObject(spec.data.hash) ? spec.data.hash : undefined)
      : (isObject(spec?.hashedRekordV002) && isObject(spec.hashedRekordV002.data)
        ? spec.hashedRekordV002.data
        : undefined);
    const name = data?.algorithm;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/** Why the entry body does not describe this bundle, if it does not. */
function checkBody(
  bodyBytes: Uint8Array,
  kindVersion: { kind: string; version: string },
  bundle: SigstoreBundle,
  signer: Signer,
  digestHash: DigestAlgorithm,
  artifactDigest: Uint8Array | undefined,
): string | undefined {
  let body: JsonValue;
  try {
    body = parseJson(bodyBytes);
  } catch {
    return "its body is not JSON";
  }
  if (!isObject(body) || !isObject(body.spec)) return "its body has no spec";
  if (body.kind !== kindVersion.kind || body.apiVersion !== kindVersion.version) {
    return `its body is ${String(body.kind)} ${
      String(body.apiVersion)
    }, not the ${kindVersion.kind} ${kindVersion.version} the bundle names`;
  }
  const spec = body.spec;
  const content = bundle.content;
  const kv = `${kindVersion.kind}/${kindVersion.version}`;
  const sig = content.kind === "messageSignature"
    ? content.signature
    : content.envelope.signatures[0]!.sigBytes;
  const verifierMatches = (pemB64: JsonValue | undefined): boolean => {
    if (typeof pemB64 !== "string") return false;
    try {
      const pem = new TextDecoder().decode(decodeBase64(pemB64));
      const block = decodePem(pem);
      return signer.leaf !== undefined
        ? block.label === "CERTIFICATE" && equalBytes(block.bytes, signer.leaf.der)
        : block.label === "PUBLIC KEY" && equalBytes(block.bytes, signer.signing.spki);
    } catch {
      return false;
    }
  };
  const v2VerifierMatches = (verifier: JsonValue | undefined): boolean => {
    if (!isObject(verifier)) return false;
    const cert = verifier.x509Certificate;
    const key = verifier.publicKey;
    const raw = (o: JsonValue | undefined): Uint8Array | undefined => {
      if (!isObject(o) || typeof o.rawBytes !== "string") return undefined;
      try {
        return decodeBase64(o.rawBytes);
      } catch {
        return undefined;
      }
    };
    if (signer.leaf !== undefined) {
      const der = raw(cert);
      return der !== undefined && equalBytes(der, signer.leaf.der);
    }
    const spki = raw(key);
    return spki !== undefined && equalBytes(spki, signer.signing.spki);
  };
  const b64Equals = (value: JsonValue | undefined, bytes: Uint8Array): boolean => {
    if (typeof value !== "string") return false;
    try {
      return equalBytes(decodeBase64(value), bytes);
    } catch {
      return false;
    }
  };

  if (kv === "hashedrekord/0.0.1") {
    if (content.kind !== "messageSignature") {
      return "a hashedrekord 0.0.1 entry cannot log a DSSE envelope";
    }
    const data = spec.data;
    const hash = isObject(data) && isObject(data.hash) ? data.hash : undefined;
    if (hash === undefined || hash.algorithm !== digestHash || typeof hash.value !== "string") {
      return `its hashedrekord data hash is not ${digestHash}, the signature's digest`;
    }
    const digest = artifactDigest ?? content.messageDigest?.digest;
    if (digest === undefined || hash.value !== encodeHex(digest)) {
      return "its artifact digest is not the artifact's";
    }
    const signature = isObject(spec.signature) ? spec.signature : undefined;
    if (signature === undefined || !b64Equals(signature.content, sig)) {
      return "its signature is not the bundle's";
    }
    const pk = isObject(signature.publicKey) ? signature.publicKey : undefined;
    if (pk === undefined || !verifierMatches(pk.content)) {
      return "its public key or certificate is not the bundle's";
    }
    return undefined;
  }
  if (kv === "hashedrekord/0.0.2") {
    const v = isObject(spec.hashedRekordV002) ? spec.hashedRekordV002 : undefined;
    if (v === undefined) return "its body has no hashedRekordV002";
    const data = isObject(v.data) ? v.data : undefined;
    if (data === undefined || data.algorithm !== PROTO_HASH_NAMES[digestHash]) {
      return `its data digest is not ${PROTO_HASH_NAMES[digestHash]}, the signature's digest`;
    }
    const digest = content.kind === "dsseEnvelope"
      ? digestBytes(
        digestHash,
        preAuthEncoding(content.envelope.payloadType, content.envelope.payloadBytes),
      )
      : artifactDigest ?? content.messageDigest?.digest;
    if (digest === undefined || !b64Equals(data.digest, digest)) {
      return content.kind === "dsseEnvelope"
        ? `its digest is not the ${PROTO_HASH_NAMES[digestHash]} of the envelope's PAE`
        : "its artifact digest is not the artifact's";
    }
    const signature = isObject(v.signature) ? v.signature : undefined;
    if (signature === undefined || !b64Equals(signature.content, sig)) {
      return "its signature is not the bundle's";
    }
    if (!v2VerifierMatches(signature.verifier)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  if (content.kind !== "dsseEnvelope") return `a ${kv} entry cannot log a message signature`;
  const envelope = content.envelope;
  const payloadHash = encodeHex(sha256(envelope.payloadBytes));
  if (kv === "dsse/0.0.1") {
    const ph = isObject(spec.payloadHash) ? spec.payloadHash : undefined;
    if (ph === undefined || ph.algorithm !== "sha256" || ph.value !== payloadHash) {
      return "its payload hash is not the envelope payload's";
    }
    const sigs = spec.signatures;
    if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0])) {
      return "it does not hold exactly one signature";
    }
    if (!b64Equals(sigs[0].signature, sig)) return "its signature is not the envelope's";
    if (!verifierMatches(sigs[0].verifier)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  if (kv === "intoto/0.0.2") {
    const c = isObject(spec.content) ? spec.content : undefined;
    if (c === undefined) return "its body has no content";
    const ph = isObject(c.payloadHash) ? c.payloadHash : undefined;
    if (ph === undefined || ph.algorithm !== "sha256" || ph.value !== payloadHash) {
      return "its payload hash is not the envelope payload's";
    }
    const env = isObject(c.envelope) ? c.envelope : undefined;
    if (env === undefined || env.payloadType !== envelope.payloadType) {
      return "its payload type is not the envelope's";
    }
    if (env.payload !== undefined) {
      const doubled = typeof env.payload === "string" ? tryDecode(env.payload) : undefined;
      const inner = doubled === undefined
        ? undefined
        : tryDecode(new TextDecoder().decode(doubled));
      if (inner === undefined || !equalBytes(inner, envelope.payloadBytes)) {
        return "its payload is not the envelope's";
      }
    }
    const sigs = env.signatures;
    if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0])) {
      return "it does not hold exactly one signature";
    }
    const outer = typeof sigs[0].sig === "string" ? tryDecode(sigs[0].sig) : undefined;
    const innerSig = outer === undefined ? undefined : tryDecode(new TextDecoder().decode(outer));
    if (innerSig === undefined || !equalBytes(innerSig, sig)) {
      return "its signature is not the envelope's";
    }
    if (!verifierMatches(sigs[0].publicKey)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  return `its kind ${kv} is not supported`;
}

function tryDecode(text: string): Uint8Array | undefined {
  try {
    return decodeBase64(text);
  } catch {
    return undefined;
  }
}

async function checkTimestamp(
  token: Uint8Array,
  signature: Uint8Array,
  root: TrustedRoot,
  now: number,
  skew: number,
  index: number,
): Promise<{ check: Check; time?: number }> {
  const id = "bundle.timestamp";
  let best: Check | undefined;
  for (const tsa of root.timestampAuthorities) {
    const chain = tsa.chain;
    const result = await verifyTimestamp(token, {
      data: signature,
      roots: [chain[chain.length - 1]!],
      intermediates: chain.slice(0, -1),
      useEmbeddedCertificates: false,
      at: now,
      skew,
      name: `timestamp ${index}`,
    });
    const failed = result.checks.find((c) => !c.ok);
    if (result.verified && result.genTime !== undefined) {
      if (isValidAt(tsa, result.genTime)) return { check: pass(id), time: result.genTime };
      best ??= fail(
        id,
        "TSA_UNTRUSTED",
        `Reject timestamp ${index}: its time ${
          formatRfc3339(result.genTime)
        } is outside the TSA's validity in the trusted root`,
      );
    } else if (failed !== undefined) {
      // Prefer a failure beyond "unknown signer": it names the real problem with this TSA.
      if (
        best === undefined || (best.code === "TSA_UNTRUSTED" && failed.code !== "TSA_UNTRUSTED")
      ) {
        best = fail(
          id,
          failed.code ?? "TSA_UNTRUSTED",
          failed.message ?? "timestamp does not verify",
        );
      }
    }
  }
  return {
    check: best ??
      fail(
        id,
        "TSA_UNTRUSTED",
        `Reject timestamp ${index}: the trusted root has no timestamp authority`,
      ),
  };
}

/** The certificate checks, the SCTs that verified and the identity report. */
interface CertificateOutcome {
  checks: Check[];
  scts: number;
  identity: IdentityReport;
}

async function checkCertificate(
  leaf: Certificate,
  root: TrustedRoot,
  times: readonly ObservedTime[],
  identity: CertificateIdentityPolicy,
  sctThreshold: number,
): Promise<CertificateOutcome> {
  const checks: Check[] = [];
  let chainProblem: string | undefined;
  let issuer: Certificate | undefined;
  if (times.length === 0) {
    chainProblem = "no verified time to check the certificate at";
  }
  for (const t of times) {
    const result = await chainWithinOneAuthority(leaf, root.certificateAuthorities, t.time);
    if (!result.ok) {
      chainProblem = result.message;
      break;
    }
    issuer = result.chain[1];
  }
  checks.push(
    chainProblem === undefined
      ? pass("cert.chain")
      : fail("cert.chain", "CERTIFICATE_CHAIN_INVALID", chainProblem),
  );
  // Without a validated chain, the SCT is still checked against the named issuer's key.
  issuer ??= root.certificateAuthorities.flatMap((ca) => ca.chain).find((c) =>
    equalBytes(c.subject.der, leaf.issuer.der)
  );
  let scts = 0;
  if (issuer !== undefined) {
    const evaluation = await evaluateEmbeddedScts(leaf, {
      issuer,
      ctlogs: root.ctlogs,
      threshold: sctThreshold,
    });
    checks.push(evaluation.check);
    scts = evaluation.verified;
  } else if (sctThreshold > 0) {
    checks.push(
      fail("cert.sct", "SCT_INVALID", "Cannot check the SCT: the certificate's issuer is unknown"),
    );
  } else {
    checks.push({ id: "cert.sct", ok: true, message: "Not required: the issuer is unknown" });
  }
  const found = fulcioIdentity(leaf);
  const problems: string[] = [];
  const expect = (
    field: string,
    expected: string | RegExp | undefined,
    actual: string | undefined,
  ): void => {
    if (expected === undefined) return;
    // A missing extension reads as "": a regular expression may accept it, an exact value not.
    const ok = typeof expected === "string"
      ? actual !== undefined && expected === actual
      : testRegExp(expected, actual ?? "");
    if (!ok) problems.push(`its ${field} ${actual ?? "(none)"} is not ${String(expected)}`);
  };
  if (
    identity.subject !== undefined &&
    !found.subjects.some((s) =>
      typeof identity.subject === "string"
        ? identity.subject === s
        : testRegExp(identity.subject!, s)
    )
  ) {
    problems.push(
      `its subject ${JSON.stringify(found.subjects)} is not ${String(identity.subject)}`,
    );
  }
  expect("issuer", identity.issuer, found.issuer);
  expect("source repository", identity.sourceRepositoryUri, found.sourceRepositoryUri);
  expect(
    "source repository owner",
    identity.sourceRepositoryOwnerUri,
    found.sourceRepositoryOwnerUri,
  );
  checks.push(
    problems.length === 0 ? pass("cert.identity") : fail(
      "cert.identity",
      "CERTIFICATE_IDENTITY_MISMATCH",
      `Reject certificate: ${problems.join("; ")}`,
    ),
  );
  return { checks, scts, identity: identityReport(identity, found) };
}

/** Tests a caller's regular expression without the statefulness of `g`/`y` flags. */
function testRegExp(expected: RegExp, actual: string): boolean {
  expected.lastIndex = 0;
  const ok = expected.test(actual);
  expected.lastIndex = 0;
  return ok;
}

function identityReport(policy: CertificateIdentityPolicy, found: FulcioIdentity): IdentityReport {
  const matcher = (value: string | RegExp): IdentityMatcher =>
    typeof value === "string"
      ? { equals: value }
      : value.flags === ""
      ? { pattern: value.source }
      : { pattern: value.source, flags: value.flags };
  const expected: IdentityReport["expected"] = {};
  if (policy.subject !== undefined) expected.subject = matcher(policy.subject);
  if (policy.issuer !== undefined) expected.issuer = matcher(policy.issuer);
  if (policy.sourceRepositoryUri !== undefined) {
    expected.sourceRepositoryUri = matcher(policy.sourceRepositoryUri);
  }
  if (policy.sourceRepositoryOwnerUri !== undefined) {
    expected.sourceRepositoryOwnerUri = matcher(policy.sourceRepositoryOwnerUri);
  }
  const certificate: IdentityReport["certificate"] = { subjects: [...found.subjects] };
  if (found.issuer !== undefined) certificate.issuer = found.issuer;
  if (found.sourceRepositoryUri !== undefined) {
    certificate.sourceRepositoryUri = found.sourceRepositoryUri;
  }
  if (found.sourceRepositoryOwnerUri !== undefined) {
    certificate.sourceRepositoryOwnerUri = found.sourceRepositoryOwnerUri;
  }
  return { expected, certificate };
}

/**
 * Validates `leaf` at `at` within one certificate-authority entry of the trusted root: that
 * entry's `validFor` covers `at` and the path uses only that entry's certificates (sigstore-go's
 * `FulcioCertificateAuthority.Verify`). Certificates from other entries or from the bundle are
 * never borrowed, so a retired intermediate is not rescued by a current entry sharing its root.
 */
async function chainWithinOneAuthority(
  leaf: Certificate,
  authorities: readonly TrustedAuthority[],
  at: number,
): Promise<{ ok: true; chain: Certificate[] } | { ok: false; message: string }> {
  const within = (ca: TrustedAuthority) =>
    validateChain(leaf, {
      roots: [ca.chain[ca.chain.length - 1]!],
      intermediates: ca.chain.slice(0, -1),
      at,
      requireEku: KEY_PURPOSES.codeSigning,
    });
  let failure: { code: string; message: string } | undefined;
  const inactive: TrustedAuthority[] = [];
  for (const ca of authorities) {
    if (!isValidAt(ca, at)) {
      inactive.push(ca);
      continue;
    }
    const result = await within(ca);
    if (result.ok) return result;
    // A path that exists but fails (time, EKU, CA constraints) says more than "no path".
    if (
      failure === undefined || (failure.code === "CHAIN_UNTRUSTED" && result.code !== failure.code)
    ) {
      failure = result;
    }
  }
  if (failure === undefined || failure.code === "CHAIN_UNTRUSTED") {
    for (const ca of inactive) {
      if ((await within(ca)).ok) {
        return {
          ok: false,
          message:
            `Cannot trust certificate "${leaf.subject.text}": it chains only to certificate ` +
            `authority "${ca.uri}" of the trusted root, which is not valid at ${
              formatRfc3339(at)
            } ` +
            `(valid from ${formatRfc3339(ca.validFrom)}${
              ca.validUntil === undefined ? "" : ` to ${formatRfc3339(ca.validUntil)}`
            })`,
        };
      }
    }
  }
  return {
    ok: false,
    message: failure?.message ??
      `Cannot trust certificate "${leaf.subject.text}": no certificate authority of the trusted root is valid at ${
        formatRfc3339(at)
      }`,
  };
}

async function checkSignature(
  bundle: SigstoreBundle,
  signer: Signer,
  algorithm: SigstoreAlgorithm | string,
  given: ArtifactDigest | { bytes: Uint8Array } | undefined,
  artifactDigest: Uint8Array | undefined,
  digestHash: DigestAlgorithm,
): Promise<Check> {
  const id = "bundle.signature";
  const content = bundle.content;
  const bad = (why: string): Check =>
    fail(id, "SIGNATURE_INVALID", `Reject bundle signature: ${why}`);
  if (typeof algorithm === "string") return bad(algorithm);
  const signing = signer.signing;
  if (content.kind === "dsseEnvelope") {
    const env = content.envelope;
    const pae = preAuthEncoding(env.payloadType, env.payloadBytes);
    return await verifySigstoreSignature(
        signing,
        algorithm,
        { message: pae },
        env.signatures[0]!.sigBytes,
      )
      ? pass(id)
      : bad(`the DSSE signature does not verify with the signing key (${algorithm.details})`);
  }
  if (given !== undefined && "bytes" in given) {
    return await verifySigstoreSignature(
        signing,
        algorithm,
        { message: given.bytes },
        content.signature,
      )
      ? pass(id)
      : bad(
        `the signature does not verify over the artifact with the signing key (${algorithm.details})`,
      );
  }
  if (algorithm.hash === undefined) {
    return bad(`a ${algorithm.details} signature needs the artifact bytes, not only its digest`);
  }
  const md = content.messageDigest;
  const digest = artifactDigest ??
    (md !== undefined && hashFromName(md.algorithm) === digestHash ? md.digest : undefined);
  if (digest === undefined) {
    return bad(`neither the artifact nor its ${PROTO_HASH_NAMES[digestHash]} digest is known`);
  }
  return await verifySigstoreSignature(signing, algorithm, { digest }, content.signature)
    ? pass(id)
    : bad(
      `the signature does not verify over the artifact digest with the signing key (${algorithm.details})`,
    );
}

function checkArtifact(
  bundle: SigstoreBundle,
  artifact: ArtifactDigest | undefined,
  digestHash: DigestAlgorithm,
): Check | undefined {
  if (artifact === undefined) return undefined;
  const digest = artifact.digest;
  const content = bundle.content;
  if (content.kind === "messageSignature") {
    if (artifact.algorithm !== digestHash) {
      return fail(
        "bundle.artifact",
        "ARTIFACT_MISMATCH",
        `Reject artifact: this message signature is over its ${digestHash} digest, not ${artifact.algorithm}`,
      );
    }
    const md = content.messageDigest;
    if (md === undefined) return pass("bundle.artifact");
    if (hashFromName(md.algorithm) !== digestHash || !equalBytes(md.digest, digest)) {
      return fail(
        "bundle.artifact",
        "ARTIFACT_MISMATCH",
        `Reject artifact: its ${digestHash} digest is not the bundle's message digest`,
      );
    }
    return pass("bundle.artifact");
  }
  const subjects = statementSubjects(content.envelope.payloadBytes);
  if (subjects === undefined) {
    return fail(
      "bundle.artifact",
      "ARTIFACT_MISMATCH",
      "Reject artifact: the DSSE payload is not an in-toto statement with subjects",
    );
  }
  const hex = encodeHex(digest);
  return subjects.some((s) => s.digest[artifact.algorithm]?.toLowerCase() === hex)
    ? pass("bundle.artifact")
    : fail(
      "bundle.artifact",
      "ARTIFACT_MISMATCH",
      `Reject artifact: ${artifact.algorithm}:${hex} is not a subject of the statement`,
    );
}

function statementSubjects(
  payload: Uint8Array,
): { name: string; digest: Record<string, string> }[] | undefined {
  let value: JsonValue;
  try {
    value = parseJson(payload);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !Array.isArray(value.subject)) return undefined;
  const out: { name: string; digest: Record<string, string> }[] = [];
  for (const s of value.subject) {
    if (!isObject(s) || !isObject(s.digest)) continue;
    const digest: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.digest)) if (typeof v === "string") digest[k] = v;
    out.push({ name: typeof s.name === "string" ? s.name : "", digest });
  }
  return out;
}

function parseStatementSummary(
  payload: Uint8Array,
): { type: string; predicateType: string } | undefined {
  try {
    const value = parseJson(payload);
    if (!isObject(value) || typeof value._type !== "string") return undefined;
    return {
      type: value._type,
      predicateType: typeof value.predicateType === "string" ? value.predicateType : "",
    };
  } catch {
    return undefined;
  }
}

function toReport(
  checks: Check[],
  times: readonly ObservedTime[],
  now: number,
  extra: Partial<VerificationReport>,
): VerificationReport {
  const first = times[0];
  return buildReport(checks, {
    ...extra,
    time: first === undefined
      ? { value: formatRfc3339(now), source: "clock" }
      : { value: formatRfc3339(first.time), source: first.source },
    evaluatedAt: formatRfc3339(now),
  });
}
