import assert from "node:assert/strict";
import { ParseError, parseJson, type ParseJsonOptions } from "../../mod.ts";
import { DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_JSON_DEPTH } from "../../lib/encoding/mod.ts";
import { makeRandom, randomJson } from "./_json_random.ts";

const encoder = new TextEncoder();

/** Asserts that parsing fails with exactly this code and offset. */
function assertFails(
  input: string | Uint8Array,
  code: string,
  offset: number,
  options?: ParseJsonOptions,
): ParseError {
  try {
    parseJson(input, options);
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected ParseError, got ${error}`);
    assert.equal(error.code, code, `${JSON.stringify(input)}: ${error.message}`);
    assert.equal(error.offset, offset, `${JSON.stringify(input)}: ${error.message}`);
    return error;
  }
  assert.fail(`expected ${code} for ${JSON.stringify(input)}`);
}

Deno.test("parseJson() parses every JSON value type", () => {
  assert.deepEqual(
    parseJson(' {"a": [1, -2.5e-3, true, false, null, "x", {}, []], "b": {"c": "d"}}\n'),
    { a: [1, -0.0025, true, false, null, "x", {}, []], b: { c: "d" } },
  );
  assert.equal(parseJson("0"), 0);
  assert.ok(Object.is(parseJson("-0"), -0));
  assert.equal(parseJson('"s"'), "s");
  assert.equal(parseJson("null"), null);
  assert.equal(parseJson("\t\r\n true \t\r\n"), true);
});

Deno.test("parseJson() decodes every escape", () => {
  assert.equal(
    parseJson('"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u00e9 \\u20AC \\uD83D\\uDE00"'),
    '" \\ / \b \f \n \r \t \u0000 é € 😀',
  );
  assert.equal(parseJson('"plain \u2028 € 😀 text"'), "plain \u2028 € 😀 text");
});

Deno.test("parseJson() reads numbers as IEEE 754 doubles like JSON.parse", () => {
  const numbers = [
    "1",
    "-1",
    "1.0",
    "1e2",
    "1E+2",
    "1e-2",
    "123456789012345678901234567890",
    "9007199254740993",
    "0.1",
    "5e-324",
    "2e-324",
    "1e-400",
    "1.7976931348623157e308",
    "333333333.33333329",
  ];
  for (const text of numbers) assert.ok(Object.is(parseJson(text), JSON.parse(text)), text);
});

Deno.test("parseJson() keeps __proto__ as an own data property (no prototype pollution)", () => {
  const value = parseJson(
    '{"__proto__": {"polluted": true}, "a": [{"__proto__": null}]}',
  ) as Record<
    string,
    unknown
  >;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ["__proto__", "a"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, "__proto__"), {
    value: { polluted: true },
    writable: true,
    enumerable: true,
    configurable: true,
  });
  assert.equal((value as { polluted?: unknown }).polluted, undefined);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  const inner = (value.a as Record<string, unknown>[])[0]!;
  assert.equal(Object.getPrototypeOf(inner), Object.prototype);
  assert.ok(Object.hasOwn(inner, "__proto__"));
  // Same shape as JSON.parse produces.
  assert.deepEqual(
    value,
    JSON.parse('{"__proto__": {"polluted": true}, "a": [{"__proto__": null}]}'),
  );
});

Deno.test("parseJson() accepts member names that exist on Object.prototype", () => {
  assert.deepEqual(parseJson('{"toString": 1, "constructor": 2, "hasOwnProperty": 3}'), {
    toString: 1,
    constructor: 2,
    hasOwnProperty: 3,
  });
});

Deno.test("parseJson() reports duplicate keys with the offset of the second name", () => {
  assertFails('{"a":1,"a":2}', "JSON_DUPLICATE_KEY", 7);
  assertFails('{"x":{"a":1,"b":{"c":1,"c":2}}}', "JSON_DUPLICATE_KEY", 23);
  assertFails('[{"a":1},{"b":1,"b":1}]', "JSON_DUPLICATE_KEY", 16);
  // Equal after escape decoding.
  assertFails('{"a":1,"\\u0061":2}', "JSON_DUPLICATE_KEY", 7);
  assertFails('{"\\u0061":1,"a":2}', "JSON_DUPLICATE_KEY", 12);
  assertFails('{"é":1,"\\u00e9":2}', "JSON_DUPLICATE_KEY", 7);
  assertFails('{"__proto__":1,"__proto__":2}', "JSON_DUPLICATE_KEY", 15);
  assertFails('{"toString":1,"toString":2}', "JSON_DUPLICATE_KEY", 14);
  // The same name in different objects is fine.
  assert.deepEqual(parseJson('[{"a":1},{"a":2},{"a":{"a":3}}]'), [{ a: 1 }, { a: 2 }, {
    a: { a: 3 },
  }]);
});

Deno.test("parseJson() reports lone surrogates, escaped or raw", () => {
  assertFails('"\\uD800"', "JSON_LONE_SURROGATE", 1);
  assertFails('"\\udc00"', "JSON_LONE_SURROGATE", 1);
  assertFails('"ab\\uD800\\u0041"', "JSON_LONE_SURROGATE", 3);
  assertFails('"\\uD800x"', "JSON_LONE_SURROGATE", 1);
  assertFails('"\\uDBFF\\uDBFF"', "JSON_LONE_SURROGATE", 1);
  assertFails('{"k\\uD800":1}', "JSON_LONE_SURROGATE", 3);
  assertFails('"x\uD800"', "JSON_LONE_SURROGATE", 2);
  assertFails('"\uDC00\uD800"', "JSON_LONE_SURROGATE", 1);
  assertFails('["a", "b\\u0041\uD83D"]', "JSON_LONE_SURROGATE", 14);
  assertFails("[\uD800]", "JSON_LONE_SURROGATE", 1);
  // Valid pairs, escaped or raw, are fine.
  assert.equal(parseJson('"\\uD83D\\uDE00\uD83D\uDE00"'), "😀😀");
});

Deno.test("parseJson() reports trailing data", () => {
  assertFails("{} x", "JSON_TRAILING_DATA", 3);
  assertFails("1 2", "JSON_TRAILING_DATA", 2);
  assertFails("[1]]", "JSON_TRAILING_DATA", 3);
  assertFails('"a""b"', "JSON_TRAILING_DATA", 3);
  assertFails("nullx", "JSON_TRAILING_DATA", 4);
  assertFails("{}\u0000", "JSON_TRAILING_DATA", 2);
  assertFails("[] // comment", "JSON_TRAILING_DATA", 3);
  assertFails("0x10", "JSON_TRAILING_DATA", 1);
  assert.deepEqual(parseJson("{} \n\r\t "), {});
});

Deno.test("parseJson() reports grammar errors as JSON_SYNTAX with exact offsets", () => {
  const cases: [string, number][] = [
    ["", 0],
    [" ", 1],
    ["01", 0],
    ["-01", 0],
    ["[00]", 1],
    ["[1,]", 3],
    ['{"a":1,}', 7],
    ["[1,,2]", 3],
    ["[,1]", 1],
    ["['a']", 1],
    ["{'a':1}", 1],
    ["{a:1}", 1],
    ["[1/*c*/]", 2],
    ["// c\n1", 0],
    ["NaN", 0],
    ["Infinity", 0],
    ["-Infinity", 1],
    ["+1", 0],
    [".5", 0],
    ["1.", 2],
    ["1.e3", 2],
    ["1e", 2],
    ["1e+", 3],
    ["-", 1],
    ['"a\nb"', 2],
    ['"tab\there"', 4],
    ['"\u001f"', 1],
    ['"\\x"', 1],
    ['"\\u12G4"', 1],
    ['"\\u12"', 1],
    ['"\\', 1],
    ['"abc', 4],
    ["[", 1],
    ["{", 1],
    ['{"a"}', 4],
    ['{"a" 1}', 5],
    ['{"a":1 "b":2}', 7],
    ["[1 2]", 3],
    ["tru", 0],
    ["True", 0],
    ["nul", 0],
    ["\u00a0 1", 0],
    ["\u000b1", 0],
    ["\uFEFF{}", 0],
    ["1e400", 0],
    ["[-1e400]", 1],
    ["1" + "0".repeat(400), 0],
    ["]", 0],
    ['{"a":}', 5],
  ];
  for (const [text, offset] of cases) assertFails(text, "JSON_SYNTAX", offset);
});

Deno.test("parseJson() messages name the input, offset, line and column", () => {
  const error = assertFails('{\n  "a": 1,\n  "b": tru\n}', "JSON_SYNTAX", 19, { name: "x.json" });
  assert.equal(
    error.message,
    "Cannot parse JSON \"x.json\": expected a value but found 't' at offset 19 (line 3, column 8)",
  );
  assert.equal(
    assertFails("[1,]", "JSON_SYNTAX", 3).message,
    "Cannot parse JSON: trailing comma at offset 3 (line 1, column 4)",
  );
  assert.equal(
    assertFails("{'a':1}", "JSON_SYNTAX", 1).message,
    'Cannot parse JSON: expected a member name in double quotes but found "\'" ' +
      "(strings use double quotes) at offset 1 (line 1, column 2)",
  );
  assert.equal(
    assertFails(encoder.encode('{"é":1,\n"é":2}'), "JSON_DUPLICATE_KEY", 9, { name: "a.json" })
      .message,
    'Cannot parse JSON "a.json": duplicate key "é" at offset 9 (line 2, column 1)',
  );
  assert.equal(
    assertFails("1e999", "JSON_SYNTAX", 0).message,
    "Cannot parse JSON: number 1e999 is too large for a double at offset 0 (line 1, column 1)",
  );
});

Deno.test("parseJson() limits nesting depth (JSON_TOO_DEEP)", () => {
  assert.equal(DEFAULT_MAX_JSON_DEPTH, 128);
  const ok = "[".repeat(128) + "]".repeat(128);
  assert.ok(Array.isArray(parseJson(ok)));
  assertFails("[".repeat(129) + "]".repeat(129), "JSON_TOO_DEEP", 128);
  assertFails('{"a":'.repeat(129) + "1" + "}".repeat(129), "JSON_TOO_DEEP", 128 * 5);
  assertFails("[".repeat(100_000), "JSON_TOO_DEEP", 128);
  assert.equal(parseJson("1", { maxDepth: 0 }), 1);
  assertFails("[]", "JSON_TOO_DEEP", 0, { maxDepth: 0 });
  assertFails('{"a":[{"b":1}]}', "JSON_TOO_DEEP", 6, { maxDepth: 2 });
  // Deep input is parsed iteratively: no stack overflow below the limit.
  const deep = "[".repeat(50_000) + "]".repeat(50_000);
  assert.ok(Array.isArray(parseJson(deep, { maxDepth: 50_000 })));
});

Deno.test("parseJson() limits input size before parsing (JSON_TOO_LARGE)", () => {
  assert.equal(DEFAULT_MAX_JSON_BYTES, 67_108_864);
  assert.equal(parseJson('"1234"', { maxBytes: 6 }), "1234");
  assertFails('"12345"', "JSON_TOO_LARGE", -1, { maxBytes: 6 });
  assertFails(encoder.encode('"12345"'), "JSON_TOO_LARGE", -1, { maxBytes: 6 });
  // String input is measured in UTF-8 bytes: "é" is 2 bytes, "😀" is 4.
  assert.equal(parseJson('"éé"', { maxBytes: 6 }), "éé");
  assertFails('"ééé"', "JSON_TOO_LARGE", -1, { maxBytes: 6 });
  assertFails('"😀😀"', "JSON_TOO_LARGE", -1, { maxBytes: 9 });
  // Checked before parsing: even invalid JSON reports the size first.
  assertFails("not json at all", "JSON_TOO_LARGE", -1, { maxBytes: 4 });
  assertFails(new Uint8Array([0xff, 0xff, 0xff]), "JSON_TOO_LARGE", -1, { maxBytes: 2 });
  assert.equal(
    assertFails("[1]", "JSON_TOO_LARGE", -1, { maxBytes: 2, name: "big.json" }).message,
    'Cannot parse JSON "big.json": input is larger than the limit of 2 bytes',
  );
});

Deno.test("parseJson() decodes bytes as strict UTF-8 and reports byte offsets", () => {
  assert.deepEqual(parseJson(encoder.encode('{"é":"😀"}')), { é: "😀" });
  assertFails(new Uint8Array([0x22, 0xff, 0x22]), "JSON_INVALID_UTF8", 1);
  assertFails(new Uint8Array([0x22, 0xc3, 0xa9, 0xc0, 0x80, 0x22]), "JSON_INVALID_UTF8", 3);
  assertFails(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]), "JSON_INVALID_UTF8", 1);
  assertFails(new Uint8Array([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]), "JSON_INVALID_UTF8", 1);
  assertFails(new Uint8Array([0x22, 0x61, 0xe2, 0x82]), "JSON_INVALID_UTF8", 2);
  assertFails(new Uint8Array([0x22, 0xe2, 0x28, 0xa1, 0x22]), "JSON_INVALID_UTF8", 1);
  assertFails(new Uint8Array([0x80]), "JSON_INVALID_UTF8", 0);
  // A byte order mark is not allowed.
  assertFails(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), "JSON_SYNTAX", 0);
  // Offsets after multi-byte characters are byte offsets for bytes, characters for strings.
  assertFails(encoder.encode('["é😀", x]'), "JSON_SYNTAX", 11);
  assertFails('["é😀", x]', "JSON_SYNTAX", 8);
  assertFails(encoder.encode('{"€":1,"€":2}'), "JSON_DUPLICATE_KEY", 9);
  // Subarrays are read from their own offset.
  const framed = encoder.encode('xx{"a":1}yy').subarray(2, 9);
  assert.deepEqual(parseJson(framed), { a: 1 });
});

Deno.test("parseJson() rejects bad options and inputs as misuse", () => {
  assert.throws(() => parseJson("1", { maxBytes: -1 }), RangeError);
  assert.throws(() => parseJson("1", { maxDepth: 1.5 }), RangeError);
  assert.throws(() => parseJson("1", { maxDepth: NaN }), RangeError);
  assert.deepEqual(parseJson("[[1]]", { maxBytes: Infinity, maxDepth: Infinity }), [[1]]);
  assert.throws(() => parseJson(42 as unknown as string), TypeError);
  assert.deepEqual(
    parseJson("[]", { maxBytes: undefined, maxDepth: undefined, name: undefined }),
    [],
  );
});

Deno.test("parseJson() agrees with JSON.parse on generated valid documents", () => {
  const random = makeRandom(1);
  for (let i = 0; i < 400; i++) {
    const value = randomJson(random, 5);
    // The last indent puts CR, LF and spaces (all JSON whitespace) between tokens.
    const indent = [undefined, 1, 2, "\t", "\r\n "][i % 5];
    const text = JSON.stringify(value, null, indent);
    assert.deepEqual(parseJson(text), JSON.parse(text));
    assert.deepEqual(parseJson(encoder.encode(text)), JSON.parse(text));
  }
});

Deno.test("parseJson() throws only ParseError on random mutations, and accepts only valid JSON", () => {
  const random = makeRandom(99);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const alphabet = encoder.encode('{}[]:,"\\/ \n\t0123456789.-+eEtrufalsn\u00e9x');
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 600; i++) {
    const bytes = encoder.encode(JSON.stringify(randomJson(random, 4), null, i % 2 === 0 ? 1 : 0));
    const mutated = Array.from(bytes);
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (mutated.length + 1));
      const pick = random();
      const byte = random() < 0.7
        ? alphabet[Math.floor(random() * alphabet.length)]!
        : Math.floor(random() * 256);
      if (pick < 0.4) mutated.splice(at, 1);
      else if (pick < 0.7) mutated.splice(at, 0, byte);
      else mutated[Math.min(at, mutated.length - 1)] = byte;
    }
    const input = new Uint8Array(mutated);
    let parsed: unknown;
    try {
      parsed = parseJson(input);
    } catch (error) {
      assert.ok(error instanceof ParseError, `unexpected ${error}`);
      assert.match(error.code, /^JSON_[A-Z0-9_]+$/);
      assert.ok(error.offset >= -1 && error.offset <= input.length);
      rejected++;
      continue;
    }
    // Whatever parseJson accepts, JSON.parse accepts with the same value.
    assert.deepEqual(parsed, JSON.parse(decoder.decode(input)));
    accepted++;
  }
  assert.ok(accepted > 20 && rejected > 300, `accepted ${accepted}, rejected ${rejected}`);
});
