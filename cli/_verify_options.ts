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
import { parseDuration, parseTimeFlag } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";

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
 * @throws {CliError} When a file is unreadable or invalid (exit 2).
 */
export async function readTrust(io: Io, flags: TrustFlags): Promise<TrustMaterial> {
  const keyPaths = flags.key === undefined ? [] : typeof flags.key === "string" ? [flags.key] : [
    ...flags.key,
  ];
  const keys = [];
  for (const path of keyPaths) {
    keys.push({
      pem: decodeUtf8(await io.readFile(path), path),
      options: { name: path, signatureEncoding: "any" as const },
    });
  }
  try {
    return loadTrustMaterial({
      trustPolicy: flags.trust === undefined ? undefined : await io.readFile(flags.trust),
      trustPolicyName: flags.trust,
      keys,
      trustedRoot: flags.trustedRoot === undefined
        ? undefined
        : await io.readFile(flags.trustedRoot),
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
  const entries = values["expect-entries"];
  if (entries !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(entries)) {
      throw new CliError(`Cannot parse --expect-entries "${entries}": use a whole number ≥ 1`);
    }
    out.expectEntries = Number(entries);
  }
  if (values["allow-unbound-custodians"] === true) out.allowUnboundCustodians = true;
  const max = values["max-signatures"];
  if (max !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(max)) {
      throw new CliError(`Cannot parse --max-signatures "${max}": use an integer from 1`);
    }
    out.maxSignatures = Number(max);
  }
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
    out.artifact = await digestArtifact(await io.openFile(values.artifact));
  }
  return out;
}
