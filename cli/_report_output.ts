/**
 * Where `stella forensic verify` puts its reports (every form: envelopes, bundle, timeline): the
 * one sink that chooses between text and `--json`, one input and a batch, `--verbose`,
 * `--quiet` and `--out FILE`, over the formatter of `lib/verify/format.ts`.
 *
 * - One input: its report with details (`--verbose`: every check too), or `--json` its report.
 * - A batch: one line per input (`VERIFIED NAME` / `FAILED NAME: CODE message`; `--verbose`:
 *   each with its details) and the summary; `--quiet`: the summary only. `--json` streams
 *   `{"reports":[...],"summary":...,"verified":...}` whose bytes equal the RFC 8785 form of the
 *   whole object.
 * - Output is buffered and written in chunks (when the batch reports progress, past
 *   {@link OUTPUT_BUFFER} characters, at the end), never one write per report.
 * - `--out FILE`: the same bytes go to FILE instead of standard output, written at the end in
 *   one atomic replace (`Io.writeFile`: a temporary file in FILE's folder, then rename), so an
 *   interrupted or failed run leaves FILE as it was.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { formatBatchLine, formatReport, formatSummary } from "../lib/verify/format.ts";
import type { FormattableReport } from "../lib/verify/format.ts";
import type { VerificationSummary } from "../lib/verify/report.ts";
import { CliError, type Io } from "./_io.ts";

/** Characters of report output held before they are written. */
export const OUTPUT_BUFFER = 256 * 1024;

/** The output flags every form of `stella forensic verify` takes (spread into its flag table). */
export const OUTPUT_FLAGS = {
  verbose: { type: "boolean", default: false },
  quiet: { type: "boolean", default: false },
  out: { type: "string" },
} as const;

/** Help lines of {@link OUTPUT_FLAGS}. */
export const OUTPUT_HELP = `Output:
  --verbose          Details of every input (in a batch: not just its line) and every check
  --quiet            Print the summary only (text output)
  --out FILE         Write the report (text or --json) to FILE instead of standard output,
                     replaced atomically at the end; an interrupted run leaves FILE untouched
`;

/** The output flags of a command: `--json` and what {@link outputFlags} returns. */
export interface ReportOutputFlags {
  /** `--json`. */
  json: boolean;
  /** `--verbose`. */
  verbose: boolean;
  /** `--quiet`. */
  quiet: boolean;
  /** `--out FILE`. */
  out: string | undefined;
}

/** How a command's reports are printed. */
export interface ReportOutputOptions {
  /** `--json`: RFC 8785 canonical JSON. */
  json: boolean;
  /** One input: its report alone (no batch object, no summary line). */
  single: boolean;
  /** `--verbose`. */
  verbose?: boolean | undefined;
  /** `--quiet`. */
  quiet?: boolean | undefined;
  /** `--out FILE`. */
  out?: string | undefined;
  /** `--allow-empty`: nothing to verify is success. */
  allowEmpty?: boolean | undefined;
  /** Timelines: the entries' names, for the details. */
  entryNames?: readonly string[] | undefined;
}

/** The sink: {@link createReportOutput}. */
export interface ReportOutput {
  /** Adds one input's report, in input order. */
  report(name: string, report: FormattableReport): void;
  /** Writes what is buffered (to standard output; with `--out`, kept for the end). */
  flush(): void;
  /**
   * Ends the output with the summary. After an interrupt (`aborted`) the partial output goes to
   * standard output as before, but `--out FILE` is not written.
   */
  finish(summary: VerificationSummary, aborted: boolean): Promise<void>;
}

/**
 * Reads the output flags and refuses combinations that mean nothing (exit 2).
 *
 * @param values The parsed flags.
 * @returns `verbose`, `quiet`, `out`.
 */
export function outputFlags(values: {
  json?: boolean | undefined;
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
  out?: string | undefined;
}): { verbose: boolean; quiet: boolean; out: string | undefined } {
  if (values.quiet === true && values.verbose === true) {
    throw new CliError("Use either --quiet or --verbose, not both");
  }
  if (values.quiet === true && values.json === true) {
    throw new CliError("--quiet applies to text output, not to --json");
  }
  if (values.out === "") throw new CliError(`Cannot use --out "": give a file path`);
  return { verbose: values.verbose === true, quiet: values.quiet === true, out: values.out };
}

/**
 * Creates the report sink of one command run.
 *
 * @param io The CLI's I/O (standard output, `writeFile` for `--out`, `color`).
 * @param options Text or JSON, one input or a batch, verbosity, `--out`.
 * @returns The sink.
 */
export function createReportOutput(io: Io, options: ReportOutputOptions): ReportOutput {
  const { json, single } = options;
  const out = options.out;
  const color = io.color && out === undefined;
  const verbose = options.verbose === true;
  const quiet = options.quiet === true;
  let count = 0;
  let only: { name: string; report: FormattableReport } | undefined;
  let pending: string[] = [];
  let pendingLength = 0;
  const kept: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join("");
    pending = [];
    pendingLength = 0;
    if (out === undefined) io.stdout(text);
    else kept.push(text);
  };
  const write = (text: string): void => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= OUTPUT_BUFFER) flush();
  };
  const details = (name: string, report: FormattableReport): string =>
    formatReport(report, { name, verbose, color, entryNames: options.entryNames });
  return {
    report(name, report) {
      if (single) only = { name, report };
      else if (json) {
        // Opened with the first report: an empty batch starts with "code" (RFC 8785 key order).
        write((count++ === 0 ? '{"reports":[' : ",") + canonicalize({ file: name, ...report }));
      } else if (!quiet) {
        write(verbose ? details(name, report) : formatBatchLine(name, report, { color }));
      }
    },
    flush,
    async finish(summary, aborted) {
      // Nothing verified is not success (NO_INPUT), unless the operator allows it.
      const noInput = summary.total === 0 && !aborted && options.allowEmpty !== true;
      if (single) {
        if (only !== undefined) {
          write(
            json
              ? canonicalize(only.report) + "\n"
              : quiet
              ? formatSummary(summary, { color })
              : details(only.name, only.report),
          );
        }
      } else if (json) {
        const head = count === 0 ? `{${noInput ? '"code":"NO_INPUT",' : ""}"reports":[` : "";
        const verified = summary.failed === 0 && !aborted && !noInput;
        write(`${head}],"summary":${canonicalize(summary)},"verified":${verified}}\n`);
      } else {
        write(formatSummary(summary, { color, noInput }));
      }
      flush();
      if (out !== undefined && !aborted) await io.writeFile(out, kept.join(""));
    },
  };
}

/**
 * The summary of a single report (a bundle or a timeline), for `--quiet`.
 *
 * @param report The report.
 * @returns One input, verified or failed with its code.
 */
export function summarizeOne(report: FormattableReport): VerificationSummary {
  return {
    total: 1,
    verified: report.verified ? 1 : 0,
    failed: report.verified ? 0 : 1,
    codes: report.verified || report.code === undefined ? {} : { [report.code]: 1 },
  };
}
