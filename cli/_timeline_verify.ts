/**
 * `stella forensic verify --timeline`: the positionals (envelope files in order, one .jsonl file,
 * or a directory in name order) are one custody timeline, oldest first; adapter over
 * {@link verifyTimeline}. Each entry carries its RFC 3161 token when its sidecar file
 * (`ENTRY.tsr`, `TIMELINE.jsonl.N.tsr`) exists. Loaded only by this form (cold start).
 *
 * @module
 */

import { splitJsonLines } from "../lib/encoding/json_lines.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import type { VerifyItem, VerifyOptions } from "../lib/verify/options.ts";
import { verifyTimeline } from "../lib/verify/timeline.ts";
import type { TrustMaterial } from "../lib/verify/trust_material.ts";
import { envelopeSource } from "./_envelope_source.ts";
import { CliError, type Io } from "./_io.ts";
import { timestampSidecar } from "./_timestamp_sidecar.ts";
import { createReportOutput, type ReportOutputFlags, summarizeOne } from "./_report_output.ts";

/**
 * Verifies the timeline named by `positionals` and prints its report.
 *
 * @param io The command's Io.
 * @param positionals The timeline's files, `.jsonl` file or directory.
 * @param trust The custodians' keys and TSA roots.
 * @param options Times and anchors.
 * @param output `--json`, `--verbose`, `--quiet`, `--out`.
 * @returns The exit status: 0 verified, 1 not verified.
 */
export async function verifyTimelineCommand(
  io: Io,
  positionals: readonly string[],
  trust: TrustMaterial,
  options: VerifyOptions,
  output: ReportOutputFlags,
): Promise<number> {
  if (options.signedAt !== undefined) {
    throw new CliError(
      "--signed-at does not apply to --timeline: each entry is judged at its own trusted time",
    );
  }
  if ((options.timestamps?.length ?? 0) > 0) {
    throw new CliError(
      "--timestamp does not apply to --timeline: an entry's token is read from ENTRY.tsr " +
        "(or TIMELINE.jsonl.N.tsr), as stella timeline append --timestamp stores it",
    );
  }
  const artifacts: { file: string; bytes: Uint8Array; sidecar: string }[] = [];
  for (const path of positionals) {
    const info = await io.stat(path);
    if (path.endsWith(".jsonl") && info?.isFile) {
      // Keep blank lines in place so that line N+1 is entry N (the timeline reports its index).
      splitJsonLines(await io.readFile(path)).forEach((bytes, i) =>
        artifacts.push({ file: `${path}:${i + 1}`, bytes, sidecar: timestampSidecar(path, i) })
      );
    } else {
      for await (const a of await envelopeSource(io, [path], DEFAULT_ENVELOPE_MAX_BYTES)) {
        // A directory's .tsr files are the timestamps of its entries, not entries.
        if (info?.isDirectory === true && a.name.endsWith(".tsr")) continue;
        const line = /^(.*\.jsonl):(\d+)$/.exec(a.name);
        const sidecar = line === null
          ? timestampSidecar(a.name)
          : timestampSidecar(line[1]!, Number(line[2]) - 1);
        artifacts.push({ file: a.name, bytes: a.bytes, sidecar });
      }
    }
  }
  const items: VerifyItem[] = [];
  for (const artifact of artifacts) {
    const found = (await io.stat(artifact.sidecar))?.isFile === true;
    items.push({
      name: artifact.file,
      bytes: artifact.bytes,
      timestamps: found ? [await io.readFile(artifact.sidecar)] : undefined,
    });
  }
  const report = await verifyTimeline(items, trust, options);
  const sink = createReportOutput(io, {
    ...output,
    single: true,
    entryNames: artifacts.map((a) => a.file),
  });
  sink.report(positionals.join(" "), report);
  await sink.finish(summarizeOne(report), false);
  return report.verified ? 0 : 1;
}
