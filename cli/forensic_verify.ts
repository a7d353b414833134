/**
 * `stella forensic verify`: the verification contract of docs/architecture.md. Adapter over
 * {@link verifyEnvelope}: one report per envelope (a file, each line of a `.jsonl` file, or each
 * file of a directory in UTF-16 name order), printed as RFC 8785 canonical JSON with `--json`.
 *
 * Exit status: 0 every artifact verified; 1 at least one was evaluated and not verified, or there
 * was nothing to verify (`NO_INPUT`, unless `--allow-empty`); 2 the command could not run (unknown
 * flag, missing file, unreadable trust policy or key).
 *
 * `--artifact` is hashed as a stream (sha256, sha384, sha512 in one pass, constant memory); the
 * subject flags apply to every envelope of a batch.
 *
 * Least permissions: `deno run --allow-read cli/main.ts forensic verify …` (read only; `--allow-env`
 * is optional and only used for `NO_COLOR`).
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { decodeUtf8 } from "../lib/encoding/bytes.ts";
import { decodePemAll } from "../lib/encoding/pem.ts";
import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import {
  summarizeReports,
  type VerificationReport,
  type VerificationSummary,
} from "../lib/verify/report.ts";
import {
  loadTrustPolicy,
  parseTrustPolicy,
  type TrustedKey,
  trustedKeyFromPem,
  type TrustPolicy,
  type TrustPolicyDocument,
} from "../lib/verify/trust_policy.ts";
import { verifyEnvelope, type VerifyEnvelopeOptions } from "../lib/verify/verify_envelope.ts";
import { digestArtifact, type SubjectOptions } from "../lib/verify/subject_check.ts";
import { parseDigest } from "../lib/digest/digest_set.ts";
import { verifyMany, type VerifyManyKey } from "../lib/verify/verify_many.ts";
import { envelopeSource } from "./_envelope_source.ts";
import { timestampSidecar } from "./_timestamp_sidecar.ts";
import { createProgress, INTERRUPTED_EXIT, trapInterrupt } from "./_progress.ts";
import { BUNDLE_FLAGS, BUNDLE_HELP } from "./_bundle_help.ts";
import { splitJsonLines } from "../lib/encoding/json_lines.ts";
import {
  expectPositionals,
  HELP_FLAG,
  parseDuration,
  parseStrict,
  parseTimeFlag,
} from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  key: { type: "string", multiple: true },
  trust: { type: "string" },
  "signed-at": { type: "string" },
  "not-after": { type: "string" },
  skew: { type: "string" },
  now: { type: "string" },
  timestamp: { type: "string", multiple: true },
  "tsa-roots": { type: "string" },
  "merkle-root": { type: "string" },
  timeline: { type: "boolean", default: false },
  "expect-head": { type: "string" },
  "expect-entries": { type: "string" },
  "allow-unbound-custodians": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  artifact: { type: "string" },
  "artifact-digest": { type: "string", multiple: true },
  image: { type: "string" },
  "subject-name": { type: "string" },
  "predicate-type": { type: "string", multiple: true },
  "max-signatures": { type: "string" },
  "allow-empty": { type: "boolean", default: false },
} as const;

/** Characters of report output held before they are written (see `reportSink`). */
const OUTPUT_BUFFER = 256 * 1024;

/** One verified artifact: where it came from and its report. */
interface Entry {
  file: string;
  report: VerificationReport;
}

/** `stella forensic verify`. */
export const forensicVerifyCommand: Command = {
  path: ["forensic", "verify"],
  summary: "Verify DSSE envelopes offline (signatures, trust policy, time window)",
  flags: { ...BUNDLE_FLAGS, ...FLAGS },
  help:
    `Usage: stella forensic verify <envelope.json|envelopes.jsonl|dir> [--key PEM]... [--trust trust.json]
       [--signed-at RFC3339] [--not-after RFC3339] [--skew 5m] [--now RFC3339]
       [--timestamp token.tsr --tsa-roots roots.pem] [--merkle-root HEX] [--timeline] [--json]
       [--expect-head sha256:HEX] [--expect-entries N] [--allow-unbound-custodians]
       [--artifact FILE] [--artifact-digest ALG:HEX]... [--image NAME@sha256:HEX]
       [--subject-name NAME] [--predicate-type URI]... [--max-signatures N] [--allow-empty]

Verifies DSSE envelopes with nothing but local files. A directory is verified file by file in
name order (files ending in .jsonl hold one envelope per line); a .jsonl file likewise. Nothing
to verify (an empty directory or .jsonl file, no path) is not success: exit 1, code NO_INPUT.

Flags:
  --key PEM          Trust this public key (PEM SubjectPublicKeyInfo: Ed25519, ECDSA P-256/P-384
                     with DER or P1363 signatures, RSA PSS or PKCS#1 v1.5); repeatable
  --trust FILE       Trust policy (keys with validity windows, threshold, allowed predicate
                     types, required claims); --key adds to it
  --signed-at T      Claimed signing time (default: --now); key validity is checked at it
  --not-after T      Reject signatures made after T
  --skew D           Tolerance for every time comparison (default 5m; e.g. 0, 30s, 5m, 1h)
  --now T            Evaluation time (default: the clock)
  --timestamp TSR    RFC 3161 timestamp token over an envelope signature (DER TimeStampResp or
                     TimeStampToken, as openssl ts -reply writes it); when it verifies over a
                     signature that verifies under a trusted key, its genTime is that
                     signature's time (source rfc3161); over any other signature it is
                     ignored; repeatable
  --tsa-roots PEM    Trusted TSA root certificates for --timestamp (and, with --timeline, for
                     the entries' .tsr tokens; without roots those are ignored)
  --merkle-root R    The statement must commit to this build-metadata Merkle root
                     (sha256:<hex>; export subjects carry it as their merkleSha256 digest);
                     with --timeline, the RFC 9162 root of the entries' sha256 digests
  --timeline         The envelopes (files in order, one .jsonl file, or a directory in name
                     order) are one stella.ops/custody@v1 timeline, oldest first: sequence,
                     hash links, time order and subject are checked; each entry's key must be
                     valid and unrevoked at the entry's trusted time (its RFC 3161 token, read
                     from ENTRY.tsr or TIMELINE.jsonl.N.tsr, else now; never event.at) and
                     bound to its event.actor ("custodians" in the trust policy)
  --expect-head H    With --timeline: anchor, the sha256 of the last entry's exact bytes
                     (sha256:HEX, as stella timeline append prints it)
  --expect-entries N With --timeline: anchor, the number of entries
  --allow-unbound-custodians
                     With --timeline: keys whose trust entry lists no custodians may sign for
                     any actor (default: CUSTODY_ACTOR_UNBOUND)
  --json             Print the VerificationReport as RFC 8785 canonical JSON (for several
                     artifacts: {"reports": [...], "summary": {...}, "verified"})

Binding the statement to what you hold (without these, any statement a trusted key signed
verifies, whatever it is about; the report says "subject not checked"):
  --artifact FILE    A subject must carry FILE's digest (hashed as a stream); it matches by
                     every one of sha256, sha384, sha512 the subject carries
  --artifact-digest ALG:HEX
                     A subject must carry this digest (sha256, sha384 or sha512; lowercase
                     hex); repeatable, each must be carried
  --image NAME@sha256:HEX
                     A subject must be named exactly NAME and carry this sha256
  --subject-name N   The rules above apply to the subject named N; alone, a subject is named N
  --predicate-type URI
                     Allowed predicate type (repeatable); also checks legacy in-toto, which has none
  Mismatches exit 1: SUBJECT_MISMATCH, PREDICATE_TYPE_NOT_ALLOWED.

Limits:
  --max-signatures N Most signatures per envelope (default 64; more is TOO_MANY_SIGNATURES)
  --allow-empty      Nothing to verify is success (exit 0) instead of NO_INPUT (exit 1)

Exit status: 0 verified; 1 evaluated and not verified (bad signature, tampered or malformed
artifact, untrusted key, time window violated, policy failed); 2 could not run (unknown
flag, missing file, unreadable trust policy or key).

Ctrl-C stops a long run cleanly: a partial summary is printed and the exit status is 130.
A progress line is drawn on stderr when it is a terminal (never with --json).

` + BUNDLE_HELP,
  async run(args: string[], io: Io): Promise<number> {
    // The Sigstore and timeline code is loaded only by the forms that use it (cold start).
    if (args.includes("--trusted-root")) {
      return await (await import("./_bundle.ts")).verifyBundleCommand(args, io);
    }
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    if (values.key === undefined && values.trust === undefined) {
      // With a trusted key, zero paths is an input to judge (NO_INPUT), not a usage error.
      expectPositionals(positionals, "the envelope file, .jsonl file or directory to verify", {
        min: 1,
      });
    }
    const subject = await subjectOptions(io, values);
    const trustDoc = values.trust === undefined ? undefined : await readTrustDoc(io, values.trust);
    const keyTexts: VerifyManyKey[] = [];
    for (const path of values.key ?? []) {
      keyTexts.push({
        pem: decodeUtf8(await io.readFile(path), path),
        options: { name: path, signatureEncoding: "any" },
      });
    }
    const options: VerifyEnvelopeOptions = {
      now: parseTimeFlag("--now", values.now) ?? io.now(),
      trust: trustDoc === undefined ? undefined : loadTrust(trustDoc, values.trust!),
      keys: loadKeys(keyTexts),
      signedAt: parseTimeFlag("--signed-at", values["signed-at"]),
      notAfter: parseTimeFlag("--not-after", values["not-after"]),
      skew: values.skew === undefined ? undefined : parseDuration("--skew", values.skew),
      timestamps: await Promise.all((values.timestamp ?? []).map((path) => io.readFile(path))),
      tsaRoots: values["tsa-roots"] === undefined
        ? undefined
        : await readCertificates(io, values["tsa-roots"]),
      merkleRoot: parseMerkleRoot(values["merkle-root"]),
      maxSignatures: parseMaxSignatures(values["max-signatures"]),
      ...subject,
    };
    if (
      options.timestamps!.length > 0 && options.tsaRoots === undefined &&
      options.trust?.tsaRoots === undefined
    ) {
      throw new CliError(
        "Give the TSA roots for --timestamp with --tsa-roots roots.pem (or tsaRoots in --trust)",
      );
    }
    if ((options.trust?.keys.length ?? 0) + (options.keys?.length ?? 0) === 0) {
      throw new CliError("Name at least one trusted key with --key PEM or --trust trust.json");
    }
    if (values.timeline) {
      const unsupported = Object.keys(subject).map((k) => `--${kebab(k)}`);
      if (values["allow-empty"]) unsupported.push("--allow-empty");
      if (values["max-signatures"] !== undefined) unsupported.push("--max-signatures");
      if (unsupported.length > 0) {
        throw new CliError(`${unsupported.join(", ")} does not apply to --timeline`);
      }
      return await verifyTimelineCommand(io, positionals, options, values.json, {
        expectHead: parseExpectHead(values["expect-head"]),
        expectEntries: parseExpectEntries(values["expect-entries"]),
        allowUnboundCustodians: values["allow-unbound-custodians"],
      });
    }
    for (const flag of ["expect-head", "expect-entries", "allow-unbound-custodians"] as const) {
      if (values[flag] !== undefined && values[flag] !== false) {
        throw new CliError(`--${flag} applies to --timeline only`);
      }
    }

    const source = await envelopeSource(io, positionals, DEFAULT_ENVELOPE_MAX_BYTES);
    const single = positionals.length === 1 && !positionals[0]!.endsWith(".jsonl") &&
      (await io.stat(positionals[0]!))?.isFile === true;
    const sink = reportSink(io, values.json, single, values["allow-empty"]);
    const progress = createProgress(io, { json: values.json });
    using interrupt = trapInterrupt();
    let summary: VerificationSummary;
    let aborted = false;
    try {
      if ((options.timestamps?.length ?? 0) > 0 || options.merkleRoot !== undefined) {
        // Evidence flags need per-envelope inputs that verifyMany does not carry: one by one.
        const reports: VerificationReport[] = [];
        let failed = 0;
        for await (const artifact of source) {
          if (interrupt.signal.aborted) {
            aborted = true;
            break;
          }
          const report = await verifyEnvelope(artifact.bytes, { ...options, name: artifact.name });
          reports.push(report);
          if (!report.verified) failed++;
          sink.report(artifact.name, report);
          sink.flush();
          progress.update(reports.length, undefined, failed);
        }
        summary = summarizeReports(reports);
      } else {
        let failed = 0;
        const result = await verifyMany(source, {
          now: options.now,
          trust: trustDoc,
          keys: keyTexts,
          signedAt: options.signedAt,
          notAfter: options.notAfter,
          skew: options.skew,
          maxSignatures: options.maxSignatures,
          allowEmpty: values["allow-empty"],
          ...subject,
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
        summary = result.summary;
        aborted = result.aborted;
      }
    } finally {
      // What was verified before an error is still printed (the error follows on stderr).
      sink.flush();
    }
    progress.finish();
    sink.finish(summary, aborted);
    if (aborted) {
      io.stderr(
        `stella: interrupted: ${summary.total} envelopes checked (${summary.verified} verified, ` +
          `${summary.failed} failed); the summary is partial\n`,
      );
      return INTERRUPTED_EXIT;
    }
    return summary.failed === 0 && (summary.total > 0 || values["allow-empty"]) ? 0 : 1;
  },
};

/** `artifactDigest` → `artifact-digest`. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The subject flags as library options (only those given): `--artifact` is hashed here as a
 * stream; malformed values are usage errors (exit 2).
 */
async function subjectOptions(
  io: Io,
  values: {
    artifact?: string | undefined;
    "artifact-digest"?: string[] | undefined;
    image?: string | undefined;
    "subject-name"?: string | undefined;
    "predicate-type"?: string[] | undefined;
  },
): Promise<SubjectOptions> {
  const out: SubjectOptions = {};
  const digests = values["artifact-digest"];
  if (digests !== undefined) {
    for (const digest of digests) {
      try {
        parseDigest(digest, "--artifact-digest");
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        throw new CliError(
          `Cannot parse --artifact-digest "${digest}": use sha256:<64 lowercase hex digits> (or sha384:, sha512:)`,
        );
      }
    }
    out.artifactDigest = digests;
  }
  const image = values.image;
  if (image !== undefined) {
    if (!/^[^@\s]+@sha256:[0-9a-f]{64}$/.test(image)) {
      throw new CliError(
        `Cannot parse --image "${image}": use NAME@sha256:<64 hex> (lowercase), e.g. registry.example/app@sha256:…`,
      );
    }
    out.image = image;
  }
  const name = values["subject-name"];
  if (name !== undefined) {
    if (name === "") throw new CliError(`Cannot parse --subject-name "": give a subject name`);
    out.subjectName = name;
  }
  const types = values["predicate-type"];
  if (types !== undefined) {
    if (types.some((t) => t === "")) {
      throw new CliError(`Cannot parse --predicate-type "": give a predicate type URI`);
    }
    out.predicateType = types;
  }
  // Last: the flags above fail fast before a large artifact is hashed.
  if (values.artifact !== undefined) {
    out.artifact = await digestArtifact(await io.openFile(values.artifact));
  }
  return out;
}

function parseMaxSignatures(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) {
    throw new CliError(`Cannot parse --max-signatures "${value}": use an integer from 1`);
  }
  return Number(value);
}

/**
 * `--timeline`: the positionals (envelope files in order, one .jsonl file, or a directory in name
 * order) are one custody timeline, oldest first; adapter over {@link verifyTimeline}.
 */
async function verifyTimelineCommand(
  io: Io,
  positionals: readonly string[],
  options: VerifyEnvelopeOptions,
  json: boolean,
  anchors: {
    expectHead: string | undefined;
    expectEntries: number | undefined;
    allowUnboundCustodians: boolean;
  },
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
  const timestamps: (Uint8Array[] | undefined)[] = [];
  for (const artifact of artifacts) {
    const found = (await io.stat(artifact.sidecar))?.isFile === true;
    timestamps.push(found ? [await io.readFile(artifact.sidecar)] : undefined);
  }
  const { verifyTimeline } = await import("../lib/verify/timeline.ts");
  const report = await verifyTimeline(artifacts.map((a) => a.bytes), {
    now: options.now,
    trust: options.trust,
    keys: options.keys,
    skew: options.skew,
    notAfter: options.notAfter,
    merkleRoot: options.merkleRoot,
    expectHead: anchors.expectHead,
    expectEntries: anchors.expectEntries,
    allowUnboundCustodians: anchors.allowUnboundCustodians,
    timestamps,
    tsaRoots: options.tsaRoots,
    names: artifacts.map((a) => a.file),
  });
  if (json) {
    io.stdout(canonicalize(report) + "\n");
  } else {
    let out = "";
    for (const entry of report.entries) {
      const name = artifacts[entry.index]?.file ?? `entry ${entry.index}`;
      out += entry.verified
        ? `  ok     ${entry.index} ${entry.eventType ?? ""} ${entry.eventAt ?? ""}  ${name}\n`
        : `  FAILED ${entry.index} ${entry.code ?? ""}  ${name}\n`;
    }
    for (const check of report.checks) {
      if (!check.ok) out += `  ✗ ${check.id}: ${check.code}: ${check.message}\n`;
    }
    if (!report.anchored && report.head !== undefined) {
      out += "WARNING   unanchored: entries removed from the end of this timeline cannot be " +
        "detected\n" +
        `          anchor it: --expect-head ${report.head} --expect-entries ${report.entries.length}\n`;
    }
    out += report.verified
      ? `VERIFIED  custody timeline of ${report.entries.length} entries${
        report.anchored ? ", anchored" : ""
      }\n`
      : `FAILED    custody timeline: ${report.code ?? "UNKNOWN"}${
        report.firstFailure === undefined ? "" : ` at entry ${report.firstFailure.index}`
      }\n`;
    io.stdout(out);
  }
  return report.verified ? 0 : 1;
}

function parseExpectHead(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^(sha256:)?[0-9a-fA-F]{64}$/.test(value)) {
    throw new CliError(
      `Cannot parse --expect-head "${value}": use sha256:<64 hex>, as stella timeline append prints`,
    );
  }
  return value;
}

function parseExpectEntries(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value)) {
    throw new CliError(`Cannot parse --expect-entries "${value}": use a whole number ≥ 1`);
  }
  return Number(value);
}

async function readCertificates(io: Io, path: string): Promise<Uint8Array[]> {
  try {
    const blocks = decodePemAll(decodeUtf8(await io.readFile(path), path), {
      label: "CERTIFICATE",
      name: path,
    });
    if (blocks.length === 0) throw new CliError(`Cannot read "${path}": no CERTIFICATE block`);
    return blocks.map((b) => b.bytes);
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    throw error;
  }
}

function parseMerkleRoot(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^(sha256:)?[0-9a-fA-F]{64}$/.test(value)) {
    throw new CliError(
      `Cannot parse --merkle-root "${value}": use sha256:<64 hex> or 64 hex digits`,
    );
  }
  return value;
}

async function readTrustDoc(io: Io, path: string): Promise<TrustPolicyDocument> {
  try {
    return parseTrustPolicy(await io.readFile(path), { name: path });
  } catch (error) {
    if (error instanceof ParseError || error instanceof ValidationError) {
      throw new CliError(`Cannot load trust policy "${path}": ${error.message}`);
    }
    throw error;
  }
}

function loadTrust(doc: TrustPolicyDocument, path: string): TrustPolicy {
  try {
    return loadTrustPolicy(doc);
  } catch (error) {
    if (error instanceof ParseError || error instanceof TypeError) {
      throw new CliError(`Cannot load trust policy "${path}": ${error.message}`);
    }
    throw error;
  }
}

function loadKeys(keys: readonly VerifyManyKey[]): TrustedKey[] {
  try {
    return keys.map((k) => trustedKeyFromPem(k.pem, k.options));
  } catch (error) {
    if (error instanceof ParseError || error instanceof TypeError) {
      throw new CliError(error.message);
    }
    throw error;
  }
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
