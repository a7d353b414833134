/**
 * Argument helpers shared by the command adapters: strict flag parsing whose errors exit 2, and
 * positional-count checks that name what is missing.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseDuration as parseDurationText, parseRfc3339 } from "../lib/encoding/time.ts";
import { CliError } from "./_io.ts";

/** `--help`/`-h`, accepted by every command. */
export const HELP_FLAG = { help: { type: "boolean", short: "h", default: false } } as const;

/**
 * A command's flag table, as given to `parseArgs` (`options`): the one declaration its parser,
 * its help text (`tests/cli/help_flags_test.ts`), `docs/cli.md` and `stella completions` use.
 */
export type FlagTable = NonNullable<ParseArgsConfig["options"]>;

/**
 * Runs `node:util` `parseArgs` strictly, with errors that name the flag (all {@link CliError},
 * exit 2): an unknown flag suggests the nearest declared one (`Unknown flag --tsa-root; did you
 * mean --tsa-roots?`); a single-value flag given twice is refused rather than silently keeping
 * the last value (`--to given twice ("prod", "qa"): it takes one value`); flags declared
 * `multiple: true` may repeat. `values` stays typed from the command's flag table.
 */
export function parseStrict<const T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const options: FlagTable = config.options ?? {};
  // A lenient pass first, so that an unknown flag is reported as such even when another
  // problem (a missing value) comes earlier.
  const lenient = parseArgs({ ...config, strict: false, allowPositionals: true, tokens: true });
  for (const token of lenient.tokens ?? []) {
    if (token.kind === "option" && !Object.hasOwn(options, token.name)) {
      const nearest = nearestFlag(token.name, Object.keys(options));
      throw new CliError(
        `Unknown flag ${token.rawName}` +
          (nearest === undefined ? "" : `; did you mean --${nearest}?`),
      );
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ ...config, tokens: true });
  } catch (error) {
    throw new CliError(parseErrorMessage(error));
  }
  const seen = new Map<string, string[]>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || token.value === undefined) continue;
    if (options[token.name]?.multiple === true) continue;
    seen.set(token.name, [...(seen.get(token.name) ?? []), token.value]);
  }
  for (const [name, given] of seen) {
    if (given.length > 1) {
      const times = given.length === 2 ? "twice" : `${given.length} times`;
      throw new CliError(
        `--${name} given ${times} (${given.map((v) => JSON.stringify(v)).join(", ")}): ` +
          "it takes one value",
      );
    }
  }
  const { tokens: _tokens, ...result } = parsed;
  return result as ReturnType<typeof parseArgs<T>>;
}

/** Rewords `parseArgs`' errors in the CLI's words: the flag, what is wrong, how to fix it. */
function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /^Option '(-[^' ]+)(?: <value>)?' argument missing/.exec(message);
  if (missing !== null) return `Missing value for ${missing[1]}`;
  const ambiguous = /^Option '(-[^' ]+)' argument is ambiguous/.exec(message);
  if (ambiguous !== null) {
    const flag = ambiguous[1]!;
    return `Missing value for ${flag}: the next argument is a flag (to pass a value that ` +
      `starts with "-", write ${flag}=VALUE)`;
  }
  const noValue = /^Option '(-[^' ]+)' does not take an argument/.exec(message);
  if (noValue !== null) return `${noValue[1]} takes no value`;
  const positional = /^Unexpected argument '([^']*)'/.exec(message);
  if (positional !== null) {
    return `Unexpected argument "${positional[1]}": this command takes flags only`;
  }
  return message.replace(/\. To specify a positional argument.*$/s, "").split("\n")
    .map((line) => line.trim()).filter((line) => line !== "").join(" ");
}

/**
 * The declared flag nearest to an unknown one (Levenshtein distance at most 2, or a third of
 * its length), or `undefined`. Ties go to the flag declared first.
 */
export function nearestFlag(name: string, declared: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of declared) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
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

/**
 * Parses a duration flag such as `300ms`, `30s`, `5m`, `24h`, `1d` or a bare `0`, to milliseconds.
 * Errors name the flag (exit 2).
 */
export function parseDuration(flag: string, value: string): number {
  try {
    return parseDurationText(value, flag);
  } catch {
    throw new CliError(
      `Cannot parse ${flag} "${value}": use a duration such as 30s, 5m, 24h or 1d`,
    );
  }
}

/** Largest whole number a count flag accepts unless it says otherwise (nine digits). */
export const MAX_COUNT = 999_999_999;

/**
 * Parses a whole-number flag (decimal digits, no sign, no leading zero) from `min` to `max`;
 * errors name the flag and the range (exit 2). `undefined` when the flag is absent.
 */
export function parseCountFlag(
  flag: string,
  value: string | undefined,
  min: number,
  max: number = MAX_COUNT,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^(?:0|[1-9][0-9]{0,8})$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    const range = max === MAX_COUNT ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new CliError(`Cannot parse ${flag} "${value}": use a whole number ${range}`);
  }
  return n;
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
