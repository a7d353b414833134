/**
 * `stella canonicalize FILE`: prints the RFC 8785 canonical form of a JSON file, then one
 * newline. Adapter over {@link canonicalizeText}.
 *
 * @module
 */

import { canonicalizeText } from "../lib/encoding/canonical_json.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import type { Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = { ...HELP_FLAG } as const;

/** `stella canonicalize FILE`. */
export const canonicalizeCommand: Command = {
  path: ["canonicalize"],
  summary: "Print the RFC 8785 canonical JSON of a file",
  flags: FLAGS,
  help: `Usage: stella canonicalize FILE

Parses FILE strictly (no duplicate keys, lone surrogates or trailing data) and prints its
RFC 8785 (JCS) canonical form followed by one newline.

Exit status: 0 printed; 1 FILE is not valid JSON; 2 could not run (missing file, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "FILE: the JSON file to canonicalize", { min: 1, max: 1 });
    const path = positionals[0]!;
    const bytes = await io.readFile(path);
    try {
      io.stdout(canonicalizeText(bytes, { name: path }) + "\n");
      return 0;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      io.stderr(`stella: ${error.message}\n`);
      return 1;
    }
  },
};
