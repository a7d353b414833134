/**
 * `stella forensic verify`: the verification contract of docs/architecture.md. Parses the flags,
 * builds the trust material and one set of options (`_verify_options.ts`), and makes one call:
 * {@link verifyMany} over the envelopes (a file, each line of a `.jsonl` file, or each file of a
 * directory in UTF-16 name order), `verifyTimeline` with `--timeline` (`_timeline_verify.ts`),
 * `verifyBundle` with `--trusted-root` (`_bundle.ts`). Reports are printed as RFC 8785 canonical
 * JSON with `--json`.
 *
 * Exit status: 0 every artifact verified; 1 at least one was evaluated and not verified, or there
 * was nothing to verify (`NO_INPUT`, unless `--allow-empty`); 2 the command could not run (unknown
 * flag, missing file, unreadable trust policy or key). Least permissions: `--allow-read`.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import type { VerificationReport, VerificationSummary } from "../lib/verify/report.ts";
import { verifyMany } from "../lib/verify/verify_many.ts";
import { envelopeSource } from "./_envelope_source.ts";
import { createProgress, INTERRUPTED_EXIT, trapInterrupt } from "./_progress.ts";
import { VERIFY_HELP } from "./_verify_help.ts";
import { parseVerifyArgs } from "./_verify_options.ts";
import type { Io } from "./_io.ts";
import type { Command } from "./commands.ts";

/** `stella forensic verify`. */
export const forensicVerifyCommand: Command = {
  path: ["forensic", "verify"],
  summary: "Verify DSSE envelopes offline (signatures, trust policy, time window)",
  help: VERIFY_HELP,
  async run(args: string[], io: Io): Promise<number> {
    // The Sigstore and timeline code is loaded only by the forms that use it (cold start).
    if (args.includes("--trusted-root")) {
      return await (await import("./_bundle.ts")).verifyBundleCommand(args, io);
    }
    const { values, positionals, trust, options } = await parseVerifyArgs(io, args);
    const json = values.json;
    if (values.timeline) {
      const { verifyTimelineCommand } = await import("./_timeline_verify.ts");
      return await verifyTimelineCommand(io, positionals, trust, options, json);
    }
    const allowEmpty = values["allow-empty"];
    const source = await envelopeSource(io, positionals, DEFAULT_ENVELOPE_MAX_BYTES);
    const single = positionals.length === 1 && !positionals[0]!.endsWith(".jsonl") &&
      (await io.stat(positionals[0]!))?.isFile === true;
    const sink = reportSink(io, json, single, allowEmpty);
    const progress = createProgress(io, { json });
    using interrupt = trapInterrupt();
    let failed = 0;
    let result;
    try {
      result = await verifyMany(source, trust, {
        ...options,
        signal: interrupt.signal,
        onReport(name, report) {
          if (!report.verified) failed++;
          sink.report(name, report);
        },
        // Once per chunk of envelopes: the reports so far go out in one write.
        onProgress(done, total) {
          sink.flush();
          progress.update(done, total, failed);
        },
      });
    } finally {
      // What was verified before an error is still printed (the error follows on stderr).
      sink.flush();
    }
    const { summary, aborted } = result;
    progress.finish();
    sink.finish(summary, aborted);
    if (aborted) {
      io.stderr(
        `stella: interrupted: ${summary.total} envelopes checked (${summary.verified} verified, ` +
          `${summary.failed} failed); the summary is partial\n`,
      );
      return INTERRUPTED_EXIT;
    }
    return summary.failed === 0 && (summary.total > 0 || allowEmpty) ? 0 : 1;
  },
};

/** Characters of report output held before they are written (see `reportSink`). */
const OUTPUT_BUFFER = 256 * 1024;

/** One verified artifact: where it came from and its report. */
interface Entry {
  file: string;
  report: VerificationReport;
}

/**
 * Prints reports as they arrive, in input order: one report for a single file; otherwise
 * `{"reports":[...],"summary":...,"verified":...}` streamed so that the bytes equal the RFC 8785
 * form of the whole object (its keys are already in order), or human lines and a total.
 */
function reportSink(io: Io, json: boolean, single: boolean, allowEmpty: boolean) {
  let count = 0;
  let only: { file: string; report: VerificationReport } | undefined;
  // One buffered writer: reports are joined and written when the batch reports progress (once
  // per chunk of envelopes), past OUTPUT_BUFFER characters, and at the end; never one write per
  // report.
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join("");
    pending = [];
    pendingLength = 0;
    io.stdout(text);
  };
  const write = (text: string): void => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= OUTPUT_BUFFER) flush();
  };
  return {
    report(file: string, report: VerificationReport): void {
      if (single) only = { file, report };
      else if (json) {
        // Opened with the first report: an empty batch starts with "code" (RFC 8785 key order).
        write((count++ === 0 ? '{"reports":[' : ",") + canonicalize({ file, ...report }));
      } else write(formatHuman([{ file, report }], io.color));
    },
    flush,
    finish(summary: VerificationSummary, aborted: boolean): void {
      // Nothing verified is not success (NO_INPUT), unless the operator allows it.
      const noInput = summary.total === 0 && !aborted && !allowEmpty;
      if (single) {
        if (only !== undefined) {
          write(json ? canonicalize(only.report) + "\n" : formatHuman([only], io.color));
        }
      } else if (json) {
        const head = count === 0 ? `{${noInput ? '"code":"NO_INPUT",' : ""}"reports":[` : "";
        const verified = summary.failed === 0 && !aborted && !noInput;
        write(`${head}],"summary":${canonicalize(summary)},"verified":${verified}}\n`);
      } else {
        if (noInput) {
          write(
            `${io.color ? "\x1b[31mFAILED\x1b[0m" : "FAILED"}    NO_INPUT: no envelope to verify\n`,
          );
        }
        write(`${summary.verified} verified, ${summary.failed} failed, ${summary.total} total\n`);
      }
      flush();
    },
  };
}

function formatHuman(entries: readonly Entry[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let out = "";
  for (const { file, report } of entries) {
    out += report.verified
      ? `${paint("32", "VERIFIED")}  ${file}\n`
      : `${paint("31", "FAILED")}    ${file}: ${report.code ?? "UNKNOWN"}\n`;
    if (report.statement !== undefined) {
      const type = report.statement.predicateType || `(legacy in-toto ${report.statement.type})`;
      out += `  predicate type: ${type}\n`;
      for (const subject of report.statement.subjects) {
        const digest = Object.keys(subject.digest).sort().map((k) => `${k}:${subject.digest[k]}`);
        out += `  subject:        ${subject.name} ${digest.join(" ")}\n`;
      }
    } else if (report.payload !== undefined) {
      out += `  payload type:   ${report.payload.type}\n`;
    }
    if (report.keyids.length > 0) out += `  signed by:      ${report.keyids.join(", ")}\n`;
    out += `  time:           ${report.time.value} (${report.time.source})\n`;
    if (report.verified && report.subjectChecked === false) {
      out +=
        "  subject not checked (no --artifact, --artifact-digest, --image or --subject-name)\n";
    }
    for (const check of report.checks) {
      if (!check.ok) out += `  ${paint("31", "✗")} ${check.id}: ${check.code}: ${check.message}\n`;
    }
  }
  return out;
}
