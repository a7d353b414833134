/**
 * SLSA Provenance v1 (`predicateType: https://slsa.dev/provenance/v1`): types, validation and a
 * deterministic builder.
 *
 * Implements (slsa-framework/slsa `spec/build-provenance.md`, schema `spec/schema/provenance.cue`):
 * - "Parsing rules": unrecognised fields are ignored; unset, `null` and empty values are
 *   equivalent (so `"buildDefinition": {}` is a missing build definition).
 * - "Provenance", "BuildDefinition", "RunDetails", "Builder", "BuildMetadata": the fields REQUIRED
 *   for SLSA Build L1, with the in-toto Go binding's checks (`go/predicates/provenance/v1`).
 * - Timestamps are in-toto `Timestamp`s (`spec/v1/field_types.md`): RFC 3339 in UTC (`Z`).
 *
 * Problem codes (Go sentinel in parentheses):
 *
 * | code | meaning |
 * | --- | --- |
 * | `BUILD_DEFINITION_REQUIRED` | `buildDefinition` missing, null or `{}` (`ErrBuildDefinitionRequired`) |
 * | `BUILD_TYPE_REQUIRED` | `buildDefinition.buildType` missing or empty (`ErrBuildTypeRequired`) |
 * | `EXTERNAL_PARAMS_REQUIRED` | `externalParameters` missing or `{}` (`ErrExternalParamsRequired`) |
 * | `RUN_DETAILS_REQUIRED` | `runDetails` missing, null or `{}` (`ErrRunDetailsRequired`) |
 * | `BUILDER_REQUIRED` | `runDetails.builder` missing, null or `{}` (`ErrBuilderRequired`) |
 * | `BUILDER_ID_REQUIRED` | `runDetails.builder.id` missing or empty (`ErrBuilderIdRequired`) |
 * | `TIMESTAMP_INVALID` | `startedOn`/`finishedOn` not RFC 3339 UTC (Go: `Timestamp.CheckValid`) |
 * | `TIMES_OUT_OF_ORDER` | `finishedOn` is before `startedOn` |
 * | `PREDICATE_TYPE_MISMATCH` | a provenance statement whose predicateType is not SLSA v1 |
 * | `SUBJECT_SHA256_REQUIRED` | {@link buildProvenance}: a subject digest without `sha256` |
 * | `VALUE_NOT_JSON` | {@link buildProvenance}: an input that is not a JSON value |
 *
 * plus the ResourceDescriptor and Statement codes of `statement.ts` and `TYPE_MISMATCH`.
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { type ResourceDescriptor, validateResourceDescriptor } from "./statement.ts";
import {
  allUnset,
  checkUtcTime,
  isEmpty,
  isUnset,
  pointer,
  typeMismatch,
  type UnknownObject,
} from "./_json.ts";
import { validatePredicateStatement } from "./_statement_preamble.ts";

/**
 * `predicateType` of SLSA Provenance v1.
 *
 * @example Usage
 * ```ts
 * import { SLSA_PROVENANCE_V1 } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(SLSA_PROVENANCE_V1, "https://slsa.dev/provenance/v1");
 * ```
 */
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";

/**
 * The build platform that ran the build (`runDetails.builder`).
 *
 * @example Usage
 * ```ts
 * import { type BuilderInfo, buildProvenance } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const builder: BuilderInfo = {
 *   id: "https://stella-ops.org/builders/orchestrator@v1",
 *   version: { orchestrator: "1.4.2" },
 * };
 * const statement = buildProvenance({
 *   subjects: [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }],
 *   buildType: "https://stella-ops.org/build-types/job/v1",
 *   builder,
 *   externalParameters: { pipeline: "release" },
 * });
 * assert.deepEqual(statement.predicate.runDetails.builder, builder);
 * ```
 */
export interface BuilderInfo {
  /** TypeURI naming the transitive closure of the trusted build platform. */
  id: string;
  /** Versions of the platform's components: component name → version. */
  version?: { [component: string]: string };
  /** Orchestrator dependencies that may affect provenance generation. */
  builderDependencies?: ResourceDescriptor[];
}

/**
 * Metadata about one execution of the build (`runDetails.metadata`).
 *
 * @example Usage
 * ```ts
 * import { type BuildMetadata } from "@stellaops/provenance";
 * import { validateProvenancePredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problemsOf = (metadata: BuildMetadata) =>
 *   validateProvenancePredicate({
 *     buildDefinition: { buildType: "https://example.com/bt/v1", externalParameters: { a: "b" } },
 *     runDetails: { builder: { id: "https://example.com/builder" }, metadata },
 *   }).map((p) => [p.path, p.code]);
 * const metadata: BuildMetadata = {
 *   invocationId: "run-1",
 *   startedOn: "2025-01-01T00:00:00Z",
 *   finishedOn: "2025-01-01T00:10:00Z",
 * };
 * assert.deepEqual(problemsOf(metadata), []);
 * assert.deepEqual(problemsOf({ ...metadata, finishedOn: "2024-12-31T23:59:00Z" }), [
 *   ["/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"],
 * ]);
 * ```
 */
export interface BuildMetadata {
  /** Identifies this invocation (opaque, case-sensitive). */
  invocationId?: string;
  /** When the build started (RFC 3339, UTC). */
  startedOn?: string;
  /** When the build finished (RFC 3339, UTC). */
  finishedOn?: string;
}

/**
 * The inputs of the build (`buildDefinition`).
 *
 * @example Usage
 * ```ts
 * import { type BuildDefinition } from "@stellaops/provenance";
 * import { validateProvenancePredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problemsOf = (buildDefinition: BuildDefinition) =>
 *   validateProvenancePredicate({
 *     buildDefinition,
 *     runDetails: { builder: { id: "https://example.com/builder" } },
 *   }).map((p) => [p.path, p.code]);
 * const definition: BuildDefinition = {
 *   buildType: "https://stella-ops.org/build-types/job/v1",
 *   externalParameters: { pipeline: "release" },
 * };
 * assert.deepEqual(problemsOf(definition), []);
 * assert.deepEqual(problemsOf({ ...definition, externalParameters: {} }), [
 *   ["/buildDefinition/externalParameters", "EXTERNAL_PARAMS_REQUIRED"],
 * ]);
 * ```
 */
export interface BuildDefinition {
  /** TypeURI of the build template that gives meaning to the parameters. */
  buildType: string;
  /** Parameters under external control (user or tenant); must be verified. */
  externalParameters: JsonObject;
  /** Parameters under the builder's control. */
  internalParameters?: JsonObject;
  /** Artifacts needed at build time. */
  resolvedDependencies?: ResourceDescriptor[];
}

/**
 * Details of this execution of the build (`runDetails`).
 *
 * @example Usage
 * ```ts
 * import { type RunDetails } from "@stellaops/provenance";
 * import { validateProvenancePredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problemsOf = (runDetails: RunDetails) =>
 *   validateProvenancePredicate({
 *     buildDefinition: { buildType: "https://example.com/bt/v1", externalParameters: { a: "b" } },
 *     runDetails,
 *   }).map((p) => [p.path, p.code]);
 * const run: RunDetails = { builder: { id: "https://example.com/builder" } };
 * assert.deepEqual(problemsOf(run), []);
 * assert.deepEqual(problemsOf({ builder: { id: "" } }), [
 *   ["/runDetails/builder/id", "BUILDER_ID_REQUIRED"],
 * ]);
 * ```
 */
export interface RunDetails {
  /** The build platform. */
  builder: BuilderInfo;
  /** Metadata about this execution. */
  metadata?: BuildMetadata;
  /** Additional artifacts produced that are not outputs (logs, evaluated config, ...). */
  byproducts?: ResourceDescriptor[];
}

/**
 * The SLSA Provenance v1 predicate.
 *
 * @example Usage
 * ```ts
 * import { type ProvenancePredicate } from "@stellaops/provenance";
 * import {
 *   validateProvenancePredicate,
 *   validateProvenanceStatement,
 * } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const predicate: ProvenancePredicate = {
 *   buildDefinition: { buildType: "https://example.com/bt/v1", externalParameters: { a: "b" } },
 *   runDetails: { builder: { id: "https://example.com/builder" } },
 * };
 * assert.deepEqual(validateProvenancePredicate(predicate), []);
 * const statement = {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }],
 *   predicateType: "https://slsa.dev/provenance/v1",
 *   predicate,
 * };
 * assert.deepEqual(validateProvenanceStatement(statement), []);
 * ```
 */
export interface ProvenancePredicate {
  /** The inputs of the build. */
  buildDefinition: BuildDefinition;
  /** This execution of the build. */
  runDetails: RunDetails;
}

const BUILD_DEFINITION_FIELDS = [
  "buildType",
  "externalParameters",
  "internalParameters",
  "resolvedDependencies",
] as const;
const RUN_DETAILS_FIELDS = ["builder", "metadata", "byproducts"] as const;

const BUILDER_FIELDS = ["id", "version", "builderDependencies"] as const;

/**
 * Validates a SLSA Provenance v1 predicate (the `predicate` object, not the whole statement) and
 * names every problem.
 *
 * @param value The candidate predicate.
 * @param path JSON Pointer of `value` in its document (e.g. `/predicate`), prefixed to problems.
 * @returns Every problem found (empty when valid); codes are listed in the module documentation.
 *
 * @example Usage
 * ```ts
 * import { validateProvenancePredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validateProvenancePredicate({
 *   buildDefinition: { buildType: "https://example.com/bt/v1" },
 *   runDetails: {
 *     builder: { id: "" , version: { c: "1" } },
 *     metadata: { startedOn: "2025-01-02T00:00:00Z", finishedOn: "2025-01-01T00:00:00Z" },
 *   },
 * });
 * assert.deepEqual(problems.map((p) => p.code), [
 *   "EXTERNAL_PARAMS_REQUIRED",
 *   "BUILDER_ID_REQUIRED",
 *   "TIMES_OUT_OF_ORDER",
 * ]);
 * ```
 */
export function validateProvenancePredicate(value: unknown, path = ""): Problem[] {
  if (!isObject(value)) return [typeMismatch(path, "a provenance predicate object", value)];
  const problems: Problem[] = [];

  const definitionPath = pointer(path, "buildDefinition");
  const definition = value["buildDefinition"];
  if (
    isUnset(definition) || (isObject(definition) && allUnset(definition, BUILD_DEFINITION_FIELDS))
  ) {
    problems.push(required(definitionPath, "BUILD_DEFINITION_REQUIRED", "Add a buildDefinition"));
  } else if (!isObject(definition)) {
    problems.push(typeMismatch(definitionPath, "an object", definition));
  } else {
    validateBuildDefinition(definition, definitionPath, problems);
  }

  const runPath = pointer(path, "runDetails");
  const run = value["runDetails"];
  if (isUnset(run) || (isObject(run) && allUnset(run, RUN_DETAILS_FIELDS))) {
    problems.push(required(runPath, "RUN_DETAILS_REQUIRED", "Add runDetails with a builder"));
  } else if (!isObject(run)) {
    problems.push(typeMismatch(runPath, "an object", run));
  } else {
    validateRunDetails(run, runPath, problems);
  }
  return problems;
}

/**
 * Validates a whole SLSA Provenance v1 statement: the Statement layer
 * ({@link validateStatement}), `predicateType` equal to {@link SLSA_PROVENANCE_V1}, and the
 * predicate ({@link validateProvenancePredicate} at `/predicate`).
 *
 * @param value The candidate statement.
 * @returns Every problem found (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validateProvenanceStatement } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validateProvenanceStatement({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "a", digest: { sha256: "00".repeat(32) } }],
 *   predicateType: "https://example.com/other",
 *   predicate: {},
 * });
 * assert.deepEqual(problems.map((p) => p.code), [
 *   "PREDICATE_TYPE_MISMATCH",
 *   "BUILD_DEFINITION_REQUIRED",
 *   "RUN_DETAILS_REQUIRED",
 * ]);
 * ```
 */
export function validateProvenanceStatement(value: unknown): Problem[] {
  return validatePredicateStatement(value, {
    predicateType: SLSA_PROVENANCE_V1,
    validatePredicate: validateProvenancePredicate,
  }).problems;
}

function validateBuildDefinition(
  definition: UnknownObject,
  path: string,
  problems: Problem[],
): void {
  const buildType = definition["buildType"];
  if (isUnset(buildType) || buildType === "") {
    problems.push(
      required(pointer(path, "buildType"), "BUILD_TYPE_REQUIRED", "Set buildType to a TypeURI"),
    );
  } else if (typeof buildType !== "string") {
    problems.push(typeMismatch(pointer(path, "buildType"), "a string", buildType));
  }

  const external = definition["externalParameters"];
  if (isUnset(external) || (isObject(external) && isEmpty(external))) {
    problems.push(
      required(
        pointer(path, "externalParameters"),
        "EXTERNAL_PARAMS_REQUIRED",
        "Add externalParameters: the parameters under external control",
      ),
    );
  } else if (!isObject(external)) {
    problems.push(typeMismatch(pointer(path, "externalParameters"), "an object", external));
  }

  const internal = definition["internalParameters"];
  if (!isUnset(internal) && !isObject(internal)) {
    problems.push(typeMismatch(pointer(path, "internalParameters"), "an object", internal));
  }
  validateDescriptors(definition, "resolvedDependencies", path, problems);
}

function validateRunDetails(run: UnknownObject, path: string, problems: Problem[]): void {
  const builderPath = pointer(path, "builder");
  const builder = run["builder"];
  if (isUnset(builder) || (isObject(builder) && allUnset(builder, BUILDER_FIELDS))) {
    problems.push(required(builderPath, "BUILDER_REQUIRED", "Add a builder with an id"));
  } else if (!isObject(builder)) {
    problems.push(typeMismatch(builderPath, "an object", builder));
  } else {
    const id = builder["id"];
    if (isUnset(id) || id === "") {
      problems.push(
        required(
          pointer(builderPath, "id"),
          "BUILDER_ID_REQUIRED",
          "Set the builder id to a TypeURI",
        ),
      );
    } else if (typeof id !== "string") {
      problems.push(typeMismatch(pointer(builderPath, "id"), "a string", id));
    }
    const version = builder["version"];
    if (!isUnset(version)) {
      if (!isObject(version)) {
        problems.push(
          typeMismatch(pointer(builderPath, "version"), "an object of strings", version),
        );
      } else {
        for (const [component, text] of Object.entries(version)) {
          if (typeof text !== "string") {
            problems.push(
              typeMismatch(pointer(pointer(builderPath, "version"), component), "a string", text),
            );
          }
        }
      }
    }
    validateDescriptors(builder, "builderDependencies", builderPath, problems);
  }

  const metadata = run["metadata"];
  if (!isUnset(metadata)) {
    if (!isObject(metadata)) {
      problems.push(typeMismatch(pointer(path, "metadata"), "an object", metadata));
    } else {
      validateMetadata(metadata, pointer(path, "metadata"), problems);
    }
  }
  validateDescriptors(run, "byproducts", path, problems);
}

function validateMetadata(metadata: UnknownObject, path: string, problems: Problem[]): void {
  const invocationId = metadata["invocationId"];
  if (!isUnset(invocationId) && typeof invocationId !== "string") {
    problems.push(typeMismatch(pointer(path, "invocationId"), "a string", invocationId));
  }
  const started = checkTimestamp(metadata, "startedOn", path, problems);
  const finished = checkTimestamp(metadata, "finishedOn", path, problems);
  if (started !== undefined && finished !== undefined && compareInstants(finished, started) < 0) {
    problems.push({
      path: pointer(path, "finishedOn"),
      code: "TIMES_OUT_OF_ORDER",
      message: `Set finishedOn no earlier than startedOn: ${metadata["finishedOn"]} is before ${
        metadata["startedOn"]
      }`,
    });
  }
}

/** An instant as epoch milliseconds plus the sub-millisecond nanoseconds (0–999999). */
type Instant = readonly [ms: number, subMsNanos: number];

function checkTimestamp(
  metadata: UnknownObject,
  field: string,
  path: string,
  problems: Problem[],
): Instant | undefined {
  const value = metadata[field];
  if (isUnset(value)) return undefined;
  const ms = checkUtcTime(value, field, pointer(path, field), problems);
  if (ms === undefined) return undefined;
  const fraction = /\.(\d+)Z$/.exec(value as string)?.[1] ?? "";
  return [ms, Number(fraction.padEnd(9, "0").slice(3, 9))];
}

function compareInstants(a: Instant, b: Instant): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

function validateDescriptors(
  object: UnknownObject,
  field: string,
  path: string,
  problems: Problem[],
): void {
  const list = object[field];
  if (isUnset(list)) return;
  const at = pointer(path, field);
  if (!Array.isArray(list)) {
    problems.push(typeMismatch(at, "an array of resource descriptors", list));
    return;
  }
  for (const [i, item] of list.entries()) {
    problems.push(...validateResourceDescriptor(item, pointer(at, i)));
  }
}

function required(path: string, code: string, message: string): Problem {
  return { path, code, message };
}
