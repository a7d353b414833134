import assert from "node:assert/strict";
import {
  buildProvenance,
  type BuildProvenanceOptions,
  canonicalize,
  type Problem,
  SLSA_PROVENANCE_V1,
  validateStatement,
  ValidationError,
} from "../../mod.ts";
import { STATEMENT_TYPE_V1 } from "../../lib/model/mod.ts";
import { validateProvenancePredicate, validateProvenanceStatement } from "../../lib/model/mod.ts";

const SHA = "ab".repeat(32);
const codes = (problems: readonly Problem[]): [string, string][] =>
  problems.map((p) => [p.path, p.code]);

function options(): BuildProvenanceOptions {
  return {
    subjects: [{ name: "app.tar", digest: { sha256: SHA } }],
    buildType: "https://stella-ops.org/build-types/job/v1",
    builder: {
      id: "https://stella-ops.org/builders/orchestrator@v1",
      version: { orchestrator: "1.2.3" },
    },
    externalParameters: { pipeline: "release", ref: "refs/heads/main" },
    internalParameters: { worker: "w-1" },
    resolvedDependencies: [{ uri: "git+https://e/x@main", digest: { gitCommit: "c".repeat(40) } }],
    invocationId: "run-1",
    startedOn: "2025-01-31T12:00:00Z",
    finishedOn: "2025-01-31T12:05:00.5Z",
    byproducts: [{ name: "build.log", digest: { sha256: SHA } }],
  };
}

function predicate(): Record<string, unknown> {
  return {
    buildDefinition: { buildType: "https://e/bt/v1", externalParameters: { a: 1 } },
    runDetails: { builder: { id: "https://e/builder" } },
  };
}

Deno.test("validateProvenanceStatement() accepts only the SLSA v1 predicate type URI", () => {
  const statement = (predicateType: string) => ({
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: "a", digest: { sha256: SHA } }],
    predicateType,
    predicate: predicate(),
  });
  // The URI as the SLSA spec and other builders write it.
  assert.deepEqual(validateProvenanceStatement(statement("https://slsa.dev/provenance/v1")), []);
  assert.equal(buildProvenance(options()).predicateType, SLSA_PROVENANCE_V1);
  for (
    const other of [
      "https://slsa.dev/provenance/v0.2",
      "https://slsa.dev/provenance/v1/",
      "http://slsa.dev/provenance/v1",
      "https://slsa.dev/Provenance/v1",
    ]
  ) {
    assert.deepEqual(codes(validateProvenanceStatement(statement(other))), [
      ["/predicateType", "PREDICATE_TYPE_MISMATCH"],
    ], other);
  }
});

Deno.test("buildProvenance() builds the full statement from explicit inputs", () => {
  const statement = buildProvenance(options());
  assert.deepEqual(statement, {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: "app.tar", digest: { sha256: SHA } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: "https://stella-ops.org/build-types/job/v1",
        externalParameters: { pipeline: "release", ref: "refs/heads/main" },
        internalParameters: { worker: "w-1" },
        resolvedDependencies: [{
          uri: "git+https://e/x@main",
          digest: { gitCommit: "c".repeat(40) },
        }],
      },
      runDetails: {
        builder: {
          id: "https://stella-ops.org/builders/orchestrator@v1",
          version: { orchestrator: "1.2.3" },
        },
        metadata: {
          invocationId: "run-1",
          startedOn: "2025-01-31T12:00:00Z",
          finishedOn: "2025-01-31T12:05:00.5Z",
        },
        byproducts: [{ name: "build.log", digest: { sha256: SHA } }],
      },
    },
  });
  assert.deepEqual(validateProvenanceStatement(statement), []);
});

Deno.test("buildProvenance() omits unset and empty optional fields", () => {
  const statement = buildProvenance({
    subjects: [{ digest: { sha256: SHA } }],
    buildType: "https://e/bt/v1",
    builder: { id: "https://e/b", version: {}, builderDependencies: [] },
    externalParameters: { a: "b" },
    internalParameters: {},
    resolvedDependencies: [],
    invocationId: undefined,
    startedOn: "",
    byproducts: undefined,
  });
  assert.equal(
    canonicalize(statement.predicate),
    '{"buildDefinition":{"buildType":"https://e/bt/v1","externalParameters":{"a":"b"}},' +
      '"runDetails":{"builder":{"id":"https://e/b"}}}',
  );
});

Deno.test("buildProvenance() is deterministic and copies its inputs", () => {
  const input = options();
  const a = buildProvenance(input);
  const b = buildProvenance(options());
  assert.equal(canonicalize(a), canonicalize(b));
  (input.externalParameters as Record<string, unknown>)["pipeline"] = "changed";
  input.subjects[0]!.name = "changed";
  assert.equal(canonicalize(a), canonicalize(b));
  // Object keys come out sorted, so even JSON.stringify is stable.
  const reordered = buildProvenance({
    ...options(),
    externalParameters: { ref: "refs/heads/main", pipeline: "release" },
  });
  assert.equal(JSON.stringify(reordered), JSON.stringify(b));
});

Deno.test("buildProvenance() accepts a builder id string", () => {
  const statement = buildProvenance({ ...options(), builder: "https://e/b" });
  assert.deepEqual(statement.predicate.runDetails.builder, { id: "https://e/b" });
});

Deno.test("buildProvenance() names every problem at once", () => {
  assert.throws(
    () =>
      buildProvenance({
        subjects: [
          { name: "a", digest: { sha512: "ab".repeat(64) } },
          { name: "b" },
          { name: "c", digest: { sha256: "xyz" } },
        ],
        buildType: "",
        builder: { id: "" },
        externalParameters: {},
        resolvedDependencies: [{ mediaType: "text/plain" }],
        startedOn: "2025-02-01T00:00:00Z",
        finishedOn: "2025-01-31T23:59:59Z",
        byproducts: [{ name: "log", digest: { sha1: "00" } }],
      }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(codes(error.problems), [
        ["/predicate/buildDefinition/buildType", "BUILD_TYPE_REQUIRED"],
        ["/predicate/buildDefinition/externalParameters", "EXTERNAL_PARAMS_REQUIRED"],
        ["/predicate/buildDefinition/resolvedDependencies/0", "RD_REQUIRED_FIELD"],
        ["/predicate/runDetails/builder/id", "BUILDER_ID_REQUIRED"],
        ["/predicate/runDetails/byproducts/0/digest/sha1", "DIGEST_INCORRECT_LENGTH"],
        ["/predicate/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"],
        ["/subject/0/digest/sha256", "SUBJECT_SHA256_REQUIRED"],
        ["/subject/1/digest", "DIGEST_REQUIRED"],
        ["/subject/2/digest/sha256", "DIGEST_INVALID_ENCODING"],
      ]);
      assert.match(error.message, /^Cannot build SLSA provenance: /);
      return true;
    },
  );
});

Deno.test("buildProvenance() reports missing subjects and bad timestamps", () => {
  assert.throws(
    () =>
      buildProvenance({
        ...options(),
        subjects: [],
        startedOn: "2025-01-31 12:00:00Z",
        finishedOn: "2025-01-31T14:00:00+02:00",
      }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(codes(error.problems), [
        ["/predicate/runDetails/metadata/finishedOn", "TIMESTAMP_INVALID"],
        ["/predicate/runDetails/metadata/startedOn", "TIMESTAMP_INVALID"],
        ["/subject", "SUBJECT_REQUIRED"],
      ]);
      return true;
    },
  );
});

Deno.test("buildProvenance() reports values that are not JSON", () => {
  assert.throws(
    () =>
      buildProvenance({
        ...options(),
        externalParameters: { when: new Date(0), n: NaN, list: [undefined] } as never,
      }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(codes(error.problems), [
        ["/predicate/buildDefinition/externalParameters/list/0", "VALUE_NOT_JSON"],
        ["/predicate/buildDefinition/externalParameters/n", "VALUE_NOT_JSON"],
        ["/predicate/buildDefinition/externalParameters/when", "VALUE_NOT_JSON"],
      ]);
      return true;
    },
  );
});

Deno.test("buildProvenance() rejects a non-object options argument with TypeError", () => {
  assert.throws(() => buildProvenance(null as never), TypeError);
});

Deno.test("validateProvenancePredicate() accepts a minimal predicate and ignores extensions", () => {
  assert.deepEqual(validateProvenancePredicate(predicate()), []);
  const extended = predicate();
  extended["extension"] = 1;
  (extended["runDetails"] as Record<string, unknown>)["x-vendor"] = { y: [] };
  assert.deepEqual(validateProvenancePredicate(extended), []);
});

Deno.test("validateProvenancePredicate() treats null and {} containers as missing", () => {
  assert.deepEqual(codes(validateProvenancePredicate({})), [
    ["/buildDefinition", "BUILD_DEFINITION_REQUIRED"],
    ["/runDetails", "RUN_DETAILS_REQUIRED"],
  ]);
  assert.deepEqual(
    codes(validateProvenancePredicate({ buildDefinition: null, runDetails: { builder: null } })),
    [["/buildDefinition", "BUILD_DEFINITION_REQUIRED"], [
      "/runDetails",
      "RUN_DETAILS_REQUIRED",
    ]],
  );
  assert.deepEqual(
    codes(validateProvenancePredicate({ ...predicate(), runDetails: { builder: { other: 1 } } })),
    [["/runDetails/builder", "BUILDER_REQUIRED"]],
  );
});

Deno.test("validateProvenancePredicate() reports wrong types with paths under the given prefix", () => {
  const problems = validateProvenancePredicate(
    {
      buildDefinition: {
        buildType: 1,
        externalParameters: [],
        internalParameters: "x",
        resolvedDependencies: {},
      },
      runDetails: {
        builder: { id: 2, version: { a: 1 }, builderDependencies: ["x"] },
        metadata: { invocationId: 3, startedOn: 4 },
        byproducts: "y",
      },
    },
    "/predicate",
  );
  assert.deepEqual(codes(problems), [
    ["/predicate/buildDefinition/buildType", "TYPE_MISMATCH"],
    ["/predicate/buildDefinition/externalParameters", "TYPE_MISMATCH"],
    ["/predicate/buildDefinition/internalParameters", "TYPE_MISMATCH"],
    ["/predicate/buildDefinition/resolvedDependencies", "TYPE_MISMATCH"],
    ["/predicate/runDetails/builder/id", "TYPE_MISMATCH"],
    ["/predicate/runDetails/builder/version/a", "TYPE_MISMATCH"],
    ["/predicate/runDetails/builder/builderDependencies/0", "TYPE_MISMATCH"],
    ["/predicate/runDetails/metadata/invocationId", "TYPE_MISMATCH"],
    ["/predicate/runDetails/metadata/startedOn", "TYPE_MISMATCH"],
    ["/predicate/runDetails/byproducts", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(codes(validateProvenancePredicate([], "/p")), [["/p", "TYPE_MISMATCH"]]);
  assert.deepEqual(
    codes(validateProvenancePredicate({ buildDefinition: "x", runDetails: 1 })),
    [["/buildDefinition", "TYPE_MISMATCH"], ["/runDetails", "TYPE_MISMATCH"]],
  );
});

Deno.test("validateProvenancePredicate() checks timestamps as RFC 3339 UTC", () => {
  const withTimes = (startedOn: unknown, finishedOn?: unknown): [string, string][] =>
    codes(
      validateProvenancePredicate({
        ...predicate(),
        runDetails: {
          builder: { id: "b" },
          metadata: finishedOn === undefined ? { startedOn } : { startedOn, finishedOn },
        },
      }),
    );
  for (
    const ok of ["2025-01-31T12:00:00Z", "2024-02-29T23:59:59.123456789Z", "0001-01-01T00:00:00Z"]
  ) {
    assert.deepEqual(withTimes(ok), [], ok);
  }
  for (
    const bad of [
      "2025-01-31T12:00:00+00:00",
      "2025-01-31T12:00:00",
      "2025-01-31t12:00:00z",
      "2025-02-29T00:00:00Z",
      "2025-01-31T24:00:00Z",
      "2025-01-31T12:00:60Z",
      "2025-01-31T12:00:00.1234567890Z",
      "",
    ]
  ) {
    assert.deepEqual(
      withTimes(bad),
      [["/runDetails/metadata/startedOn", "TIMESTAMP_INVALID"]],
      bad,
    );
  }
  assert.deepEqual(withTimes("2025-01-31T12:00:00Z", "2025-01-31T12:00:00Z"), []);
  assert.deepEqual(
    withTimes("2025-01-31T12:00:00.000000002Z", "2025-01-31T12:00:00.000000001Z"),
    [["/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"]],
  );
  assert.deepEqual(withTimes("2025-01-31T12:00:00.5Z", "2025-01-31T12:00:00.50000001Z"), []);
  assert.deepEqual(withTimes("2025-01-31T12:00:01Z", "2025-01-31T12:00:00.999Z"), [
    ["/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"],
  ]);
});

Deno.test("validateProvenanceStatement() combines statement and predicate checks", () => {
  const statement = {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: "a", digest: { sha256: SHA } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: { ...predicate(), runDetails: { builder: {} } },
  };
  assert.deepEqual(validateStatement(statement), []);
  assert.deepEqual(codes(validateProvenanceStatement(statement)), [
    ["/predicate/runDetails/builder", "BUILDER_REQUIRED"],
  ]);
  assert.deepEqual(
    codes(validateProvenanceStatement({ ...statement, predicateType: "https://e/other" })),
    [["/predicateType", "PREDICATE_TYPE_MISMATCH"], [
      "/predicate/runDetails/builder",
      "BUILDER_REQUIRED",
    ]],
  );
  assert.deepEqual(codes(validateProvenanceStatement({ ...statement, predicate: 1 })), [
    ["/predicate", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(codes(validateProvenanceStatement(null)), [["", "TYPE_MISMATCH"]]);
});
