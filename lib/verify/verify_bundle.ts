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
 * This module runs the pipeline; the steps live beside it, split as sigstore-js splits them:
 * `_bundle_tlog.ts` (entry kinds and bodies, inclusion, SET, integrated time),
 * `_bundle_certificate.ts` (RFC 3161 authorities, Fulcio chain, SCTs, identity) and
 * `_bundle_signature.ts` (the signature and the artifact it is over).
 *
 * @module
 */

import { encodeHex, equalBytes } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { type DigestAlgorithm, digestBytes, sha256 } from "../digest/digest.ts";
import { parseSigstoreBundle, type SigstoreBundle } from "../model/sigstore_bundle.ts";
import { parseCertificate } from "../keys/x509.ts";
import type { FailureCode } from "./codes.ts";
import {
  algorithmFor,
  hashFromName,
  readSigningKey,
  type SigningKey,
  type SigstoreAlgorithm,
} from "./_sigstore_algorithm.ts";
import {
  buildReport,
  type Check,
  fail,
  type IdentityReport,
  pass,
  type VerificationReport,
} from "./report.ts";
import { isValidAt, parseTrustedRoot, type TrustedRoot } from "./trusted_root.ts";
import { canonicalize } from "../encoding/canonical_json.ts";
import { type CompiledTrust, compileTrust, type TrustMaterial } from "./trust_material.ts";
import type { CertificateIdentityPolicy, VerifyOptions } from "./options.ts";
import type { ArtifactDigests } from "./subject_check.ts";
import { DEFAULT_SKEW_MS } from "./verify_envelope.ts";
import { bundleKeyOf } from "./_bundle_key.ts";
import { checkTlogEntry, namedHash } from "./_bundle_tlog.ts";
import { checkCertificate, checkTimestamp } from "./_bundle_certificate.ts";
import {
  type ArtifactDigest,
  checkArtifact,
  checkSignature,
  type ObservedTime,
  parseStatementSummary,
  resolveArtifactDigest,
  type Signer,
  statementSubjects,
} from "./_bundle_signature.ts";

/** Most RFC 3161 timestamps a bundle may carry. */
const MAX_TIMESTAMPS = 32;

const ROOTS = new WeakMap<CompiledTrust, TrustedRoot | ParseError>();

/** The trust's trusted root, read once per compiled trust (or why it does not read). */
function trustedRootOf(trust: CompiledTrust): TrustedRoot | ParseError {
  let root = ROOTS.get(trust);
  if (root === undefined) {
    try {
      root = parseTrustedRoot(canonicalize(trust.trustedRoot));
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      root = error;
    }
    ROOTS.set(trust, root);
  }
  return root;
}

/** What the bundle pipeline runs with: the trust and options of {@link verifyBundle}, resolved. */
interface BundleSettings {
  /** The trusted root, or why it does not read. */
  trustedRoot: TrustedRoot | ParseError;
  /** Verify a key-based bundle with this public key (or fail with why it does not read). */
  key?: SigningKey | ParseError | undefined;
  /** Verify a certificate-based bundle: the expected identity. */
  identity?: CertificateIdentityPolicy | undefined;
  /**
   * The artifact bytes, or its digest as `sha256:HEX`, `sha384:HEX` or `sha512:HEX`: for a
   * message signature the digest its signature is over (SHA-384 for P-384 keys, SHA-512 for
   * P-521, as the bundle's message digest says), for a DSSE envelope a statement subject's.
   */
  artifact?: Uint8Array | { digest: string } | { digests: ArtifactDigests } | undefined;
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

/**
 * Verifies a Sigstore bundle offline against a trusted root (see the module documentation for
 * the checks and their order).
 *
 * @param input The bundle JSON (bytes or text).
 * @param trust The trusted root, and for a key-signed bundle (no `identity`) its one trusted key
 *   (its `validFrom`, `validUntil` and `revokedAt` bound every verified signing time).
 * @param options Identity policy, artifact (`artifact` or one `artifactDigest`), thresholds,
 *   times. The envelope-only subject options (`image`, `subjectName`, `predicateType`) are misuse.
 * @returns The verification report; `time.source` is `rekor` or `rfc3161` (the earliest verified
 *   observer time), or `clock` when none verified.
 * @throws {TypeError} When `trust` has no trusted root, or there is no `identity` and not exactly
 *   one trusted key, or an option has a wrong type.
 * @throws {RangeError} When `now`, `skew` or `notAfter` is not a finite number.
 * @throws {ParseError} `PEM_*`/`KEY_*` codes when `key` is not a PEM public key.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, verifyBundle } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const trust = loadTrustMaterial({
 *   trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
 * });
 * const report = await verifyBundle("{}", trust, {
 *   identity: { subject: "a@example.com", issuer: "https://accounts.google.com" },
 *   now: Date.parse("2026-01-01T00:00:00Z"),
 * });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "BUNDLE_MALFORMED");
 * ```
 */
export function verifyBundle(
  input: Uint8Array | string,
  trust: TrustMaterial,
  options: VerifyOptions,
): Promise<VerificationReport> {
  return verifyBundleWith(input, compileTrust(trust), options);
}

/**
 * Internal (not re-exported by `mod.ts`): {@link verifyBundle} over compiled trust (batches
 * compile once).
 *
 * @param input The bundle JSON (bytes or text).
 * @param trust Compiled trust with a trusted root.
 * @param options As for {@link verifyBundle}.
 * @returns The verification report.
 */
export function verifyBundleWith(
  input: Uint8Array | string,
  trust: CompiledTrust,
  options: VerifyOptions,
): Promise<VerificationReport> {
  if (typeof options !== "object" || options === null) throw new TypeError("Pass the options");
  if (trust.trustedRoot === undefined) {
    throw new TypeError("Pass trust material with a trusted root (trustedRoot) to verify a bundle");
  }
  const root = trustedRootOf(trust);
  for (const name of ["image", "subjectName", "predicateType"] as const) {
    if (options[name] !== undefined) {
      throw new TypeError(`Pass \`${name}\` for envelopes only: Sigstore bundles do not check it`);
    }
  }
  if (options.artifactDigest !== undefined && options.artifactDigest.length !== 1) {
    throw new TypeError("Pass one `artifactDigest` for a Sigstore bundle");
  }
  // With an identity the bundle must be signed by a certificate (the trust's keys are for
  // envelopes); without one, by the trust's one key.
  const entries = options.identity === undefined ? trust.keyEntries : [];
  if (entries.length > 1) {
    throw new TypeError("Pass one trusted key for a key-signed bundle, not several");
  }
  const trusted = entries[0] === undefined ? undefined : bundleKeyOf(entries[0]);
  const artifact = options.artifact;
  return runBundle(input, {
    trustedRoot: root,
    key: trusted?.key,
    keyValidity: trusted?.validity,
    identity: options.identity,
    artifact: options.artifactDigest !== undefined
      ? { digest: options.artifactDigest[0]! }
      : artifact === undefined || artifact instanceof Uint8Array
      ? artifact
      : { digests: artifact },
    timeThreshold: options.timeThreshold,
    tlogThreshold: options.tlogThreshold,
    timestampThreshold: options.timestampThreshold,
    sctThreshold: options.sctThreshold,
    now: options.now,
    skew: options.skew,
    notAfter: options.notAfter,
    name: options.name,
  });
}

async function runBundle(
  input: Uint8Array | string,
  options: BundleSettings,
): Promise<VerificationReport> {
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
  if (options.key instanceof ParseError) {
    // A fresh error per call: the cached one is shared by every bundle of the batch.
    throw new ParseError(options.key.code, options.key.message, options.key.offset);
  }
  const trustedKey = options.key;
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
  if (options.trustedRoot instanceof ParseError) {
    checks.push(fail("root.parse", "TRUSTED_ROOT_INVALID", options.trustedRoot.message));
    return done([]);
  }
  const root: TrustedRoot = options.trustedRoot;
  checks.push(pass("root.parse"));
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
    : "digests" in given
    ? content.kind === "messageSignature"
      ? { algorithm: digestHash, digest: Uint8Array.fromHex(given.digests[digestHash]) }
      : { algorithm: "sha256", digest: Uint8Array.fromHex(given.digests.sha256) }
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
    const outcome = await checkTlogEntry(entry, index, {
      bundle,
      root,
      signer,
      digestHash,
      artifactDigest,
      now: options.now,
      skew,
    });
    checks.push(...outcome.checks);
    if (outcome.time !== undefined) times.push(outcome.time);
    if (outcome.checks.every((c) => c.ok)) verifiedEntries.add(index);
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
      await checkSignature(
        bundle,
        signer,
        algorithm,
        given !== undefined && "digests" in given ? resolved : given,
        artifactDigest,
        digestHash,
      ),
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
