import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import { formatChecksums, parseChecksums } from "../../lib/kit/mod.ts";

const A = "aa".repeat(32);
const B = "bb".repeat(32);

function parseCode(input: string | Uint8Array): string {
  try {
    parseChecksums(input);
  } catch (error) {
    assert.ok(error instanceof ParseError);
    return error.code;
  }
  throw new Error("expected a ParseError");
}

Deno.test("formatChecksums() writes coreutils text-mode lines sorted by UTF-16 code units", () => {
  const paths = ["\uFB01.txt", "\u{1F600}.txt", "b", "B", "a/z", "a.b"];
  const text = formatChecksums(paths.map((path) => ({ path, sha256: A })));
  assert.equal(
    text,
    ["B", "a.b", "a/z", "b", "\u{1F600}.txt", "\uFB01.txt"].map((p) => `${A}  ${p}\n`).join(""),
  );
  assert.equal(formatChecksums([]), "");
  assert.equal(formatChecksums([{ path: "x", sha256: A.toUpperCase() }]), `${A}  x\n`);
});

Deno.test("formatChecksums() rejects unsafe paths, bad digests and duplicates", () => {
  for (const path of ["", "/abs", "../x", "a/../b", "a//b", "./a", "a\\b", "a\nb", "a\u007fb"]) {
    assert.throws(() => formatChecksums([{ path, sha256: A }]), RangeError, JSON.stringify(path));
  }
  assert.throws(() => formatChecksums([{ path: "x", sha256: "ab" }]), RangeError);
  assert.throws(
    () => formatChecksums([{ path: "x", sha256: A }, { path: "x", sha256: B }]),
    RangeError,
  );
});

Deno.test("parseChecksums() reads text and binary mode lines and lowercases digests", () => {
  const text = `${A.toUpperCase()}  one\n${B} *dir/two words\n`;
  assert.deepEqual(parseChecksums(text), [
    { path: "one", sha256: A },
    { path: "dir/two words", sha256: B },
  ]);
  assert.deepEqual(parseChecksums(new TextEncoder().encode(text)), parseChecksums(text));
  assert.deepEqual(parseChecksums(""), []);
});

Deno.test("parseChecksums() round-trips formatChecksums()", () => {
  const entries = [{ path: "b", sha256: B }, { path: "a", sha256: A }];
  assert.deepEqual(parseChecksums(formatChecksums(entries)), [entries[1], entries[0]]);
});

Deno.test("parseChecksums() rejects malformed files with stable codes and offsets", () => {
  assert.equal(parseCode(`${A}  one`), "CHECKSUMS_MALFORMED"); // no final newline
  assert.equal(parseCode(`${A.slice(2)}  one\n`), "CHECKSUMS_MALFORMED"); // 62 digits
  assert.equal(parseCode(`${A}0  one\n`), "CHECKSUMS_MALFORMED"); // 65 digits
  assert.equal(parseCode(`${A} one\n`), "CHECKSUMS_MALFORMED"); // one space, no mode
  assert.equal(parseCode(`${A}  \n`), "CHECKSUMS_MALFORMED"); // empty path
  assert.equal(parseCode(`${A}  ../one\n`), "CHECKSUMS_MALFORMED");
  assert.equal(parseCode(`\\${A}  one\\\\x\n`), "CHECKSUMS_MALFORMED"); // coreutils escape
  assert.equal(parseCode(`${A}  one\r\n`), "CHECKSUMS_MALFORMED"); // CRLF
  assert.equal(parseCode(`${A}  one\n\n`), "CHECKSUMS_MALFORMED"); // blank line
  assert.equal(parseCode(new Uint8Array([0xff, 0x0a])), "CHECKSUMS_MALFORMED"); // not UTF-8
  assert.equal(parseCode(`${A}  one\n${B}  one\n`), "CHECKSUMS_DUPLICATE");
  try {
    parseChecksums(`${A}  one\n${B}  two\nbad\n`);
    assert.fail("expected a ParseError");
  } catch (error) {
    assert.ok(error instanceof ParseError);
    assert.equal(error.offset, 2 * (64 + 2 + 4));
    assert.match(error.message, /line 3/);
  }
});
