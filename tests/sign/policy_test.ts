import assert from "node:assert/strict";
import { ParseError, ValidationError } from "../../mod.ts";
import type { ClaimPolicy } from "../../lib/model/mod.ts";
import {
  assertPolicy,
  evaluatePolicy,
  parsePolicy,
  preAuthEncoding,
  validatePolicy,
} from "../../lib/model/mod.ts";
import { PolicySigner } from "../../lib/sign/mod.ts";

import { testEd25519Key } from "./_test_signers.ts";

const STATEMENT = {
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: "registry.example/app", digest: { sha256: "ab".repeat(32) } }],
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: {
    buildDefinition: {
      buildType: "https://stella.ops/build/v1",
      externalParameters: { ref: "refs/heads/main", "a/b": true },
    },
    runDetails: {
      builder: { id: "https://ci.example/builder/1", version: { ci: "1.2.0" } },
      metadata: { invocationId: "run-42", startedOn: "2025-01-01T00:00:00Z" },
    },
  },
};

const POLICY: ClaimPolicy = {
  requiredClaims: [
    { pointer: "/predicateType", equals: "https://slsa.dev/provenance/v1" },
    {
      pointer: "/predicate/buildDefinition/buildType",
      pattern: "https://stella\\.ops/build/v[0-9]+",
    },
    {
      pointer: "/predicate/runDetails/builder/id",
      oneOf: ["https://ci.example/builder/1", "https://ci.example/builder/2"],
    },
    { pointer: "/predicate/runDetails/metadata/invocationId", present: true },
    { pointer: "/predicate/buildDefinition/externalParameters/a~1b", equals: true },
    { pointer: "/predicate/runDetails/builder/version", equals: { ci: "1.2.0" } },
    { pointer: "/predicate/byproducts", present: false },
  ],
};

const INTOTO = "application/vnd.in-toto+json";
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

Deno.test("evaluatePolicy() accepts a statement that meets every claim", () => {
  assert.deepEqual(evaluatePolicy(STATEMENT, POLICY), []);
});

Deno.test("evaluatePolicy() names every missing and mismatched claim in policy order", () => {
  const statement = structuredClone(STATEMENT) as Record<string, unknown>;
  const predicate = statement.predicate as Record<string, Record<string, unknown>>;
  statement.predicateType = "https://slsa.dev/provenance/v0.2";
  predicate.buildDefinition!.buildType = "https://stella.ops/build/v1/extra";
  (predicate.runDetails!.builder as Record<string, unknown>).id = "https://evil.example";
  delete (predicate.runDetails!.metadata as Record<string, unknown>).invocationId;
  (predicate.buildDefinition!.externalParameters as Record<string, unknown>)["a/b"] = "true";
  (predicate.runDetails!.builder as Record<string, unknown>).version = { ci: "1.2.0", x: 1 };
  predicate.byproducts = [] as unknown as Record<string, unknown>;
  const problems = evaluatePolicy(statement, POLICY);
  assert.deepEqual(problems.map((p) => [p.path, p.code]), [
    ["/predicateType", "CLAIM_MISMATCH"],
    ["/predicate/buildDefinition/buildType", "CLAIM_MISMATCH"],
    ["/predicate/runDetails/builder/id", "CLAIM_MISMATCH"],
    ["/predicate/runDetails/metadata/invocationId", "CLAIM_MISSING"],
    ["/predicate/buildDefinition/externalParameters/a~1b", "CLAIM_MISMATCH"],
    ["/predicate/runDetails/builder/version", "CLAIM_MISMATCH"],
    ["/predicate/byproducts", "CLAIM_MISMATCH"],
  ]);
  assert.equal(
    problems[0]!.message,
    'Change claim "/predicateType": expected it to equal "https://slsa.dev/provenance/v1", found "https://slsa.dev/provenance/v0.2"',
  );
  assert.equal(
    problems[3]!.message,
    'Add claim "/predicate/runDetails/metadata/invocationId": the policy requires it',
  );
});

Deno.test("evaluatePolicy() compares equals/oneOf as canonical JSON and patterns in full", () => {
  const doc = { n: 1.0, o: { b: 1, a: [1, "x"] }, s: "abc", num: 5, nul: null };
  assert.deepEqual(
    evaluatePolicy(doc, {
      requiredClaims: [
        { pointer: "/n", equals: 1 },
        { pointer: "/o", equals: { a: [1, "x"], b: 1 } },
        { pointer: "/nul", equals: null },
        { pointer: "/nul", present: true },
        { pointer: "/s", pattern: "a.c" },
        { pointer: "/s", pattern: "b|abc" },
      ],
    }),
    [],
  );
  const problems = evaluatePolicy(doc, {
    requiredClaims: [
      { pointer: "/s", pattern: "b" }, // partial match is not enough
      { pointer: "/s", pattern: "abc|b" }, // alternation is grouped: ^(?:abc|b)$ matches
      { pointer: "/num", pattern: "5" }, // not a string
      { pointer: "/missing", equals: null }, // null must not be confused with absent
      { pointer: "/o/a/2", present: true },
      { pointer: "/s", equals: "abc", oneOf: ["x"] }, // all conditions must hold
    ],
  });
  assert.deepEqual(problems.map((p) => [p.path, p.code]), [
    ["/s", "CLAIM_MISMATCH"],
    ["/num", "CLAIM_MISMATCH"],
    ["/missing", "CLAIM_MISSING"],
    ["/o/a/2", "CLAIM_MISSING"],
    ["/s", "CLAIM_MISMATCH"],
  ]);
});

Deno.test("evaluatePolicy() treats an empty or absent policy as allow-all", () => {
  assert.deepEqual(evaluatePolicy({}, undefined), []);
  assert.deepEqual(evaluatePolicy({}, {}), []);
  assert.deepEqual(evaluatePolicy({}, { requiredClaims: [] }), []);
  assert.deepEqual(parsePolicy("{}"), {});
});

Deno.test("evaluatePolicy() rejects a malformed policy object with ValidationError", () => {
  assert.throws(
    () => evaluatePolicy({}, { requiredClaims: [{ pointer: "x" }] }),
    (error: unknown) =>
      error instanceof ValidationError && error.problems[0]?.code === "POLICY_FIELD_INVALID",
  );
});

Deno.test("validatePolicy() names every problem of a malformed policy", () => {
  const problems = validatePolicy({
    requiredClaims: [
      { equals: 1 },
      { pointer: 5 },
      { pointer: "/a", oneOf: [] },
      { pointer: "/a", pattern: "[" },
      { pointer: "/a", present: "yes" },
      { pointer: "/a", present: false, equals: 1 },
      { pointer: "/a", extra: 1 },
      "nope",
    ],
    other: true,
  });
  assert.deepEqual(problems.map((p) => [p.path, p.code]), [
    ["/other", "POLICY_FIELD_UNKNOWN"],
    ["/requiredClaims/0/pointer", "POLICY_FIELD_MISSING"],
    ["/requiredClaims/1/pointer", "POLICY_FIELD_INVALID"],
    ["/requiredClaims/2/oneOf", "POLICY_FIELD_INVALID"],
    ["/requiredClaims/3/pattern", "POLICY_FIELD_INVALID"],
    ["/requiredClaims/4/present", "POLICY_FIELD_INVALID"],
    ["/requiredClaims/5/present", "POLICY_FIELD_INVALID"],
    ["/requiredClaims/6/extra", "POLICY_FIELD_UNKNOWN"],
    ["/requiredClaims/7", "POLICY_FIELD_INVALID"],
  ]);
  assert.deepEqual(validatePolicy([]).map((p) => p.code), ["POLICY_FIELD_INVALID"]);
  assert.deepEqual(validatePolicy({ requiredClaims: {} }).map((p) => p.path), ["/requiredClaims"]);
});

Deno.test("parsePolicy() is strict about JSON and policy shape", () => {
  const policy = parsePolicy(new TextEncoder().encode(JSON.stringify(POLICY)));
  assert.deepEqual(policy, POLICY);
  assert.throws(
    () => parsePolicy('{"requiredClaims":[],"requiredClaims":[]}'),
    (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.match(error.code, /^JSON_/);
      return true;
    },
  );
  assert.throws(() => parsePolicy("{", { name: "p.json" }), { name: "ParseError" });
  assert.throws(
    () => parsePolicy('{"requiredClaims":[{"pointer":"a"}]}', { name: "p.json" }),
    (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.code, "POLICY_INVALID");
      assert.match(error.message, /^Cannot parse policy "p\.json": \/requiredClaims\/0\/pointer: /);
      return true;
    },
  );
  assert.throws(() => parsePolicy("x".repeat(20), { maxBytes: 10 }), { name: "ParseError" });
});

Deno.test("assertPolicy() throws one ValidationError listing every failing claim", () => {
  assert.throws(
    () =>
      assertPolicy({}, {
        requiredClaims: [{ pointer: "/a" }, { pointer: "/b", equals: 2 }, {
          pointer: "/c",
          present: false,
        }],
      }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems.map((p) => p.path), ["/a", "/b"]);
      assert.match(
        error.message,
        /^Cannot sign statement: 2 required claims not met: \/a: .*; \/b: /,
      );
      return true;
    },
  );
});

Deno.test("PolicySigner signs a statement meeting the policy with the wrapped key", async () => {
  const key = await testEd25519Key(1);
  const signer = new PolicySigner(key.signer, POLICY);
  assert.equal(signer.keyid, key.keyid);
  assert.equal(signer.algorithm, "ed25519");
  const pae = preAuthEncoding(INTOTO, encode(STATEMENT));
  const signature = await signer.sign(pae);
  assert.equal(await key.verify(pae, signature), true);
});

Deno.test("PolicySigner refuses a statement missing claims, naming each, without signing", async () => {
  let calls = 0;
  const inner = {
    keyid: "k",
    algorithm: "ed25519" as const,
    sign: () => (calls++, Promise.resolve(new Uint8Array(64))),
  };
  const signer = new PolicySigner(inner, POLICY);
  const statement = { ...STATEMENT, predicateType: "x", predicate: {} };
  await assert.rejects(
    signer.sign(preAuthEncoding(INTOTO, encode(statement))),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems.map((p) => [p.path, p.code]), [
        ["/predicateType", "CLAIM_MISMATCH"],
        ["/predicate/buildDefinition/buildType", "CLAIM_MISSING"],
        ["/predicate/runDetails/builder/id", "CLAIM_MISSING"],
        ["/predicate/runDetails/metadata/invocationId", "CLAIM_MISSING"],
        ["/predicate/buildDefinition/externalParameters/a~1b", "CLAIM_MISSING"],
        ["/predicate/runDetails/builder/version", "CLAIM_MISSING"],
      ]);
      return true;
    },
  );
  // Not JSON, or not a PAE at all: the claims cannot be checked, so nothing is signed.
  await assert.rejects(
    signer.sign(preAuthEncoding(INTOTO, new TextEncoder().encode("{"))),
    ValidationError,
  );
  await assert.rejects(signer.sign(new TextEncoder().encode("raw bytes")), ValidationError);
  assert.equal(calls, 0);
});

Deno.test("PolicySigner with an empty policy signs anything, PAE or not", async () => {
  const key = await testEd25519Key(2);
  for (const policy of [undefined, {}, { requiredClaims: [] }]) {
    const signer = new PolicySigner(key.signer, policy);
    const data = new TextEncoder().encode("not a PAE");
    assert.equal(await key.verify(data, await signer.sign(data)), true);
  }
  assert.throws(
    () => new PolicySigner(key.signer, { requiredClaims: [{ pointer: "bad" }] }),
    ValidationError,
  );
});
