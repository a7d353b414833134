/**
 * DSSE envelope verification (secure-systems-lab/dsse protocol.md "Verification", with the
 * (t, n) threshold rule) and the content checks that a trust policy adds (in-toto Statement v1,
 * allowed predicate types, required claims).
 *
 * Pipeline, one {@link Check} each, in this order:
 * 1. `envelope.parse`: strict envelope parse (`ENVELOPE_MALFORMED`); nothing else runs on failure.
 * 2. `envelope.signatures`: every signature is tried against every trusted key (the keyid is a hint
 *    that orders the candidates, never trusted alone); a key counts once, also when the same key
 *    material is listed under two key ids (keys that already counted are tried first); each key
 *    that verifies must be valid at the signing time (`KEY_NOT_VALID_AT_TIME`, `KEY_REVOKED`); at
 *    least `threshold` distinct keys must count (`THRESHOLD_NOT_MET`); otherwise
 *    `SIGNATURE_INVALID` / `KEY_UNTRUSTED`.
 * 3. `time.window`: the signing time is not after `notAfter` (`SIGNED_AFTER_NOT_AFTER`) and a
 *    claimed `signedAt` is not after `now` (`SIGNED_IN_FUTURE`).
 * 4. `payload.type`: any payload type verifies on its signatures; when the policy constrains the
 *    content (allowed predicate types or required claims) the payload must be in-toto
 *    (`PAYLOAD_TYPE_UNSUPPORTED`).
 * 5. `statement.parse` (in-toto payloads): strict JSON, Statement v1 (or v0.1, or legacy in-toto
 *    link / layout metadata) with well-formed subject digests (`STATEMENT_INVALID`).
 * 6. `policy.predicate-type` and `policy.claims` when the policy sets them
 *    (`PREDICATE_TYPE_NOT_ALLOWED`, `CLAIM_MISSING`, `CLAIM_MISMATCH`).
 *
 * Time: every comparison is widened by `skew` (default 5 minutes) in the signer's favour, so a
 * time exactly `skew` past a bound still passes and one millisecond more fails.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { encodeHex } from "../encoding/bytes.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import {
  INTOTO_PAYLOAD_TYPE,
  type ParsedEnvelope,
  parseEnvelope,
  preAuthEncoding,
} from "../model/dsse.ts";
import { validateStatement } from "../model/statement.ts";
import { evaluatePolicy, type RequiredClaim } from "../sign/policy.ts";
import type { FailureCode } from "./codes.ts";
import {
  type Check,
  fail,
  pass,
  type SignatureResult,
  type StatementSummary,
  type TimeSource,
  type VerificationReport,
} from "./report.ts";
import type { TrustedKey, TrustPolicy } from "./trust_policy.ts";

/** Default tolerance for time comparisons: 5 minutes. */
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

/** Options of {@link verifyEnvelope}; every field the CLI may leave unset is optional. */
export interface VerifyEnvelopeOptions {
  /** Evaluation time, epoch ms (the CLI passes the clock or `--now`; lib never reads the clock). */
  now: number;
  /** The trust policy (keys, threshold, content rules). */
  trust?: TrustPolicy | undefined;
  /** Extra trusted keys (each CLI `--key` is one), added to the policy's keys. */
  keys?: readonly TrustedKey[] | undefined;
  /** Claimed signing time, epoch ms; when unset the signing time is `now`. */
  signedAt?: number | undefined;
  /** Reject signatures made after this time, epoch ms. */
  notAfter?: number | undefined;
  /** Tolerance for every time comparison, ms (default {@link DEFAULT_SKEW_MS}). */
  skew?: number | undefined;
  /** Distinct trusted keys required (overrides the policy; default 1). */
  threshold?: number | undefined;
  /** Allowed predicate types (overrides the policy's). */
  allowedPredicateTypes?: readonly string[] | undefined;
  /** Required claims (overrides the policy's). */
  requiredClaims?: readonly RequiredClaim[] | undefined;
  /** Name of the input, used in messages (e.g. the file name). */
  name?: string | undefined;
  /** Source of `signedAt` when it came from evidence (default `signed-at`). */
  signedAtSource?: TimeSource | undefined;
  /**
   * RFC 3161 timestamp tokens (DER `TimeStampResp` or bare `TimeStampToken`) over a signature of
   * this envelope (the imprint covers the decoded signature bytes, Sigstore's convention). The
   * first that verifies against `tsaRoots` supplies the signing time (source `rfc3161`).
   */
  timestamps?: readonly Uint8Array[] | undefined;
  /** Trusted TSA root certificates (DER) for `timestamps`. */
  tsaRoots?: readonly Uint8Array[] | undefined;
  /**
   * Expected build-metadata Merkle root (`sha256:<hex>` or hex): some subject of the statement
   * must carry it as its `merkleSha256` digest (export subjects do).
   */
  merkleRoot?: string | undefined;
}

/**
 * Verifies a DSSE envelope against trusted keys and an optional trust policy.
 *
 * @param input The envelope's JSON bytes (or text), untrusted.
 * @param options Keys or trust policy, times and content rules.
 * @returns A {@link VerificationReport}; it never throws for bad input (only for misuse).
 * @throws {RangeError} When `now`, `skew` or `threshold` are not sensible numbers.
 *
 * @example Usage
 * ```ts
 * import { verifyEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const report = await verifyEnvelope("{}", { now: Date.UTC(2026, 0, 1) });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "ENVELOPE_MALFORMED");
 * ```
 */
export async function verifyEnvelope(
  input: Uint8Array | string,
  options: VerifyEnvelopeOptions,
): Promise<VerificationReport> {
  const settings = resolve(options);
  let envelope: ParsedEnvelope;
  try {
    envelope = parseEnvelope(input, { name: options.name });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return toReport([fail("envelope.parse", "ENVELOPE_MALFORMED", error.message)], settings, {});
  }
  const checks: Check[] = [pass("envelope.parse")];
  if (options.timestamps !== undefined && options.timestamps.length > 0) {
    checks.push(await checkTimestamps(envelope, options, settings));
  }
  const signatures = await checkSignatures(envelope, settings);
  checks.push(signatures.check);
  checks.push(checkTimeWindow(settings));
  const content = checkContent(envelope, settings);
  checks.push(...content.checks);
  if (options.merkleRoot !== undefined) {
    checks.push(checkMerkleRoot(content.summary, options.merkleRoot));
  }
  return toReport(checks, settings, {
    payload: { type: envelope.payloadType, sha256: encodeHex(sha256(envelope.payloadBytes)) },
    signatures: signatures.results,
    keyids: signatures.keyids,
    statement: content.summary,
  });
}

interface Settings {
  now: number;
  time: number;
  source: TimeSource;
  signedAt: number | undefined;
  notAfter: number | undefined;
  skew: number;
  threshold: number;
  keys: readonly TrustedKey[];
  allowedPredicateTypes: readonly string[] | undefined;
  requiredClaims: readonly RequiredClaim[] | undefined;
  name: string | undefined;
}

function resolve(options: VerifyEnvelopeOptions): Settings {
  const skew = options.skew ?? DEFAULT_SKEW_MS;
  const threshold = options.threshold ?? options.trust?.threshold ?? 1;
  if (!Number.isFinite(options.now)) throw new RangeError("Pass `now` as epoch milliseconds");
  if (!Number.isFinite(skew) || skew < 0) throw new RangeError("Pass `skew` as milliseconds ≥ 0");
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError(`Pass \`threshold\` as an integer ≥ 1, not ${threshold}`);
  }
  const signedAt = options.signedAt;
  return {
    now: options.now,
    time: signedAt ?? options.now,
    source: signedAt === undefined ? "clock" : options.signedAtSource ?? "signed-at",
    signedAt,
    notAfter: options.notAfter,
    skew,
    threshold,
    keys: [...(options.trust?.keys ?? []), ...(options.keys ?? [])],
    allowedPredicateTypes: options.allowedPredicateTypes ?? options.trust?.allowedPredicateTypes,
    requiredClaims: options.requiredClaims ?? options.trust?.requiredClaims,
    name: options.name,
  };
}

async function checkSignatures(
  envelope: ParsedEnvelope,
  settings: Settings,
): Promise<{ check: Check; results: SignatureResult[]; keyids: string[] }> {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
  const counted = new Set<string>();
  const countedKeys: TrustedKey[] = [];
  const results: SignatureResult[] = [];
  const messages: string[] = [];
  for (const [index, signature] of envelope.signatures.entries()) {
    const hint = signature.keyid ?? "";
    const result: SignatureResult = { index, keyidHint: hint };
    // Keys that already counted come first: the same key material listed under two key ids
    // (e.g. a policy entry with its own keyid plus --key) must not count twice.
    const key = await findVerifyingKey(countedKeys, hint, pae, signature.sigBytes) ??
      await findVerifyingKey(settings.keys, hint, pae, signature.sigBytes);
    if (key !== undefined) {
      result.verifiedBy = key.keyid;
      const timeCode = keyTimeProblem(key, settings);
      if (timeCode === undefined) {
        if (!counted.has(key.keyid)) countedKeys.push(key);
        counted.add(key.keyid);
      } else {
        result.code = timeCode;
        messages.push(
          `signature ${index} is by key "${key.keyid}", which ${
            timeCode === "KEY_REVOKED" ? "was revoked" : "was not valid"
          } at ${formatRfc3339(settings.time)}`,
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
  const keyids = [...counted].sort();
  if (counted.size >= settings.threshold) {
    return { check: pass("envelope.signatures"), results, keyids };
  }
  const code: FailureCode = counted.size > 0 ? "THRESHOLD_NOT_MET" : strongestCode(results);
  const summary = code === "THRESHOLD_NOT_MET" || settings.threshold > 1
    ? `${counted.size} of ${settings.threshold} required trusted keys signed`
    : "no trusted signature";
  const message = `Reject envelope${label(settings)}: ${summary}` +
    (messages.length > 0 ? `; ${messages.join("; ")}` : "");
  return { check: fail("envelope.signatures", code, message), results, keyids };
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

/**
 * Verifies the RFC 3161 tokens (lazily loading the X.509/CMS code) and, when one verifies over a
 * signature of this envelope, makes its genTime the signing time. A token that does not verify
 * fails the check with the token's own code.
 */
async function checkTimestamps(
  envelope: ParsedEnvelope,
  options: VerifyEnvelopeOptions,
  s: Settings,
): Promise<Check> {
  const { verifyTimestamp } = await import("./timestamp.ts");
  let firstFailure: Check | undefined;
  for (const [i, token] of (options.timestamps ?? []).entries()) {
    for (const signature of envelope.signatures) {
      const result = await verifyTimestamp(token, {
        data: signature.sigBytes,
        roots: options.tsaRoots ?? options.trust?.tsaRoots ?? [],
        at: s.now,
        skew: s.skew,
        name: `timestamp ${i}`,
      });
      if (result.verified && result.genTime !== undefined) {
        s.signedAt = result.genTime;
        s.time = result.genTime;
        s.source = "rfc3161";
        return pass("timestamp.rfc3161");
      }
      const failed = result.checks.find((c) => !c.ok);
      if (
        firstFailure === undefined ||
        (firstFailure.code === "TIMESTAMP_IMPRINT_MISMATCH" && failed?.code !== undefined &&
          failed.code !== "TIMESTAMP_IMPRINT_MISMATCH")
      ) {
        firstFailure = failed;
      }
    }
  }
  return fail(
    "timestamp.rfc3161",
    firstFailure?.code ?? "TIMESTAMP_MALFORMED",
    firstFailure?.message ?? "Reject timestamp: no token verifies over a signature of the envelope",
  );
}

function checkMerkleRoot(summary: StatementSummary | undefined, expected: string): Check {
  const want = expected.toLowerCase().replace(/^sha256:/, "");
  const roots = (summary?.subjects ?? []).map((s) => s.digest["merkleSha256"]).filter((d) =>
    d !== undefined
  );
  if (roots.some((root) => root.toLowerCase() === want)) return pass("merkle.root");
  return fail(
    "merkle.root",
    "MERKLE_ROOT_MISMATCH",
    roots.length === 0
      ? `Reject --merkle-root sha256:${want}: no subject carries a merkleSha256 digest`
      : `Reject --merkle-root sha256:${want}: the statement commits to ${
        roots.map((r) => `sha256:${r}`).join(", ")
      }`,
  );
}

function keyTimeProblem(key: TrustedKey, s: Settings): FailureCode | undefined {
  if (key.revokedAt !== undefined && s.time >= key.revokedAt + s.skew) return "KEY_REVOKED";
  if (key.validFrom !== undefined && s.time < key.validFrom - s.skew) {
    return "KEY_NOT_VALID_AT_TIME";
  }
  if (key.validUntil !== undefined && s.time > key.validUntil + s.skew) {
    return "KEY_NOT_VALID_AT_TIME";
  }
  return undefined;
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

function checkContent(
  envelope: ParsedEnvelope,
  s: Settings,
): { checks: Check[]; summary: StatementSummary | undefined } {
  const constrained = s.allowedPredicateTypes !== undefined || s.requiredClaims !== undefined;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    if (!constrained) return { checks: [pass("payload.type")], summary: undefined };
    return {
      checks: [
        fail(
          "payload.type",
          "PAYLOAD_TYPE_UNSUPPORTED",
          `Reject payload type "${envelope.payloadType}": the trust policy checks content, which needs "${INTOTO_PAYLOAD_TYPE}"`,
        ),
      ],
      summary: undefined,
    };
  }
  const checks: Check[] = [pass("payload.type")];
  let value: unknown;
  try {
    value = parseJson(envelope.payloadBytes, { name: "payload" });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    checks.push(fail("statement.parse", "STATEMENT_INVALID", error.message));
    return { checks, summary: undefined };
  }
  const legacy = summarizeLegacy(value);
  if (legacy !== undefined) {
    checks.push(pass("statement.parse"));
    if (constrained) {
      checks.push(
        fail(
          "policy.predicate-type",
          "PREDICATE_TYPE_NOT_ALLOWED",
          `Reject legacy in-toto ${legacy.type}: it has no predicate type`,
        ),
      );
    }
    return { checks, summary: legacy };
  }
  const problems = validateStatement(value);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ");
    checks.push(fail("statement.parse", "STATEMENT_INVALID", `Reject in-toto statement: ${list}`));
    return { checks, summary: undefined };
  }
  checks.push(pass("statement.parse"));
  const statement = value as {
    _type: string;
    predicateType: string;
    subject: { name?: string; digest: Record<string, string> }[];
  };
  const summary: StatementSummary = {
    type: statement._type,
    predicateType: statement.predicateType,
    subjects: statement.subject.map((s) => ({ name: s.name ?? "", digest: s.digest })),
  };
  if (s.allowedPredicateTypes !== undefined) {
    checks.push(
      s.allowedPredicateTypes.includes(statement.predicateType)
        ? pass("policy.predicate-type")
        : fail(
          "policy.predicate-type",
          "PREDICATE_TYPE_NOT_ALLOWED",
          `Reject predicate type "${statement.predicateType}": allowed are ${
            s.allowedPredicateTypes.map((t) => `"${t}"`).join(", ")
          }`,
        ),
    );
  }
  if (s.requiredClaims !== undefined) {
    const claimProblems = evaluatePolicy(value, { requiredClaims: [...s.requiredClaims] });
    checks.push(
      claimProblems.length === 0 ? pass("policy.claims") : fail(
        "policy.claims",
        claimProblems[0]!.code as FailureCode,
        `Reject statement: ${claimProblems.map((p) => p.message).join("; ")}`,
      ),
    );
  }
  return { checks, summary };
}

/**
 * Legacy in-toto metadata (in-toto v0.9 `_type: "link"` or `"layout"`, as in-toto-golang signs in
 * DSSE): a link's products become the subjects; a layout has none.
 */
function summarizeLegacy(value: unknown): StatementSummary | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const type = (value as { _type?: unknown })._type;
  if (type === "layout") return { type, predicateType: "", subjects: [] };
  if (type !== "link") return undefined;
  const products = (value as { products?: unknown }).products;
  const subjects: StatementSummary["subjects"] = [];
  if (typeof products === "object" && products !== null) {
    for (const name of Object.keys(products).sort()) {
      const digest = (products as Record<string, unknown>)[name];
      if (typeof digest === "object" && digest !== null) {
        subjects.push({ name, digest: digest as Record<string, string> });
      }
    }
  }
  return { type: "link", predicateType: "", subjects };
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
  },
): VerificationReport {
  const failed = checks.find((c) => !c.ok);
  const report: VerificationReport = {
    verified: failed === undefined,
    checks,
    keyids: extra.keyids ?? [],
    time: { value: formatRfc3339(s.time), source: s.source },
  };
  if (failed?.code !== undefined) report.code = failed.code;
  if (extra.payload !== undefined) report.payload = extra.payload;
  if (extra.signatures !== undefined) report.signatures = extra.signatures;
  if (extra.statement !== undefined) report.statement = extra.statement;
  return report;
}
