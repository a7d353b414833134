import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import { formatRfc3339, parseRfc3339 } from "../../lib/encoding/mod.ts";

Deno.test("parseRfc3339() reads Z and numeric offsets as the same instant (RFC 3339 §5.6)", () => {
  assert.equal(parseRfc3339("2025-04-01T02:47:00Z"), Date.UTC(2025, 3, 1, 2, 47, 0));
  assert.equal(parseRfc3339("2025-04-01T04:47:00+02:00"), Date.UTC(2025, 3, 1, 2, 47, 0));
  assert.equal(parseRfc3339("2025-03-31T21:17:00-05:30"), Date.UTC(2025, 3, 1, 2, 47, 0));
  assert.equal(parseRfc3339("2025-04-01T02:47:00-00:00"), Date.UTC(2025, 3, 1, 2, 47, 0));
});

Deno.test("parseRfc3339() keeps milliseconds and truncates finer fractions", () => {
  assert.equal(parseRfc3339("1970-01-01T00:00:00.5Z"), 500);
  assert.equal(parseRfc3339("1970-01-01T00:00:00.123Z"), 123);
  assert.equal(parseRfc3339("1970-01-01T00:00:00.123999999Z"), 123);
  assert.equal(parseRfc3339("1969-12-31T23:59:59.999Z"), -1);
});

Deno.test("parseRfc3339() handles calendar edges", () => {
  assert.equal(parseRfc3339("2024-02-29T00:00:00Z"), Date.UTC(2024, 1, 29));
  assert.equal(parseRfc3339("2000-02-29T00:00:00Z"), Date.UTC(2000, 1, 29));
  assert.equal(parseRfc3339("0000-01-01T00:00:00Z"), -62167219200000);
  assert.equal(parseRfc3339("9999-12-31T23:59:59.999Z"), 253402300799999);
  assert.equal(parseRfc3339("1999-12-31T23:59:59Z"), Date.UTC(1999, 11, 31, 23, 59, 59));
});

Deno.test("parseRfc3339() rejects everything that is not a strict RFC 3339 date-time", () => {
  const bad = [
    "2025-04-01",
    "2025-04-01T02:47:00",
    "2025-04-01 02:47:00Z",
    "2025-04-01t02:47:00Z",
    "2025-04-01T02:47:00z",
    "2025-04-01T02:47Z",
    "2025-04-01T02:47:00.Z",
    "2025-04-01T02:47:00+0200",
    "2025-04-01T02:47:00+02",
    " 2025-04-01T02:47:00Z",
    "2025-04-01T02:47:00Z\n",
    "+2025-04-01T02:47:00Z",
    "2025-13-01T00:00:00Z",
    "2025-00-01T00:00:00Z",
    "2025-04-31T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2025-04-01T24:00:00Z",
    "2025-04-01T23:60:00Z",
    "2016-12-31T23:59:60Z",
    "2025-04-01T00:00:00+24:00",
    "2025-04-01T00:00:00+01:60",
    "",
  ];
  for (const text of bad) {
    assert.throws(() => parseRfc3339(text, "notAfter"), (error: unknown) => {
      assert.ok(error instanceof ParseError, text);
      assert.equal(error.code, "TIME_INVALID", text);
      assert.match(error.message, /^Cannot parse time "notAfter": /);
      return true;
    });
  }
});

Deno.test("formatRfc3339() writes canonical UTC with a fraction only when non-zero", () => {
  assert.equal(formatRfc3339(0), "1970-01-01T00:00:00Z");
  assert.equal(formatRfc3339(1), "1970-01-01T00:00:00.001Z");
  assert.equal(formatRfc3339(10), "1970-01-01T00:00:00.01Z");
  assert.equal(formatRfc3339(120), "1970-01-01T00:00:00.12Z");
  assert.equal(formatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  assert.equal(formatRfc3339(253402300799999), "9999-12-31T23:59:59.999Z");
  assert.equal(formatRfc3339(-62167219200000), "0000-01-01T00:00:00Z");
});

Deno.test("formatRfc3339() rejects non-integers and out-of-range instants", () => {
  for (const ms of [0.5, Number.NaN, Infinity, 253402300800000, -62167219200001]) {
    assert.throws(() => formatRfc3339(ms), RangeError);
  }
});

Deno.test("formatRfc3339(parseRfc3339(x)) normalises offsets to Z", () => {
  assert.equal(
    formatRfc3339(parseRfc3339("2025-01-01T01:00:00.500+01:00")),
    "2025-01-01T00:00:00.5Z",
  );
  for (const ms of [0, 1, 999, 86_399_999, 1_743_475_620_000, -86_400_001]) {
    assert.equal(parseRfc3339(formatRfc3339(ms)), ms);
  }
});
