/**
 * The one door from the HTTP handler into the verifiers (`lib/verify`): the summary of the trust
 * material, "verify these bytes (an envelope, a bundle, or JSON Lines of either) with this trust
 * and these options" and "verify this custody timeline". Nothing else in `lib/serve` imports
 * `lib/verify`, so a change of the verifier API is made here only.
 *
 * Same verdicts as `stella forensic verify`: one document goes through `verifyEnvelope` or
 * `verifyBundle`, JSON Lines through `verifyMany` (which tells envelopes and bundles apart per
 * line), a timeline through `verifyTimeline`, each with the handler's {@link TrustMaterial} and
 * one {@link VerifyOptions} built from the query.
 *
 * @module
 */

import { parseRfc3339 } from "../encoding/time.ts";
import { isBlankLine, splitJsonLines } from "../encoding/json_lines.ts";
import { canonicalize } from "../encoding/canonical_json.ts";
import type { VerificationReport, VerificationSummary } from "../verify/report.ts";
import type { VerifyOptions } from "../verify/options.ts";
import { compileTrust, type TrustMaterial } from "../verify/trust_material.ts";
import { verifyEnvelope } from "../verify/verify_envelope.ts";
import { isBundle, verifyMany, type VerifyManyItem } from "../verify/verify_many.ts";
import { verifyBundle } from "../verify/verify_bundle.ts";
import { parseTrustedRoot } from "../verify/trusted_root.ts";
import { type TimelineReport, verifyTimeline } from "../verify/timeline.ts";
import type { FailureCode } from "../verify/codes.ts";

/** What `GET /v1/trust` shows of the loaded trust material (no key material). */
export interface TrustSummary {
  /** Trusted keys: key id and the window of each (RFC 3339), in load order. */
  keys: {
    keyid: string;
    name?: string;
    validFrom?: string;
    validUntil?: string;
    revokedAt?: string;
    custodians?: string[];
  }[];
  /** Distinct trusted keys an envelope needs (default 1). */
  threshold: number;
  /** Allowed predicate types, when the policy restricts them. */
  allowedPredicateTypes?: string[];
  /** Number of required claims. */
  requiredClaims: number;
  /** Number of trusted TSA root certificates (policy plus `tsaRoots`). */
  tsaRoots: number;
  /** The Sigstore trusted root's entries, when one is loaded. */
  trustedRoot?: {
    certificateAuthorities: number;
    tlogs: number;
    ctlogs: number;
    timestampAuthorities: number;
  };
}

/** Trust material checked once, shared by every request until it is replaced. */
export interface PreparedTrust {
  /** The material every verifier takes. */
  material: TrustMaterial;
  /** `TrustMaterial.digest`: `sha256:<hex>` of its canonical form. */
  digest: string;
  /** What `GET /v1/trust` shows. */
  summary: TrustSummary;
}

/** The verification options a request may set (query parameters, as the CLI flags). */
export interface VerifyQuery {
  now: number;
  signedAt?: number | undefined;
  notAfter?: number | undefined;
  skew?: number | undefined;
  maxSignatures?: number | undefined;
  merkleRoot?: string | undefined;
  artifactDigest?: string[] | undefined;
  image?: string | undefined;
  subjectName?: string | undefined;
  predicateType?: string[] | undefined;
  allowEmpty?: boolean | undefined;
  certificateIdentity?: string | undefined;
  certificateOidcIssuer?: string | undefined;
  tlogThreshold?: number | undefined;
  timestampThreshold?: number | undefined;
  sctThreshold?: number | undefined;
  expectHead?: string | undefined;
  expectEntries?: number | undefined;
  allowUnboundCustodians?: boolean | undefined;
}

/** The answer to a JSON Lines body: the CLI's `--json` batch object. */
export interface BatchResult {
  reports: ({ file: string } & VerificationReport)[];
  summary: VerificationSummary;
  verified: boolean;
  code?: FailureCode;
}

/** An RFC 3339 time as the summary writes it (UTC, no zero milliseconds). */
function rfc3339(text: string | undefined): string | undefined {
  return text === undefined
    ? undefined
    : new Date(parseRfc3339(text)).toISOString().replace(".000Z", "Z");
}

/**
 * Checks trust material for serving: imports every key (once, kept with the material) and reads
 * the trusted root, so a bad one fails at start or reload, not per request.
 *
 * @throws {ParseError} When the trusted root is malformed.
 * @throws {TypeError} When the value is not trust material from `loadTrustMaterial`.
 */
export function prepareTrust(material: TrustMaterial): PreparedTrust {
  const compiled = compileTrust(material);
  const summary: TrustSummary = {
    keys: material.keys.map((entry, i) => {
      const out: TrustSummary["keys"][number] = { keyid: compiled.keys[i]!.keyid };
      if (entry.name !== undefined) out.name = entry.name;
      const from = rfc3339(entry.validFrom);
      if (from !== undefined) out.validFrom = from;
      const until = rfc3339(entry.validUntil);
      if (until !== undefined) out.validUntil = until;
      const revoked = rfc3339(entry.revokedAt);
      if (revoked !== undefined) out.revokedAt = revoked;
      if (entry.custodians !== undefined) out.custodians = [...entry.custodians];
      return out;
    }),
    threshold: material.threshold ?? 1,
    requiredClaims: material.requiredClaims?.length ?? 0,
    tsaRoots: material.tsaRoots?.length ?? 0,
  };
  if (material.allowedPredicateTypes !== undefined) {
    summary.allowedPredicateTypes = [...material.allowedPredicateTypes];
  }
  if (material.trustedRoot !== undefined) {
    const root = parseTrustedRoot(canonicalize(material.trustedRoot), { name: "trusted root" });
    summary.trustedRoot = {
      certificateAuthorities: root.certificateAuthorities.length,
      tlogs: root.tlogs.length,
      ctlogs: root.ctlogs.length,
      timestampAuthorities: root.timestampAuthorities.length,
    };
  }
  return { material, digest: material.digest, summary };
}

/** The query as the verifiers' options (only what was given). */
function optionsOf(q: VerifyQuery, name: string | undefined): VerifyOptions {
  const out: VerifyOptions = { now: q.now };
  const set = <K extends keyof VerifyOptions>(key: K, value: VerifyOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set("name", name);
  set("signedAt", q.signedAt);
  set("notAfter", q.notAfter);
  set("skew", q.skew);
  set("maxSignatures", q.maxSignatures);
  set("merkleRoot", q.merkleRoot);
  set("artifactDigest", q.artifactDigest);
  set("image", q.image);
  set("subjectName", q.subjectName);
  set("predicateType", q.predicateType);
  set("allowEmpty", q.allowEmpty);
  set("tlogThreshold", q.tlogThreshold);
  set("timestampThreshold", q.timestampThreshold);
  set("sctThreshold", q.sctThreshold);
  if (q.certificateIdentity !== undefined || q.certificateOidcIssuer !== undefined) {
    out.identity = { subject: q.certificateIdentity, issuer: q.certificateOidcIssuer };
  }
  set("expectHead", q.expectHead);
  set("expectEntries", q.expectEntries);
  set("allowUnboundCustodians", q.allowUnboundCustodians);
  return out;
}

/**
 * Fails closed before a bundle is judged by trust that cannot judge it: with no identity, the
 * bundle is judged by the trust's one key (its window applies), as `stella forensic verify
 * BUNDLE --key PEM` does; no key or several keys is a bad request, never a guess.
 */
function assertBundleTrust(trust: PreparedTrust, q: VerifyQuery, name: string): void {
  if (trust.material.trustedRoot === undefined) {
    throw new TypeError(
      `Cannot verify the Sigstore bundle "${name}": this server has no trusted root ` +
        "(stella serve --trusted-root)",
    );
  }
  if (q.certificateIdentity !== undefined || q.certificateOidcIssuer !== undefined) return;
  const count = trust.material.keys.length;
  if (count === 0) {
    throw new TypeError(
      "Name the bundle's signer with certificate-identity and certificate-oidc-issuer " +
        "(no trusted key is loaded)",
    );
  }
  if (count > 1) {
    throw new TypeError(
      "Name the bundle's signer with certificate-identity and certificate-oidc-issuer " +
        `(a key-signed bundle is judged by exactly one trusted key; the trust holds ${count})`,
    );
  }
}

/** Options that only envelopes take, and only bundles take, by query parameter name. */
const ENVELOPE_ONLY: readonly [keyof VerifyQuery, string][] = [
  ["signedAt", "signed-at"],
  ["maxSignatures", "max-signatures"],
  ["merkleRoot", "merkle-root"],
  ["image", "image"],
  ["subjectName", "subject-name"],
  ["predicateType", "predicate-type"],
];
const BUNDLE_ONLY: readonly [keyof VerifyQuery, string][] = [
  ["certificateIdentity", "certificate-identity"],
  ["certificateOidcIssuer", "certificate-oidc-issuer"],
  ["tlogThreshold", "tlog-threshold"],
  ["timestampThreshold", "timestamp-threshold"],
  ["sctThreshold", "sct-threshold"],
];

/**
 * Fails closed on a parameter the input's kind does not check (an `image` that a bundle would
 * silently ignore would read as a subject check that passed), as the CLI rejects those flags.
 */
function assertApplicable(q: VerifyQuery, bundle: boolean, name: string): void {
  const given = (bundle ? ENVELOPE_ONLY : BUNDLE_ONLY).filter(([key]) => q[key] !== undefined);
  if (given.length > 0) {
    throw new TypeError(
      `${given.map(([, param]) => param).join(", ")} does not apply to ${
        bundle ? "a Sigstore bundle" : "a DSSE envelope"
      } ("${name}")`,
    );
  }
  if (bundle && (q.artifactDigest?.length ?? 0) > 1) {
    throw new TypeError(`Give one artifact-digest for a Sigstore bundle ("${name}")`);
  }
}

/**
 * Verifies one JSON document: a DSSE envelope or a Sigstore bundle.
 *
 * @throws {TypeError|RangeError} When the options are unusable for this input (a bad query).
 */
export async function verifyDocument(
  bytes: Uint8Array,
  name: string,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<VerificationReport> {
  const bundle = isBundle(bytes);
  assertApplicable(q, bundle, name);
  if (!bundle) return await verifyEnvelope(bytes, trust.material, optionsOf(q, name));
  assertBundleTrust(trust, q, name);
  return await verifyBundle(bytes, trust.material, optionsOf(q, name));
}

/**
 * Verifies JSON Lines of envelopes or bundles (blank lines skipped, each line named `body:N`,
 * 1-based) in one `verifyMany` call: the CLI's batch object.
 */
export async function verifyLines(
  bytes: Uint8Array,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<BatchResult> {
  const items: VerifyManyItem[] = [];
  splitJsonLines(bytes).forEach((line, i) => {
    if (!isBlankLine(line)) items.push({ name: `body:${i + 1}`, bytes: line });
  });
  // Each line's kind must take every parameter given (checked before anything is verified).
  for (const item of items) {
    const bundle = isBundle(item.bytes);
    assertApplicable(q, bundle, item.name);
    if (bundle) assertBundleTrust(trust, q, item.name);
  }
  // One request is one thread's work: the server runs many requests at once.
  const result = await verifyMany(items, trust.material, {
    ...optionsOf(q, undefined),
    workers: false,
  });
  const reports = result.reports.map(({ name, report }) => ({ file: name, ...report }));
  // As the CLI prints it: a code only when there was nothing to verify.
  const out: BatchResult = { reports, summary: result.summary, verified: result.verified };
  if (result.code === "NO_INPUT") out.code = result.code;
  return out;
}

/** Verifies a JSON Lines custody timeline (every line is an entry, oldest first). */
export async function verifyTimelineLines(
  bytes: Uint8Array,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<TimelineReport> {
  const items = splitJsonLines(bytes).map((line, i) => ({ name: `body:${i + 1}`, bytes: line }));
  return await verifyTimeline(items, trust.material, optionsOf(q, undefined));
}
