/**
 * Argument helpers shared by the command adapters: strict flag parsing whose errors exit 2, and
 * positional-count checks that name what is missing.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseRfc3339 } from "../lib/encoding/time.ts";
import { CliError } from "./_io.ts";

/** `--help`/`-h`, accepted by every command. */
export const HELP_FLAG = { help: { type: "boolean", short: "h", default: false } } as const;

/**
 * Runs `node:util` `parseArgs` strictly; unknown flags and missing values become a
 * {@link CliError} (exit 2). `values` stays typed from the command's flag table.
 */
export function parseStrict<const T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message.replace(/\. To specify a positional argument.*$/s, "").split("\n")
      .map((line) => line.trim()).filter((line) => line !== "").join(" ");
    throw new CliError(oneLine);
  }
}

/** Checks the number of positionals, naming what is missing or unexpected. */
export function expectPositionals(
  positionals: readonly string[],
  what: string,
  range: { min: number; max?: number },
): void {
  if (positionals.length < range.min) throw new CliError(`Missing ${what}`);
  if (range.max !== undefined && positionals.length > range.max) {
    throw new CliError(`Unexpected argument "${positionals[range.max]}"`);
  }
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a duration flag such as `300ms`, `30s`, `5m`, `24h`, `1d` or a bare `0`, to milliseconds.
 * Errors name the flag (exit 2).
 */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(value);
  if (match === null || (match[2] === undefined && match[1] !== "0")) {
    throw new CliError(
      `Cannot parse ${flag} "${value}": use a duration such as 30s, 5m, 24h or 1d`,
    );
  }
  return Number(match[1]) * DURATION_UNITS[match[2] ?? "ms"]!;
}

/** Parses an RFC 3339 time flag to epoch milliseconds; errors name the flag (exit 2). */
export function parseTimeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseRfc3339(value, flag);
  } catch {
    throw new CliError(
      `Cannot parse ${flag} "${value}": use an RFC 3339 time such as 2026-01-01T00:00:00Z`,
    );
  }
}
