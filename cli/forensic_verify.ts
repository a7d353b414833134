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

import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import { verifyMany } from "../lib/verify/verify_many.ts";
import { envelopeSource } from "./_envelope_source.ts";
import { createProgress, INTERRUPTED_EXIT, trapInterrupt } from "./_progress.ts";
import { createReportOutput, outputFlags } from "./_report_output.ts";
import { BUNDLE_FLAGS } from "./_bundle_help.ts";
import { VERIFY_HELP } from "./_verify_help.ts";
import { parseVerifyArgs, VERIFY_FLAGS } from "./_verify_options.ts";
import type { Io } from "./_io.ts";
import type { Command } from "./commands.ts";

/** `stella forensic verify`. */
export const forensicVerifyCommand: Command = {
  path: ["forensic", "verify"],
  summary: "Verify DSSE envelopes offline (signatures, trust policy, time window)",
  help: VERIFY_HELP,
  flags: { ...BUNDLE_FLAGS, ...VERIFY_FLAGS },
  async run(args: string[], io: Io): Promise<number> {
    // The Sigstore and timeline code is loaded only by the forms that use it (cold start).
    if (args.some((a) => a === "--trusted-root" || a.startsWith("--trusted-root="))) {
      return await (await import("./_bundle.ts")).verifyBundleCommand(args, io);
    }
    const { values, positionals, trust, options } = await parseVerifyArgs(io, args);
    const json = values.json;
    const output = { json, ...outputFlags(values) };
    if (values.timeline) {
      const { verifyTimelineCommand } = await import("./_timeline_verify.ts");
      return await verifyTimelineCommand(io, positionals, trust, options, output);
    }
    const allowEmpty = values["allow-empty"];
    const source = await envelopeSource(io, positionals, DEFAULT_ENVELOPE_MAX_BYTES);
    const single = positionals.length === 1 && !positionals[0]!.endsWith(".jsonl") &&
      (await io.stat(positionals[0]!))?.isFile === true;
    const sink = createReportOutput(io, { ...output, single, allowEmpty });
    const progress = createProgress(io, { json });
    const total = progress.enabled ? source.total : undefined;
    using interrupt = trapInterrupt();
    let failed = 0;
    let result;
    try {
      result = await verifyMany(source, trust, {
        ...options,
        total,
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
    await sink.finish(summary, aborted);
    if (aborted) {
      io.stderr(
        `stella: interrupted: ${summary.total} ${
          summary.total === 1 ? "input" : "inputs"
        } checked (${summary.verified} verified, ` +
          `${summary.failed} failed); the summary is partial\n`,
      );
      return INTERRUPTED_EXIT;
    }
    return summary.failed === 0 && (summary.total > 0 || allowEmpty) ? 0 : 1;
  },
};
