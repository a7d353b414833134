/**
 * The three StellaOps subject kinds: orchestrator runs, jobs and exports. Each helper is pure: it
 * takes the record or bytes (never a file) and returns an in-toto ResourceDescriptor
 * (`spec/v1/resource_descriptor.md`) fit for a Statement's `subject` (`spec/v1/statement.md`).
 *
 * Naming scheme (the descriptor's `name`; every `<segment>` is percent-encoded with
 * `encodeURIComponent`, so `/` inside an id becomes `%2F`; empty, `.` and `..` are rejected):
 *
 * | kind | name | `digest` |
 * | --- | --- | --- |
 * | orchestrator run | `stella://orchestrator/<cluster>/runs/<runId>` | `sha256` of the run record's RFC 8785 canonical JSON |
 * | job | `stella://jobs/<pipeline>/<jobId>` | `sha256` of the job record's RFC 8785 canonical JSON |
 * | export | `stella://exports/<exportId>` | `sha256` of the archive bytes, and `merkleSha256` (below) |
 *
 * Records are hashed as canonical JSON (RFC 8785), so the digest does not depend on key order or
 * formatting: a verifier re-serialises the record it holds and compares. A job's output artifacts
 * are subjects of their own (a descriptor with the artifact's `sha256`), not part of the job subject.
 *
 * `merkleSha256` ({@link MERKLE_DIGEST_ALGORITHM}) is a DigestSet entry defined by this toolkit
 * (in-toto `digest_set.md` allows new algorithm names that document their encoding): lowercase hex
 * of `merkleRootOfDigests` (`lib/digest/merkle.ts`) over the files' digests written
 * `sha256:<hex>`, i.e. the RFC 9162 Merkle Tree Hash (SHA-256) whose leaves are the ASCII strings
 * `sha256:<hex>` of the distinct file digests sorted in byte order (no files: SHA-256 of nothing).
 * It commits to the set of file contents independently of the archive format and file names, and
 * lets one file be shown to belong to the export with an inclusion proof. The archive `sha256`
 * binds the exact bytes, names included.
 *
 * @module
 */

import { canonicalBytes } from "../encoding/canonical_json.ts";
import { encodeHex } from "../encoding/bytes.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { sha256 } from "../digest/digest.ts";
import { merkleRootOfDigests } from "../digest/merkle_tree.ts";
import type { ResourceDescriptor } from "./statement.ts";
import { parseDigest } from "../digest/digest_set.ts";

/** Scheme and `//` every StellaOps subject name starts with. */
export const SUBJECT_NAME_PREFIX = "stella://";

/**
 * DigestSet key of an export's file Merkle root: hex of `merkleRootOfDigests` over the files'
 * `sha256:<hex>` digests (RFC 9162, leaves sorted and de-duplicated).
 */
export const MERKLE_DIGEST_ALGORITHM = "merkleSha256";

const SHA256_HEX_RE = /^[0-9a-f]{64}$/;

/**
 * An orchestrator run to describe as a subject.
 *
 * @example Usage
 * ```ts
 * import { type OrchestratorRunSubjectInput, orchestratorSubject } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const run: OrchestratorRunSubjectInput = { cluster: "eu-1", runId: "r-42", record: { state: "done" } };
 * assert.deepEqual(orchestratorSubject(run), {
 *   name: "stella://orchestrator/eu-1/runs/r-42",
 *   digest: { sha256: "414dc96abeb5a87dbec57391eb1cf881aecf766497e6240f8f50f8319bed8e0e" },
 * });
 * assert.throws(() => orchestratorSubject({ ...run, runId: ".." }), RangeError);
 * ```
 */
export interface OrchestratorRunSubjectInput {
  /** Cluster that ran the orchestration. */
  cluster: string;
  /** Run id, unique within the cluster. */
  runId: string;
  /** The run record (any JSON value); its canonical JSON is hashed. */
  record: JsonValue;
}

/**
 * A job to describe as a subject.
 *
 * @example Usage
 * ```ts
 * import { jobSubject, type JobSubjectInput } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const job: JobSubjectInput = { pipeline: "release", jobId: "build-7", record: { exitCode: 0 } };
 * assert.deepEqual(jobSubject(job), {
 *   name: "stella://jobs/release/build-7",
 *   digest: { sha256: "6041df3e9b345d68be886f995c452395674ea950cd3ca9992c13b64f3aa9cbd0" }, // sha256('{"exitCode":0}')
 * });
 * ```
 */
export interface JobSubjectInput {
  /** Pipeline the job belongs to. */
  pipeline: string;
  /** Job id, unique within the pipeline. */
  jobId: string;
  /** The job record (any JSON value); its canonical JSON is hashed. */
  record: JsonValue;
}

/**
 * An export to describe as a subject.
 *
 * @example Usage
 * ```ts
 * import { exportSubject, type ExportSubjectInput } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const input: ExportSubjectInput = { exportId: "x-1", archive: new Uint8Array(), fileDigests: [] };
 * const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; // SHA-256 of nothing
 * assert.deepEqual(exportSubject(input), {
 *   name: "stella://exports/x-1",
 *   digest: { merkleSha256: empty, sha256: empty },
 * });
 * assert.throws(() => exportSubject({ ...input, fileDigests: ["AB"] }), TypeError);
 * ```
 */
export interface ExportSubjectInput {
  /** Export id. */
  exportId: string;
  /** The archive's exact bytes. */
  archive: Uint8Array;
  /** SHA-256 of each file inside the archive, 64 lowercase hex digits each, in any order. */
  fileDigests: readonly string[];
}

/**
 * Describes an orchestrator run: name `stella://orchestrator/<cluster>/runs/<runId>`, digest the
 * SHA-256 of the run record's canonical JSON.
 *
 * @param input The cluster, run id and run record.
 * @returns The subject descriptor `{ name, digest: { sha256 } }`.
 * @throws {TypeError} When a field has the wrong type or the record is not JSON.
 * @throws {RangeError} When an id is empty, `.` or `..`.
 *
 * @example Usage
 * ```ts
 * import { orchestratorSubject } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const a = orchestratorSubject({ cluster: "eu-1", runId: "r-42", record: { b: 1, a: 2 } });
 * const b = orchestratorSubject({ cluster: "eu-1", runId: "r-42", record: { a: 2, b: 1 } });
 * assert.equal(a.name, "stella://orchestrator/eu-1/runs/r-42");
 * assert.deepEqual(a, b);
 * ```
 */
export function orchestratorSubject(input: OrchestratorRunSubjectInput): ResourceDescriptor {
  checkInput(input, "orchestratorSubject");
  const name = `${SUBJECT_NAME_PREFIX}orchestrator/${segment(input.cluster, "cluster")}/runs/${
    segment(input.runId, "runId")
  }`;
  return { name, digest: { sha256: recordDigest(input.record) } };
}

/**
 * Describes a job: name `stella://jobs/<pipeline>/<jobId>`, digest the SHA-256 of the job record's
 * canonical JSON.
 *
 * @param input The pipeline, job id and job record.
 * @returns The subject descriptor `{ name, digest: { sha256 } }`.
 * @throws {TypeError} When a field has the wrong type or the record is not JSON.
 * @throws {RangeError} When an id is empty, `.` or `..`.
 *
 * @example Usage
 * ```ts
 * import { jobSubject } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const subject = jobSubject({ pipeline: "team/app", jobId: "build-7", record: {} });
 * assert.equal(subject.name, "stella://jobs/team%2Fapp/build-7");
 * assert.equal(
 *   subject.digest?.sha256,
 *   "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", // sha256("{}")
 * );
 * ```
 */
export function jobSubject(input: JobSubjectInput): ResourceDescriptor {
  checkInput(input, "jobSubject");
  const name = `${SUBJECT_NAME_PREFIX}jobs/${segment(input.pipeline, "pipeline")}/${
    segment(input.jobId, "jobId")
  }`;
  return { name, digest: { sha256: recordDigest(input.record) } };
}

/**
 * Describes an export: name `stella://exports/<exportId>`, digest the SHA-256 of the archive
 * bytes plus `merkleSha256`, the RFC 9162 Merkle root over the set of its files' SHA-256 digests
 * (see {@link MERKLE_DIGEST_ALGORITHM}).
 *
 * @param input The export id, the archive bytes and the SHA-256 of each file in the archive.
 * @returns The subject descriptor `{ name, digest: { merkleSha256, sha256 } }`.
 * @throws {TypeError} When a field has the wrong type or a file digest is not 64 lowercase hex.
 * @throws {RangeError} When the id is empty, `.` or `..`.
 *
 * @example Usage
 * ```ts
 * import { exportSubject } from "@stellaops/provenance";
 * import { merkleRootOfDigests, sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const fileA = encodeHex(sha256(new TextEncoder().encode("a")));
 * const fileB = encodeHex(sha256(new TextEncoder().encode("b")));
 * const archive = new TextEncoder().encode("archive bytes");
 * const subject = exportSubject({ exportId: "x-1", archive, fileDigests: [fileB, fileA] });
 * assert.equal(subject.name, "stella://exports/x-1");
 * assert.equal(subject.digest?.sha256, encodeHex(sha256(archive)));
 * assert.equal(
 *   `sha256:${subject.digest?.merkleSha256}`,
 *   merkleRootOfDigests([`sha256:${fileA}`, `sha256:${fileB}`]),
 * );
 * ```
 */
export function exportSubject(input: ExportSubjectInput): ResourceDescriptor {
  checkInput(input, "exportSubject");
  const name = `${SUBJECT_NAME_PREFIX}exports/${segment(input.exportId, "exportId")}`;
  if (!(input.archive instanceof Uint8Array)) {
    throw new TypeError("Pass exportSubject archive as a Uint8Array");
  }
  if (!Array.isArray(input.fileDigests)) {
    throw new TypeError("Pass exportSubject fileDigests as an array");
  }
  const digests = input.fileDigests.map((digest: unknown, i: number) => {
    if (typeof digest !== "string" || !SHA256_HEX_RE.test(digest)) {
      throw new TypeError(`Pass exportSubject fileDigests[${i}] as 64 lowercase hex digits`);
    }
    return `sha256:${digest}`;
  });
  const root = merkleRootOfDigests(digests);
  return {
    name,
    digest: {
      [MERKLE_DIGEST_ALGORITHM]: parseDigest(root).hex,
      sha256: encodeHex(sha256(input.archive)),
    },
  };
}

function checkInput(input: unknown, fn: string): void {
  if (typeof input !== "object" || input === null) {
    throw new TypeError(`Pass ${fn} input as an object`);
  }
}

function segment(value: unknown, field: string): string {
  if (typeof value !== "string") throw new TypeError(`Pass ${field} as a string`);
  if (value === "" || value === "." || value === "..") {
    throw new RangeError(`Pass a non-empty ${field} other than "." or "..": got "${value}"`);
  }
  try {
    return encodeURIComponent(value);
  } catch {
    throw new RangeError(`Pass ${field} as well-formed Unicode: it holds a lone surrogate`);
  }
}

function recordDigest(record: unknown): string {
  if (record === undefined) throw new TypeError("Pass the record as a JSON value");
  return encodeHex(sha256(canonicalBytes(record)));
}
