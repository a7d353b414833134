import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import {
  concatBytes,
  decodeBase64,
  decodeBase64Any,
  decodeBase64Url,
  decodeHex,
  decodeUtf8,
  encodeBase64,
  encodeBase64Url,
  encodeHex,
  encodeUtf8,
  equalBytes,
  timingSafeEqual,
} from "../../lib/encoding/mod.ts";

const bytes = (...values: number[]): Uint8Array<ArrayBuffer> => new Uint8Array(values);

function assertInvalid(run: () => unknown, code: string): void {
  assert.throws(run, (error) => error instanceof ParseError && error.code === code);
}

Deno.test("encodeHex()/decodeHex() round-trip, lowercase out, either case in", () => {
  assert.equal(encodeHex(bytes(0, 1, 0xab, 0xff)), "0001abff");
  assert.equal(encodeHex(new Uint8Array()), "");
  assert.deepEqual(decodeHex("0001abff"), bytes(0, 1, 0xab, 0xff));
  assert.deepEqual(decodeHex("AbCd"), bytes(0xab, 0xcd));
  assert.deepEqual(decodeHex(""), new Uint8Array());
  // Subarrays encode only their own bytes.
  assert.equal(encodeHex(bytes(9, 1, 2, 9).subarray(1, 3)), "0102");
});

Deno.test("decodeHex() rejects odd lengths, non-hex characters and whitespace", () => {
  for (const text of ["0", "abc", "0g", "+0", " 00", "00 ", "00\n", "0x00", "éé"]) {
    assertInvalid(() => decodeHex(text), "HEX_INVALID");
  }
  assert.throws(() => decodeHex("zz", "digest.txt"), {
    message: 'Cannot decode hex "digest.txt": not an even-length hex string',
  });
});

Deno.test("encodeBase64()/decodeBase64() use padded standard base64 (RFC 4648 §4)", () => {
  const vectors: [string, string][] = [
    ["", ""],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg=="],
    ["fooba", "Zm9vYmE="],
    ["foobar", "Zm9vYmFy"],
  ];
  for (const [plain, encoded] of vectors) {
    assert.equal(encodeBase64(encodeUtf8(plain)), encoded);
    assert.deepEqual(decodeBase64(encoded), encodeUtf8(plain));
  }
  assert.equal(encodeBase64(bytes(0xfb, 0xff)), "+/8=");
  assert.deepEqual(decodeBase64("+/8="), bytes(0xfb, 0xff));
});

Deno.test("decodeBase64() is strict: padding, alphabet, whitespace, padding bits", () => {
  const invalid = [
    "Zg", // missing padding
    "Zg=", // short padding
    "Zg===", // too much padding
    "Z===",
    "Zm9vYg==Zg==", // padding in the middle
    "Zh==", // non-zero padding bits (RFC 4648 §3.5)
    "Zm9=",
    "-_8=", // URL-safe alphabet
    "Zm9v\n",
    " Zm9v",
    "Zm 9v",
    "Zm9v\u0000",
    "Zm9v====",
  ];
  for (const text of invalid) assertInvalid(() => decodeBase64(text), "BASE64_INVALID");
  assert.throws(() => decodeBase64("Zh==", "sig"), {
    message: 'Cannot decode base64 "sig": non-zero padding bits',
  });
});

/** The rule as written out: a regular expression for the form, then a strict decode for the bits. */
function referenceBase64(text: string): Uint8Array | string {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    return "not padded standard base64";
  }
  try {
    return Uint8Array.fromBase64(text, { lastChunkHandling: "strict" });
  } catch {
    return "non-zero padding bits";
  }
}

/** decodeBase64Any's rule: URL-safe characters or an unpadded length pick base64url. */
function referenceBase64Any(text: string): Uint8Array | string {
  const url = /[-_]/.test(text) || !/=$|^(?:.{4})*$/s.test(text);
  return url ? outcome(() => decodeBase64Url(text)) : referenceBase64(text);
}

function outcome(run: () => Uint8Array): Uint8Array | string {
  try {
    return run();
  } catch (error) {
    assert.ok(error instanceof ParseError && error.code === "BASE64_INVALID");
    return error.message.replace(/^Cannot decode base64(url)?: /, "");
  }
}

Deno.test("decodeBase64() and decodeBase64Any() decide as their written rules over 20,000 mutated texts", () => {
  // A fixed-seed generator (xorshift32) so that a failure reproduces.
  let seed = 0x2545f491;
  const next = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const inserts = [" ", "\n", "\t", "\r", "\f", "=", "==", "-", "_", "+", "/", "A", "\u0000", "é"];
  let valid = 0;
  for (let round = 0; round < 20_000; round++) {
    const data = new Uint8Array(next(12)).map(() => next(256));
    let text = next(2) === 0 ? data.toBase64() : data.toBase64({ alphabet: "base64url" });
    for (let edits = next(3); edits > 0; edits--) {
      const at = next(text.length + 1);
      const kind = next(3);
      if (kind === 0) text = text.slice(0, at) + inserts[next(inserts.length)] + text.slice(at);
      else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1);
      else text = text.slice(0, at) + inserts[next(inserts.length)] + text.slice(at + 1);
    }
    const got = outcome(() => decodeBase64(text));
    assert.deepEqual(got, referenceBase64(text), JSON.stringify(text));
    assert.deepEqual(
      outcome(() => decodeBase64Any(text)),
      referenceBase64Any(text),
      JSON.stringify(text),
    );
    if (got instanceof Uint8Array) valid++;
  }
  // Both sides of the rule are exercised.
  assert.ok(valid > 3_000 && valid < 17_000, `${valid} valid texts`);
});

Deno.test("encodeBase64Url()/decodeBase64Url() use the URL-safe alphabet (RFC 4648 §5)", () => {
  assert.equal(encodeBase64Url(bytes(0xfb, 0xff)), "-_8");
  assert.equal(encodeBase64Url(encodeUtf8("f")), "Zg");
  assert.deepEqual(decodeBase64Url("-_8"), bytes(0xfb, 0xff));
  assert.deepEqual(decodeBase64Url("-_8="), bytes(0xfb, 0xff));
  assert.deepEqual(decodeBase64Url("Zg"), encodeUtf8("f"));
  assert.deepEqual(decodeBase64Url("Zg=="), encodeUtf8("f"));
  assert.deepEqual(decodeBase64Url(""), new Uint8Array());
  for (const text of ["+/8", "Zg=", "Zg===", "Z", "Z=", "Zm9vY", "-_9", "Zh", "Zg\n", "Z g"]) {
    assertInvalid(() => decodeBase64Url(text), "BASE64_INVALID");
  }
});

Deno.test("decodeBase64Any() accepts standard or URL-safe base64, as DSSE requires", () => {
  assert.deepEqual(decodeBase64Any("+/8="), bytes(0xfb, 0xff));
  assert.deepEqual(decodeBase64Any("-_8="), bytes(0xfb, 0xff));
  assert.deepEqual(decodeBase64Any("-_8"), bytes(0xfb, 0xff));
  assert.deepEqual(decodeBase64Any("Zm9vYg=="), encodeUtf8("foob"));
  assert.deepEqual(decodeBase64Any("Zm9vYg"), encodeUtf8("foob"));
  // Mixed alphabets, and unpadded standard base64 (not RFC 4648 §4), are rejected.
  for (const text of ["-/8=", "_+8=", "+/8", "Zh==", "Zm9v\n"]) {
    assertInvalid(() => decodeBase64Any(text), "BASE64_INVALID");
  }
});

Deno.test("encodeUtf8()/decodeUtf8() round-trip; decoding is strict", () => {
  const text = "a é € 😀 \u0000";
  assert.deepEqual(encodeUtf8("é€😀"), bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
  assert.equal(decodeUtf8(encodeUtf8(text)), text);
  // The BOM is kept, not stripped.
  assert.equal(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x41)), "\uFEFFA");
  const invalid = [
    bytes(0xff),
    bytes(0x80),
    bytes(0xc3), // truncated
    bytes(0xc0, 0x80), // overlong NUL
    bytes(0xe0, 0x80, 0x80), // overlong
    bytes(0xed, 0xa0, 0x80), // encoded surrogate (CESU-8)
    bytes(0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
    bytes(0x41, 0xe2, 0x28, 0xa1),
  ];
  for (const input of invalid) assertInvalid(() => decodeUtf8(input), "UTF8_INVALID");
  assert.throws(() => decodeUtf8(bytes(0xff), "payload"), {
    message: 'Cannot decode UTF-8 "payload": malformed byte sequence',
  });
  // Encoding follows TextEncoder: a lone surrogate becomes U+FFFD (callers that must reject
  // lone surrogates check them first, as canonicalize() does).
  assert.deepEqual(encodeUtf8("\uD800"), bytes(0xef, 0xbf, 0xbd));
});

Deno.test("concatBytes() joins arrays into a new one", () => {
  const a = bytes(1, 2);
  const joined = concatBytes(a, new Uint8Array(), bytes(3), bytes(9, 4, 9).subarray(1, 2));
  assert.deepEqual(joined, bytes(1, 2, 3, 4));
  joined[0] = 7;
  assert.equal(a[0], 1);
  assert.deepEqual(concatBytes(), new Uint8Array());
});

Deno.test("timingSafeEqual() and equalBytes() compare length and content", () => {
  for (const compare of [timingSafeEqual, equalBytes]) {
    assert.equal(compare(new Uint8Array(), new Uint8Array()), true);
    assert.equal(compare(bytes(1, 2, 3), bytes(1, 2, 3)), true);
    assert.equal(compare(bytes(1, 2, 3), bytes(1, 2, 4)), false);
    assert.equal(compare(bytes(0, 2, 3), bytes(1, 2, 3)), false);
    assert.equal(compare(bytes(1, 2), bytes(1, 2, 3)), false);
    assert.equal(compare(bytes(1, 2, 3), bytes(1, 2)), false);
    assert.equal(compare(bytes(0), new Uint8Array()), false);
    // Views compare their own bytes, not their buffers.
    assert.equal(compare(bytes(9, 1, 2).subarray(1), bytes(1, 2)), true);
  }
  // Every single-bit difference is detected.
  const base = new Uint8Array(32).fill(0x5a);
  for (let i = 0; i < 32 * 8; i++) {
    const other = base.slice();
    other[i >> 3]! ^= 1 << (i & 7);
    assert.equal(timingSafeEqual(base, other), false);
  }
});
