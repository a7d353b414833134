/**
 * `stella audit verify LOG`: checks a signing audit log's hash chain (edits, deletions,
 * reordering, sequence gaps, and with `--trusted-head` truncation of the tail). Adapter over
 * {@link verifyAuditLog}; `--json` prints its `AuditLogReport` as RFC 8785 canonical JSON.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { type AuditLogReport, verifyAuditLog } from "../lib/sign/audit_log.ts";
import { formatField } from "../lib/verify/format.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  "trusted-head": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/** `stella audit verify LOG [--trusted-head HEX] [--json]`. */
export const auditVerifyCommand: Command = {
  path: ["audit", "verify"],
  summary: "Verify a signing audit log's hash chain",
  flags: FLAGS,
  help: `Usage: stella audit verify LOG [--trusted-head HEX] [--json]

Verifies the JSON Lines audit log that "stella sign --audit-log" appends to: every record is
canonical and well-formed, each links to the SHA-256 of the previous line, and sequence numbers
run 1, 2, 3, ... Prints the record count and the head digest (keep it: passing it later as
--trusted-head detects removal or replacement of the records after it). A torn last line (an
interrupted append) is reported but does not fail: the complete records verify and the next
append repairs it.

Flags:
  --trusted-head HEX  SHA-256 (64 hex digits) of a record line known from an earlier check; it
                      must still be in the log
  --json              Print the report {ok, code, index, message, records, head, tornTail} as
                      RFC 8785 canonical JSON

Codes: AUDIT_RECORD_MALFORMED, AUDIT_CHAIN_BROKEN, AUDIT_SEQUENCE_GAP, AUDIT_TRUNCATED (fail);
AUDIT_TORN_TAIL (reported, not a failure).

Exit status: 0 intact; 1 tampered (the first bad record and its code are named); 2 could not
run (missing or unreadable file, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "LOG: the audit log file", { min: 1, max: 1 });
    const trustedHead = values["trusted-head"];
    if (trustedHead !== undefined && !/^[0-9a-f]{64}$/.test(trustedHead)) {
      throw new CliError(
        `Cannot parse --trusted-head "${trustedHead}": use 64 lowercase hex digits`,
      );
    }
    const path = positionals[0]!;
    const report = verifyAuditLog(await io.readFile(path), { trustedHead });
    if (values.json) io.stdout(canonicalize(report) + "\n");
    else io.stdout(formatAuditReport(path, report));
    return report.ok ? 0 : 1;
  },
};

/** The layout of every report (forensic verify's): a verdict line, then labelled details. */
function formatAuditReport(path: string, report: AuditLogReport): string {
  if (report.ok) {
    let out = `VERIFIED ${path}\n` + formatField("records", String(report.records));
    if (report.head !== null) out += formatField("head", report.head);
    if (report.code !== null) out += formatField("warning", `${report.code} ${report.message}`);
    return out;
  }
  let out = `FAILED ${path}: ${report.code} ${report.message}\n`;
  if (report.index !== null) out += formatField("bad record", String(report.index));
  out += formatField("records", `${report.records} verified before it`);
  if (report.head !== null) out += formatField("head", `${report.head} (the last verified record)`);
  return out;
}
