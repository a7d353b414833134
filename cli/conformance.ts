/**
 * sigstore-conformance client adapter (sigstore/sigstore-conformance `docs/cli_protocol.md`),
 * verification only:
 *
 * ```
 * deno run --allow-read cli/conformance.ts verify-bundle [--staging] --bundle FILE
 *   (--certificate-identity IDENTITY --certificate-oidc-issuer URL | --key FILE)
 *   [--trusted-root FILE] FILE_OR_DIGEST
 * ```
 *
 * `FILE_OR_DIGEST` is a digest when it is `sha256:` plus 64 hex digits and not a path on disk,
 * else a file. Verification is offline: without `--trusted-root` (the protocol's "use the public
 * good instance via TUF") the command cannot run and exits 2. Exit 0 verified, 1 not verified,
 * 2 could not run; `sign-bundle` is not supported (exit 2).
 *
 * @module
 */

import { parseStrict } from "./_args.ts";
import { verifyBundleCommand } from "./_bundle.ts";
import { CliError, denoIo, type Io } from "./_io.ts";

const FLAGS = {
  staging: { type: "boolean", default: false },
  bundle: { type: "string" },
  "certificate-identity": { type: "string" },
  "certificate-oidc-issuer": { type: "string" },
  key: { type: "string" },
  "trusted-root": { type: "string" },
} as const;

/**
 * Runs the conformance protocol's subcommands.
 *
 * @param args The arguments (`verify-bundle …`).
 * @param io The CLI's I/O.
 * @returns The exit status: 0 verified, 1 not verified, 2 could not run.
 */
export async function runConformance(args: string[], io: Io): Promise<number> {
  try {
    const [sub, ...rest] = args;
    if (sub !== "verify-bundle") {
      throw new CliError(
        `Unsupported subcommand "${sub ?? ""}": only verify-bundle is implemented (offline)`,
      );
    }
    const { values, positionals } = parseStrict({
      args: rest,
      options: FLAGS,
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new CliError("Pass exactly one FILE_OR_DIGEST");
    if (values.bundle === undefined) throw new CliError("Pass --bundle FILE");
    if (values["trusted-root"] === undefined) {
      throw new CliError(
        "Pass --trusted-root FILE: this client is offline and does not fetch trust roots via TUF",
      );
    }
    const target = positionals[0]!;
    const isDigest = /^sha256:[0-9a-fA-F]{64}$/.test(target) &&
      (await io.stat(target)) === undefined;
    const forwarded = [values.bundle, "--trusted-root", values["trusted-root"]];
    if (values.key !== undefined) {
      forwarded.push("--key", values.key);
    } else {
      if (
        values["certificate-identity"] === undefined ||
        values["certificate-oidc-issuer"] === undefined
      ) {
        throw new CliError("Pass --certificate-identity and --certificate-oidc-issuer, or --key");
      }
      forwarded.push(
        "--certificate-identity",
        values["certificate-identity"],
        "--certificate-oidc-issuer",
        values["certificate-oidc-issuer"],
      );
    }
    forwarded.push(
      isDigest ? "--artifact-digest" : "--artifact",
      isDigest ? target.toLowerCase() : target,
    );
    return await verifyBundleCommand(forwarded, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.exit(await runConformance(Deno.args, denoIo()));
}
