/**
 * Binds a verified in-toto statement to what the operator holds: the artifact (or its digests),
 * the image, the subject name, and the predicate types they accept (docs/architecture.md "Subject
 * binding": `--artifact`, `--artifact-digest`, `--image`, `--subject-name`, `--predicate-type`).
 * A signature proves who said something; only these checks prove it was said about this artifact.
 *
 * Rules (fail closed; `tests/verify/subject_check_test.ts`):
 * - `artifact` (bytes, or the digests {@link digestArtifact} computes from a stream): some subject
 *   carries at least one of sha256, sha384 and sha512, and every one of those it carries equals
 *   the artifact's (a subject whose sha256 matches but whose sha512 names other bytes is no match).
 * - every `artifactDigest` (`alg:hex`: sha256, sha384 or sha512, lowercase hex) is carried by some
 *   subject under that algorithm.
 * - `image` (`NAME@sha256:HEX`): some subject is named exactly NAME and carries that sha256.
 * - `subjectName`: the rules above must hold for a subject of that name; alone, some subject has
 *   that name. Names compare exactly (no registry, tag or case normalisation); digests compare
 *   without regard to hex case (in-toto accepts either).
 * - `predicateType`: the statement's predicate type is one of the list; legacy in-toto links and
 *   layouts have none.
 * - A payload that is not a valid in-toto statement (another payload type, `STATEMENT_INVALID`)
 *   binds nothing: a subject rule fails with `SUBJECT_MISMATCH`, a predicate type rule with
 *   `PREDICATE_TYPE_NOT_ALLOWED`.
 *
 * Checks, in this order and each only when its options are set: `statement.subject`
 * (`SUBJECT_MISMATCH`), `statement.predicate-type` (`PREDICATE_TYPE_NOT_ALLOWED`).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { type DigestAlgorithm, digestBytes, Hasher } from "../digest/digest.ts";
import { parseDigest } from "../digest/digest_set.ts";
import { type Check, fail, pass, type StatementSummary } from "./report.ts";

/** The algorithms an artifact is matched by, strongest last. */
const ARTIFACT_ALGORITHMS = ["sha256", "sha384", "sha512"] as const;

/**
 * The digests of one artifact, lowercase hex, as {@link digestArtifact} computes them.
 *
 * @example Usage
 * ```ts
 * import { type ArtifactDigests, digestArtifact } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const digests: ArtifactDigests = await digestArtifact(new Uint8Array());
 * assert.equal(digests.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
 * ```
 */
export interface ArtifactDigests {
  /** SHA-256, 64 lowercase hex digits. */
  sha256: string;
  /** SHA-384, 96 lowercase hex digits. */
  sha384: string;
  /** SHA-512, 128 lowercase hex digits. */
  sha512: string;
}

/**
 * What the statement must be about: the options `verifyEnvelope` and `verifyMany` take from
 * `--artifact`, `--artifact-digest`, `--image`, `--subject-name` and `--predicate-type`.
 *
 * @example Usage
 * ```ts
 * import { type SubjectOptions } from "@stellaops/provenance";
 * import { checkSubject } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const options: SubjectOptions = {
 *   image: `registry.example/app@sha256:${"e".repeat(64)}`,
 *   predicateType: ["https://slsa.dev/provenance/v1"],
 * };
 * const summary = {
 *   type: "https://in-toto.io/Statement/v1",
 *   predicateType: "https://slsa.dev/provenance/v1",
 *   subjects: [{ name: "registry.example/app", digest: { sha256: "e".repeat(64) } }],
 * };
 * assert.deepEqual(checkSubject(summary, options).checks.map((c) => c.ok), [true, true]);
 * ```
 */
export interface SubjectOptions {
  /**
   * The artifact the operator holds: its bytes, or its digests (hash a large file as a stream
   * with {@link digestArtifact}). Some subject must carry it (see the module rules).
   */
  artifact?: Uint8Array | ArtifactDigests | undefined;
  /** Digests `alg:hex` (sha256, sha384, sha512; lowercase) that subjects must carry, each. */
  artifactDigest?: readonly string[] | undefined;
  /** `NAME@sha256:HEX`: some subject has exactly this name and this sha256. */
  image?: string | undefined;
  /** The subject the other rules apply to; alone, some subject must have this name. */
  subjectName?: string | undefined;
  /** Allowed predicate types (in addition to any list of the trust policy). */
  predicateType?: readonly string[] | undefined;
}

/**
 * Computes the sha256, sha384 and sha512 of an artifact in one pass, chunk by chunk in constant
 * memory when given a stream (a multi-gigabyte file never sits in memory).
 *
 * @param source The artifact's bytes, a byte stream (e.g. `Deno.FsFile.readable`) or any async
 *   iterable of byte chunks.
 * @returns The three digests as lowercase hex.
 * @throws {TypeError} When `source` is none of these or a chunk is not a `Uint8Array`; errors of
 *   the stream itself are passed on unchanged.
 *
 * @example Usage
 * ```ts
 * import { digestArtifact } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder();
 * const streamed = await digestArtifact(ReadableStream.from([text.encode("a"), text.encode("bc")]));
 * assert.deepEqual(streamed, await digestArtifact(text.encode("abc")));
 * assert.equal(streamed.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export async function digestArtifact(
  source: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<ArtifactDigests> {
  if (source instanceof Uint8Array) {
    const hex = (algorithm: DigestAlgorithm) => digestBytes(algorithm, source).toHex();
    return { sha256: hex("sha256"), sha384: hex("sha384"), sha512: hex("sha512") };
  }
  if (typeof source !== "object" || source === null || !(Symbol.asyncIterator in source)) {
    throw new TypeError("Pass the artifact as bytes, a byte stream or an async iterable of bytes");
  }
  const hashers = ARTIFACT_ALGORITHMS.map((algorithm) => new Hasher(algorithm));
  for await (const chunk of source) for (const hasher of hashers) hasher.update(chunk);
  const [sha256, sha384, sha512] = hashers.map((hasher) => hasher.digest().toHex());
  return { sha256: sha256!, sha384: sha384!, sha512: sha512! };
}

/**
 * Checks subject options for misuse (a caller error, not a verdict): digests that are not
 * `alg:hex`, an image without `@sha256:`, an empty name or predicate type list.
 *
 * @param options The options to check.
 * @throws {TypeError} Naming the first malformed option.
 *
 * @example Usage
 * ```ts
 * import { assertSubjectOptions } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * assertSubjectOptions({ subjectName: "app" });
 * assert.throws(() => assertSubjectOptions({ image: "registry.example/app:1.0" }), TypeError);
 * ```
 */
export function assertSubjectOptions(options: SubjectOptions): void {
  resolveRules(options);
}

/**
 * Runs the subject and predicate type checks over a statement summary (see the module rules).
 *
 * @param summary The statement as the envelope's payload summarises it, or `undefined` when the
 *   payload is not a valid in-toto statement.
 * @param options What the statement must be about.
 * @returns The checks (`statement.subject`, then `statement.predicate-type`, each only when its
 *   options are set) and whether the subject was checked at all.
 * @throws {TypeError} When an option is malformed (see {@link assertSubjectOptions}).
 *
 * @example Usage
 * ```ts
 * import { checkSubject } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const summary = {
 *   type: "https://in-toto.io/Statement/v1",
 *   predicateType: "https://slsa.dev/provenance/v1",
 *   subjects: [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }],
 * };
 * const ok = checkSubject(summary, { artifactDigest: [`sha256:${"ab".repeat(32)}`] });
 * assert.deepEqual(ok, { checks: [{ id: "statement.subject", ok: true }], subjectChecked: true });
 * const other = checkSubject(summary, { subjectName: "other.tar" });
 * assert.equal(other.checks[0]?.code, "SUBJECT_MISMATCH");
 * assert.deepEqual(checkSubject(summary, {}), { checks: [], subjectChecked: false });
 * ```
 */
export function checkSubject(
  summary: StatementSummary | undefined,
  options: SubjectOptions,
): { checks: Check[]; subjectChecked: boolean } {
  const rules = resolveRules(options);
  const checks: Check[] = [];
  const subjectChecked = rules.artifact !== undefined || rules.digests.length > 0 ||
    rules.image !== undefined || rules.subjectName !== undefined;
  if (subjectChecked) checks.push(subjectCheck(summary, rules));
  if (rules.predicateTypes !== undefined) {
    checks.push(predicateTypeCheck(summary, rules.predicateTypes));
  }
  return { checks, subjectChecked };
}

interface Rules {
  artifact: ArtifactDigests | undefined;
  digests: { algorithm: DigestAlgorithm; hex: string }[];
  image: { name: string; hex: string } | undefined;
  subjectName: string | undefined;
  predicateTypes: readonly string[] | undefined;
}

const IMAGE_RE = /^([^@\s]+)@sha256:([0-9a-f]{64})$/;

function resolveRules(options: SubjectOptions): Rules {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass the subject options as an object");
  }
  const { artifactDigest, image, subjectName, predicateType } = options;
  if (artifactDigest !== undefined && !Array.isArray(artifactDigest)) {
    throw new TypeError("Pass `artifactDigest` as an array of alg:hex strings");
  }
  const digests = (artifactDigest ?? []).map((text, i) => {
    try {
      const { algorithm, hex } = parseDigest(text, `artifactDigest[${i}]`);
      return { algorithm, hex };
    } catch (error) {
      if (error instanceof ParseError) throw new TypeError(error.message);
      throw error;
    }
  });
  let imageRule: Rules["image"];
  if (image !== undefined) {
    const m = typeof image === "string" ? IMAGE_RE.exec(image) : null;
    if (m === null) {
      throw new TypeError(
        `Pass \`image\` as NAME@sha256:<64 lowercase hex digits>, not ${JSON.stringify(image)}`,
      );
    }
    imageRule = { name: m[1]!, hex: m[2]! };
  }
  if (subjectName !== undefined && (typeof subjectName !== "string" || subjectName === "")) {
    throw new TypeError("Pass `subjectName` as a non-empty string");
  }
  if (
    predicateType !== undefined &&
    (!Array.isArray(predicateType) || predicateType.length === 0 ||
      predicateType.some((t) => typeof t !== "string" || t === ""))
  ) {
    throw new TypeError("Pass `predicateType` as a non-empty array of non-empty strings");
  }
  return {
    artifact: resolveArtifact(options.artifact),
    digests,
    image: imageRule,
    subjectName,
    predicateTypes: predicateType,
  };
}

function resolveArtifact(artifact: SubjectOptions["artifact"]): ArtifactDigests | undefined {
  if (artifact === undefined) return undefined;
  if (artifact instanceof Uint8Array) {
    const hex = (algorithm: DigestAlgorithm) => digestBytes(algorithm, artifact).toHex();
    return { sha256: hex("sha256"), sha384: hex("sha384"), sha512: hex("sha512") };
  }
  const lengths = { sha256: 64, sha384: 96, sha512: 128 };
  if (
    typeof artifact !== "object" || artifact === null ||
    !ARTIFACT_ALGORITHMS.every((a) => {
      const value = (artifact as unknown as Record<string, unknown>)[a];
      return typeof value === "string" && value.length === lengths[a] && /^[0-9a-f]+$/.test(value);
    })
  ) {
    throw new TypeError(
      "Pass `artifact` as bytes or as { sha256, sha384, sha512 } in lowercase hex (digestArtifact)",
    );
  }
  return { sha256: artifact.sha256, sha384: artifact.sha384, sha512: artifact.sha512 };
}

type Subject = StatementSummary["subjects"][number];

function carried(subject: Subject, algorithm: string): string | undefined {
  const value = subject.digest[algorithm];
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

function carriesArtifact(subject: Subject, artifact: ArtifactDigests): boolean {
  let any = false;
  for (const algorithm of ARTIFACT_ALGORITHMS) {
    const value = carried(subject, algorithm);
    if (value === undefined) continue;
    if (value !== artifact[algorithm]) return false;
    any = true;
  }
  return any;
}

function subjectCheck(summary: StatementSummary | undefined, rules: Rules): Check {
  const id = "statement.subject";
  if (summary === undefined) {
    return fail(
      id,
      "SUBJECT_MISMATCH",
      "Reject subject: the payload is not a valid in-toto statement, so nothing binds it to the artifact",
    );
  }
  const name = rules.subjectName;
  const candidates = name === undefined
    ? summary.subjects
    : summary.subjects.filter((s) => s.name === name);
  const scope = name === undefined ? "" : ` named ${JSON.stringify(name)}`;
  const problems: string[] = [];
  const artifact = rules.artifact;
  const image = rules.image;
  if (name !== undefined && candidates.length === 0) {
    problems.push(`no subject is named ${JSON.stringify(name)}`);
  } else {
    if (artifact !== undefined && !candidates.some((s) => carriesArtifact(s, artifact))) {
      problems.push(`no subject${scope} carries the artifact (sha256:${artifact.sha256})`);
    }
    for (const { algorithm, hex } of rules.digests) {
      if (!candidates.some((s) => carried(s, algorithm) === hex)) {
        problems.push(`no subject${scope} carries ${algorithm}:${hex}`);
      }
    }
    if (
      image !== undefined &&
      !candidates.some((s) => s.name === image.name && carried(s, "sha256") === image.hex)
    ) {
      problems.push(`no subject${scope} is the image ${image.name}@sha256:${image.hex}`);
    }
  }
  if (problems.length === 0) return pass(id);
  return fail(
    id,
    "SUBJECT_MISMATCH",
    `Reject statement: ${problems.join("; ")}; it names ${describeSubjects(summary.subjects)}`,
  );
}

/** The first few subjects, for messages (a hostile statement may name thousands). */
function describeSubjects(subjects: readonly Subject[]): string {
  if (subjects.length === 0) return "no subject";
  const shown = subjects.slice(0, 3).map((s) => {
    const algorithm = Object.keys(s.digest).sort()[0];
    const digest = algorithm === undefined ? "" : ` ${algorithm}:${s.digest[algorithm]}`;
    return `${JSON.stringify(s.name.slice(0, 200))}${digest.slice(0, 140)}`;
  });
  const more = subjects.length > 3 ? ` and ${subjects.length - 3} more` : "";
  return `${shown.join(", ")}${more}`;
}

function predicateTypeCheck(
  summary: StatementSummary | undefined,
  allowed: readonly string[],
): Check {
  const id = "statement.predicate-type";
  const list = allowed.map((t) => JSON.stringify(t)).join(", ");
  if (summary === undefined) {
    return fail(
      id,
      "PREDICATE_TYPE_NOT_ALLOWED",
      `Reject payload: it is not a valid in-toto statement; allowed predicate types are ${list}`,
    );
  }
  if (summary.predicateType === "") {
    return fail(
      id,
      "PREDICATE_TYPE_NOT_ALLOWED",
      `Reject legacy in-toto ${summary.type}: it has no predicate type; allowed are ${list}`,
    );
  }
  if (allowed.includes(summary.predicateType)) return pass(id);
  return fail(
    id,
    "PREDICATE_TYPE_NOT_ALLOWED",
    `Reject predicate type ${JSON.stringify(summary.predicateType)}: allowed are ${list}`,
  );
}
