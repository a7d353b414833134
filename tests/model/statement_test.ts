import assert from "node:assert/strict";
import {
  canonicalize,
  ParseError,
  parseStatement,
  type Problem,
  validateStatement,
  ValidationError,
} from "../../mod.ts";
import { STATEMENT_TYPE_V1 } from "../../lib/model/mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeHex } from "../../lib/encoding/mod.ts";
import {
  assertStatement,
  STATEMENT_TYPE_V0_1,
  STATEMENT_TYPES,
  statementDigest,
  statementDigestString,
  validateResourceDescriptor,
} from "../../lib/model/mod.ts";

const SHA = "ab".repeat(32);

function valid(): Record<string, unknown> {
  return {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: "app.tar", digest: { sha256: SHA } }],
    predicateType: "https://example.com/p/v1",
    predicate: { k: "v" },
  };
}

const codes = (problems: Problem[]): [string, string][] => problems.map((p) => [p.path, p.code]);

Deno.test("parseStatement() accepts exactly the in-toto _type URIs of STATEMENT_TYPES", () => {
  // The URIs as other in-toto tools write them, in raw JSON text.
  for (const type of ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"]) {
    const text = `{"_type":"${type}","subject":[{"name":"a","digest":{"sha256":"${SHA}"}}],` +
      `"predicateType":"p","predicate":{}}`;
    assert.equal(parseStatement(text)._type, type);
  }
  for (const type of STATEMENT_TYPES) {
    assert.deepEqual(validateStatement({ ...valid(), _type: type }), []);
  }
  for (
    const type of [
      "https://in-toto.io/Statement/v1/",
      "http://in-toto.io/Statement/v1",
      "https://in-toto.io/statement/v1",
      "https://in-toto.io/Statement/v0.2",
      "https://in-toto.io/Statement/v1 ",
      "",
    ]
  ) {
    assert.deepEqual(
      codes(validateStatement({ ...valid(), _type: type })),
      [["/_type", "STATEMENT_TYPE_INVALID"]],
      JSON.stringify(type),
    );
  }
  assert.throws(
    () => parseStatement(JSON.stringify({ ...valid(), _type: STATEMENT_TYPE_V1 + "x" })),
    {
      name: "ValidationError",
    },
  );
});

Deno.test("validateStatement() accepts a valid statement, legacy v0.1 and an empty predicate", () => {
  assert.deepEqual(validateStatement(valid()), []);
  assert.deepEqual(validateStatement({ ...valid(), _type: STATEMENT_TYPE_V0_1 }), []);
  assert.deepEqual(validateStatement({ ...valid(), predicate: {} }), []);
});

Deno.test("validateStatement() ignores unrecognised fields (in-toto parsing rules)", () => {
  const statement = valid();
  statement["extension"] = { x: 1 };
  (statement["subject"] as Record<string, unknown>[])[0]!["futureField"] = [1];
  assert.deepEqual(validateStatement(statement), []);
});

Deno.test("validateStatement() names every problem with a JSON Pointer", () => {
  const problems = validateStatement({
    _type: "https://in-toto.io/Statement/v2",
    subject: [
      { name: "ok", digest: { sha256: SHA } },
      { downloadLocation: "https://example.com/x" },
      { name: "no-digest" },
      { name: 5, digest: { sha256: "zz" } },
      "not an object",
      { uri: "https://e/x", digest: {} },
    ],
    predicateType: 7,
    predicate: [],
  });
  assert.deepEqual(codes(problems), [
    ["/_type", "STATEMENT_TYPE_INVALID"],
    ["/subject/1", "RD_REQUIRED_FIELD"],
    ["/subject/2/digest", "DIGEST_REQUIRED"],
    ["/subject/3/name", "TYPE_MISMATCH"],
    ["/subject/3/digest/sha256", "DIGEST_INVALID_ENCODING"],
    ["/subject/4", "TYPE_MISMATCH"],
    ["/subject/5/digest", "DIGEST_REQUIRED"],
    ["/predicateType", "TYPE_MISMATCH"],
    ["/predicate", "TYPE_MISMATCH"],
  ]);
  for (const problem of problems) {
    assert.match(problem.message, /^[A-Z]/);
    assert.doesNotMatch(problem.message, /\.$/);
  }
});

Deno.test("validateStatement() reports missing required fields", () => {
  assert.deepEqual(codes(validateStatement({})), [
    ["/_type", "STATEMENT_TYPE_INVALID"],
    ["/subject", "SUBJECT_REQUIRED"],
    ["/predicateType", "PREDICATE_TYPE_REQUIRED"],
    ["/predicate", "PREDICATE_REQUIRED"],
  ]);
  assert.deepEqual(
    codes(validateStatement({ ...valid(), subject: null, predicate: null, predicateType: null })),
    [
      ["/subject", "SUBJECT_REQUIRED"],
      ["/predicateType", "PREDICATE_TYPE_REQUIRED"],
      ["/predicate", "PREDICATE_REQUIRED"],
    ],
  );
  assert.deepEqual(codes(validateStatement({ ...valid(), subject: {} })), [
    ["/subject", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(codes(validateStatement({ ...valid(), _type: 1 })), [
    ["/_type", "STATEMENT_TYPE_INVALID"],
  ]);
});

Deno.test("validateStatement() rejects non-objects at the root", () => {
  for (const value of [null, [], "x", 1, undefined]) {
    assert.deepEqual(codes(validateStatement(value)), [["", "TYPE_MISMATCH"]]);
  }
});

Deno.test("validateResourceDescriptor() accepts any one of name, uri, digest or content", () => {
  assert.deepEqual(validateResourceDescriptor({ name: "n" }), []);
  assert.deepEqual(validateResourceDescriptor({ uri: "pkg:npm/x@1" }), []);
  assert.deepEqual(validateResourceDescriptor({ digest: { custom: "anything" } }), []);
  assert.deepEqual(validateResourceDescriptor({ content: "aGk=" }), []);
  assert.deepEqual(
    validateResourceDescriptor({
      name: "n",
      uri: "u",
      digest: { sha256: SHA, gitCommit: "a".repeat(40) },
      content: "-_8",
      downloadLocation: "https://e/x",
      mediaType: "text/plain",
      annotations: { a: [1, null, { b: true }] },
    }),
    [],
  );
});

Deno.test("validateResourceDescriptor() reports wrong types and bad content", () => {
  const problems = validateResourceDescriptor(
    {
      name: "n",
      uri: 1,
      downloadLocation: [],
      mediaType: {},
      digest: "sha256:abc",
      content: "not base64!",
      annotations: "x",
    },
    "/predicate/x~1y/0",
  );
  assert.deepEqual(codes(problems), [
    ["/predicate/x~1y/0/uri", "TYPE_MISMATCH"],
    ["/predicate/x~1y/0/downloadLocation", "TYPE_MISMATCH"],
    ["/predicate/x~1y/0/mediaType", "TYPE_MISMATCH"],
    ["/predicate/x~1y/0/digest", "DIGEST_SET_INVALID"],
    ["/predicate/x~1y/0/content", "RD_CONTENT_INVALID"],
    ["/predicate/x~1y/0/annotations", "TYPE_MISMATCH"],
  ]);
});

Deno.test("validateResourceDescriptor() treats empty values as unset", () => {
  assert.deepEqual(codes(validateResourceDescriptor({ name: "", uri: null, digest: {} })), [
    ["", "RD_REQUIRED_FIELD"],
  ]);
  assert.deepEqual(codes(validateResourceDescriptor({ content: "" })), [["", "RD_REQUIRED_FIELD"]]);
});

Deno.test("validateResourceDescriptor() escapes digest keys in problem paths (RFC 6901)", () => {
  const problems = validateResourceDescriptor({ digest: { sha256: "abc", "a/b": 1 } }, "/s");
  assert.deepEqual(codes(problems).map(([path]) => path).sort(), [
    "/s/digest/a~1b",
    "/s/digest/sha256",
  ]);
});

Deno.test("assertStatement() throws ValidationError carrying every problem", () => {
  assertStatement(valid());
  assert.throws(
    () => assertStatement({ ...valid(), subject: [], predicateType: "" }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(codes([...error.problems]), [
        ["/subject", "SUBJECT_REQUIRED"],
        ["/predicateType", "PREDICATE_TYPE_REQUIRED"],
      ]);
      assert.match(error.message, /^Invalid in-toto statement: \/subject: /);
      return true;
    },
  );
});

Deno.test("parseStatement() parses strictly and validates", () => {
  const text = JSON.stringify(valid());
  assert.deepEqual(parseStatement(text), valid());
  assert.deepEqual(parseStatement(new TextEncoder().encode(text)), valid());
  assert.throws(() => parseStatement('{"_type":"a","_type":"b"}'), {
    name: "ParseError",
    code: "JSON_DUPLICATE_KEY",
  });
  assert.throws(() => parseStatement(text, { maxBytes: 10 }), { code: "JSON_TOO_LARGE" });
  assert.throws(() => parseStatement("{"), ParseError);
  assert.throws(
    () => parseStatement('{"_type":"x"}', { name: "payload.json" }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /^Invalid in-toto statement "payload\.json": /);
      assert.equal(error.problems.length, 4);
      return true;
    },
  );
});

Deno.test("statementDigest() is SHA-256 of the RFC 8785 canonical JSON", () => {
  const statement = valid();
  const expected = sha256(new TextEncoder().encode(canonicalize(statement)));
  assert.deepEqual(statementDigest(statement as never), expected);
  const reordered = Object.fromEntries(Object.entries(statement).reverse());
  assert.deepEqual(statementDigest(reordered as never), expected);
  assert.equal(statementDigestString(statement as never), `sha256:${encodeHex(expected)}`);
});

Deno.test("statementDigest() pins a known value", () => {
  // printf '%s' '{"_type":"https://in-toto.io/Statement/v1","predicate":{},"predicateType":"p","subject":[]}' | sha256sum
  const statement = { subject: [], predicateType: "p", predicate: {}, _type: STATEMENT_TYPE_V1 };
  assert.equal(
    statementDigestString(statement),
    "sha256:75a015de4d419521c03ed9ecf84cfa7e72bc69fc8209a480fb287dec92214d16",
  );
});
