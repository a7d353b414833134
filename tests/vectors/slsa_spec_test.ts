// Vector suite for the SLSA spec (../shared/vectors/slsa-spec/, see its SOURCE.md): the complete
// GitHub Actions workflow buildType example must be a valid in-toto Statement v1 carrying a valid
// SLSA Provenance v1 predicate, and RFC 8785 re-serialisation must be stable.
import assert from "node:assert/strict";
import {
  canonicalize,
  parseJson,
  parseStatement,
  SLSA_PROVENANCE_V1,
  validateStatement,
} from "../../mod.ts";
import { STATEMENT_TYPE_V1 } from "../../lib/model/mod.ts";
import {
  statementDigest,
  validateProvenancePredicate,
  validateProvenanceStatement,
} from "../../lib/model/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const SLSA = vectorSet("slsa-spec");

if (!SLSA.present) {
  vectorTest(SLSA, "SLSA spec workflow/v1 example", () => {});
} else {
  const bytes = await SLSA.read("github-actions-buildtypes/workflow/v1/example.json");

  vectorTest(
    SLSA,
    "slsa spec: workflow/v1 example.json is a valid Statement v1 + Provenance v1",
    () => {
      const statement = parseStatement(bytes, { name: "example.json" });
      assert.equal(statement._type, STATEMENT_TYPE_V1);
      assert.equal(statement.predicateType, SLSA_PROVENANCE_V1);
      assert.deepEqual(statement.subject, [
        {
          name: "_",
          digest: { sha256: "fe4fe40ac7250263c5dbe1cf3138912f3f416140aa248637a60d65fe22c47da4" },
        },
      ]);
      assert.deepEqual(validateStatement(statement), []);
      assert.deepEqual(validateProvenancePredicate(statement.predicate, "/predicate"), []);
      assert.deepEqual(validateProvenanceStatement(statement), []);
    },
  );

  vectorTest(SLSA, "slsa spec: RFC 8785 re-serialisation of example.json is stable", () => {
    const value = parseJson(bytes);
    const canonical = canonicalize(value);
    assert.equal(canonicalize(parseJson(canonical)), canonical);
    assert.deepEqual(parseJson(canonical), JSON.parse(new TextDecoder().decode(bytes)));
    assert.ok(canonical.startsWith('{"_type":"https://in-toto.io/Statement/v1","predicate":{'));
    assert.ok(canonical.includes('"build_id":123456768'));
    // Hashing the parsed statement equals hashing its canonical form.
    assert.deepEqual(
      statementDigest(parseStatement(canonical)),
      statementDigest(parseStatement(bytes)),
    );
  });

  vectorTest(SLSA, "slsa spec: breaking the example is caught at the right path", () => {
    const value = JSON.parse(new TextDecoder().decode(bytes));
    delete value.predicate.runDetails.builder.id;
    value.predicate.runDetails.metadata.finishedOn = "2023-01-01T12:34:55Z";
    assert.deepEqual(
      validateProvenanceStatement(value).map((p) => [p.path, p.code]),
      [
        ["/predicate/runDetails/builder", "BUILDER_REQUIRED"],
        ["/predicate/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"],
      ],
    );
  });
}
