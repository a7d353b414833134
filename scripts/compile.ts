/**
 * `deno task compile`: builds `dist/stella-<target>` (`.exe` on Windows) with `deno compile`, for
 * the host target by default and for other Deno targets with `--target T` (repeatable) or
 * `--all-targets`.
 *
 * Permissions baked into the binary (it never asks for more): `--allow-read` (every command),
 * `--allow-write` (commands that write files: `kit build`, `keys generate`, `keys rotate`, `sign
 * --out`, `attest * --out`, `merkle * --out`, `--audit-log`) and `--allow-env` (`SOURCE_DATE_EPOCH`,
 * `STELLA_SOURCE_COMMIT`, the `--password-env` variable, `USER` for audit records). Never
 * network, subprocesses, FFI or system information: a compiled `stella` cannot reach the network.
 * Operators who want a read-only verifier run the bundle: `deno run --allow-read stella.js`.
 *
 * `deno compile` embeds the program into a Deno runtime binary, `denort`, which it downloads from
 * `https://dl.deno.land/release/v<version>/denort-<target>.zip` unless one is available:
 * - `DENORT_BIN=/path/to/denort` (the unzipped runtime of the one target being built), or
 * - the zip cached at `$DENO_DIR/dl/release/v<version>/denort-<target>.zip`.
 * This script never downloads: when neither is there for a target it says so and exits 2.
 *
 * Usage: `deno task compile [--target T]... [--all-targets] [--out-dir DIR]`. Exit 0 built (and
 * the host binary answered `--version`); 2 could not build.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolveDenoDir, ROOT } from "./build_bundle.ts";

/** Every target `deno compile --target` accepts (Deno 2.9). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of {@link TARGETS}. */
export type Target = typeof TARGETS[number];

/** The permissions baked into the binary (see the module doc). */
export const PERMISSIONS: readonly string[] = ["--allow-read", "--allow-write", "--allow-env"];

/**
 * Modules loaded at run time by URL rather than imported (Web Worker entry points), which
 * `deno compile` only embeds when named with `--include`; included when present.
 */
export const RUNTIME_MODULES: readonly string[] = ["lib/verify/_verify_worker.ts"];

/** Where a runtime for a target comes from. */
export type RuntimeSource =
  | { kind: "DENORT_BIN"; path: string }
  | { kind: "cache"; path: string };

/** An error that makes the script exit 2, with a message for the operator. */
export class CompileError extends Error {
  /** @param message What is missing and how to provide it. */
  constructor(message: string) {
    super(message);
    this.name = "CompileError";
  }
}

/** The output file of a target: `stella-<target>`, with `.exe` for Windows. */
export function binaryName(target: string): string {
  return `stella-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/** Path of the denort zip that `deno compile` caches for a target. */
export function cachedRuntimePath(denoDir: string, target: string): string {
  return `${denoDir}/dl/release/v${Deno.version.deno}/denort-${target}.zip`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Finds the runtime `deno compile` would use for `target` without downloading, or `undefined`.
 * `DENORT_BIN` wins (as in `deno compile`); it is only meaningful for one target at a time.
 */
export async function findRuntime(
  target: string,
  env: Record<string, string> = Deno.env.toObject(),
): Promise<RuntimeSource | undefined> {
  const bin = env.DENORT_BIN;
  if (bin !== undefined && bin !== "") {
    if (!(await isFile(bin))) {
      throw new CompileError(`Cannot use DENORT_BIN "${bin}": no such file`);
    }
    return { kind: "DENORT_BIN", path: bin };
  }
  const cached = cachedRuntimePath(await resolveDenoDir(env), target);
  return (await isFile(cached)) ? { kind: "cache", path: cached } : undefined;
}

/** Explains, for the operator, how to provide a runtime for `target`. */
export async function missingRuntimeMessage(
  target: string,
  env: Record<string, string> = Deno.env.toObject(),
): Promise<string> {
  const version = Deno.version.deno;
  return `Cannot compile for ${target}: no Deno runtime (denort) is available and this script never downloads one.
Provide one of:
  - DENORT_BIN=/path/to/denort  the unzipped runtime for ${target} (one target per run), or
  - ${cachedRuntimePath(await resolveDenoDir(env), target)}
    the zip as deno compile caches it,
both from https://dl.deno.land/release/v${version}/denort-${target}.zip (Deno ${version}; fetch it
on a connected machine and carry it in, see OFFLINE.md).`;
}

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Targets to build (default: the host's). */
  targets?: readonly string[] | undefined;
  /** Output folder (default `<root>/dist`). */
  outDir?: string | undefined;
  /** Environment (default the process's). */
  env?: Record<string, string> | undefined;
}

/**
 * Compiles `cli/main.ts` for each target into `outDir/stella-<target>`, after checking that every
 * target has a runtime; smoke-tests the host binary with `--version`.
 *
 * @returns The written files.
 * @throws {CompileError} When a runtime is missing, `deno compile` fails or the host binary does
 *   not answer like `stella` (e.g. `DENORT_BIN` is not a denort).
 */
export async function compile(options: CompileOptions = {}): Promise<string[]> {
  const env: Record<string, string> = { ...(options.env ?? Deno.env.toObject()), NO_COLOR: "1" };
  const targets = [...new Set(options.targets ?? [Deno.build.target])];
  for (const target of targets) {
    if (!(TARGETS as readonly string[]).includes(target)) {
      throw new CompileError(`Cannot compile for "${target}": use one of ${TARGETS.join(", ")}`);
    }
  }
  if (targets.length > 1 && env.DENORT_BIN !== undefined && env.DENORT_BIN !== "") {
    throw new CompileError(
      "Cannot use DENORT_BIN for several targets: it is the runtime of one target; run once per target",
    );
  }
  const runtimes = new Map<string, RuntimeSource>();
  const missing: string[] = [];
  for (const target of targets) {
    const runtime = await findRuntime(target, env);
    if (runtime === undefined) missing.push(await missingRuntimeMessage(target, env));
    else runtimes.set(target, runtime);
  }
  if (missing.length > 0) throw new CompileError(missing.join("\n\n"));

  const outDir = options.outDir ?? `${ROOT}/dist`;
  const includes: string[] = [];
  for (const module of RUNTIME_MODULES) {
    if (await isFile(`${ROOT}/${module}`)) includes.push("--include", module);
  }
  await Deno.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const target of targets) {
    const out = `${outDir}/${binaryName(target)}`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "compile",
        "--cached-only",
        ...PERMISSIONS,
        ...includes,
        "--target",
        target,
        "--output",
        out,
        "cli/main.ts",
      ],
      cwd: ROOT,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new CompileError(
        `Cannot compile for ${target}: deno compile failed (runtime from ${
          runtimes.get(target)!.kind
        }):\n${new TextDecoder().decode(output.stderr).trim()}`,
      );
    }
    written.push(out);
    if (target === Deno.build.target) await smokeTest(out);
  }
  return written;
}

async function smokeTest(binary: string): Promise<void> {
  const output = await new Deno.Command(binary, {
    args: ["--version"],
    clearEnv: true,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success || !text.startsWith("stella ")) {
    throw new CompileError(
      `Cannot use ${binary}: it answers --version with "${
        text.split("\n")[0]!.trim().slice(0, 80)
      }", not "stella <version>"; is DENORT_BIN a denort runtime (not the deno CLI)?`,
    );
  }
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        target: { type: "string", multiple: true },
        "all-targets": { type: "boolean", default: false },
        "out-dir": { type: "string" },
      },
      strict: true,
    });
    const targets = values["all-targets"] ? [...TARGETS] : values.target;
    for (const out of await compile({ targets, outDir: values["out-dir"] })) {
      const size = (await Deno.stat(out)).size;
      const shown = out.startsWith(`${ROOT}/`) ? out.slice(ROOT.length + 1) : out;
      Deno.stdout.writeSync(encoder.encode(`${shown}  (${size} bytes)\n`));
    }
  } catch (error) {
    Deno.stderr.writeSync(
      encoder.encode(`compile: ${error instanceof Error ? error.message : String(error)}\n`),
    );
    Deno.exit(2);
  }
}
