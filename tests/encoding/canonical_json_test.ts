import assert from "node:assert/strict";
import canonicalizeModule from "canonicalize";
import { canonicalBytes, canonicalize, ParseError, parseJson } from "../../mod.ts";
import { canonicalizeText } from "../../lib/encoding/mod.ts";
import { makeRandom, randomJson, referenceCanonicalize } from "./_json_random.ts";

/** The npm `canonicalize` package (CommonJS default export; its typings do not say so). */
const npmCanonicalize = canonicalizeModule as unknown as (value: unknown) => string;

/** Wraps a value in enough arrays to force the iterative (checked) serializer. */
function nest(value: unknown, levels: number): unknown {
  let out = value;
  for (let i = 0; i < levels; i++) out = [out];
  return out;
}

function nested(text: string, levels: number): string {
  return "[".repeat(levels) + text + "]".repeat(levels);
}

Deno.test("canonicalize() orders keys by UTF-16 code units (RFC 8785 §3.2.3)", () => {
  assert.equal(canonicalize({ "\uFB01": 1, "\u{1F600}": 2 }), '{"😀":2,"ﬁ":1}');
  assert.equal(
    canonicalize({ b: 1, a: 2, B: 3, aa: 4, "": 5, é: 6 }),
    '{"":5,"B":3,"a":2,"aa":4,"b":1,"é":6}',
  );
});

Deno.test("canonicalize() sorts integer-like keys as strings, not numbers", () => {
  assert.equal(
    canonicalize({ "10": "a", "9": "b", "1": "c", x: "d", "$": "e" }),
    '{"$":"e","1":"c","10":"a","9":"b","x":"d"}',
  );
  assert.equal(canonicalize({ "$": 1, "5": 2 }), '{"$":1,"5":2}');
  assert.equal(canonicalize({ a: { "2": 1, "10": 2 } }), '{"a":{"10":2,"2":1}}');
});

Deno.test("canonicalize() writes numbers in ECMAScript form (RFC 8785 §3.2.2.3)", () => {
  assert.equal(
    canonicalize([0, -0, 1, -1, 0.1, 1e21, 1e-7, 123e-20, 4.5, 333333333.33333329, 2 ** 53]),
    "[0,0,1,-1,0.1,1e+21,1e-7,1.23e-18,4.5,333333333.3333333,9007199254740992]",
  );
  assert.equal(canonicalize(Number.MIN_VALUE), "5e-324");
  assert.equal(canonicalize(-Number.MAX_VALUE), "-1.7976931348623157e+308");
});

Deno.test("canonicalize() rejects NaN and infinities with a RangeError naming the path", () => {
  assert.throws(() => canonicalize({ a: [1, NaN] }), {
    name: "RangeError",
    message: 'Cannot canonicalize value at "/a/1": NaN is not a JSON number',
  });
  assert.throws(() => canonicalize(Infinity), {
    name: "RangeError",
    message: "Cannot canonicalize value at the root: Infinity is not a JSON number",
  });
  assert.throws(() => canonicalize({ "a/b": { "m~n": -Infinity } }), {
    name: "RangeError",
    message: 'Cannot canonicalize value at "/a~1b/m~0n": -Infinity is not a JSON number',
  });
});

Deno.test("canonicalize() escapes strings minimally (RFC 8785 §3.2.2.2)", () => {
  const input = '"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u2028\u2029é€😀';
  assert.equal(
    canonicalize(input),
    '"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u007f\u2028\u2029é€😀"',
  );
  assert.equal(canonicalize({ "\n": "\u001e" }), '{"\\n":"\\u001e"}');
});

Deno.test("canonicalize() rejects lone surrogates in strings and member names", () => {
  assert.throws(() => canonicalize({ a: ["ok", "x\uD800"] }), {
    name: "TypeError",
    message: 'Cannot canonicalize value at "/a/1": string contains a lone surrogate',
  });
  assert.throws(() => canonicalize("\uDC00"), TypeError);
  assert.throws(() => canonicalize("\\\uD800"), TypeError);
  assert.throws(() => canonicalize({ x: { "\uDBFF": 1 } }), {
    name: "TypeError",
    message: 'Cannot canonicalize value at "/x": a member name contains a lone surrogate',
  });
  // A valid pair, and a literal backslash followed by "ud800", are fine.
  assert.equal(canonicalize("\uD83D\uDE00"), '"😀"');
  assert.equal(canonicalize("\\ud800"), '"\\\\ud800"');
  assert.equal(canonicalize({ "\\udbff": "\\\\\\udc00" }), '{"\\\\udbff":"\\\\\\\\\\\\udc00"}');
});

Deno.test("canonicalize() omits undefined members but rejects undefined elsewhere", () => {
  assert.equal(canonicalize({ a: undefined, b: 1, c: undefined }), '{"b":1}');
  assert.equal(canonicalize({ a: undefined }), "{}");
  assert.throws(() => canonicalize(undefined), {
    name: "TypeError",
    message: "Cannot canonicalize value at the root: undefined is not JSON",
  });
  assert.throws(() => canonicalize({ list: [1, undefined] }), {
    name: "TypeError",
    message: 'Cannot canonicalize value at "/list/1": undefined is not allowed in arrays',
  });
  // A hole in a sparse array is undefined too.
  assert.throws(() => canonicalize([1, , 3]), {
    message: 'Cannot canonicalize value at "/1": undefined is not allowed in arrays',
  });
});

Deno.test("canonicalize() rejects functions, symbols, bigints and non-plain objects", () => {
  const cases: [unknown, string][] = [
    [{ f: () => 1 }, 'at "/f": a function is not JSON'],
    [{ s: Symbol("x") }, 'at "/s": a symbol is not JSON'],
    [[1n], 'at "/0": a bigint is not JSON (convert it to a number or string first)'],
    [{ m: new Map() }, 'at "/m": a Map is not a plain object or array'],
    [{ s: new Set([1]) }, 'at "/s": a Set is not a plain object or array'],
    [{ d: new Date(0) }, 'at "/d": a Date is not a plain object or array'],
    [{ u: new Uint8Array(1) }, 'at "/u": a Uint8Array is not a plain object or array'],
    [{ n: new Number(1) }, 'at "/n": a Number is not a plain object or array'],
    [{ c: new (class Custom {})() }, 'at "/c": a Custom is not a plain object or array'],
    [
      { o: Object.create(Object.create(null)) },
      'at "/o": an object with a custom prototype is not a plain object or array',
    ],
  ];
  for (const [value, detail] of cases) {
    assert.throws(() => canonicalize(value), {
      name: "TypeError",
      message: `Cannot canonicalize value ${detail}`,
    });
  }
});

Deno.test("canonicalize() accepts null-prototype objects and ignores symbol keys", () => {
  const bare = Object.create(null) as Record<string, unknown>;
  bare.z = 1;
  bare.a = [true, false, null];
  assert.equal(canonicalize(bare), '{"a":[true,false,null],"z":1}');
  const withSymbol = { b: 1, [Symbol("hidden")]: 2 };
  Object.defineProperty(withSymbol, "hidden", { value: 3, enumerable: false });
  assert.equal(canonicalize(withSymbol), '{"b":1}');
});

Deno.test("canonicalize() treats __proto__ as an ordinary member name", () => {
  const parsed = JSON.parse('{"z":1,"__proto__":{"polluted":true},"a":2}');
  assert.equal(canonicalize(parsed), '{"__proto__":{"polluted":true},"a":2,"z":1}');
  // Sorted input (no copy needed) and input that needs a reordered copy both keep it.
  assert.equal(
    canonicalize(JSON.parse('{"__proto__":[1],"a":2}')),
    '{"__proto__":[1],"a":2}',
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("canonicalize() detects cycles and accepts shared subtrees", () => {
  const cyclic: Record<string, unknown> = { a: { b: [] as unknown[] } };
  ((cyclic.a as Record<string, unknown>).b as unknown[]).push(cyclic.a);
  assert.throws(() => canonicalize(cyclic), {
    name: "TypeError",
    message: 'Cannot canonicalize value at "/a/b/0": circular reference',
  });
  const self: unknown[] = [];
  self.push(self);
  assert.throws(() => canonicalize(self), {
    message: 'Cannot canonicalize value at "/0": circular reference',
  });
  const shared = { x: 1 };
  assert.equal(
    canonicalize({ b: shared, a: [shared, shared] }),
    '{"a":[{"x":1},{"x":1}],"b":{"x":1}}',
  );
});

Deno.test("canonicalize() serializes very deep values without overflowing the stack", () => {
  const levels = 20_000;
  assert.equal(
    canonicalize(nest({ b: 1, a: [null] }, levels)),
    nested('{"a":[null],"b":1}', levels),
  );
  let deepObject: unknown = "end";
  for (let i = 0; i < 5_000; i++) deepObject = { z: 0, k: deepObject };
  const text = canonicalize(deepObject);
  assert.equal(text.length, 5_000 * '{"k":,"z":0}'.length + '"end"'.length);
  assert.ok(text.startsWith('{"k":{"k":'));
});

Deno.test("canonicalize() ignores an inherited toJSON", () => {
  const prototype = Object.prototype as { toJSON?: () => string };
  prototype.toJSON = () => "hijacked";
  try {
    assert.equal(canonicalize({ b: { y: 1 }, a: [{}] }), '{"a":[{}],"b":{"y":1}}');
  } finally {
    delete prototype.toJSON;
  }
  // An own toJSON member is ordinary data (a function value is rejected).
  assert.equal(canonicalize({ toJSON: "x" }), '{"toJSON":"x"}');
  assert.throws(() => canonicalize({ toJSON: () => 1 }), TypeError);
});

Deno.test("canonicalize() is reentrant (a getter that canonicalizes)", () => {
  const value = {
    b: 1,
    "10": "ten",
    "9": "nine",
    get a(): number {
      assert.equal(canonicalize({ y: 1, x: 2 }), '{"x":2,"y":1}');
      return 0;
    },
  };
  assert.equal(canonicalize(value), '{"10":"ten","9":"nine","a":0,"b":1}');
});

Deno.test("canonicalize() agrees with an independent oracle on random values (both paths)", () => {
  const random = makeRandom(8785);
  for (let i = 0; i < 400; i++) {
    const value = randomJson(random, 4, { undefinedMembers: true });
    const expected = referenceCanonicalize(value);
    assert.equal(canonicalize(value), expected);
    // Deeper than the fast path's limit: exercises the iterative serializer on the same value.
    assert.equal(canonicalize(nest(value, 600)), nested(expected, 600));
  }
});

Deno.test("canonicalize() agrees with the npm canonicalize package on random values", () => {
  const random = makeRandom(2024);
  for (let i = 0; i < 300; i++) {
    const value = randomJson(random, 5);
    assert.equal(canonicalize(value), npmCanonicalize(value));
  }
});

Deno.test("canonicalize() output is a fixed point of parseJson + canonicalize", () => {
  const random = makeRandom(7);
  for (let i = 0; i < 200; i++) {
    const text = canonicalize(randomJson(random, 5));
    assert.equal(canonicalize(parseJson(text)), text);
    assert.equal(canonicalizeText(text), text);
  }
});

Deno.test("canonicalBytes() returns the UTF-8 encoding of canonicalize()", () => {
  const bytes = canonicalBytes({ b: "é😀", a: -0 });
  assert.ok(bytes.buffer instanceof ArrayBuffer);
  assert.deepEqual(bytes, new TextEncoder().encode('{"a":0,"b":"é😀"}'));
  assert.deepEqual(
    Array.from(canonicalBytes("€")),
    [0x22, 0xe2, 0x82, 0xac, 0x22],
  );
  assert.throws(() => canonicalBytes({ a: "\uD800" }), TypeError);
});

Deno.test("canonicalizeText() parses strictly, then canonicalizes", () => {
  assert.equal(
    canonicalizeText('{\n  "b": [1.50, 2e-3, 1E30],\n  "a": "\\u20ac\\/"\n}'),
    '{"a":"€/","b":[1.5,0.002,1e+30]}',
  );
  assert.equal(canonicalizeText(new TextEncoder().encode('{"é":1}')), '{"é":1}');
  const duplicate = () => canonicalizeText('{"a":1,"a":2}', { name: "x.json" });
  assert.throws(duplicate, ParseError);
  assert.throws(duplicate, {
    code: "JSON_DUPLICATE_KEY",
    offset: 7,
    message: 'Cannot parse JSON "x.json": duplicate key "a" at offset 7 (line 1, column 8)',
  });
  assert.throws(() => canonicalizeText("[[1]]", { maxDepth: 1 }), { code: "JSON_TOO_DEEP" });
  assert.throws(() => canonicalizeText('"\\ud800"'), { code: "JSON_LONE_SURROGATE" });
});
