/**
 * Issue 13 item 7: an out-of-range time is a rejection, never an internal RangeError. Every time
 * parsed is one `formatRfc3339` can write back, and `describeTime` names any number in a message.
 */

import assert from "node:assert/strict";
import { describeTime, formatRfc3339, parseRfc3339 } from "../../lib/encoding/mod.ts";

Deno.test("parseRfc3339() rejects an offset that moves the instant outside years 0000-9999 (UTC)", () => {
  assert.equal(formatRfc3339(parseRfc3339("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
  assert.equal(formatRfc3339(parseRfc3339("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00Z");
  assert.equal(formatRfc3339(parseRfc3339("9999-12-31T23:00:00-00:59")), "9999-12-31T23:59:00Z");
  for (
    const text of [
      "9999-12-31T23:59:59-00:01",
      "9999-12-31T23:30:00-23:59",
      "0000-01-01T00:00:00+00:01",
    ]
  ) {
    assert.throws(() => parseRfc3339(text, "--now"), {
      name: "ParseError",
      code: "TIME_INVALID",
      message: `Cannot parse time "--now": ${text} is outside years 0000-9999 in UTC`,
    });
  }
});

Deno.test("describeTime() never throws: RFC 3339 when it can, else the number and why", () => {
  assert.equal(describeTime(0), "1970-01-01T00:00:00Z");
  assert.equal(describeTime(253402300800000), "253402300800000 ms since 1970 (after year 9999)");
  assert.equal(describeTime(-62167219200001), "-62167219200001 ms since 1970 (before year 0000)");
  assert.equal(describeTime(1.5), "1.5 ms since 1970 (not whole milliseconds)");
  assert.equal(describeTime(Number.POSITIVE_INFINITY), "Infinity ms since 1970 (after year 9999)");
  assert.equal(describeTime(Number.NaN), "NaN ms since 1970 (not a time)");
});
