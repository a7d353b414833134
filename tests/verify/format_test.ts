import assert from "node:assert/strict";
import { formatReport, type TimelineReport, type VerificationReport } from "../../mod.ts";
import { formatBatchLine, formatSummary } from "../../lib/verify/mod.ts";

const KEY = "59756ba7b1dfa134aaabc331292cf400c3c965caa1179426baa23395496371c3";
const DIGEST = "ab".repeat(32);
const NOW = "2026-03-01T12:00:00Z";

/** A verified promotion envelope whose signing time an RFC 3161 token established. */
const ENVELOPE: VerificationReport = {
  verified: true,
  checks: [
    { id: "envelope.parse", ok: true },
    { id: "envelope.signatures", ok: true },
    { id: "time.window", ok: true },
  ],
  payload: { type: "application/vnd.in-toto+json", sha256: "cd".repeat(32) },
  signatures: [{ index: 0, keyidHint: "", verifiedBy: KEY }],
  statement: {
    type: "https://in-toto.io/Statement/v1",
    predicateType: "stella.ops/promotion@v1",
    subjects: [{ name: "registry.example/app", digest: { sha512: "ef", sha256: DIGEST } }],
  },
  keyids: [KEY],
  time: { value: "2026-02-01T10:00:00Z", source: "rfc3161" },
  evaluatedAt: NOW,
  subjectChecked: false,
};

Deno.test("formatReport(): a verified envelope shows who, what, signing time apart from verification time", () => {
  assert.equal(
    formatReport(ENVELOPE, { name: "a.dsse.json" }),
    "VERIFIED a.dsse.json\n" +
      "  payload type:   application/vnd.in-toto+json\n" +
      "  predicate type: stella.ops/promotion@v1\n" +
      `  subject:        registry.example/app sha256:${DIGEST} sha512:ef\n` +
      `  signed by:      ${KEY}\n` +
      "  signing time:   2026-02-01T10:00:00Z (rfc3161)\n" +
      `  verified at:    ${NOW}\n` +
      "  subject not checked (no --artifact, --artifact-digest, --image or --subject-name)\n",
  );
  // Verbose adds each signature and every check, passed ones included.
  assert.equal(
    formatReport({ ...ENVELOPE, subjectChecked: true }, { name: "a.dsse.json", verbose: true }),
    "VERIFIED a.dsse.json\n" +
      "  payload type:   application/vnd.in-toto+json\n" +
      "  predicate type: stella.ops/promotion@v1\n" +
      `  subject:        registry.example/app sha256:${DIGEST} sha512:ef\n` +
      `  signed by:      ${KEY}\n` +
      `  signature 0:    no keyid hint, verified by ${KEY}\n` +
      "  signing time:   2026-02-01T10:00:00Z (rfc3161)\n" +
      `  verified at:    ${NOW}\n` +
      "  ✓ envelope.parse\n" +
      "  ✓ envelope.signatures\n" +
      "  ✓ time.window\n",
  );
});

Deno.test("formatReport(): a failed envelope marks the statement it shows as unverified", () => {
  const message = 'Reject envelope "b.dsse.json": no trusted signature';
  const report: VerificationReport = {
    ...ENVELOPE,
    verified: false,
    code: "SIGNATURE_INVALID",
    checks: [
      { id: "envelope.parse", ok: true },
      { id: "envelope.signatures", ok: false, code: "SIGNATURE_INVALID", message },
      { id: "time.window", ok: true },
    ],
    signatures: [{ index: 0, keyidHint: "k", code: "SIGNATURE_INVALID" }],
    keyids: [],
    time: { value: NOW, source: "clock" },
  };
  const expected = `FAILED b.dsse.json: SIGNATURE_INVALID ${message}\n` +
    "  payload type:   application/vnd.in-toto+json (unverified)\n" +
    "  predicate type: stella.ops/promotion@v1 (unverified)\n" +
    `  subject:        registry.example/app sha256:${DIGEST} sha512:ef (unverified)\n` +
    "  signing time:   none verified (judged at the verification time)\n" +
    `  verified at:    ${NOW}\n` +
    `  ✗ envelope.signatures: SIGNATURE_INVALID: ${message}\n`;
  assert.equal(formatReport(report, { name: "b.dsse.json" }), expected);
  assert.equal(
    formatReport(report, { name: "b.dsse.json", verbose: true }),
    expected.replace(
      "  signing time:",
      "  signature 0:    keyid hint k, not counted: SIGNATURE_INVALID\n  signing time:",
    ).replace(
      "  ✗",
      "  ✓ envelope.parse\n  ✗",
    ) + "  ✓ time.window\n",
  );
  // The batch line is the headline; a legacy link shows its type; the operator's signing time.
  assert.equal(
    formatBatchLine("b.dsse.json", report),
    `FAILED b.dsse.json: SIGNATURE_INVALID ${message}\n`,
  );
  const link = formatReport({
    ...ENVELOPE,
    statement: { type: "link", predicateType: "", subjects: [] },
    time: { value: "2026-01-01T00:00:00Z", source: "signed-at" },
    subjectChecked: true,
  });
  assert.match(link, /^VERIFIED\n/);
  assert.match(link, /^ {2}predicate type: \(legacy in-toto link\)$/m);
  assert.match(link, /^ {2}signing time: {3}2026-01-01T00:00:00Z \(signed-at\)$/m);
});

Deno.test("formatReport(): a bundle shows the certificate identity, the rule, the evidence and the times", () => {
  const report: VerificationReport = {
    verified: true,
    checks: [{ id: "cert.identity", ok: true }],
    keyids: [KEY],
    time: { value: "2025-07-20T00:00:00Z", source: "rekor" },
    evaluatedAt: NOW,
    evidence: {
      tlogEntries: { required: 1, verified: 1 },
      timestamps: { required: 0, verified: 0 },
      scts: { required: 1, verified: 1 },
      signingTimes: { required: 1, verified: 1 },
    },
    identity: {
      expected: {
        subject: { pattern: "@example\\.com$", flags: "i" },
        issuer: { equals: "https://accounts.example.com" },
      },
      certificate: { subjects: ["alice@example.com"], issuer: "https://accounts.example.com" },
    },
    subjectChecked: true,
  };
  const text = "VERIFIED x.sigstore.json\n" +
    "  signer:         alice@example.com\n" +
    "  issuer:         https://accounts.example.com\n" +
    "  identity rule:  subject ~ /@example\\.com$/i; issuer = https://accounts.example.com\n" +
    `  signed by:      ${KEY}\n` +
    "  evidence:       tlog entries 1 verified of 1 required, RFC 3161 timestamps 0 verified of " +
    "0 required, SCTs 1 verified of 1 required, signing times 1 verified of 1 required\n" +
    "  signing time:   2025-07-20T00:00:00Z (rekor)\n" +
    `  verified at:    ${NOW}\n`;
  assert.equal(formatReport(report, { name: "x.sigstore.json" }), text);
  // A DSSE bundle verified without an artifact: its statement's subject was not checked.
  assert.equal(
    formatReport({ ...report, subjectChecked: false }, { name: "x.sigstore.json" }),
    text + "  subject not checked (no --artifact or --artifact-digest)\n",
  );
  // Failed: the identity the certificate claims is marked unverified.
  const failed: VerificationReport = {
    ...report,
    verified: false,
    code: "CERTIFICATE_IDENTITY_MISMATCH",
    checks: [{
      id: "cert.identity",
      ok: false,
      code: "CERTIFICATE_IDENTITY_MISMATCH",
      message: "Reject certificate: wrong SAN",
    }],
  };
  assert.equal(
    formatReport(failed, { name: "x.sigstore.json" }),
    "FAILED x.sigstore.json: CERTIFICATE_IDENTITY_MISMATCH Reject certificate: wrong SAN\n" +
      "  signer:         alice@example.com (unverified)\n" +
      "  issuer:         https://accounts.example.com (unverified)\n" +
      text.split("\n").slice(3).join("\n") +
      "  ✗ cert.identity: CERTIFICATE_IDENTITY_MISMATCH: Reject certificate: wrong SAN\n",
  );
});

function entry(index: number, verified: boolean, rfc3161?: string): TimelineReport["entries"][0] {
  const checks = verified ? [{ id: "envelope.signatures", ok: true }] : [
    {
      id: "envelope.signatures",
      ok: false,
      code: "KEY_REVOKED" as const,
      message: `Reject "tl.jsonl:${index + 1}": key revoked`,
    },
    { id: "timeline.custodian", ok: false, code: "CUSTODY_ACTOR_UNBOUND" as const, message: "m" },
  ];
  return {
    index,
    verified,
    ...(verified ? {} : { code: "KEY_REVOKED" as const }),
    sha256: "00".repeat(32),
    sequence: index,
    eventType: "collected",
    eventAt: "2026-02-10T09:00:00Z",
    report: {
      verified,
      checks,
      keyids: [],
      time: rfc3161 === undefined
        ? { value: NOW, source: "clock" }
        : { value: rfc3161, source: "rfc3161" },
    },
  };
}

Deno.test("formatReport(): a custody timeline shows its anchor state, each entry and claimed event times", () => {
  const report: TimelineReport = {
    verified: false,
    code: "KEY_REVOKED",
    firstFailure: { index: 1, code: "KEY_REVOKED" },
    checks: [
      {
        id: "timeline.entries",
        ok: false,
        code: "KEY_REVOKED",
        message: 'Reject "tl.jsonl:2": key revoked',
      },
      { id: "timeline.links", ok: true },
    ],
    entries: [entry(0, true, "2026-02-10T09:01:00Z"), entry(1, false)],
    subject: { name: "registry.example/app", digest: { sha256: DIGEST } },
    merkleRoot: `sha256:${"11".repeat(32)}`,
    head: `sha256:${"22".repeat(32)}`,
    anchored: false,
    keyids: [KEY],
    time: { value: NOW, source: "clock" },
  };
  assert.equal(
    formatReport(report, { name: "tl.jsonl", entryNames: ["tl.jsonl:1", "tl.jsonl:2"] }),
    'FAILED tl.jsonl: KEY_REVOKED Reject "tl.jsonl:2": key revoked\n' +
      `  subject:        registry.example/app sha256:${DIGEST} (unverified)\n` +
      "  entries:        2, unanchored\n" +
      `  head:           sha256:${"22".repeat(32)}\n` +
      `  merkle root:    sha256:${"11".repeat(32)}\n` +
      `  signed by:      ${KEY}\n` +
      `  verified at:    ${NOW}\n` +
      "  entry 0:        VERIFIED tl.jsonl:1: collected at 2026-02-10T09:00:00Z (as claimed), " +
      "signed at 2026-02-10T09:01:00Z (rfc3161)\n" +
      '  entry 1:        FAILED tl.jsonl:2: KEY_REVOKED Reject "tl.jsonl:2": key revoked\n' +
      "    ✗ timeline.custodian: CUSTODY_ACTOR_UNBOUND: m\n" +
      "  warning:        unanchored: entries removed from the end of this timeline cannot be " +
      `detected; anchor it: --expect-head sha256:${"22".repeat(32)} --expect-entries 2\n` +
      '  ✗ timeline.entries: KEY_REVOKED: Reject "tl.jsonl:2": key revoked\n',
  );
  const good: TimelineReport = {
    ...report,
    verified: true,
    checks: [{ id: "timeline.links", ok: true }],
    entries: [entry(0, true)],
    anchored: true,
  };
  delete good.code;
  delete good.firstFailure;
  assert.equal(
    formatReport(good),
    "VERIFIED\n" +
      `  subject:        registry.example/app sha256:${DIGEST}\n` +
      "  entries:        1, anchored\n" +
      `  head:           sha256:${"22".repeat(32)}\n` +
      `  merkle root:    sha256:${"11".repeat(32)}\n` +
      `  signed by:      ${KEY}\n` +
      `  verified at:    ${NOW}\n` +
      "  entry 0:        VERIFIED: collected at 2026-02-10T09:00:00Z (as claimed)\n",
  );
  assert.equal(formatBatchLine("tl.jsonl", good), "VERIFIED tl.jsonl\n");
});

Deno.test("formatReport(), formatBatchLine(): text from the input cannot drive the terminal", () => {
  const report: VerificationReport = {
    ...ENVELOPE,
    statement: {
      type: "https://in-toto.io/Statement/v1",
      predicateType: "x\u202e",
      subjects: [{ name: "evil\x1b[2J\nVERIFIED other", digest: { sha256: DIGEST } }],
    },
  };
  const text = formatReport(report, { name: "a\rb" });
  assert.ok(text.startsWith("VERIFIED a\\u{d}b\n"), text);
  assert.match(text, /^ {2}predicate type: x\\u\{202e\}$/m);
  assert.match(text, /^ {2}subject: {8}evil\\u\{1b\}\[2J\\u\{a\}VERIFIED other sha256:/m);
  assert.equal(text.split("\n").filter((l) => l.startsWith("VERIFIED")).length, 1);
  assert.equal(
    formatBatchLine("n", {
      verified: false,
      code: "ENVELOPE_MALFORMED",
      checks: [{ id: "envelope.parse", ok: false, code: "ENVELOPE_MALFORMED", message: "a\nb" }],
      keyids: [],
      time: { value: NOW, source: "clock" },
    }),
    "FAILED n: ENVELOPE_MALFORMED a\\u{a}b\n",
  );
});

Deno.test("formatSummary(): totals, failures per code in code order, NO_INPUT, colour", () => {
  const summary = {
    total: 4,
    verified: 1,
    failed: 3,
    codes: { SIGNATURE_INVALID: 2, ENVELOPE_MALFORMED: 1 },
  };
  assert.equal(
    formatSummary(summary),
    "1 verified, 3 failed, 4 total (ENVELOPE_MALFORMED 1, SIGNATURE_INVALID 2)\n",
  );
  const empty = { total: 0, verified: 0, failed: 0, codes: {} };
  assert.equal(formatSummary(empty), "0 verified, 0 failed, 0 total\n");
  assert.equal(
    formatSummary(empty, { noInput: true, color: true }),
    "\x1b[31mFAILED\x1b[0m: NO_INPUT nothing to verify\n0 verified, 0 failed, 0 total\n",
  );
  const time = { value: NOW, source: "clock" as const };
  assert.equal(
    formatBatchLine("a", { verified: true, checks: [], keyids: [], time }, { color: true }),
    "\x1b[32mVERIFIED\x1b[0m a\n",
  );
});
