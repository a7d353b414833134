/**
 * `stella digest FILE...`: streams each file through SHA-2 (constant memory) and prints
 * `sha256sum`-compatible lines, or with `--json` the canonical JSON result. Adapter over
 * {@link digestStream}.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { DIGEST_ALGORITHMS, type DigestAlgorithm, digestStream } from "../lib/digest/digest.ts";
import { formatDigest } from "../lib/digest/digest_set.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  algorithm: { type: "string", default: "sha256" },
  json: { type: "boolean", default: false },
} as const;

/** `stella digest [--algorithm A] [--json] FILE...`. */
export const digestCommand: Command = {
  path: ["digest"],
  summary: "Print SHA-2 digests of files (sha256sum format, or --json)",
  flags: FLAGS,
  help: `Usage: stella digest [--algorithm sha256|sha384|sha512] [--json] FILE...

Streams each FILE (constant memory, any size) and prints "<hex>  <FILE>" lines, which
"sha256sum -c" accepts. With --json, prints {"algorithm", "files": [{"path", "digest"}]} as
RFC 8785 canonical JSON, where digest is "<algorithm>:<hex>".

Flags:
  --algorithm A  sha256 (default), sha384 or sha512
  --json         Print the canonical JSON result

Exit status: 0 printed; 2 could not run (missing file, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "FILE: at least one file to digest", { min: 1 });
    const algorithm = values.algorithm as DigestAlgorithm;
    if (!DIGEST_ALGORITHMS.includes(algorithm)) {
      throw new CliError(
        `Unknown --algorithm "${values.algorithm}": use one of ${DIGEST_ALGORITHMS.join(", ")}`,
      );
    }
    const files: { path: string; digest: string }[] = [];
    for (const path of positionals) {
      const bytes = await digestStream(algorithm, await io.openFile(path, { reuseBuffers: true }));
      files.push({ path, digest: formatDigest(algorithm, bytes) });
    }
    if (values.json) {
      io.stdout(canonicalize({ algorithm, files }) + "\n");
    } else {
      for (const f of files) io.stdout(`${f.digest.slice(algorithm.length + 1)}  ${f.path}\n`);
    }
    return 0;
  },
};
