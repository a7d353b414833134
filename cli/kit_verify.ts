/**
 * `stella kit verify`: checks an offline kit directory. Adapter over {@link verifyKit}: every file
 * of the directory (recursively, hidden files included) is hashed as a stream and judged against
 * the signed manifest and `SHA256SUMS`; the manifest and the provenance must verify with a
 * `--key`. Extra, missing and altered files are reported by name.
 *
 * Hostile kits: a symbolic link (to a file, a directory or a device such as `/dev/zero`) or any
 * other entry that is not a regular file is never followed or read (`KIT_FILE_NOT_REGULAR`); a
 * file is hashed no further than one byte past the size the signed manifest lists.
 *
 * Exit status: 0 verified; 1 evaluated and not verified; 2 could not run (unknown flag, DIR
 * missing, unreadable key).
 *
 * Least permissions: `deno run --allow-read stella.js kit verify …` (read only).
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { encodeHex } from "../lib/encoding/bytes.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { Hasher } from "../lib/digest/digest.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import type { KitSource } from "../lib/kit/kit_source.ts";
import type { KitVerificationReport } from "../lib/kit/kit_report.ts";
import { verifyKit } from "../lib/kit/verify_kit.ts";
import { formatField } from "../lib/verify/format.ts";
import { expectPositionals, HELP_FLAG, parseStrict, parseTimeFlag } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import { loadTrustedKeys } from "./_keys.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  key: { type: "string", multiple: true },
  now: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/** Deepest directory nesting listed (symbolic links are never followed). */
const MAX_DEPTH = 16;

/** `stella kit verify DIR --key PUB [--json]`. */
export const kitVerifyCommand: Command = {
  path: ["kit", "verify"],
  summary: "Verify an offline kit: every file, the signed manifest and the kit's provenance",
  flags: FLAGS,
  help: `Usage: stella kit verify DIR --key PEM [--key PEM]... [--now RFC3339] [--json]

Checks an offline kit directory with nothing but its files and the public key:
  kit.manifest    manifest.dsse.json is signed by a trusted key and lists the kit's files
  kit.files       every file matches the manifest (sha256 and size) and SHA256SUMS; files that
                  are missing, altered or not listed are named, one failed check each; symbolic
                  links and other non-regular entries are never followed or read (not-regular)
  kit.provenance  provenance.dsse.json is signed by a trusted key, is SLSA Provenance v1, and
                  its subjects are the kit's artifacts

Flags:
  --key PEM   Trust this public key (PEM, or DER or JWK); repeatable
  --now T     Evaluation time for key validity (default: the clock)
  --json      Print the report as RFC 8785 canonical JSON

Exit status: 0 verified; 1 evaluated and not verified (a file missing, altered or extra, a
signature invalid or by an untrusted key, a malformed manifest or provenance); 2 could not run
(unknown flag, DIR missing, unreadable key).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "the kit directory to verify", { min: 1, max: 1 });
    const dir = positionals[0]!.replace(/(.)\/+$/, "$1");
    const now = parseTimeFlag("--now", values.now) ?? io.now();
    const keyPaths = values.key ?? [];
    if (keyPaths.length === 0) throw new CliError("Name at least one trusted key with --key PEM");
    let keys;
    try {
      keys = await loadTrustedKeys(io, keyPaths);
    } catch (error) {
      if (error instanceof ParseError) throw new CliError(error.message);
      throw error;
    }
    const info = await io.stat(dir);
    if (info === undefined) throw new CliError(`Cannot read "${dir}": no such file or directory`);
    if (!info.isDirectory) throw new CliError(`Cannot verify "${dir}": it is not a directory`);
    const report = await verifyKit(await directorySource(io, dir), { keys, now });
    io.stdout(values.json ? canonicalize(report) + "\n" : formatHuman(dir, report, io.color));
    return report.verified ? 0 : 1;
  },
};

/** Lists `dir` recursively and reads/hashes its files through `io`. */
async function directorySource(io: Io, dir: string): Promise<KitSource> {
  const paths: string[] = [];
  const notRegular: string[] = [];
  const walk = async (relative: string, depth: number): Promise<void> => {
    const full = relative === "" ? dir : `${dir}/${relative}`;
    for (const name of (await io.readDir(full)).map((e) => e.name).sort()) {
      const path = relative === "" ? name : `${relative}/${name}`;
      // lstat: a symbolic link is judged as what it is, never as what it points to.
      const info = await io.lstat(`${dir}/${path}`);
      if (info?.isDirectory) {
        if (depth >= MAX_DEPTH) {
          throw new CliError(`Cannot list "${dir}/${path}": nested deeper than ${MAX_DEPTH}`);
        }
        await walk(path, depth + 1);
      } else if (info?.isFile) {
        paths.push(path);
      } else {
        notRegular.push(path);
      }
    }
  };
  await walk("", 0);
  return {
    paths,
    notRegular,
    read: (path) => io.readFile(`${dir}/${path}`, { maxBytes: DEFAULT_ENVELOPE_MAX_BYTES }),
    async digest(path, options = {}) {
      const limit = options.maxBytes === undefined ? Infinity : options.maxBytes + 1;
      const hasher = new Hasher("sha256");
      let size = 0;
      for await (
        const chunk of await io.openFile(`${dir}/${path}`, {
          regularOnly: true,
          reuseBuffers: true,
        })
      ) {
        const piece = chunk.length > limit - size ? chunk.subarray(0, limit - size) : chunk;
        hasher.update(piece);
        size += piece.length;
        // Past the listed size: stop (leaving the loop cancels the stream and closes the file).
        if (size >= limit) break;
      }
      return { sha256: encodeHex(hasher.digest()), size };
    },
  };
}

function formatHuman(dir: string, report: KitVerificationReport, color: boolean): string {
  // The layout of every report (forensic verify's): a verdict line, then labelled details; what
  // only an unverified manifest says is marked so.
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const failed = report.checks.find((check) => !check.ok);
  const manifestVerified = report.checks.some((check) => check.id === "kit.manifest" && check.ok);
  const unverified = manifestVerified ? "" : " (unverified)";
  let out = failed === undefined
    ? `${paint("32", "VERIFIED")} kit ${dir}\n`
    : `${paint("31", "FAILED")} kit ${dir}: ${failed.code ?? "UNKNOWN"} ${failed.message ?? ""}\n`;
  if (report.kit !== undefined) {
    const { name, version, created } = report.kit;
    out += formatField("kit", `${name} ${version}, created ${created}${unverified}`);
  }
  const ok = report.files.filter((file) => file.status === "ok").length;
  out += formatField(
    "files",
    `${ok} ok of ${report.files.length}${
      manifestVerified ? "" : " (listed by the unverified manifest)"
    }`,
  );
  for (const file of report.files) {
    if (file.status !== "ok") out += `  ${paint("31", `${file.status}:`.padEnd(16))}${file.path}\n`;
  }
  if (report.keyids.length > 0) out += formatField("signed by", report.keyids.join(", "));
  out += formatField(
    "verified at",
    report.time.source === "clock"
      ? report.time.value
      : `${report.time.value} (${report.time.source})`,
  );
  for (const check of report.checks) {
    if (!check.ok) out += `  ${paint("31", "✗")} ${check.id}: ${check.code}: ${check.message}\n`;
  }
  return out;
}
