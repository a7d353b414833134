import assert from "node:assert/strict";
import { digestBytes, formatDigest, parseDigest, ParseError } from "../../mod.ts";
import {
  DIGEST_ALGORITHMS,
  DIGEST_SET_KNOWN_LENGTHS,
  digestSetOf,
  validateDigestSet,
} from "../../lib/digest/mod.ts";
import type { DigestAlgorithm, Problem } from "../../mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

interface VectorCase {
  source: string;
  desc: string;
  json: string;
  valid: boolean;
  error?: string;
}

interface ValidationVectors {
  resourceDescriptorCases: VectorCase[];
  statementCases: VectorCase[];
  digestLengthsBytes: Record<string, unknown>;
}

const IN_TOTO = vectorSet("in-toto-attestation");
const vectors = (): Promise<ValidationVectors> => IN_TOTO.readJson("validation-vectors.json");

/** Go sentinel error → our problem code (the mapping documented in digest_set.ts). */
const GO_SENTINELS: Record<string, string> = {
  ErrInvalidDigestEncoding: "DIGEST_INVALID_ENCODING",
  ErrIncorrectDigestLength: "DIGEST_INCORRECT_LENGTH",
};

function codes(problems: Problem[]): [string, string][] {
  return problems.map((p) => [p.path, p.code]);
}

Deno.test("formatDigest() and parseDigest() round-trip every algorithm", () => {
  for (const algorithm of DIGEST_ALGORITHMS) {
    const bytes = digestBytes(algorithm, new TextEncoder().encode(algorithm));
    const text = formatDigest(algorithm, bytes);
    assert.equal(text, `${algorithm}:${bytes.toHex()}`);
    const parsed = parseDigest(text);
    assert.equal(parsed.algorithm, algorithm);
    assert.equal(parsed.hex, bytes.toHex());
    assert.deepEqual(parsed.bytes, bytes);
  }
});

Deno.test("formatDigest() rejects a wrong length with RangeError and misuse with TypeError", () => {
  assert.throws(() => formatDigest("sha256", new Uint8Array(31)), RangeError);
  assert.throws(() => formatDigest("sha384", new Uint8Array(32)), RangeError);
  assert.throws(() => formatDigest("md5" as DigestAlgorithm, new Uint8Array(16)), TypeError);
  assert.throws(() => formatDigest("sha256", "ab" as unknown as Uint8Array), TypeError);
});

Deno.test("parseDigest() rejects anything but canonical alg:hex with DIGEST_INVALID", () => {
  const hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const cases: [string, number][] = [
    [hex, 0], // no algorithm
    [`SHA256:${hex}`, 0], // algorithm is case-sensitive
    [`sha-256:${hex}`, 0],
    [`sha1:${hex.slice(0, 40)}`, 0],
    [`md5:${hex.slice(0, 32)}`, 0],
    [`sha256:${hex.toUpperCase()}`, 7], // hex must be lowercase
    [`sha256:${hex.slice(0, 63)}`, 7], // too short
    [`sha256:${hex}00`, 7], // too long
    [`sha256:${hex.slice(0, 62)}zz`, 69],
    [`sha256: ${hex}`, 7],
    [`sha256:${hex} `, 71],
    [`sha256:${hex}\n`, 71],
    ["sha256:", 7],
    ["", 0],
    [`sha384:${hex}`, 7], // right hex, wrong algorithm
    [`sha256:sha256:${hex}`, 7],
  ];
  for (const [text, offset] of cases) {
    assert.throws(
      () => parseDigest(text, "image"),
      (error) => {
        assert.ok(error instanceof ParseError, text);
        assert.equal(error.code, "DIGEST_INVALID", text);
        assert.equal(error.offset, offset, text);
        assert.match(error.message, /^Cannot parse digest "image": /);
        return true;
      },
    );
  }
  assert.throws(() => parseDigest(42 as unknown as string), { code: "DIGEST_INVALID" });
  assert.throws(() => parseDigest("sha256:00"), /^ParseError: Cannot parse digest: /);
});

vectorTest(IN_TOTO, "DIGEST_SET_KNOWN_LENGTHS is the in-toto Go binding's table", async () => {
  const { _source: _, ...table } = (await vectors()).digestLengthsBytes;
  assert.deepEqual(
    Object.fromEntries(Object.entries(DIGEST_SET_KNOWN_LENGTHS).map(([k, v]) => [k, [...v]])),
    table,
  );
  assert.ok(Object.isFrozen(DIGEST_SET_KNOWN_LENGTHS));
  assert.ok(Object.isFrozen(DIGEST_SET_KNOWN_LENGTHS["gitCommit"]));
});

vectorTest(
  IN_TOTO,
  "validateDigestSet() agrees with the digest aspects of resourceDescriptorCases",
  async () => {
    let checked = 0;
    for (const c of (await vectors()).resourceDescriptorCases) {
      const rd = JSON.parse(c.json) as { digest?: unknown };
      if (rd.digest === undefined) continue;
      checked++;
      const expected = c.error !== undefined && c.error in GO_SENTINELS
        ? [GO_SENTINELS[c.error]!]
        : [];
      const problems = validateDigestSet(rd.digest, "/digest");
      assert.deepEqual(problems.map((p) => p.code), expected, c.desc);
      for (const problem of problems) assert.match(problem.path, /^\/digest\/[a-zA-Z0-9]+$/);
    }
    assert.equal(checked, 7);
    return checked;
  },
);

vectorTest(
  IN_TOTO,
  "validateDigestSet() accepts every non-empty subject digest of statementCases",
  async () => {
    let checked = 0;
    for (const c of (await vectors()).statementCases) {
      const statement = JSON.parse(c.json) as { subject?: { digest?: unknown }[] };
      for (const [i, subject] of (statement.subject ?? []).entries()) {
        if (subject.digest === undefined) continue;
        const path = `/subject/${i}/digest`;
        const problems = validateDigestSet(subject.digest, path);
        if (Object.keys(subject.digest as object).length === 0) {
          // Go reports ErrRDRequiredField for {"digest":{}}; the set itself is empty.
          assert.deepEqual(codes(problems), [[path, "DIGEST_SET_EMPTY"]], c.desc);
        } else {
          assert.deepEqual(problems, [], c.desc);
        }
        checked++;
      }
    }
    assert.equal(checked, 10);
    return checked;
  },
);

Deno.test("validateDigestSet() checks the decoded length of every known algorithm", () => {
  for (const [algorithm, lengths] of Object.entries(DIGEST_SET_KNOWN_LENGTHS)) {
    for (const length of lengths) {
      const hex = "ab".repeat(length);
      assert.deepEqual(validateDigestSet({ [algorithm]: hex }), [], `${algorithm} ${length}`);
      // Go's hex.DecodeString accepts either case.
      assert.deepEqual(validateDigestSet({ [algorithm]: hex.toUpperCase() }), []);
    }
    const shortest = Math.min(...lengths);
    const longest = Math.max(...lengths);
    for (const length of [0, 1, shortest - 1, longest + 1]) {
      assert.deepEqual(
        codes(validateDigestSet({ [algorithm]: "00".repeat(length) })),
        [[`/${algorithm}`, "DIGEST_INCORRECT_LENGTH"]],
        `${algorithm} with ${length} bytes`,
      );
    }
    for (const bad of ["0".repeat(2 * shortest - 1), "g" + "0".repeat(2 * shortest - 1), " ab"]) {
      assert.deepEqual(
        codes(validateDigestSet({ [algorithm]: bad })),
        [[`/${algorithm}`, "DIGEST_INVALID_ENCODING"]],
        `${algorithm}: ${bad}`,
      );
    }
  }
  // gitCommit accepts SHA-1 (20) and SHA-256 (32) object ids but nothing in between.
  assert.deepEqual(codes(validateDigestSet({ gitCommit: "00".repeat(28) })), [[
    "/gitCommit",
    "DIGEST_INCORRECT_LENGTH",
  ]]);
});

Deno.test("validateDigestSet() accepts custom algorithms with any string value", () => {
  const parsed = JSON.parse(
    '{"alg1":"abc123","custom":"myCustomEnvoding","arn":"arn:aws:ec2:region:123:image/ami-1",' +
      '"":"","__proto__":"x","constructor":"y","toString":"z","SHA256":"not hex","dirHash1":"?"}',
  );
  assert.deepEqual(validateDigestSet(parsed), []);
});

Deno.test("validateDigestSet() reports every problem, in key order, with escaped paths", () => {
  const set = {
    sha256: "abc123",
    "a/b~c": 7,
    sha512: "zz",
    gitTree: "a1234567b1234567c1234567d1234567e1234567",
    sha1: null,
  };
  assert.deepEqual(codes(validateDigestSet(set, "/predicate/materials/0/digest")), [
    ["/predicate/materials/0/digest/sha256", "DIGEST_INCORRECT_LENGTH"],
    ["/predicate/materials/0/digest/a~1b~0c", "DIGEST_SET_INVALID"],
    ["/predicate/materials/0/digest/sha512", "DIGEST_INVALID_ENCODING"],
    ["/predicate/materials/0/digest/sha1", "DIGEST_SET_INVALID"],
  ]);
  const [first] = validateDigestSet({ sha256: "abc123" });
  assert.equal(first?.message, "Give a sha256 digest of 32 bytes: the value has 3 bytes");
});

Deno.test("validateDigestSet() rejects empty sets and non-objects", () => {
  assert.deepEqual(codes(validateDigestSet({}, "/digest")), [["/digest", "DIGEST_SET_EMPTY"]]);
  for (const bad of [null, undefined, "sha256:abc", 1, true, [], [["sha256", "00"]]]) {
    assert.deepEqual(codes(validateDigestSet(bad)), [["", "DIGEST_SET_INVALID"]], String(bad));
  }
});

Deno.test("digestSetOf() computes the requested algorithms in the given order", () => {
  const bytes = new TextEncoder().encode("abc");
  assert.deepEqual(digestSetOf(bytes), {
    sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  });
  const all = digestSetOf(bytes, ["sha512", "sha384", "sha256"]);
  assert.deepEqual(Object.keys(all), ["sha512", "sha384", "sha256"]);
  for (const algorithm of DIGEST_ALGORITHMS) {
    assert.equal(all[algorithm], digestBytes(algorithm, bytes).toHex());
  }
  assert.deepEqual(validateDigestSet(all), []);
  assert.throws(() => digestSetOf(bytes, []), RangeError);
  assert.throws(() => digestSetOf(bytes, ["sha256", "sha256"]), RangeError);
  assert.throws(() => digestSetOf(bytes, ["md5" as DigestAlgorithm]), TypeError);
});
