/**
 * The one door from the HTTP handler into the verifiers (`lib/verify`): trust preparation, "verify
 * these bytes (an envelope, a bundle, or JSON Lines of either) with this trust and these options"
 * and "verify this custody timeline". Nothing else in `lib/serve` imports `lib/verify`, so a change
 * of the verifier API is made here only.
 *
 * Same verdicts as `stella forensic verify`: a single envelope goes through `verifyEnvelope`, JSON
 * Lines of envelopes through `verifyMany` (one by one with `merkle-root`, as the CLI does), a
 * Sigstore bundle through `verifyBundle`, a timeline through `verifyTimeline`.
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { splitJsonLines } from "../encoding/json_lines.ts";
import { sha256 } from "../digest/digest.ts";
import {
  loadTrustPolicy,
  type TrustedKey,
  trustedKeyFromPem,
  type TrustPolicy,
} from "../verify/trust_policy.ts";
import {
  summarizeReports,
  type VerificationReport,
  type VerificationSummary,
} from "../verify/report.ts";
import { DEFAULT_SKEW_MS, verifyEnvelope } from "../verify/verify_envelope.ts";
import { verifyMany, type VerifyManyItem } from "../verify/verify_many.ts";
import { verifyBundle } from "../verify/verify_bundle.ts";
import { parseTrustedRoot, type TrustedRoot } from "../verify/trusted_root.ts";
import { type TimelineReport, verifyTimeline } from "../verify/timeline.ts";
import type { FailureCode } from "../verify/codes.ts";
import type { VerifyHandlerTrust } from "./handler.ts";

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

/** Trust material checked and loaded once, shared by every request until it is replaced. */
export interface PreparedTrust {
  /** `sha256:<hex>` of the canonical form of every trust input. */
  digest: string;
  /** What `GET /v1/trust` shows. */
  summary: TrustSummary;
  policy: TrustPolicy | undefined;
  keys: TrustedKey[];
  input: VerifyHandlerTrust;
  /** PEM and validity window of every trusted key, for key-signed bundles. */
  bundleKeys: { pem: string; validFrom?: number; validUntil?: number; revokedAt?: number }[];
  trustedRoot: TrustedRoot;
  tsaRoots: Uint8Array[] | undefined;
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

/** A trusted root with nothing in it: a bundle checked against it fails closed. */
const EMPTY_ROOT = '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}';

const hex256 = (bytes: Uint8Array): string => encodeHex(sha256(bytes));

function rfc3339(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * Loads trust material: imports every key, parses the trusted root, computes the digest.
 *
 * @throws {ParseError} When a key PEM or the trusted root is malformed.
 * @throws {TypeError} When a key entry pins an algorithm its key cannot use.
 */
export function prepareTrust(input: VerifyHandlerTrust): PreparedTrust {
  const policy = input.policy === undefined ? undefined : loadTrustPolicy(input.policy);
  const keys = (input.keys ?? []).map((k) => trustedKeyFromPem(k.pem, k.options));
  const rootText = input.trustedRoot;
  const trustedRoot = parseTrustedRoot(rootText ?? EMPTY_ROOT, { name: "trusted root" });
  const tsaRoots = input.tsaRoots === undefined && policy?.tsaRoots === undefined
    ? undefined
    : [...(policy?.tsaRoots ?? []), ...(input.tsaRoots ?? [])];
  const rootBytes = rootText === undefined
    ? undefined
    : typeof rootText === "string"
    ? encodeUtf8(rootText)
    : rootText;
  const digest = "sha256:" + hex256(encodeUtf8(canonicalize({
    keys: (input.keys ?? []).map((k) => ({ options: k.options ?? {}, pem: k.pem })),
    policy: input.policy ?? null,
    trustedRoot: rootBytes === undefined ? null : hex256(rootBytes),
    tsaRoots: (input.tsaRoots ?? []).map(hex256),
  })));
  const entries = [
    ...(input.policy?.keys ?? []).map(({ publicKey, ...options }) => ({ pem: publicKey, options })),
    ...(input.keys ?? []).map((k) => ({ pem: k.pem, options: k.options ?? {} })),
  ];
  const all = [...(policy?.keys ?? []), ...keys];
  const summary: TrustSummary = {
    keys: all.map((key, i) => {
      const out: TrustSummary["keys"][number] = { keyid: key.keyid };
      const name = entries[i]?.options.name;
      if (name !== undefined) out.name = name;
      const from = rfc3339(key.validFrom);
      if (from !== undefined) out.validFrom = from;
      const until = rfc3339(key.validUntil);
      if (until !== undefined) out.validUntil = until;
      const revoked = rfc3339(key.revokedAt);
      if (revoked !== undefined) out.revokedAt = revoked;
      if (key.custodians !== undefined) out.custodians = [...key.custodians];
      return out;
    }),
    threshold: policy?.threshold ?? 1,
    requiredClaims: policy?.requiredClaims?.length ?? 0,
    tsaRoots: tsaRoots?.length ?? 0,
  };
  if (policy?.allowedPredicateTypes !== undefined) {
    summary.allowedPredicateTypes = [...policy.allowedPredicateTypes];
  }
  if (rootText !== undefined) {
    summary.trustedRoot = {
      certificateAuthorities: trustedRoot.certificateAuthorities.length,
      tlogs: trustedRoot.tlogs.length,
      ctlogs: trustedRoot.ctlogs.length,
      timestampAuthorities: trustedRoot.timestampAuthorities.length,
    };
  }
  return {
    digest,
    summary,
    policy,
    keys,
    input,
    bundleKeys: entries.map((e, i) => {
      const key: PreparedTrust["bundleKeys"][number] = { pem: e.pem };
      const loaded = all[i]!;
      if (loaded.validFrom !== undefined) key.validFrom = loaded.validFrom;
      if (loaded.validUntil !== undefined) key.validUntil = loaded.validUntil;
      if (loaded.revokedAt !== undefined) key.revokedAt = loaded.revokedAt;
      return key;
    }),
    trustedRoot,
    tsaRoots,
  };
}

/** Whether a JSON document is a Sigstore bundle (by its top-level `mediaType`), not an envelope. */
function isBundle(bytes: Uint8Array): boolean {
  // `"mediaType"` cannot occur in an envelope's base64 fields; only then is the document parsed.
  const text = new TextDecoder().decode(bytes);
  if (!text.includes('"mediaType"')) return false;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      typeof value.mediaType === "string" &&
      value.mediaType.startsWith("application/vnd.dev.sigstore.bundle");
  } catch {
    return false;
  }
}

function subjectOptions(q: VerifyQuery) {
  const out: {
    artifactDigest?: string[];
    image?: string;
    subjectName?: string;
    predicateType?: string[];
  } = {};
  if (q.artifactDigest !== undefined) out.artifactDigest = q.artifactDigest;
  if (q.image !== undefined) out.image = q.image;
  if (q.subjectName !== undefined) out.subjectName = q.subjectName;
  if (q.predicateType !== undefined) out.predicateType = q.predicateType;
  return out;
}

async function verifyOneEnvelope(
  bytes: Uint8Array,
  name: string,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<VerificationReport> {
  return await verifyEnvelope(bytes, {
    now: q.now,
    trust: trust.policy,
    keys: trust.keys,
    signedAt: q.signedAt,
    notAfter: q.notAfter,
    skew: q.skew,
    tsaRoots: trust.tsaRoots,
    merkleRoot: q.merkleRoot,
    maxSignatures: q.maxSignatures,
    name,
    ...subjectOptions(q),
  });
}

async function verifyOneBundle(
  bytes: Uint8Array,
  name: string,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<VerificationReport> {
  const common = {
    trustedRoot: trust.trustedRoot,
    now: q.now,
    notAfter: q.notAfter,
    skew: q.skew,
    name,
    tlogThreshold: q.tlogThreshold,
    timestampThreshold: q.timestampThreshold,
    sctThreshold: q.sctThreshold,
    artifact: q.artifactDigest?.[0] === undefined ? undefined : { digest: q.artifactDigest[0] },
  };
  if (q.certificateIdentity !== undefined || q.certificateOidcIssuer !== undefined) {
    return await verifyBundle(bytes, {
      ...common,
      identity: { subject: q.certificateIdentity, issuer: q.certificateOidcIssuer },
    });
  }
  if (trust.bundleKeys.length === 0) {
    throw new TypeError(
      "Name the bundle's signer with certificate-identity and certificate-oidc-issuer " +
        "(no trusted key is loaded)",
    );
  }
  // A key-signed bundle: the first trusted key under which it verifies, else the first key's report.
  let first: VerificationReport | undefined;
  for (const key of trust.bundleKeys) {
    // verifyBundle knows a key's window, not its revocation: a revoked key's window ends before
    // revokedAt, with the skew counted against the signer as for envelopes (the bundle is then
    // KEY_NOT_VALID_AT_TIME rather than KEY_REVOKED, but never verified).
    let validUntil = key.validUntil;
    if (key.revokedAt !== undefined) {
      const last = key.revokedAt - (q.skew ?? DEFAULT_SKEW_MS) - 1;
      validUntil = validUntil === undefined ? last : Math.min(validUntil, last);
    }
    // No window: no key.validity check, the CLI's --key report exactly.
    const windowed = key.validFrom !== undefined || validUntil !== undefined;
    const report = await verifyBundle(bytes, {
      ...common,
      key: key.pem,
      keyValidity: windowed ? { validFrom: key.validFrom, validUntil } : undefined,
    });
    if (report.verified) return report;
    first ??= report;
  }
  return first!;
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
  return bundle
    ? await verifyOneBundle(bytes, name, trust, q)
    : await verifyOneEnvelope(bytes, name, trust, q);
}

/**
 * Verifies JSON Lines of envelopes or bundles (blank lines skipped, each line named `body:N`,
 * 1-based): the CLI's batch object.
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
  const reports: BatchResult["reports"] = [];
  let summary: VerificationSummary;
  let verified: boolean;
  let code: FailureCode | undefined;
  if (q.merkleRoot === undefined && !items.some((item) => isBundle(item.bytes))) {
    assertApplicable(q, false, "body");
    const result = await verifyMany(items, {
      now: q.now,
      trust: trust.input.policy,
      keys: trust.input.keys,
      signedAt: q.signedAt,
      notAfter: q.notAfter,
      skew: q.skew,
      maxSignatures: q.maxSignatures,
      allowEmpty: q.allowEmpty,
      // One request is one thread's work: the server runs many requests at once.
      workers: false,
      ...subjectOptions(q),
    });
    for (const { name, report } of result.reports) reports.push({ file: name, ...report });
    summary = result.summary;
    verified = result.verified;
    code = result.code;
  } else {
    for (const item of items) {
      reports.push({ file: item.name, ...await verifyDocument(item.bytes, item.name, trust, q) });
    }
    summary = summarizeReports(reports);
    verified = summary.failed === 0 && (summary.total > 0 || q.allowEmpty === true);
    code = reports.find((r) => !r.verified)?.code ??
      (summary.total === 0 && q.allowEmpty !== true ? "NO_INPUT" : undefined);
  }
  // As the CLI prints it: a code only when there was nothing to verify.
  const out: BatchResult = { reports, summary, verified };
  if (code === "NO_INPUT") out.code = code;
  return out;
}

/** Verifies a JSON Lines custody timeline (every line is an entry, oldest first). */
export async function verifyTimelineLines(
  bytes: Uint8Array,
  trust: PreparedTrust,
  q: VerifyQuery,
): Promise<TimelineReport> {
  const lines = splitJsonLines(bytes);
  return await verifyTimeline(lines, {
    now: q.now,
    trust: trust.policy,
    keys: trust.keys,
    skew: q.skew,
    notAfter: q.notAfter,
    merkleRoot: q.merkleRoot,
    expectHead: q.expectHead,
    expectEntries: q.expectEntries,
    allowUnboundCustodians: q.allowUnboundCustodians,
    tsaRoots: trust.tsaRoots,
    names: lines.map((_, i) => `body:${i + 1}`),
  });
}

function isBlankLine(line: Uint8Array): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
