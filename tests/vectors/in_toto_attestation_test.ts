// Vector suite for in-toto/attestation (../shared/vectors/in-toto-attestation/validation-vectors.json,
// transcribed from the Go and Python binding tests; see its SOURCE.md). Each case's `json` is
// parsed strictly and validated; `valid` must match, and an invalid case must report exactly one
// problem whose code is the one mapped from the Go sentinel in `error`.
import assert from "node:assert/strict";
import { parseJson, type Problem, validateStatement } from "../../mod.ts";
import { validateProvenancePredicate, validateResourceDescriptor } from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

interface Case {
  source: string;
  desc: string;
  json: string;
  valid: boolean;
  error?: string;
}

interface Vectors {
  statementCases: Case[];
  resourceDescriptorCases: Case[];
  slsaProvenanceV1PredicateCases: Case[];
}

/** Go sentinel error → our problem code (documented in lib/model/statement.ts, slsa_provenance.ts). */
const GO_SENTINEL_TO_CODE: Record<string, string> = {
  ErrInvalidStatementType: "STATEMENT_TYPE_INVALID",
  ErrSubjectRequired: "SUBJECT_REQUIRED",
  ErrRDRequiredField: "RD_REQUIRED_FIELD",
  ErrDigestRequired: "DIGEST_REQUIRED",
  ErrPredicateTypeRequired: "PREDICATE_TYPE_REQUIRED",
  ErrPredicateRequired: "PREDICATE_REQUIRED",
  ErrInvalidDigestEncoding: "DIGEST_INVALID_ENCODING",
  ErrIncorrectDigestLength: "DIGEST_INCORRECT_LENGTH",
  ErrBuildDefinitionRequired: "BUILD_DEFINITION_REQUIRED",
  ErrBuildTypeRequired: "BUILD_TYPE_REQUIRED",
  ErrExternalParamsRequired: "EXTERNAL_PARAMS_REQUIRED",
  ErrRunDetailsRequired: "RUN_DETAILS_REQUIRED",
  ErrBuilderRequired: "BUILDER_REQUIRED",
  ErrBuilderIdRequired: "BUILDER_ID_REQUIRED",
};

const INTOTO = vectorSet("in-toto-attestation");

if (!INTOTO.present) {
  vectorTest(INTOTO, "in-toto attestation validation vectors", () => {});
} else {
  const vectors: Vectors = JSON.parse(
    await INTOTO.readText("validation-vectors.json"),
  );

  const suites: [keyof Vectors, (value: unknown) => Problem[], number, number][] = [
    ["statementCases", validateStatement, 13, 3],
    ["resourceDescriptorCases", (value) => validateResourceDescriptor(value), 8, 4],
    ["slsaProvenanceV1PredicateCases", (value) => validateProvenancePredicate(value), 7, 1],
  ];

  for (const [suite, validate, total, validCount] of suites) {
    const cases = vectors[suite];

    vectorTest(INTOTO, `in-toto vectors: ${suite} has ${total} cases, ${validCount} valid`, () => {
      assert.equal(cases.length, total);
      assert.equal(cases.filter((c) => c.valid).length, validCount);
      for (const c of cases) {
        if (!c.valid) assert.ok(c.error !== undefined && c.error in GO_SENTINEL_TO_CODE, c.desc);
      }
      return cases.length;
    });

    for (const [i, c] of cases.entries()) {
      vectorTest(INTOTO, `in-toto vectors: ${suite}[${i}] ${c.desc}`, () => {
        const problems = validate(parseJson(c.json));
        if (c.valid) {
          assert.deepEqual(problems, []);
        } else {
          assert.deepEqual(
            problems.map((p) => p.code),
            [GO_SENTINEL_TO_CODE[c.error!]],
            JSON.stringify(problems),
          );
        }
      });
    }
  }
}
