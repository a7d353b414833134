/**
 * `stella forensic verify` flags → the library's two verification inputs: the operator's
 * {@link TrustMaterial} (built by the one loader from `--trust`, `--key`, `--trusted-root` and
 * `--tsa-roots`) and one {@link VerifyOptions}. Every malformed flag or unreadable trust file is a
 * usage error (exit 2) naming the flag or file.
 *
 * @module
 */

import { decodeUtf8 } from "../lib/encoding/bytes.ts";
import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { parseDigest } from "../lib/digest/digest_set.ts";
import type { VerifyOptions } from "../lib/verify/options.ts";
import { digestArtifact, type SubjectOptions } from "../lib/verify/subject_check.ts";
import { loadTrustMaterial, type TrustMaterial } from "../lib/verify/trust_material.ts";
import {
  expectPositionals,
  HELP_FLAG,
  parseCountFlag,
  parseDuration,
  parseStrict,
  parseTimeFlag,
} from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import { OUTPUT_FLAGS } from "./_report_output.ts";
import { readTrustedKeyPem } from "./_trusted_key.ts";

/** The trust files named on the command line. */
export interface TrustFlags {
  /** `--trust trust.json`. */
  trust?: string | undefined;
  /** `--key PEM` (repeatable). */
  key?: string | readonly string[] | undefined;
  /** `--trusted-root trusted_root.json`. */
  trustedRoot?: string | undefined;
  /** `--tsa-roots roots.pem`. */
  tsaRoots?: string | undefined;
}

/**
 * Reads the trust files and builds the trust material; a `--key` accepts ECDSA signatures in DER
 * and P1363 form (`signatureEncoding: "any"`, as the help says) unless `strictKeys`.
 *
 * @param io The command's Io.
 * @param flags The trust flags.
 * @returns The trust material.
 * @throws {CliError} When a file is unreadable or invalid (a trusted root included: its
 *   structure, not only its JSON), exit 2.
 */
export async function readTrust(io: Io, flags: TrustFlags): Promise<TrustMaterial> {
  const keyPaths = flags.key === undefined ? [] : typeof flags.key === "string" ? [flags.key] : [
    ...flags.key,
  ];
  // The loader parses a trusted root's JSON only; its structure is read here, under its file's
  // name, so an unusable root is exit 2 before anything is verified (Sigstore code loaded only
  // for this form).
  let trustedRoot: Uint8Array | undefined;
  if (flags.trustedRoot !== undefined) {
    trustedRoot = await io.readFile(flags.trustedRoot);
    const { parseTrustedRoot } = await import("../lib/verify/trusted_root.ts");
    try {
      parseTrustedRoot(trustedRoot, { name: flags.trustedRoot });
    } catch (error) {
      if (error instanceof ParseError) throw new CliError(error.message);
      throw error;
    }
  }
  const keys = [];
  for (const path of keyPaths) {
    keys.push({
      pem: await readTrustedKeyPem(io, path),
      options: { name: path, signatureEncoding: "any" as const },
    });
  }
  try {
    return loadTrustMaterial({
      trustPolicy: flags.trust === undefined ? undefined : await io.readFile(flags.trust),
      trustPolicyName: flags.trust,
      keys,
      trustedRoot,
      trustedRootName: flags.trustedRoot,
      tsaRoots: flags.tsaRoots === undefined
        ? undefined
        : [decodeUtf8(await io.readFile(flags.tsaRoots), flags.tsaRoots)],
      tsaRootsName: flags.tsaRoots,
    });
  } catch (error) {
    if (error instanceof ParseError || error instanceof ValidationError) {
      throw new CliError(error.message);
    }
    if (error instanceof TypeError) throw new CliError(error.message);
    throw error;
  }
}

/** The time flags every form shares. */
export interface TimeFlags {
  now?: string | undefined;
  skew?: string | undefined;
  "not-after"?: string | undefined;
  "signed-at"?: string | undefined;
}

/**
 * `--now` (default: the clock), `--skew`, `--not-after`, `--signed-at` as options.
 *
 * @param io The command's Io (its clock).
 * @param values The parsed flags.
 * @returns The time options.
 */
export function timeOptions(io: Io, values: TimeFlags): VerifyOptions {
  return {
    now: parseTimeFlag("--now", values.now) ?? io.now(),
    skew: values.skew === undefined ? undefined : parseDuration("--skew", values.skew),
    notAfter: parseTimeFlag("--not-after", values["not-after"]),
    signedAt: parseTimeFlag("--signed-at", values["signed-at"]),
  };
}

/** The envelope and timeline flags beyond time and trust. */
export interface EvidenceFlags {
  "merkle-root"?: string | undefined;
  "expect-head"?: string | undefined;
  "expect-entries"?: string | undefined;
  "allow-unbound-custodians"?: boolean | undefined;
  "max-signatures"?: string | undefined;
  "allow-empty"?: boolean | undefined;
  timestamp?: string[] | undefined;
}

/**
 * The anchors, limits and `--timestamp` tokens as options (only those given).
 *
 * @param io The command's Io.
 * @param values The parsed flags.
 * @returns The options.
 */
export async function evidenceOptions(io: Io, values: EvidenceFlags): Promise<VerifyOptions> {
  const out: Partial<VerifyOptions> = {};
  const hex = /^(sha256:)?[0-9a-fA-F]{64}$/;
  const root = values["merkle-root"];
  if (root !== undefined) {
    if (!hex.test(root)) {
      throw new CliError(
        `Cannot parse --merkle-root "${root}": use sha256:<64 hex> or 64 hex digits`,
      );
    }
    out.merkleRoot = root;
  }
  const head = values["expect-head"];
  if (head !== undefined) {
    if (!hex.test(head)) {
      throw new CliError(
        `Cannot parse --expect-head "${head}": use sha256:<64 hex>, as stella timeline append prints`,
      );
    }
    out.expectHead = head;
  }
  const entries = parseCountFlag("--expect-entries", values["expect-entries"], 1);
  if (entries !== undefined) out.expectEntries = entries;
  if (values["allow-unbound-custodians"] === true) out.allowUnboundCustodians = true;
  const max = parseCountFlag("--max-signatures", values["max-signatures"], 1);
  if (max !== undefined) out.maxSignatures = max;
  if (values["allow-empty"] === true) out.allowEmpty = true;
  if (values.timestamp !== undefined && values.timestamp.length > 0) {
    out.timestamps = await Promise.all(values.timestamp.map((path) => io.readFile(path)));
  }
  return out as VerifyOptions;
}

/** The subject flags. */
export interface SubjectFlags {
  artifact?: string | undefined;
  "artifact-digest"?: string[] | undefined;
  image?: string | undefined;
  "subject-name"?: string | undefined;
  "predicate-type"?: string[] | undefined;
}

/**
 * The subject flags as library options (only those given): `--artifact` is hashed here as a
 * stream; malformed values are usage errors (exit 2).
 *
 * @param io The command's Io.
 * @param values The parsed flags.
 * @returns The subject options.
 */
export async function subjectOptions(io: Io, values: SubjectFlags): Promise<SubjectOptions> {
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
    out.artifact = await digestArtifact(await io.openFile(values.artifact, { reuseBuffers: true }));
  }
  return out;
}

/** The flags of the envelope and timeline forms. */
export const VERIFY_FLAGS = {
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
  ...OUTPUT_FLAGS,
} as const;
const TIMELINE_ONLY = ["expect-head", "expect-entries", "allow-unbound-custodians"] as const;
const NOT_TIMELINE = [
  ...["artifact", "artifact-digest", "image", "subject-name", "predicate-type"] as const,
  ...["allow-empty", "max-signatures"] as const,
];

/** What `stella forensic verify` (envelope and timeline forms) runs with. */
export interface VerifyArgs {
  /** The parsed flags. */
  values: ReturnType<typeof parseVerifyFlags>["values"];
  /** The input paths. */
  positionals: string[];
  /** The trust material of `--trust`, `--key` and `--tsa-roots`. */
  trust: TrustMaterial;
  /** The options of every other flag. */
  options: VerifyOptions;
}

function parseVerifyFlags(args: string[]) {
  return parseStrict({ args, options: VERIFY_FLAGS, allowPositionals: true });
}

/**
 * Parses the flags of `stella forensic verify` (envelope and timeline forms) into the trust
 * material and the options of the one verification call; usage errors throw (exit 2).
 *
 * @param io The command's Io.
 * @param args The arguments after `forensic verify`.
 * @returns The flags, paths, trust material and options.
 */
export async function parseVerifyArgs(io: Io, args: string[]): Promise<VerifyArgs> {
  const { values, positionals } = parseVerifyFlags(args);
  const given = (flag: keyof typeof values) => values[flag] !== undefined && values[flag] !== false;
  if (values.key === undefined && values.trust === undefined) {
    // With a trusted key, zero paths is an input to judge (NO_INPUT), not a usage error.
    expectPositionals(positionals, "the envelope file, .jsonl file or directory to verify", {
      min: 1,
    });
  }
  await refuseOverwritingInput(io, "--out", values.out, [
    ...positionals,
    values.trust,
    ...(values.key ?? []),
    values["tsa-roots"],
    ...(values.timestamp ?? []),
    values.artifact,
  ]);
  const subject = await subjectOptions(io, values);
  const trust = await readTrust(io, {
    trust: values.trust,
    key: values.key,
    tsaRoots: values["tsa-roots"],
  });
  const timeline = values.timeline;
  const wrong = timeline ? NOT_TIMELINE.filter(given) : TIMELINE_ONLY.filter(given);
  if (wrong.length > 0) {
    throw new CliError(
      timeline
        ? `${wrong.map((f) => `--${f}`).join(", ")} does not apply to --timeline`
        : `--${wrong[0]} applies to --timeline only`,
    );
  }
  const options = {
    ...timeOptions(io, values),
    ...await evidenceOptions(io, values),
    ...subject,
  };
  if (options.timestamps !== undefined && trust.tsaRoots === undefined) {
    throw new CliError(
      "Give the TSA roots for --timestamp with --tsa-roots roots.pem (or tsaRoots in --trust)",
    );
  }
  if (trust.keys.length === 0) {
    throw new CliError("Name at least one trusted key with --key PEM or --trust trust.json");
  }
  return { values, positionals, trust, options };
}
