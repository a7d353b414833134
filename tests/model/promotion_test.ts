import assert from "node:assert/strict";
import {
  type BuildPromotionOptions,
  buildPromotionStatement,
  parseJson,
  PROMOTION_PREDICATE_TYPE,
  type RekorProof,
  ValidationError,
} from "../../mod.ts";
import { STATEMENT_TYPE_V1 } from "../../lib/model/mod.ts";
import {
  parseImageReference,
  validatePromotionPredicate,
  validatePromotionStatement,
} from "../../lib/model/mod.ts";

/** A parsed JSON document the tests change freely (shape checked by the validators). */
// deno-lint-ignore no-explicit-any
type MutableJson = Record<string, any>;

const HEX = "decb56f377c12c19ace2c5ba58250bae15cd5df8222871facfa4c122fbbe7fb4";
const SBOM_HEX = "7feb1cbca5e2edc7d164b4c02a93981bf9e66efefa0f61bce48faf3050b6a021";
const VEX_HEX = "e9c4118c9979570544e65301cfa409c4ceac8a55fe8695418ff1f0e229466648";
const IMAGE = `registry.stella-ops.local/payments/payments-api:2.3.0@sha256:${HEX}`;

const sampleUrl = new URL("../../fixtures/statements/promotion.statement.json", import.meta.url);
const sample = parseJson(await Deno.readFile(sampleUrl)) as Record<string, unknown>;
const rekor = parseJson(
  await Deno.readFile(new URL("../../fixtures/sample/rekor-proof.json", import.meta.url)),
) as unknown as RekorProof;

function options(overrides: Partial<BuildPromotionOptions> = {}): BuildPromotionOptions {
  return {
    image: IMAGE,
    materials: [
      {
        name: "sbom.cdx.json",
        digest: { sha256: SBOM_HEX },
        mediaType: "application/vnd.cyclonedx+json",
        annotations: { role: "sbom" },
      },
      {
        name: "vex.openvex.json",
        digest: { sha256: VEX_HEX },
        mediaType: "application/openvex+json",
        annotations: { role: "vex" },
      },
    ],
    from: "staging",
    to: "production",
    promotedAt: "2025-01-31T13:05:00Z",
    approvals: ["alice@stella-ops.local", { approver: "bob", at: "2025-01-31T12:59:00Z" }],
    ...overrides,
  };
}

/** A deep copy of the sample statement with one change applied. */
function mutate(change: (s: MutableJson) => void): Record<string, unknown> {
  const copy = structuredClone(sample) as MutableJson;
  change(copy);
  return copy;
}

function codes(problems: readonly { path: string; code: string }[]): [string, string][] {
  return problems.map((p) => [p.path, p.code]);
}

function buildProblems(input: BuildPromotionOptions): [string, string][] {
  try {
    buildPromotionStatement(input);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    assert.match(error.message, /^Cannot build promotion statement: /);
    return codes(error.problems);
  }
  assert.fail("expected a ValidationError");
}

Deno.test("promotion: the sample statement fixture is valid", () => {
  assert.deepEqual(validatePromotionStatement(sample), []);
  assert.equal(sample["predicateType"], PROMOTION_PREDICATE_TYPE);
});

Deno.test("buildPromotionStatement() builds the exact statement: subject is the image", () => {
  const statement = buildPromotionStatement(options({
    promotedBy: "release-bot",
    policyDecision: { decision: "allow", policy: "promotion-gate@v3" },
    ticket: "CHG-1",
    rekor,
  }));
  assert.deepEqual(statement, {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: "registry.stella-ops.local/payments/payments-api", digest: { sha256: HEX } }],
    predicateType: "stella.ops/promotion@v1",
    predicate: {
      image: {
        name: "registry.stella-ops.local/payments/payments-api",
        tag: "2.3.0",
        digest: { sha256: HEX },
      },
      materials: options().materials,
      promotion: {
        from: "staging",
        to: "production",
        promotedAt: "2025-01-31T13:05:00Z",
        promotedBy: "release-bot",
        approvals: [
          { approver: "alice@stella-ops.local" },
          { approver: "bob", at: "2025-01-31T12:59:00Z" },
        ],
        policyDecision: { decision: "allow", policy: "promotion-gate@v3" },
        ticket: "CHG-1",
      },
      rekor,
    },
  });
  assert.deepEqual(validatePromotionStatement(statement), []);
});

Deno.test("buildPromotionStatement() omits unset and empty optional inputs", () => {
  const statement = buildPromotionStatement(options({
    image: `app@sha256:${HEX}`,
    promotedBy: "",
    ticket: undefined,
    policyDecision: undefined,
    rekor: undefined,
  }));
  assert.deepEqual(Object.keys(statement.predicate).sort(), ["image", "materials", "promotion"]);
  assert.deepEqual(statement.predicate.image, { name: "app", digest: { sha256: HEX } });
  assert.deepEqual(Object.keys(statement.predicate.promotion).sort(), [
    "approvals",
    "from",
    "promotedAt",
    "to",
  ]);
});

Deno.test("buildPromotionStatement() is deterministic and copies its inputs", () => {
  const input = options();
  const a = buildPromotionStatement(input);
  (input.materials[0]!.annotations as Record<string, unknown>)["role"] = "vex";
  const b = buildPromotionStatement(options());
  assert.deepEqual(a, b);
  assert.equal(a.predicate.materials[0]?.annotations.role, "sbom");
});

Deno.test("buildPromotionStatement() names every invalid input at once", () => {
  assert.deepEqual(
    buildProblems(options({
      image: "registry.example/App:latest",
      materials: [options().materials[0]!],
      from: "prod",
      to: "prod",
      promotedAt: "2025-01-31T14:05:00+01:00",
      approvals: ["alice", "alice", ""],
      policyDecision: "maybe" as never,
    })),
    [
      ["/predicate/image", "IMAGE_REFERENCE_INVALID"],
      ["/predicate/materials", "MATERIAL_ROLE_MISSING"],
      ["/predicate/promotion/approvals/1/approver", "APPROVER_DUPLICATE"],
      ["/predicate/promotion/approvals/2/approver", "FIELD_REQUIRED"],
      ["/predicate/promotion/policyDecision/decision", "DECISION_INVALID"],
      ["/predicate/promotion/promotedAt", "TIMESTAMP_INVALID"],
      ["/predicate/promotion/to", "ENVIRONMENTS_EQUAL"],
    ],
  );
});

Deno.test("buildPromotionStatement() requires approvals, both roles and the environments", () => {
  assert.deepEqual(
    buildProblems(options({ materials: [], approvals: [], from: "", to: "", promotedAt: "" })),
    [
      ["/predicate/materials", "FIELD_REQUIRED"],
      ["/predicate/promotion/approvals", "FIELD_REQUIRED"],
      ["/predicate/promotion/from", "FIELD_REQUIRED"],
      ["/predicate/promotion/promotedAt", "FIELD_REQUIRED"],
      ["/predicate/promotion/to", "FIELD_REQUIRED"],
    ],
  );
});

Deno.test("buildPromotionStatement() checks materials and the Rekor proof", () => {
  const [sbom, vex] = options().materials;
  assert.deepEqual(
    buildProblems(options({
      materials: [
        { name: sbom!.name!, digest: { sha512: "ab".repeat(64) }, annotations: { role: "sbom" } },
        { ...vex!, annotations: { role: "scan" } },
      ],
      rekor: { ...rekor, logIndex: -1, signedEntryTimestamp: "" },
    })),
    [
      ["/predicate/materials", "MATERIAL_ROLE_MISSING"],
      ["/predicate/materials/0/digest/sha256", "SHA256_REQUIRED"],
      ["/predicate/materials/0/mediaType", "FIELD_REQUIRED"],
      ["/predicate/materials/1/annotations/role", "MATERIAL_ROLE_INVALID"],
      ["/predicate/rekor/logIndex", "INTEGER_INVALID"],
      ["/predicate/rekor/signedEntryTimestamp", "FIELD_REQUIRED"],
    ],
  );
});

Deno.test("buildPromotionStatement() reports inputs that are not JSON", () => {
  assert.deepEqual(
    buildProblems(options({
      approvals: [{ approver: "alice", at: new Date(0) as unknown as string }],
    })),
    [["/predicate/promotion/approvals/0/at", "VALUE_NOT_JSON"]],
  );
  assert.throws(() => buildPromotionStatement(null as never), TypeError);
});

Deno.test("validatePromotionStatement() binds the subject to the image", () => {
  const other = "00".repeat(32);
  assert.deepEqual(
    codes(validatePromotionStatement(mutate((s) => (s.subject[0].digest.sha256 = other)))),
    [["/subject/0", "SUBJECT_IMAGE_MISMATCH"]],
  );
  assert.deepEqual(
    codes(validatePromotionStatement(mutate((s) => (s.subject[0].name = "registry.example/x")))),
    [["/subject/0", "SUBJECT_IMAGE_MISMATCH"]],
  );
  assert.deepEqual(
    codes(validatePromotionStatement(mutate((s) => s.subject.push(s.subject[0])))),
    [["/subject", "SUBJECT_COUNT_INVALID"]],
  );
});

Deno.test("validatePromotionStatement() requires Statement v1 and the exact predicate type", () => {
  assert.deepEqual(
    codes(validatePromotionStatement(mutate((s) => {
      s._type = "https://in-toto.io/Statement/v0.1";
      s.predicateType = "stella.ops/promotion@v2";
    }))),
    [["/_type", "STATEMENT_TYPE_INVALID"], ["/predicateType", "PREDICATE_TYPE_MISMATCH"]],
  );
  assert.deepEqual(
    codes(validatePromotionStatement(mutate((s) => delete s.predicate))),
    [["/predicate", "PREDICATE_REQUIRED"]],
  );
  assert.deepEqual(codes(validatePromotionStatement([])), [["", "TYPE_MISMATCH"]]);
});

Deno.test("validatePromotionStatement() follows the in-toto parsing rules", () => {
  const relaxed = mutate((s) => {
    s.extra = { ignored: true };
    s.predicate.image.tag = null;
    s.predicate.promotion.ticket = "";
    s.predicate.promotion.promotedBy = null;
    s.predicate.promotion.approvals[0].at = null;
    s.predicate.promotion.policyDecision = null;
    s.predicate.rekor = null;
    s.predicate.materials[0].annotations.tool = "stella-sbom";
  });
  assert.deepEqual(validatePromotionStatement(relaxed), []);
});

Deno.test("validatePromotionStatement() names type errors and bad values everywhere", () => {
  const broken = mutate((s) => {
    s.subject[0].digest.sha256 = HEX.toUpperCase();
    s.predicate.image = { name: 7, digest: { sha256: HEX, sha512: "00" } };
    s.predicate.materials = [s.predicate.materials[0], "vex.json", {
      ...s.predicate.materials[1],
      annotations: "vex",
    }];
    s.predicate.promotion.approvals = [{ approver: "x", at: "2025-02-30T00:00:00Z" }, 3];
    s.predicate.promotion.policyDecision = { evaluatedAt: 1 };
    s.predicate.promotion.from = ["staging"];
    s.predicate.rekor.inclusionProof.hashes = ["zz", 1];
    s.predicate.rekor.inclusionProof.treeSize = 0;
    delete s.predicate.rekor.inclusionProof.checkpoint;
  });
  assert.deepEqual(codes(validatePromotionStatement(broken)), [
    ["/subject/0/digest/sha256", "SHA256_REQUIRED"],
    ["/predicate/image/name", "TYPE_MISMATCH"],
    ["/predicate/image/digest/sha512", "DIGEST_INCORRECT_LENGTH"],
    ["/predicate/materials", "MATERIAL_ROLE_MISSING"],
    ["/predicate/materials/1", "TYPE_MISMATCH"],
    ["/predicate/materials/2/annotations", "TYPE_MISMATCH"],
    ["/predicate/promotion/from", "TYPE_MISMATCH"],
    ["/predicate/promotion/approvals/0/at", "TIMESTAMP_INVALID"],
    ["/predicate/promotion/approvals/1", "TYPE_MISMATCH"],
    ["/predicate/promotion/policyDecision/decision", "FIELD_REQUIRED"],
    ["/predicate/promotion/policyDecision/evaluatedAt", "TYPE_MISMATCH"],
    ["/predicate/rekor/inclusionProof/treeSize", "INTEGER_INVALID"],
    ["/predicate/rekor/inclusionProof/hashes/0", "HASH_INVALID"],
    ["/predicate/rekor/inclusionProof/hashes/1", "TYPE_MISMATCH"],
    ["/predicate/rekor/inclusionProof/checkpoint", "FIELD_REQUIRED"],
  ]);
});

Deno.test("validatePromotionPredicate() prefixes the given path", () => {
  assert.deepEqual(codes(validatePromotionPredicate(null, "/predicate")), [
    ["/predicate", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(codes(validatePromotionPredicate({}, "/p")), [
    ["/p/image", "FIELD_REQUIRED"],
    ["/p/materials", "FIELD_REQUIRED"],
    ["/p/promotion", "FIELD_REQUIRED"],
  ]);
});

Deno.test("parseImageReference() accepts registry hosts, ports, nested paths and tags", () => {
  assert.deepEqual(parseImageReference(`app@sha256:${HEX}`), { name: "app", sha256: HEX });
  assert.deepEqual(parseImageReference(`localhost:5000/a/b_c/d-e:v1.2_rc-3@sha256:${HEX}`), {
    name: "localhost:5000/a/b_c/d-e",
    tag: "v1.2_rc-3",
    sha256: HEX,
  });
  assert.deepEqual(parseImageReference(`Registry.Example.COM/team/app@sha256:${HEX}`), {
    name: "Registry.Example.COM/team/app",
    sha256: HEX,
  });
});

Deno.test("parseImageReference() rejects references that are not pinned by sha256", () => {
  const bad = [
    "app:latest",
    `app@sha256:${HEX.toUpperCase()}`,
    `app@sha256:${HEX.slice(2)}`,
    `app@sha512:${HEX}${HEX}`,
    `team/App@sha256:${HEX}`,
    `app:-bad@sha256:${HEX}`,
    `app@sha256:${HEX} `,
    `/app@sha256:${HEX}`,
    "",
  ];
  for (const reference of bad) {
    assert.throws(() => parseImageReference(reference, "--image"), (error: unknown) => {
      assert.equal((error as { code?: string }).code, "IMAGE_REFERENCE_INVALID", reference);
      assert.match((error as Error).message, /^Cannot parse --image /);
      return true;
    });
  }
  assert.throws(() => parseImageReference(5 as never), { code: "IMAGE_REFERENCE_INVALID" });
});
