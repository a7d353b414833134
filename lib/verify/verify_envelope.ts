/**
 * DSSE envelope verification (secure-systems-lab/dsse protocol.md "Verification", with the
 * (t, n) threshold rule) and the content checks that a trust policy adds (in-toto Statement v1,
 * allowed predicate types, required claims).
 *
 * Pipeline, one {@link Check} each, in this order:
 * 1. `envelope.parse`: strict envelope parse (`ENVELOPE_MALFORMED`); nothing else runs on failure.
 * 2. `timestamp.rfc3161` (one per token in `timestamps`, verified against the trust's TSA
 *    roots): a token counts only for a signature
 *    that verifies under a trusted key; it then proves that signature existed at its `genTime`.
 *    A token that verifies but only over a signature that does not verify (or whose key is not
 *    trusted) changes nothing: the check passes with an "Ignored (not a time source)" message.
 *    A token that does not verify fails with its own code (`TIMESTAMP_*`, `TSA_*`), unless
 *    another token bound to a trusted signature, in which case it is reported as ignored too.
 * 3. `envelope.signatures`: every signature is tried against every trusted key (the keyid is a hint
 *    that orders the candidates, never trusted alone); a key counts once, also when the same key
 *    material is listed under two key ids (keys that already verified are tried first); each key
 *    that verifies must be valid at that signature's own trusted time (`KEY_NOT_VALID_AT_TIME`,
 *    `KEY_REVOKED`); at least `threshold` distinct keys must count (`THRESHOLD_NOT_MET`);
 *    otherwise `SIGNATURE_INVALID` / `KEY_UNTRUSTED`.
 * 4. `time.window`: the envelope's signing time is not after `notAfter` (`SIGNED_AFTER_NOT_AFTER`)
 *    and a claimed `signedAt` is not after `now` (`SIGNED_IN_FUTURE`).
 * 5. `payload.type`: any payload type verifies on its signatures; when the policy constrains the
 *    content (allowed predicate types or required claims) the payload must be in-toto
 *    (`PAYLOAD_TYPE_UNSUPPORTED`).
 * 6. `statement.parse` (in-toto payloads): strict JSON, Statement v1 (or v0.1, or legacy in-toto
 *    link / layout metadata) with well-formed subject digests (`STATEMENT_INVALID`).
 * 7. `policy.predicate-type` and `policy.claims` when the policy sets them
 *    (`PREDICATE_TYPE_NOT_ALLOWED`, `CLAIM_MISSING`, `CLAIM_MISMATCH`).
 * 8. `statement.subject` and `statement.predicate-type` when the caller names the artifact, image,
 *    subject or predicate types it expects (`SUBJECT_MISMATCH`, `PREDICATE_TYPE_NOT_ALLOWED`; see
 *    `subject_check.ts`). The report's `subjectChecked` says whether the subject was checked.
 *
 * Bounds: an envelope with more than `maxSignatures` signatures (default
 * {@link DEFAULT_MAX_SIGNATURES}) fails `envelope.signatures` with `TOO_MANY_SIGNATURES` before any
 * signature or timestamp is tried; nothing else runs.
 *
 * Trusted time, per signature: the `genTime` of a token bound to that signature (source
 * `rfc3161`), else the operator's `signedAt` (source `signed-at`), else `now` (source `clock`).
 * Nothing the signer wrote (payload fields) is a signing time. The envelope's time (the report's
 * `time`, judged by `time.window`) is the moment the threshold was met: the `threshold`-th
 * earliest trusted time of the signatures that counted.
 *
 * Keys are judged by their material (`spkiSha256`), not by a trust entry or a keyid: every entry
 * for the same public key applies at once (latest `validFrom`, earliest `validUntil`, earliest
 * `revokedAt`), so `--key` or a second entry can never lift a revocation or extend a window.
 *
 * Skew (default 5 minutes): `validFrom`, `validUntil`, `notAfter` and the future check are
 * widened by `skew`, so a time exactly `skew` past such a bound still passes and one millisecond
 * more fails. A revocation is never widened in the signer's favour: a signature counts only when
 * its trusted time plus `skew` (plus the token's stated accuracy) is before `revokedAt`.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { encodeHex } from "../encoding/bytes.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import { type ParsedEnvelope, parseEnvelope, preAuthEncoding } from "../model/dsse.ts";
import type { RequiredClaim } from "../model/claim_policy.ts";
import type { FailureCode } from "./codes.ts";
import {
  buildReport,
  type Check,
  fail,
  pass,
  type SignatureResult,
  type StatementSummary,
  type TimeSource,
  type VerificationReport,
} from "./report.ts";
import type { TrustedKey } from "./trust_policy.ts";
import { assertSubjectOptions, checkSubject } from "./subject_check.ts";
import { type CompiledTrust, compileTrust, type TrustMaterial } from "./trust_material.ts";
import type { VerifyOptions } from "./options.ts";
import { checkContent, checkMerkleRoot } from "./_envelope_content.ts";
import { bindTimestamps, type StampedTime } from "./_envelope_timestamps.ts";

/**
 * Default tolerance for time comparisons: 5 minutes.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_SKEW_MS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_SKEW_MS, 300_000);
 * ```
 */
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

/** Default upper bound on the signatures of one envelope (`maxSignatures`): 64. */
export const DEFAULT_MAX_SIGNATURES = 64;

/**
 * Verifies a DSSE envelope against the operator's trust material.
 *
 * @param input The envelope's JSON bytes (or text), untrusted.
 * @param trust The trusted keys and content rules ({@link loadTrustMaterial}).
 * @param options Times, thresholds, subject checks, RFC 3161 tokens, anchors.
 * @returns A {@link VerificationReport}; it never throws for bad input (only for misuse).
 * @throws {RangeError} When `now`, `skew`, `threshold` or `maxSignatures` are not sensible
 *   numbers.
 * @throws {TypeError} When `trust` is not trust material, or a subject option is malformed (e.g.
 *   `image` without `@sha256:`).
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   serializeEnvelope,
 *   signEnvelope,
 *   verifyEnvelope,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const envelope = await signEnvelope({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }],
 *   predicateType: "https://example.com/predicate/v1",
 *   predicate: {},
 * }, [createSigner(key)]);
 * const trust = loadTrustMaterial({ keys: [{ pem: exportPublicKeyPem(key) }] });
 * const options = { now: Date.UTC(2026, 0, 1) };
 * const report = await verifyEnvelope(serializeEnvelope(envelope), trust, options);
 * assert.equal(report.verified, true);
 * assert.deepEqual(report.keyids, [key.keyid]);
 * assert.equal(report.statement?.predicateType, "https://example.com/predicate/v1");
 * const tampered = serializeEnvelope({ ...envelope, payload: envelope.payload.slice(4) });
 * const rejected = await verifyEnvelope(tampered, trust, options);
 * assert.deepEqual([rejected.verified, rejected.code], [false, "SIGNATURE_INVALID"]);
 * const untrusted = await verifyEnvelope(serializeEnvelope(envelope), loadTrustMaterial(), options);
 * assert.deepEqual([untrusted.verified, untrusted.code], [false, "KEY_UNTRUSTED"]);
 * const malformed = await verifyEnvelope("{}", trust, options);
 * assert.deepEqual([malformed.verified, malformed.code], [false, "ENVELOPE_MALFORMED"]);
 * ```
 */
export async function verifyEnvelope(
  input: Uint8Array | string,
  trust: TrustMaterial,
  options: VerifyOptions,
): Promise<VerificationReport> {
  return (await verifyEnvelopeWith(input, compileTrust(trust), options)).report;
}

/**
 * A key that counted for an envelope, as the custody timeline needs it: the key id reported and
 * the custodians bound to its key material (the union of every trust entry's `custodians` for
 * that public key; `undefined` when no entry for it has the field).
 */
export interface CountedSigner {
  /** Key id of the trusted key that counted. */
  keyid: string;
  /** Custodians bound to the key material, or `undefined` when none is bound. */
  custodians: readonly string[] | undefined;
}

/**
 * Internal (not re-exported by `mod.ts`): {@link verifyEnvelope} over compiled trust, plus the
 * keys that counted with their custodian bindings (for `verifyTimeline`); batches and kits call
 * it with trust compiled once.
 *
 * @param input The envelope's JSON bytes (or text), untrusted.
 * @param trust Compiled trust (`compileTrust`, `trustOfKeys`).
 * @param options As for {@link verifyEnvelope}.
 * @returns The report and the keys that counted, in signature order.
 */
export async function verifyEnvelopeWith(
  input: Uint8Array | string,
  trust: CompiledTrust,
  options: VerifyOptions,
): Promise<{ report: VerificationReport; signers: CountedSigner[] }> {
  const settings = resolve(options, trust);
  assertSubjectOptions(options);
  const maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  if (!Number.isSafeInteger(maxSignatures) || maxSignatures < 1) {
    throw new RangeError(`Pass \`maxSignatures\` as an integer ≥ 1, not ${maxSignatures}`);
  }
  let envelope: ParsedEnvelope;
  try {
    envelope = parseEnvelope(input, { name: options.name });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {
      report: toReport(
        [fail("envelope.parse", "ENVELOPE_MALFORMED", error.message)],
        settings,
        {},
      ),
      signers: [],
    };
  }
  const checks: Check[] = [pass("envelope.parse")];
  const payload = { type: envelope.payloadType, sha256: encodeHex(sha256(envelope.payloadBytes)) };
  if (envelope.signatures.length > maxSignatures) {
    checks.push(fail(
      "envelope.signatures",
      "TOO_MANY_SIGNATURES",
      `Reject envelope${label(settings)}: it has ${envelope.signatures.length} signatures, ` +
        `more than the limit of ${maxSignatures}`,
    ));
    return { report: toReport(checks, settings, { payload }), signers: [] };
  }
  const verifying = await findSignatureKeys(envelope, settings);
  const stamped = options.timestamps !== undefined && options.timestamps.length > 0
    ? await bindTimestamps(envelope, verifying, options.timestamps, trust.tsaRoots, settings)
    : { checks: [], times: new Map<number, StampedTime>() };
  checks.push(...stamped.checks);
  const signatures = checkSignatures(envelope, verifying, stamped.times, settings);
  checks.push(signatures.check);
  checks.push(checkTimeWindow(settings));
  const content = checkContent(envelope, settings);
  checks.push(...content.checks);
  const subject = checkSubject(content.summary, options);
  checks.push(...subject.checks);
  if (options.merkleRoot !== undefined) {
    checks.push(checkMerkleRoot(content.summary, options.merkleRoot));
  }
  const report = toReport(checks, settings, {
    payload,
    signatures: signatures.results,
    keyids: signatures.keyids,
    statement: content.summary,
    subjectChecked: subject.subjectChecked,
  });
  return { report, signers: signatures.signers };
}

interface Settings {
  now: number;
  /** The envelope's signing time, set by `checkSignatures`. */
  time: number;
  source: TimeSource;
  /** The operator's claimed signing time. */
  signedAt: number | undefined;
  signedAtSource: TimeSource;
  notAfter: number | undefined;
  skew: number;
  threshold: number;
  keys: readonly TrustedKey[];
  /** Windows, revocation and custodians per key material (see {@link materialOf}). */
  bounds: Map<string, KeyBounds>;
  allowedPredicateTypes: readonly string[] | undefined;
  requiredClaims: readonly RequiredClaim[] | undefined;
  name: string | undefined;
}

/** What every trust entry for one public key says, merged so that no entry lifts another. */
interface KeyBounds {
  validFrom: number | undefined;
  validUntil: number | undefined;
  revokedAt: number | undefined;
  custodians: string[] | undefined;
}

/** A signature's trusted time and where it came from. */
interface SignatureTime {
  at: number;
  /** Uncertainty counted against the signer (a token's stated accuracy), ms. */
  slack: number;
  source: TimeSource;
}

function resolve(options: VerifyOptions, trust: CompiledTrust): Settings {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass the verification options as an object");
  }
  const skew = options.skew ?? DEFAULT_SKEW_MS;
  const threshold = options.threshold ?? trust.threshold ?? 1;
  if (!Number.isFinite(options.now)) throw new RangeError("Pass `now` as epoch milliseconds");
  if (!Number.isFinite(skew) || skew < 0) throw new RangeError("Pass `skew` as milliseconds ≥ 0");
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError(`Pass \`threshold\` as an integer ≥ 1, not ${threshold}`);
  }
  const signedAt = options.signedAt;
  const signedAtSource = options.signedAtSource ?? "signed-at";
  const keys = trust.keys;
  return {
    now: options.now,
    time: signedAt ?? options.now,
    source: signedAt === undefined ? "clock" : signedAtSource,
    signedAt,
    signedAtSource,
    notAfter: options.notAfter,
    skew,
    threshold,
    keys,
    bounds: mergeBounds(keys),
    allowedPredicateTypes: options.allowedPredicateTypes ?? trust.allowedPredicateTypes,
    requiredClaims: options.requiredClaims ?? trust.requiredClaims,
    name: options.name,
  };
}

/** The key material a trusted key stands for: its SPKI digest, or its keyid when unknown. */
function materialOf(key: TrustedKey): string {
  return key.spkiSha256 === undefined ? `keyid:${key.keyid}` : `spki:${key.spkiSha256}`;
}

function mergeBounds(keys: readonly TrustedKey[]): Map<string, KeyBounds> {
  const bounds = new Map<string, KeyBounds>();
  const later = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.max(a, b);
  const earlier = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  for (const key of keys) {
    const material = materialOf(key);
    const seen = bounds.get(material);
    const custodians = key.custodians === undefined ? undefined : [...key.custodians];
    if (seen === undefined) {
      bounds.set(material, {
        validFrom: key.validFrom,
        validUntil: key.validUntil,
        revokedAt: key.revokedAt,
        custodians,
      });
      continue;
    }
    seen.validFrom = later(seen.validFrom, key.validFrom);
    seen.validUntil = earlier(seen.validUntil, key.validUntil);
    seen.revokedAt = earlier(seen.revokedAt, key.revokedAt);
    if (custodians !== undefined) {
      seen.custodians = [...new Set([...(seen.custodians ?? []), ...custodians])];
    }
  }
  return bounds;
}

/**
 * The trusted key that verifies each signature, if any: keys that verified an earlier signature
 * first (the same key material listed under two key ids must not count twice), then keys whose
 * keyid equals the hint, then the rest.
 */
async function findSignatureKeys(
  envelope: ParsedEnvelope,
  settings: Settings,
): Promise<(TrustedKey | undefined)[]> {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
  const matched: TrustedKey[] = [];
  const found: (TrustedKey | undefined)[] = [];
  for (const signature of envelope.signatures) {
    const hint = signature.keyid ?? "";
    const key = await findVerifyingKey(matched, hint, pae, signature.sigBytes) ??
      await findVerifyingKey(settings.keys, hint, pae, signature.sigBytes);
    if (key !== undefined && !matched.includes(key)) matched.push(key);
    found.push(key);
  }
  return found;
}

function checkSignatures(
  envelope: ParsedEnvelope,
  verifying: readonly (TrustedKey | undefined)[],
  stamped: ReadonlyMap<number, StampedTime>,
  settings: Settings,
): { check: Check; results: SignatureResult[]; keyids: string[]; signers: CountedSigner[] } {
  const counted = new Map<string, { keyid: string; time: SignatureTime }>();
  const judged: SignatureTime[] = [];
  const results: SignatureResult[] = [];
  const messages: string[] = [];
  for (const [index, signature] of envelope.signatures.entries()) {
    const hint = signature.keyid ?? "";
    const result: SignatureResult = { index, keyidHint: hint };
    const key = verifying[index];
    if (key !== undefined) {
      result.verifiedBy = key.keyid;
      const token = stamped.get(index);
      const time: SignatureTime = token !== undefined
        ? { at: token.at, slack: token.slack, source: "rfc3161" }
        : settings.signedAt !== undefined
        ? { at: settings.signedAt, slack: 0, source: settings.signedAtSource }
        : { at: settings.now, slack: 0, source: "clock" };
      judged.push(time);
      const material = materialOf(key);
      const bounds = settings.bounds.get(material)!;
      const problem = keyTimeProblem(bounds, time, settings.skew);
      if (problem === undefined) {
        const seen = counted.get(material);
        if (seen === undefined || time.at < seen.time.at) {
          counted.set(material, { keyid: seen?.keyid ?? key.keyid, time });
        }
      } else {
        result.code = problem;
        messages.push(
          `signature ${index} is by key "${key.keyid}", ${describeBounds(bounds, problem)}, ` +
            `and its trusted signing time is ${formatRfc3339(time.at)} (${time.source})`,
        );
      }
    } else if (hint !== "" && !settings.keys.some((k) => k.keyid === hint)) {
      result.code = "KEY_UNTRUSTED";
      messages.push(`signature ${index} is by key "${hint}", which is not trusted`);
    } else {
      result.code = "SIGNATURE_INVALID";
      messages.push(
        `signature ${index}${
          hint === "" ? "" : ` (keyid "${hint}")`
        } does not verify with any trusted key`,
      );
    }
    results.push(result);
  }
  // The envelope's time: when `threshold` counted signatures provably existed.
  const times = [...counted.values()].map((c) => c.time).sort((a, b) => a.at - b.at);
  const envelopeTime = times.length >= settings.threshold
    ? times[settings.threshold - 1]
    : latest(times.length > 0 ? times : judged);
  if (envelopeTime !== undefined) {
    settings.time = envelopeTime.at;
    settings.source = envelopeTime.source;
  }
  const keyids = [...new Set([...counted.values()].map((c) => c.keyid))].sort();
  const signers: CountedSigner[] = [...counted.entries()].map(([material, c]) => ({
    keyid: c.keyid,
    custodians: settings.bounds.get(material)!.custodians,
  }));
  if (counted.size >= settings.threshold) {
    return { check: pass("envelope.signatures"), results, keyids, signers };
  }
  const code: FailureCode = counted.size > 0 ? "THRESHOLD_NOT_MET" : strongestCode(results);
  const summary = code === "THRESHOLD_NOT_MET" || settings.threshold > 1
    ? `${counted.size} of ${settings.threshold} required trusted keys signed`
    : "no trusted signature";
  const message = `Reject envelope${label(settings)}: ${summary}` +
    (messages.length > 0 ? `; ${messages.join("; ")}` : "");
  return { check: fail("envelope.signatures", code, message), results, keyids, signers };
}

function latest(times: readonly SignatureTime[]): SignatureTime | undefined {
  let out: SignatureTime | undefined;
  for (const time of times) if (out === undefined || time.at > out.at) out = time;
  return out;
}

/** The most informative reason among signatures that did not count. */
function strongestCode(results: readonly SignatureResult[]): FailureCode {
  const order: FailureCode[] = [
    "KEY_REVOKED",
    "KEY_NOT_VALID_AT_TIME",
    "SIGNATURE_INVALID",
    "KEY_UNTRUSTED",
  ];
  for (const code of order) if (results.some((r) => r.code === code)) return code;
  return "SIGNATURE_INVALID";
}

async function findVerifyingKey(
  keys: readonly TrustedKey[],
  hint: string,
  pae: Uint8Array,
  sig: Uint8Array,
): Promise<TrustedKey | undefined> {
  const ordered = [
    ...keys.filter((k) => k.keyid === hint),
    ...keys.filter((k) => k.keyid !== hint),
  ];
  for (const key of ordered) {
    for (const verifier of key.verifiers) {
      if (await verifier.verify(pae, sig)) return key;
    }
  }
  return undefined;
}

function keyTimeProblem(
  bounds: KeyBounds,
  time: SignatureTime,
  skew: number,
): FailureCode | undefined {
  // Revocation: uncertainty (skew, the token's accuracy) counts against the signer.
  if (bounds.revokedAt !== undefined && time.at + time.slack + skew >= bounds.revokedAt) {
    return "KEY_REVOKED";
  }
  if (bounds.validFrom !== undefined && time.at < bounds.validFrom - skew) {
    return "KEY_NOT_VALID_AT_TIME";
  }
  if (bounds.validUntil !== undefined && time.at + time.slack > bounds.validUntil + skew) {
    return "KEY_NOT_VALID_AT_TIME";
  }
  return undefined;
}

function describeBounds(bounds: KeyBounds, problem: FailureCode): string {
  if (problem === "KEY_REVOKED") return `revoked at ${formatRfc3339(bounds.revokedAt!)}`;
  const parts: string[] = [];
  if (bounds.validFrom !== undefined) parts.push(`from ${formatRfc3339(bounds.validFrom)}`);
  if (bounds.validUntil !== undefined) parts.push(`until ${formatRfc3339(bounds.validUntil)}`);
  return `valid ${parts.join(" ")}`;
}

function checkTimeWindow(s: Settings): Check {
  if (s.signedAt !== undefined && s.signedAt > s.now + s.skew) {
    return fail(
      "time.window",
      "SIGNED_IN_FUTURE",
      `Reject signing time ${formatRfc3339(s.signedAt)}: it is after now (${
        formatRfc3339(s.now)
      }) beyond the skew`,
    );
  }
  if (s.notAfter !== undefined && s.time > s.notAfter + s.skew) {
    return fail(
      "time.window",
      "SIGNED_AFTER_NOT_AFTER",
      `Reject signing time ${formatRfc3339(s.time)}: it is after --not-after ${
        formatRfc3339(s.notAfter)
      } beyond the skew`,
    );
  }
  return pass("time.window");
}

function label(s: Settings): string {
  return s.name === undefined ? "" : ` "${s.name}"`;
}

function toReport(
  checks: Check[],
  s: Settings,
  extra: {
    payload?: VerificationReport["payload"];
    signatures?: SignatureResult[];
    statement?: StatementSummary | undefined;
    keyids?: string[];
    subjectChecked?: boolean;
  },
): VerificationReport {
  return buildReport(checks, {
    ...extra,
    time: { value: formatRfc3339(s.time), source: s.source },
    evaluatedAt: formatRfc3339(s.now),
    subjectChecked: extra.subjectChecked ?? false,
  });
}
