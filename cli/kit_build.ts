/**
 * `stella kit build`: writes an offline kit directory. Adapter over {@link buildKit}.
 *
 * Decisions:
 * - Artifacts are the bundle (`--bundle`, default `dist/stella.js`) and any `--binary` files,
 *   each recorded by its base name (two artifacts with one base name are refused).
 * - Build facts: `--source-commit` (default `$STELLA_SOURCE_COMMIT`, else `unknown`; this command
 *   never runs git); the lockfile digest is the sha256 of `--lockfile` (default `deno.lock`); the
 *   Deno version is the running Deno's; the source date is `$SOURCE_DATE_EPOCH` (whole seconds),
 *   else 0 (1970-01-01T00:00:00Z), never the clock. Set `SOURCE_DATE_EPOCH=$(git log -1
 *   --format=%ct)` to record the commit time.
 * - The directory is written atomically: every file goes into a temporary directory next to
 *   `--out`, which is renamed to `--out` at the end, so an interrupted build leaves no half kit.
 *   `--out` must not exist (an empty directory is replaced).
 *
 * Permissions: `--allow-read --allow-write --allow-env`.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { encodeHex } from "../lib/encoding/bytes.ts";
import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { sha256 } from "../lib/digest/digest.ts";
import { KEY_FORMATS, type KeyFormat } from "../lib/keys/import_key.ts";
import { buildKit, type KitFile } from "../lib/kit/build_kit.ts";
import { KIT_FILE_NAMES } from "../lib/kit/manifest.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, describeError, type Io } from "./_io.ts";
import { DEFAULT_PASSWORD_ENV, loadSigner } from "./_keys.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  out: { type: "string" },
  key: { type: "string" },
  "key-format": { type: "string", default: "auto" },
  "password-env": { type: "string", default: DEFAULT_PASSWORD_ENV },
  bundle: { type: "string", default: "dist/stella.js" },
  binary: { type: "string", multiple: true },
  "source-commit": { type: "string" },
  lockfile: { type: "string", default: "deno.lock" },
  "builder-id": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/** `stella kit build --out DIR --key KEY [--binary PATH]... [--bundle FILE] ...`. */
export const kitBuildCommand: Command = {
  path: ["kit", "build"],
  summary: "Build an offline kit: bundle, binaries, SHA256SUMS, signed manifest and provenance",
  flags: FLAGS,
  help: `Usage: stella kit build --out DIR --key KEY [--binary PATH]... [--bundle FILE]
       [--source-commit SHA] [--lockfile FILE] [--builder-id URI] [--key-format F]
       [--password-env NAME] [--json]

Writes an offline kit into DIR: the bundle and binaries, OFFLINE.md (how to carry, check and
run the kit), provenance.dsse.json (signed SLSA Provenance v1 of the artifacts: builder, source
commit, lockfile digest, Deno version), manifest.dsse.json (signed list of every file with its
sha256, size and role) and SHA256SUMS (for "sha256sum -c"). The same inputs, key (Ed25519 or
ECDSA) and SOURCE_DATE_EPOCH give a byte-identical kit. DIR is written atomically and must not
exist (an empty directory is replaced).

Flags:
  --out DIR            The kit directory to create
  --key KEY            Private key that signs the manifest and provenance (PEM, JWK, DER, cosign
                       encrypted key)
  --bundle FILE        The single-file bundle (default dist/stella.js, from "deno task bundle")
  --binary PATH        A compiled binary (e.g. dist/stella-x86_64-unknown-linux-gnu); repeatable
  --source-commit SHA  Source commit (default $STELLA_SOURCE_COMMIT, else "unknown")
  --lockfile FILE      Lockfile whose sha256 is recorded (default deno.lock)
  --builder-id URI     Builder id (default https://stella-ops.org/builders/stella-kit-build@v1)
  --key-format F       Format of KEY: ${KEY_FORMATS.join(", ")} (default auto)
  --password-env NAME  Variable holding the password of an encrypted key (cosign or PKCS#8)
                       (default ${DEFAULT_PASSWORD_ENV})
  --json               Print {"dir", "files", "sha256sums"} (the kit's files and the sha256 of
                       its SHA256SUMS) as RFC 8785 canonical JSON

Environment: SOURCE_DATE_EPOCH (whole seconds; default 0) fixes every time in the kit;
STELLA_SOURCE_COMMIT is the default --source-commit.

Exit status: 0 written; 2 could not run (missing flag or file, unusable key, DIR exists,
write error).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "", { min: 0, max: 0 });
    const out = values.out?.replace(/(.)\/+$/, "$1");
    if (out === undefined || out === "") throw new CliError("Missing --out DIR: the kit directory");
    if (values.key === undefined) throw new CliError("Missing --key KEY: the signing key");
    const format = values["key-format"] as KeyFormat;
    if (!KEY_FORMATS.includes(format)) {
      throw new CliError(`Unknown --key-format "${format}": use one of ${KEY_FORMATS.join(", ")}`);
    }
    const existing = await io.stat(out);
    if (existing !== undefined && (!existing.isDirectory || (await io.readDir(out)).length > 0)) {
      throw new CliError(
        `Cannot write kit "${out}": it exists; remove it or choose another --out`,
      );
    }

    const artifacts: (KitFile & { mode: number })[] = [];
    const add = async (path: string, mode: number) => {
      const name = baseName(path);
      if (artifacts.some((a) => a.path === name)) {
        throw new CliError(`Cannot put "${path}" in the kit: another artifact is named "${name}"`);
      }
      if ((Object.values(KIT_FILE_NAMES) as string[]).includes(name)) {
        throw new CliError(`Cannot put "${path}" in the kit: the kit writes its own "${name}"`);
      }
      artifacts.push({ path: name, bytes: await io.readFile(path), mode });
    };
    if (!(await io.stat(values.bundle))?.isFile) {
      throw new CliError(
        `Cannot read bundle "${values.bundle}": no such file; run "deno task bundle" or pass --bundle FILE`,
      );
    }
    await add(values.bundle, 0o644);
    for (const binary of values.binary ?? []) await add(binary, 0o755);

    const lockfile = await io.readFile(values.lockfile);
    const sourceDate = readSourceDate(io);
    const signer = await loadSigner(io, values.key, {
      passwordEnv: values["password-env"],
      format,
    });
    const kit = await buildKit(artifacts.map(({ path, bytes }) => ({ path, bytes })), {
      signers: [signer],
      sourceCommit: values["source-commit"] ?? io.env("STELLA_SOURCE_COMMIT") ?? "unknown",
      lockfileDigest: encodeHex(sha256(lockfile)),
      denoVersion: io.denoVersion,
      sourceDate,
      builderId: values["builder-id"],
      version: config.version,
    });
    const modes = new Map(artifacts.map((a) => [a.path, a.mode]));
    await writeKitDirectory(io, out, kit, modes);

    const sums = kit.find((file) => file.path === KIT_FILE_NAMES.checksums)!;
    if (values.json) {
      io.stdout(
        canonicalize({
          dir: out,
          files: kit.map((file) => file.path),
          sha256sums: encodeHex(sha256(sums.bytes)),
        }) + "\n",
      );
      return 0;
    }
    io.stdout(
      `wrote kit ${out}/ (${kit.length} files)\n` +
        kit.map((file) => `  ${file.path}\n`).join("") +
        `sha256 of ${KIT_FILE_NAMES.checksums}: ${encodeHex(sha256(sums.bytes))}\n` +
        `(give this digest and the public key to operators out of band)\n`,
    );
    return 0;
  },
};

/** `SOURCE_DATE_EPOCH` in epoch ms, or 0 when unset. */
function readSourceDate(io: Io): number {
  const epoch = io.env("SOURCE_DATE_EPOCH");
  if (epoch === undefined || epoch === "") return 0;
  if (!/^[0-9]{1,11}$/.test(epoch) || Number(epoch) > 253402300799) {
    throw new CliError(
      `Cannot use SOURCE_DATE_EPOCH "${epoch.slice(0, 40)}": give whole seconds since 1970`,
    );
  }
  return Number(epoch) * 1000;
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Writes the kit into a temporary directory next to `out`, then renames it to `out`. */
async function writeKitDirectory(
  io: Io,
  out: string,
  kit: readonly KitFile[],
  modes: ReadonlyMap<string, number>,
): Promise<void> {
  const slash = out.lastIndexOf("/");
  const parent = slash > 0 ? out.slice(0, slash) : slash === 0 ? "/" : ".";
  const tmp = `${parent === "/" ? "" : parent}/.${out.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    await io.mkdir(tmp, { mode: 0o755 });
  } catch (error) {
    throw new CliError(`Cannot write kit "${out}": ${describeError(error)}`);
  }
  try {
    for (const file of kit) {
      const inner = file.path.lastIndexOf("/");
      if (inner > 0) await io.mkdir(`${tmp}/${file.path.slice(0, inner)}`, { recursive: true });
      await io.writeFile(`${tmp}/${file.path}`, file.bytes, {
        mode: modes.get(file.path) ?? 0o644,
      });
    }
    if (await io.stat(out) !== undefined) await io.remove(out);
    await io.rename(tmp, out);
  } catch (error) {
    await io.remove(tmp, { recursive: true }).catch(() => {});
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot write kit "${out}": ${describeError(error)}`);
  }
}
