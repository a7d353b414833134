/**
 * Building a SLSA Provenance v1 statement (`slsa_provenance.ts`) from explicit inputs,
 * deterministically, every problem named at once.
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { ValidationError } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { type ResourceDescriptor, type Statement, STATEMENT_TYPE_V1 } from "./statement.ts";
import { cloneJson, isEmpty, pointer, withOptional } from "./_json.ts";
import { sortProblems } from "../encoding/errors.ts";
import {
  type BuilderInfo,
  type ProvenancePredicate,
  SLSA_PROVENANCE_V1,
  validateProvenanceStatement,
} from "./slsa_provenance.ts";

/**
 * Inputs of {@link buildProvenance}. Unset and empty optional inputs are omitted from the output.
 *
 * @example Usage
 * ```ts
 * import { buildProvenance, type BuildProvenanceOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: BuildProvenanceOptions = {
 *   subjects: [{ name: "app", digest: { sha256: "00".repeat(32) } }],
 *   buildType: "https://example.com/bt/v1",
 *   builder: "https://example.com/builder",
 *   externalParameters: { ref: "main" },
 *   invocationId: "",
 * };
 * assert.deepEqual(buildProvenance(options), {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app", digest: { sha256: "00".repeat(32) } }],
 *   predicateType: "https://slsa.dev/provenance/v1",
 *   predicate: {
 *     buildDefinition: { buildType: "https://example.com/bt/v1", externalParameters: { ref: "main" } },
 *     runDetails: { builder: { id: "https://example.com/builder" } },
 *   },
 * });
 * ```
 */
export interface BuildProvenanceOptions {
  /** The build's outputs; each needs a `sha256` digest. */
  subjects: ResourceDescriptor[];
  /** TypeURI of the build template. */
  buildType: string;
  /** The builder, or just its id. */
  builder: BuilderInfo | string;
  /** Parameters under external control (a non-empty object). */
  externalParameters: JsonObject;
  /** Parameters under the builder's control. */
  internalParameters?: JsonObject | undefined;
  /** Artifacts needed at build time. */
  resolvedDependencies?: ResourceDescriptor[] | undefined;
  /** Identifies this invocation. */
  invocationId?: string | undefined;
  /** When the build started (RFC 3339, UTC, e.g. `2025-01-31T12:00:00Z`). */
  startedOn?: string | undefined;
  /** When the build finished (RFC 3339, UTC); not before `startedOn`. */
  finishedOn?: string | undefined;
  /** Additional artifacts produced that are not outputs. */
  byproducts?: ResourceDescriptor[] | undefined;
}

/**
 * Builds a SLSA Provenance v1 statement from explicit inputs, validating everything at once.
 *
 * The output depends only on the inputs: no clock, no random ids; unset and empty optional fields
 * are omitted; object keys are copied in sorted order and arrays keep the given order; inputs are
 * deep-copied, so later changes to them do not affect the statement. On top of the SLSA and
 * in-toto rules, every subject must carry a `sha256` digest (StellaOps matches subjects by it).
 *
 * @param options The subjects, build definition and run details.
 * @returns A valid `Statement<ProvenancePredicate>` with `_type` {@link STATEMENT_TYPE_V1}.
 * @throws {ValidationError} Naming every problem (paths point into the would-be statement, e.g.
 * `/predicate/runDetails/builder/id`, `/subject/0/digest/sha256`,
 * `/predicate/runDetails/metadata/finishedOn`).
 *
 * @example Usage
 * ```ts
 * import { buildProvenance, ValidationError } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const statement = buildProvenance({
 *   subjects: [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }],
 *   buildType: "https://example.com/bt/v1",
 *   builder: "https://example.com/builder",
 *   externalParameters: { ref: "main" },
 *   startedOn: "2025-01-01T00:00:00Z",
 * });
 * assert.equal(statement.predicateType, "https://slsa.dev/provenance/v1");
 * assert.deepEqual(statement.predicate.runDetails, {
 *   builder: { id: "https://example.com/builder" },
 *   metadata: { startedOn: "2025-01-01T00:00:00Z" },
 * });
 * assert.throws(
 *   () => buildProvenance({ subjects: [], buildType: "x", builder: "", externalParameters: {} }),
 *   ValidationError,
 * );
 * ```
 */
export function buildProvenance(options: BuildProvenanceOptions): Statement<ProvenancePredicate> {
  if (!isObject(options)) throw new TypeError("Pass buildProvenance options as an object");
  const problems: Problem[] = [];
  const copy = (value: unknown, path: string): unknown =>
    value === undefined ? undefined : cloneJson(value, path, problems);

  const builderInput: Partial<BuilderInfo> | undefined = typeof options.builder === "string"
    ? { id: options.builder }
    : options.builder;
  const builderPath = "/predicate/runDetails/builder";
  const builder = withOptional({ id: builderInput?.id ?? "" }, {
    version: copy(builderInput?.version, pointer(builderPath, "version")),
    builderDependencies: copy(
      builderInput?.builderDependencies,
      pointer(builderPath, "builderDependencies"),
    ),
  });

  const definitionPath = "/predicate/buildDefinition";
  const buildDefinition = withOptional({
    buildType: options.buildType ?? "",
    externalParameters: copy(
      options.externalParameters ?? {},
      pointer(definitionPath, "externalParameters"),
    ),
  }, {
    internalParameters: copy(
      options.internalParameters,
      pointer(definitionPath, "internalParameters"),
    ),
    resolvedDependencies: copy(
      options.resolvedDependencies,
      pointer(definitionPath, "resolvedDependencies"),
    ),
  });

  const metadata = withOptional({}, {
    invocationId: options.invocationId,
    startedOn: options.startedOn,
    finishedOn: options.finishedOn,
  });
  const runDetails = withOptional({ builder }, {
    metadata,
    byproducts: copy(options.byproducts, "/predicate/runDetails/byproducts"),
  });

  const statement = {
    _type: STATEMENT_TYPE_V1,
    subject: copy(options.subjects, "/subject"),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: { buildDefinition, runDetails },
  };

  problems.push(...validateProvenanceStatement(statement));
  if (Array.isArray(statement.subject)) {
    for (const [i, subject] of statement.subject.entries()) {
      if (!isObject(subject) || !isObject(subject["digest"]) || isEmpty(subject["digest"])) {
        continue;
      }
      if (subject["digest"]["sha256"] === undefined) {
        problems.push({
          path: pointer(pointer(pointer("/subject", i), "digest"), "sha256"),
          code: "SUBJECT_SHA256_REQUIRED",
          message: "Add a sha256 digest to the subject",
        });
      }
    }
  }
  if (problems.length > 0) {
    throw new ValidationError("Cannot build SLSA provenance", sortProblems(problems));
  }
  return statement as unknown as Statement<ProvenancePredicate>;
}
