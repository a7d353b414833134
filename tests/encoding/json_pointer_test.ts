import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import { evaluatePointer, formatPointer, parsePointer } from "../../lib/encoding/mod.ts";

// RFC 6901 §5 example document and its evaluation table.
const RFC_DOC = JSON.parse(`{
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\\\j": 5,
  "k\\"l": 6,
  " ": 7,
  "m~n": 8
}`);

Deno.test("evaluatePointer() reproduces the RFC 6901 §5 table", () => {
  assert.equal(evaluatePointer(RFC_DOC, ""), RFC_DOC);
  assert.deepEqual(evaluatePointer(RFC_DOC, "/foo"), ["bar", "baz"]);
  assert.equal(evaluatePointer(RFC_DOC, "/foo/0"), "bar");
  assert.equal(evaluatePointer(RFC_DOC, "/"), 0);
  assert.equal(evaluatePointer(RFC_DOC, "/a~1b"), 1);
  assert.equal(evaluatePointer(RFC_DOC, "/c%d"), 2);
  assert.equal(evaluatePointer(RFC_DOC, "/e^f"), 3);
  assert.equal(evaluatePointer(RFC_DOC, "/g|h"), 4);
  assert.equal(evaluatePointer(RFC_DOC, "/i\\j"), 5);
  assert.equal(evaluatePointer(RFC_DOC, '/k"l'), 6);
  assert.equal(evaluatePointer(RFC_DOC, "/ "), 7);
  assert.equal(evaluatePointer(RFC_DOC, "/m~0n"), 8);
});

Deno.test("evaluatePointer() decodes ~01 as ~1, not /", () => {
  assert.equal(evaluatePointer({ "~1": "tilde-one", "/": "slash" }, "/~01"), "tilde-one");
  assert.deepEqual(parsePointer("/~01"), ["~1"]);
});

Deno.test("evaluatePointer() returns undefined for anything absent", () => {
  const doc = { a: [10, 20], s: "text", n: null, o: {} };
  assert.equal(evaluatePointer(doc, "/missing"), undefined);
  assert.equal(evaluatePointer(doc, "/a/2"), undefined);
  assert.equal(evaluatePointer(doc, "/a/-"), undefined);
  assert.equal(evaluatePointer(doc, "/a/01"), undefined);
  assert.equal(evaluatePointer(doc, "/a/-1"), undefined);
  assert.equal(evaluatePointer(doc, "/a/1e0"), undefined);
  assert.equal(evaluatePointer(doc, "/s/0"), undefined);
  assert.equal(evaluatePointer(doc, "/n/x"), undefined);
  assert.equal(evaluatePointer(doc, "/o/constructor"), undefined);
  assert.equal(evaluatePointer(doc, "/o/__proto__"), undefined);
  assert.equal(evaluatePointer(doc, "/o/toString"), undefined);
  assert.equal(evaluatePointer(doc, "/n"), null);
  assert.equal(evaluatePointer(doc, "/a/1"), 20);
});

Deno.test("parsePointer() rejects malformed pointers with POINTER_INVALID", () => {
  for (const [pointer, offset] of [["a", 0], ["/a~", 2], ["/a~2", 2], ["/~/", 1]] as const) {
    assert.throws(() => parsePointer(pointer, "requiredClaims[0].pointer"), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.code, "POINTER_INVALID");
      assert.equal(error.offset, offset);
      assert.match(error.message, /"requiredClaims\[0\]\.pointer"/);
      return true;
    });
    assert.throws(() => evaluatePointer({}, pointer), { code: "POINTER_INVALID" });
  }
});

Deno.test("formatPointer() escapes ~ before / and round-trips with parsePointer()", () => {
  const tokens = ["a/b", "m~n", "~1", "", "0"];
  assert.equal(formatPointer(tokens), "/a~1b/m~0n/~01//0");
  assert.deepEqual(parsePointer(formatPointer(tokens)), tokens);
  assert.equal(formatPointer(["subject", 0, "digest"]), "/subject/0/digest");
});
