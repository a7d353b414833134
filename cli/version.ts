/**
 * `stella version` (also `stella --version`): prints the package version (deno.json), the
 * Deno version running it and, for the bundle (`dist/stella.js`), the commit and
 * `SOURCE_DATE_EPOCH` it was built from (see `cli/_build_info.ts`).
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { buildInfo } from "./_build_info.ts";
import type { Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = { ...HELP_FLAG, json: { type: "boolean", default: false } } as const;

/** `stella version [--json]`. */
export const versionCommand: Command = {
  path: ["version"],
  summary: "Print the versions of stella and Deno, and the commit a bundle was built at",
  flags: FLAGS,
  help: `Usage: stella version [--json]       (also: stella --version, stella -V)

Prints the stella version, the Deno version running it and, for the bundle (stella.js), the
commit and SOURCE_DATE_EPOCH it was built from:
  stella 0.1.0
  deno 2.9.6
  commit 0123abcd... (the bundle only)
  source-date-epoch 1767225600 (2026-01-01T00:00:00Z) (the bundle only)

Flags:
  --json  Print {"version", "deno", "commit"?, "sourceDateEpoch"?} as RFC 8785 canonical JSON

Exit status: 0 printed; 2 could not run (bad flag).
`,
  run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "", { min: 0, max: 0 });
    const build = buildInfo();
    if (values.json) {
      io.stdout(
        canonicalize({ version: config.version, deno: io.denoVersion, ...build }) + "\n",
      );
      return Promise.resolve(0);
    }
    const text = versionText(config.version, io.denoVersion, build);
    io.stdout(text);
    return Promise.resolve(0);
  },
};

/** The text `stella version` prints, from its parts (`build`: a bundle's build info). */
export function versionText(
  version: string,
  deno: string,
  build: { commit: string; sourceDateEpoch: string } | undefined,
): string {
  let text = `stella ${version}\ndeno ${deno}\n`;
  if (build !== undefined) {
    const date = /^\d{1,11}$/.test(build.sourceDateEpoch)
      ? ` (${new Date(Number(build.sourceDateEpoch) * 1000).toISOString().replace(".000Z", "Z")})`
      : "";
    text += `commit ${build.commit}\nsource-date-epoch ${build.sourceDateEpoch}${date}\n`;
  }
  return text;
}
