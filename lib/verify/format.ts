/**
 * The text form of verification reports: one vocabulary and one layout for every report kind
 * (DSSE envelope, Sigstore bundle, custody timeline), used by `stella forensic verify` and any
 * other front end. Pure functions over plain data: the same report gives the same bytes.
 *
 * - A headline: `VERIFIED NAME`, or `FAILED NAME: CODE message` (the first failed check).
 * - Details, one `label: value` per line, indented two spaces, labels in one column: who signed
 *   (certificate identity, key ids), what was signed (payload type, predicate type, subjects),
 *   the signing time and its source apart from the verification time, and each failed check.
 * - What the input claims but no verified signature vouches for is marked `(unverified)`; a
 *   statement whose subject was not bound to what the caller holds says `subject not checked`.
 * - Text from the input (names, subjects, messages) is printed with control characters escaped,
 *   so an input cannot rewrite the terminal.
 *
 * @module
 */

import type { IdentityMatcher, VerificationReport, VerificationSummary } from "./report.ts";
import type { TimelineEntryReport, TimelineReport } from "./timeline.ts";

/**
 * A report {@link formatReport} prints: an envelope or bundle report, or a timeline report.
 *
 * @example Usage
 * ```ts
 * import { formatReport, type FormattableReport } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const report: FormattableReport = { verified: true, checks: [], keyids: [], time: { value: "2026-01-01T00:00:00Z", source: "clock" } };
 * assert.equal(formatReport(report).split("\n")[0], "VERIFIED");
 * ```
 */
export type FormattableReport = VerificationReport | TimelineReport;

/**
 * Options of {@link formatReport}.
 *
 * @example Usage
 * ```ts
 * import { formatReport, type FormatReportOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: FormatReportOptions = { name: "a.dsse.json", verbose: true };
 * const time = { value: "2026-01-01T00:00:00Z", source: "clock" as const };
 * const text = formatReport({ verified: true, checks: [{ id: "envelope.parse", ok: true }], keyids: [], time }, options);
 * assert.match(text, /^ {2}✓ envelope\.parse$/m);
 * ```
 */
export interface FormatReportOptions {
  /** The input's name for the headline (a path); without it the headline is the verdict alone. */
  name?: string | undefined;
  /** Also list the checks that passed and each signature's result. */
  verbose?: boolean | undefined;
  /** Paint the verdicts (ANSI green and red); for terminals only. */
  color?: boolean | undefined;
  /** Timelines: the entries' names (paths, `FILE.jsonl:LINE`), in input order. */
  entryNames?: readonly string[] | undefined;
}

/**
 * Options of {@link formatBatchLine} and {@link formatSummary}.
 *
 * @example Usage
 * ```ts
 * import { formatBatchLine, type FormatLineOptions } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const options: FormatLineOptions = { color: true };
 * const time = { value: "2026-01-01T00:00:00Z", source: "clock" as const };
 * assert.equal(formatBatchLine("a", { verified: true, checks: [], keyids: [], time }, options), "\x1b[32mVERIFIED\x1b[0m a\n");
 * ```
 */
export interface FormatLineOptions {
  /** Paint the verdicts (ANSI green and red); for terminals only. */
  color?: boolean | undefined;
}

/**
 * Options of {@link formatSummary}.
 *
 * @example Usage
 * ```ts
 * import { formatSummary, type FormatSummaryOptions } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const options: FormatSummaryOptions = { noInput: false };
 * assert.equal(formatSummary({ total: 0, verified: 0, failed: 0, codes: {} }, options), "0 verified, 0 failed, 0 total\n");
 * ```
 */
export interface FormatSummaryOptions extends FormatLineOptions {
  /** There was nothing to verify and that is a failure (`NO_INPUT`). */
  noInput?: boolean | undefined;
}

/** Width of the label column, `"predicate type: "` included. */
const LABEL_WIDTH = 16;

const SUBJECT_NOT_CHECKED =
  "  subject not checked (no --artifact, --artifact-digest, --image or --subject-name)\n";
/** The same for a Sigstore bundle, whose form takes only the artifact flags. */
const BUNDLE_SUBJECT_NOT_CHECKED = "  subject not checked (no --artifact or --artifact-digest)\n";

/**
 * Formats one report: its headline ({@link formatBatchLine}) and its details.
 *
 * @param report An envelope, bundle or timeline report.
 * @param options The input's name, `verbose`, `color`, timeline entry names.
 * @returns Lines of text, each ending in `\n`.
 *
 * @example Usage
 * ```ts
 * import { formatReport } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const text = formatReport({
 *   verified: false,
 *   code: "SIGNATURE_INVALID",
 *   checks: [
 *     { id: "envelope.parse", ok: true },
 *     { id: "envelope.signatures", ok: false, code: "SIGNATURE_INVALID", message: "No signature verified" },
 *   ],
 *   payload: { type: "text/plain", sha256: "00".repeat(32) },
 *   keyids: [],
 *   time: { value: "2026-01-01T00:00:00Z", source: "clock" },
 *   evaluatedAt: "2026-01-01T00:00:00Z",
 * }, { name: "a.dsse.json" });
 * assert.equal(
 *   text,
 *   "FAILED a.dsse.json: SIGNATURE_INVALID No signature verified\n" +
 *     "  payload type:   text/plain (unverified)\n" +
 *     "  signing time:   none verified (judged at the verification time)\n" +
 *     "  verified at:    2026-01-01T00:00:00Z\n" +
 *     "  ✗ envelope.signatures: SIGNATURE_INVALID: No signature verified\n",
 * );
 * ```
 */
export function formatReport(report: FormattableReport, options: FormatReportOptions = {}): string {
  const color = options.color === true;
  let out = headline(options.name, report, color);
  if (isTimeline(report)) return out + timelineDetails(report, options);
  const mark = report.verified ? "" : " (unverified)";
  const line = (label: string, value: string): void => {
    out += formatField(label, value);
  };
  const certificate = report.identity?.certificate;
  if (certificate !== undefined) {
    line("signer", `${certificate.subjects.map(clean).join(", ") || "(none)"}${mark}`);
    if (certificate.issuer !== undefined) line("issuer", clean(certificate.issuer) + mark);
    if (certificate.sourceRepositoryUri !== undefined) {
      line("repository", clean(certificate.sourceRepositoryUri) + mark);
    }
  }
  const expected = report.identity?.expected;
  if (expected !== undefined) {
    const rules = [
      ...rule("subject", expected.subject),
      ...rule("issuer", expected.issuer),
      ...rule("source repository", expected.sourceRepositoryUri),
      ...rule("source repository owner", expected.sourceRepositoryOwnerUri),
    ];
    if (rules.length > 0) line("identity rule", rules.join("; "));
  }
  if (report.payload !== undefined) line("payload type", clean(report.payload.type) + mark);
  if (report.statement !== undefined) {
    const type = report.statement.predicateType === ""
      ? `(legacy in-toto ${report.statement.type})`
      : report.statement.predicateType;
    line("predicate type", clean(type) + mark);
    for (const subject of report.statement.subjects) {
      line("subject", describeSubject(subject) + mark);
    }
  }
  if (report.keyids.length > 0) line("signed by", report.keyids.map(clean).join(", "));
  if (options.verbose === true) {
    for (const s of report.signatures ?? []) {
      const hint = s.keyidHint === "" ? "no keyid hint" : `keyid hint ${clean(s.keyidHint)}`;
      const outcome = s.verifiedBy !== undefined
        ? `verified by ${clean(s.verifiedBy)}`
        : s.code === undefined
        ? "not counted"
        : `not counted: ${s.code}`;
      line(`signature ${s.index}`, `${hint}, ${outcome}`);
    }
  }
  const evidence = report.evidence;
  if (evidence !== undefined) {
    const count = (what: string, c: { required: number; verified: number }) =>
      `${what} ${c.verified} verified of ${c.required} required`;
    line(
      "evidence",
      `${count("tlog entries", evidence.tlogEntries)}, ${
        count("RFC 3161 timestamps", evidence.timestamps)
      }, ${count("SCTs", evidence.scts)}, ${count("signing times", evidence.signingTimes)}`,
    );
  }
  out += times(report.time, report.evaluatedAt);
  if (report.verified && report.subjectChecked === false) {
    out += evidence === undefined ? SUBJECT_NOT_CHECKED : BUNDLE_SUBJECT_NOT_CHECKED;
  }
  out += checkLines(report.checks, "  ", options.verbose === true, color);
  return out;
}

/**
 * Formats the one line a batch prints per input: `VERIFIED NAME`, or `FAILED NAME: CODE message`
 * with the first failed check's code and message.
 *
 * @param name The input's name (a path, or `FILE.jsonl:LINE`).
 * @param report Its report.
 * @param options `color`.
 * @returns One line ending in `\n`; the first line of {@link formatReport} with the same name.
 *
 * @example Usage
 * ```ts
 * import { formatBatchLine } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const time = { value: "2026-01-01T00:00:00Z", source: "clock" as const };
 * assert.equal(formatBatchLine("a.dsse.json", { verified: true, checks: [], keyids: [], time }), "VERIFIED a.dsse.json\n");
 * assert.equal(
 *   formatBatchLine("b.dsse.json", {
 *     verified: false,
 *     code: "ENVELOPE_MALFORMED",
 *     checks: [{ id: "envelope.parse", ok: false, code: "ENVELOPE_MALFORMED", message: "Cannot parse envelope" }],
 *     keyids: [],
 *     time,
 *   }),
 *   "FAILED b.dsse.json: ENVELOPE_MALFORMED Cannot parse envelope\n",
 * );
 * ```
 */
export function formatBatchLine(
  name: string,
  report: FormattableReport,
  options: FormatLineOptions = {},
): string {
  return headline(name, report, options.color === true);
}

/**
 * Formats the totals of a batch: `N verified, M failed, T total`, and when any failed, the
 * failures per code in code order; preceded by `FAILED: NO_INPUT nothing to verify` when there
 * was nothing to verify and that is a failure.
 *
 * @param summary The batch's totals.
 * @param options `noInput`, `color`.
 * @returns Lines of text, each ending in `\n`.
 *
 * @example Usage
 * ```ts
 * import { formatSummary } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   formatSummary({ total: 5, verified: 2, failed: 3, codes: { SIGNATURE_INVALID: 1, ENVELOPE_MALFORMED: 2 } }),
 *   "2 verified, 3 failed, 5 total (ENVELOPE_MALFORMED 2, SIGNATURE_INVALID 1)\n",
 * );
 * assert.equal(
 *   formatSummary({ total: 0, verified: 0, failed: 0, codes: {} }, { noInput: true }),
 *   "FAILED: NO_INPUT nothing to verify\n0 verified, 0 failed, 0 total\n",
 * );
 * ```
 */
export function formatSummary(
  summary: VerificationSummary,
  options: FormatSummaryOptions = {},
): string {
  let out = "";
  if (options.noInput === true && summary.total === 0) {
    out += `${paint(options.color === true, "31", "FAILED")}: NO_INPUT nothing to verify\n`;
  }
  out += `${summary.verified} verified, ${summary.failed} failed, ${summary.total} total`;
  const codes = Object.keys(summary.codes).sort() as (keyof typeof summary.codes)[];
  if (codes.length > 0) out += ` (${codes.map((c) => `${c} ${summary.codes[c]}`).join(", ")})`;
  return out + "\n";
}

function isTimeline(report: FormattableReport): report is TimelineReport {
  return Array.isArray((report as Partial<TimelineReport>).entries);
}

function headline(name: string | undefined, report: FormattableReport, color: boolean): string {
  const shown = name === undefined ? "" : ` ${clean(name)}`;
  if (report.verified) return `${paint(color, "32", "VERIFIED")}${shown}\n`;
  const message = failureMessage(report);
  return `${paint(color, "31", "FAILED")}${shown}: ${report.code ?? "UNKNOWN"}${
    message === undefined ? "" : ` ${clean(message)}`
  }\n`;
}

/** The message of the check that set the report's code (for a timeline, in the failing entry). */
function failureMessage(report: FormattableReport): string | undefined {
  let checks = report.checks;
  if (isTimeline(report) && report.firstFailure !== undefined) {
    checks = report.entries[report.firstFailure.index]?.report.checks ?? checks;
  }
  const failed = checks.find((c) => !c.ok && c.code === report.code) ??
    checks.find((c) => !c.ok);
  return failed?.message;
}

function timelineDetails(report: TimelineReport, options: FormatReportOptions): string {
  const verbose = options.verbose === true;
  const color = options.color === true;
  const mark = report.verified ? "" : " (unverified)";
  let out = "";
  if (report.subject !== undefined) {
    out += formatField("subject", describeSubject(report.subject) + mark);
  }
  out += formatField(
    "entries",
    `${report.entries.length}, ${report.anchored ? "anchored" : "unanchored"}`,
  );
  if (report.head !== undefined) out += formatField("head", report.head);
  out += formatField("merkle root", report.merkleRoot);
  if (report.keyids.length > 0) {
    out += formatField("signed by", report.keyids.map(clean).join(", "));
  }
  // Each entry has its own signing time (on its line); the timeline has the verification time.
  out += formatField("verified at", report.time.value);
  for (const entry of report.entries) {
    out += formatField(`entry ${entry.index}`, describeEntry(entry, options.entryNames, color));
    if (verbose || !entry.verified) {
      // The first failure is on the entry's line; verbose lists every check.
      const rest = verbose
        ? entry.report.checks
        : entry.report.checks.filter((c) => !c.ok).slice(1);
      out += checkLines(rest, "    ", verbose, color);
    }
  }
  if (!report.anchored && report.head !== undefined) {
    out += formatField(
      "warning",
      "unanchored: entries removed from the end of this timeline cannot be detected; anchor it: " +
        `--expect-head ${report.head} --expect-entries ${report.entries.length}`,
    );
  }
  return out + checkLines(report.checks, "  ", verbose, color);
}

function describeEntry(
  entry: TimelineEntryReport,
  names: readonly string[] | undefined,
  color: boolean,
): string {
  const name = names?.[entry.index];
  const shown = name === undefined ? "" : ` ${clean(name)}`;
  if (!entry.verified) {
    const failed = entry.report.checks.find((c) => !c.ok);
    return `${paint(color, "31", "FAILED")}${shown}: ${entry.code ?? "UNKNOWN"}${
      failed?.message === undefined ? "" : ` ${clean(failed.message)}`
    }`;
  }
  let text = `${paint(color, "32", "VERIFIED")}${shown}`;
  if (entry.eventType !== undefined) text += `: ${clean(entry.eventType)}`;
  if (entry.eventAt !== undefined) text += ` at ${entry.eventAt} (as claimed)`;
  const time = entry.report.time;
  if (time.source !== "clock") text += `, signed at ${time.value} (${time.source})`;
  return text;
}

/** The signing time with its source, then the verification time, on lines of their own. */
function times(time: VerificationReport["time"], evaluatedAt: string | undefined): string {
  const at = evaluatedAt ?? (time.source === "clock" ? time.value : undefined);
  return formatField(
    "signing time",
    time.source === "clock"
      ? "none verified (judged at the verification time)"
      : `${time.value} (${time.source})`,
  ) +
    (at === undefined ? "" : formatField("verified at", at));
}

function checkLines(
  checks: VerificationReport["checks"],
  indent: string,
  verbose: boolean,
  color: boolean,
): string {
  let out = "";
  for (const check of checks) {
    if (check.ok) {
      if (verbose) out += `${indent}${paint(color, "32", "✓")} ${check.id}\n`;
    } else {
      out += `${indent}${paint(color, "31", "✗")} ${check.id}: ${check.code ?? "UNKNOWN"}${
        check.message === undefined ? "" : `: ${clean(check.message)}`
      }\n`;
    }
  }
  return out;
}

/**
 * One labelled detail line of a text report, in the label column every report kind uses (the
 * CLI's kit and audit-log reports print theirs with it too).
 *
 * @param label The label, without its colon.
 * @param value The value.
 * @returns The line, indented, with its newline.
 *
 * @example Usage
 * ```ts
 * import { formatField } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assert.equal(formatField("records", "3"), "  records:        3\n");
 * ```
 */
export function formatField(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(LABEL_WIDTH - 1)} ${value}\n`;
}

function rule(what: string, matcher: IdentityMatcher | undefined): string[] {
  if (matcher === undefined) return [];
  return "equals" in matcher
    ? [`${what} = ${clean(matcher.equals)}`]
    : [`${what} ~ /${clean(matcher.pattern)}/${matcher.flags ?? ""}`];
}

function describeSubject(subject: { name: string; digest: Record<string, string> }): string {
  const digests = Object.keys(subject.digest).sort().map((k) =>
    `${clean(k)}:${clean(String(subject.digest[k]))}`
  );
  return [clean(subject.name), ...digests].join(" ");
}

function paint(color: boolean, code: string, text: string): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/**
 * Escapes what could move the cursor, end a line or reorder text on a terminal: C0 and C1
 * controls, DEL, line and paragraph separators, bidirectional overrides and isolates.
 */
function clean(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16)}}`,
  );
}
