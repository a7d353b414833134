/**
 * The one UTC time helper: strict RFC 3339 (§5.6 `date-time`) parsing to epoch milliseconds and
 * canonical formatting back to `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
 *
 * Parsing is strict on purpose: a full date and time, a `T` separator, and an explicit offset
 * (`Z` or `±HH:MM`) are required; upper-case `T` and `Z` only; calendar and clock ranges are
 * checked (February 29 only in leap years, hours 00–23, minutes and seconds 00–59; leap second
 * `60` is rejected because epoch milliseconds cannot represent it). Fractions beyond milliseconds
 * are truncated toward the past. Nothing here reads the clock, the locale or the time zone.
 *
 * @module
 */

import { ParseError } from "./errors.ts";

const RFC3339_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Largest epoch millisecond value that formats with a four-digit year (9999-12-31T23:59:59.999Z). */
const MAX_MS = 253402300799999;
/** Smallest epoch millisecond value that formats with a four-digit year (0000-01-01T00:00:00Z). */
const MIN_MS = -62167219200000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Parses an RFC 3339 `date-time` strictly and returns its instant as epoch milliseconds (UTC).
 *
 * @param text Timestamp such as `2025-04-01T02:47:00Z` or `2025-04-01T04:47:00.5+02:00`.
 * @param name Optional name of the input (a field or flag), used in the error message.
 * @returns Milliseconds since 1970-01-01T00:00:00Z; fractions finer than a millisecond are
 *   truncated.
 * @throws {ParseError} `TIME_INVALID` when the text is not a valid RFC 3339 date-time with an
 *   offset, names an impossible date or time, or an instant outside years 0000–9999 in UTC (so
 *   that every parsed time formats back with {@link formatRfc3339}).
 *
 * @example Usage
 * ```ts
 * import { parseRfc3339 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(parseRfc3339("1970-01-01T00:00:01Z"), 1000);
 * assert.equal(parseRfc3339("1970-01-01T02:00:00+02:00"), 0);
 * assert.throws(() => parseRfc3339("2025-02-29T00:00:00Z", "validFrom"), { code: "TIME_INVALID" });
 * ```
 */
export function parseRfc3339(text: string, name?: string): number {
  const label = name === undefined ? "" : ` "${name}"`;
  const fail = (why: string): never => {
    throw new ParseError("TIME_INVALID", `Cannot parse time${label}: ${why}`);
  };
  if (typeof text !== "string") fail("expected a string");
  const m = RFC3339_RE.exec(text);
  if (m === null) {
    return fail("expected RFC 3339 date-time like 2025-01-31T12:00:00Z with Z or an offset");
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (
    year === undefined || month === undefined || day === undefined || hour === undefined ||
    minute === undefined || second === undefined
  ) {
    return fail("expected RFC 3339 date-time");
  }
  if (month < 1 || month > 12) fail(`month ${m[2]} is out of range`);
  if (day < 1 || day > daysInMonth(year, month)) {
    fail(`day ${m[3]} does not exist in ${m[1]}-${m[2]}`);
  }
  if (hour > 23) fail(`hour ${m[4]} is out of range`);
  if (minute > 59) fail(`minute ${m[5]} is out of range`);
  if (second > 59) fail(`second ${m[6]} is out of range (leap seconds are not supported)`);
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) fail(`offset ${m[8]} is out of range`);
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0").slice(0, 3));
  const days = daysFromCivil(year, month, day);
  const ms = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60000 + second * 1000 + millis;
  // An offset may carry a year-9999 (or year-0000) time past the range every formatter holds.
  if (ms < MIN_MS || ms > MAX_MS) fail(`${text} is outside years 0000-9999 in UTC`);
  return ms;
}

/**
 * Formats epoch milliseconds as a canonical UTC RFC 3339 timestamp.
 *
 * The output is `YYYY-MM-DDTHH:MM:SSZ`; a fraction (`.5`, `.25`, `.125`, trailing zeros
 * removed) appears only when the milliseconds are non-zero. Same input, same bytes, on any
 * machine, locale or time zone.
 *
 * @param ms Integer milliseconds since 1970-01-01T00:00:00Z, within years 0000–9999.
 * @returns The timestamp text.
 * @throws {RangeError} When `ms` is not an integer or falls outside years 0000–9999.
 *
 * @example Usage
 * ```ts
 * import { formatRfc3339, parseRfc3339 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(formatRfc3339(0), "1970-01-01T00:00:00Z");
 * assert.equal(formatRfc3339(1500), "1970-01-01T00:00:01.5Z");
 * assert.equal(formatRfc3339(parseRfc3339("2025-04-01T04:47:00+02:00")), "2025-04-01T02:47:00Z");
 * ```
 */
export function formatRfc3339(ms: number): string {
  if (!Number.isSafeInteger(ms)) {
    throw new RangeError(`Cannot format time: expected integer milliseconds, got ${ms}`);
  }
  if (ms < MIN_MS || ms > MAX_MS) {
    throw new RangeError(`Cannot format time: ${ms} ms is outside years 0000-9999`);
  }
  // toISOString is locale- and zone-independent and always "YYYY-MM-DDTHH:MM:SS.sssZ" here.
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return iso.slice(0, 19) + (fraction === "" ? "" : `.${fraction}`) + "Z";
}

/**
 * Describes epoch milliseconds for a message without ever throwing: the canonical RFC 3339 text
 * when {@link formatRfc3339} can write it, otherwise the number and why no date holds it. Use it
 * where a time comes from untrusted input (a Rekor `integratedTime`, a claimed signing time) and
 * is named in a rejection: an out-of-range time must be rejected with a code, not crash.
 *
 * @param ms Milliseconds since 1970-01-01T00:00:00Z, any number.
 * @returns E.g. `2025-04-01T02:47:00Z`, or `99999999999999000 ms since 1970 (after year 9999)`.
 *
 * @example Usage
 * ```ts
 * import { describeTime } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(describeTime(1500), "1970-01-01T00:00:01.5Z");
 * assert.equal(describeTime(99999999999999 * 1000), "99999999999999000 ms since 1970 (after year 9999)");
 * assert.equal(describeTime(Number.NaN), "NaN ms since 1970 (not a time)");
 * ```
 */
export function describeTime(ms: number): string {
  if (Number.isSafeInteger(ms) && ms >= MIN_MS && ms <= MAX_MS) return formatRfc3339(ms);
  const why = typeof ms !== "number" || Number.isNaN(ms)
    ? "not a time"
    : ms > MAX_MS
    ? "after year 9999"
    : ms < MIN_MS
    ? "before year 0000"
    : "not whole milliseconds";
  return `${String(ms)} ms since 1970 (${why})`;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a duration such as `300ms`, `30s`, `5m`, `24h`, `1d` or a bare `0` (the `--skew` flag and
 * the `skew` query parameter) to milliseconds.
 *
 * @param text The duration text.
 * @param name Name of the input, for the message.
 * @returns Milliseconds.
 * @throws {ParseError} `TIME_INVALID` when the text is not such a duration.
 *
 * @example Usage
 * ```ts
 * import { parseDuration } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * assert.equal(parseDuration("5m"), 300_000);
 * assert.equal(parseDuration("0"), 0);
 * assert.throws(() => parseDuration("5"), { code: "TIME_INVALID" });
 * ```
 */
export function parseDuration(text: string, name?: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text);
  if (match === null || (match[2] === undefined && match[1] !== "0")) {
    throw new ParseError(
      "TIME_INVALID",
      `Cannot parse ${name ?? "duration"} "${text}": use a duration such as 0, 30s, 5m, 24h or 1d`,
    );
  }
  return Number(match[1]) * DURATION_UNITS[match[2] ?? "ms"]!;
}
