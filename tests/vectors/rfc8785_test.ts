// RFC 8785 (JCS) vectors from cyberphone/json-canonicalization (../shared/vectors, see
// json-canonicalization/SOURCE.md): canonicalization input/output pairs and the ES6 number
// serialization files.
import assert from "node:assert/strict";
import { canonicalBytes, canonicalize, parseJson } from "../../mod.ts";
import { canonicalizeText } from "../../lib/encoding/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const JCS = vectorSet("json-canonicalization");
const CASES = ["arrays", "french", "structures", "unicode", "values", "weird"];

/** The IEEE 754 double whose bit pattern is the given hex (1–16 digits, left-padded). */
function doubleFromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt("0x" + hex));
  return view.getFloat64(0);
}

async function readGzipText(url: URL): Promise<string> {
  const file = await Deno.open(url);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** Checks every `hex,expected` line; returns the number of lines checked. */
function checkNumberLines(text: string): number {
  const lines = text.split("\n");
  assert.equal(lines.pop(), "", "file ends with a newline");
  for (const line of lines) {
    const comma = line.indexOf(",");
    const hex = line.slice(0, comma);
    const expected = line.slice(comma + 1);
    const value = doubleFromHex(hex);
    const actual = canonicalize(value);
    if (actual !== expected) assert.fail(`${line}: got ${actual}`);
    // The canonical text parses back to the same double (-0 aside, which serializes as 0).
    const parsed = parseJson(expected);
    if (!Object.is(parsed, value) && !(Object.is(value, -0) && parsed === 0)) {
      assert.fail(`${line}: parses back as ${parsed}`);
    }
  }
  return lines.length;
}

vectorTest(
  JCS,
  "RFC 8785 vectors: the input directory holds exactly the six known cases",
  async () => {
    const names: string[] = [];
    for await (const entry of Deno.readDir(JCS.url("testdata/input/"))) names.push(entry.name);
    assert.deepEqual(names.sort(), CASES.map((name) => `${name}.json`));
  },
);

for (const name of CASES) {
  vectorTest(
    JCS,
    `RFC 8785 vectors: ${name}.json canonicalizes to the expected bytes`,
    async () => {
      const input = await Deno.readFile(JCS.url(`testdata/input/${name}.json`));
      const expected = await Deno.readFile(JCS.url(`testdata/output/${name}.json`));
      const hex = await Deno.readTextFile(JCS.url(`testdata/outhex/${name}.txt`));
      // outhex is the same bytes as space-separated hex, wrapped over several lines.
      assert.deepEqual(
        hex.trim().split(/\s+/),
        Array.from(expected, (byte) => byte.toString(16).padStart(2, "0")),
      );
      const expectedText = new TextDecoder().decode(expected);
      assert.deepEqual(canonicalBytes(parseJson(input)), expected);
      assert.equal(canonicalize(parseJson(new TextDecoder().decode(input))), expectedText);
      assert.equal(canonicalizeText(input), expectedText);
      // Canonical output is a fixed point.
      assert.equal(canonicalizeText(expected), expectedText);
      // Same result through the iterative serializer (forced by nesting deeper than the fast path).
      const deep = canonicalize(
        Array.from({ length: 600 }).reduce<unknown>((v) => [v], parseJson(input)),
      );
      assert.equal(deep, "[".repeat(600) + expectedText + "]".repeat(600));
    },
  );
}

vectorTest(
  JCS,
  "RFC 8785 vectors: es6testfile-first10000.txt (ES6 number serialization)",
  async () => {
    const text = await Deno.readTextFile(JCS.url("es6numbers/es6testfile-first10000.txt"));
    assert.equal(checkNumberLines(text), 10_000);
    return 10_000;
  },
);

vectorTest(
  JCS,
  "RFC 8785 vectors: es6testfile-first100000.txt.gz (ES6 number serialization)",
  async () => {
    const text = await readGzipText(JCS.url("es6numbers/es6testfile-first100000.txt.gz"));
    assert.equal(checkNumberLines(text), 100_000);
    const first10000 = await Deno.readTextFile(
      JCS.url("es6numbers/es6testfile-first10000.txt"),
    );
    assert.ok(text.startsWith(first10000), "the 100,000-line file extends the 10,000-line file");
    return 100_000;
  },
);

Deno.test("RFC 8785: NaN and infinities are rejected, -0 serializes as 0", () => {
  for (const hex of ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]) {
    assert.throws(() => canonicalize(doubleFromHex(hex)), RangeError, hex);
    assert.throws(() => canonicalize({ n: doubleFromHex(hex) }), RangeError, hex);
  }
  assert.ok(Number.isNaN(doubleFromHex("7fffffffffffffff")));
  assert.ok(Object.is(doubleFromHex("8000000000000000"), -0));
  assert.equal(canonicalize(doubleFromHex("8000000000000000")), "0");
  assert.equal(canonicalize([-0, { z: -0 }]), '[0,{"z":0}]');
});
