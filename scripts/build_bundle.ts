/**
 * `deno task bundle`: builds `dist/stella.js`, the whole `stella` CLI as one self-contained,
 * minified JavaScript file (`deno bundle --platform deno --minify cli/main.ts`, which runs
 * esbuild). It runs with
 * `deno run --allow-read dist/stella.js …` with no network, no `node_modules` and no `DENO_DIR`.
 *
 * Reproducible: `deno bundle` always runs from the checkout root on the relative entry
 * `cli/main.ts`, so esbuild's module comments are relative paths; the output is then checked for
 * the checkout path, `DENO_DIR` and `HOME` (any occurrence of the checkout path is rewritten to
 * `/stella-src`; `DENO_DIR` or `HOME` left in the file fail the build). Two builds of the same
 * commit from different paths and `DENO_DIR`s are byte-identical (tests/kit/bundle_test.ts).
 * The bundle is stamped with `STELLA_SOURCE_COMMIT` and `SOURCE_DATE_EPOCH` (see
 * {@link injectBuildInfo}), which `stella version` prints; nothing else of the machine goes in.
 *
 * `deno bundle` (Deno 2.9.6) runs esbuild 0.25.5, which Deno fetches from the npm registry
 * (`@esbuild/<os>-<arch>`) on first use into `$DENO_DIR/dl/esbuild-0.25.5-1/`. Offline, that
 * folder must already be there: see OFFLINE.md, "Building a kit".
 *
 * Usage: `deno run --cached-only --allow-read --allow-write=dist --allow-run --allow-env
 * scripts/build_bundle.ts [--out FILE]` (default `dist/stella.js`). Exit 0 built; 1 the bundle is not
 * reproducible (a machine path is left in it); 2 could not build (no esbuild and no network,
 * esbuild error).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BUILD_PLACEHOLDERS } from "../cli/_build_info.ts";

/** The checkout this script belongs to (no trailing slash). */
export const ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Placeholder that replaces the checkout path wherever esbuild would embed it. */
export const PATH_PLACEHOLDER = "/stella-src";

/** The esbuild version Deno 2.9.6's `deno bundle` runs, and its folder under `$DENO_DIR/dl/`. */
export const ESBUILD_VERSION = "0.25.5";

/** Result of one bundle build. */
export interface BundleResult {
  /** Where the bundle was written. */
  out: string;
  /** The bundle's bytes. */
  bytes: Uint8Array;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
}

/** Options of {@link buildBundle}. */
export interface BuildBundleOptions {
  /** Output file (default `<root>/dist/stella.js`). */
  out?: string | undefined;
  /** The checkout to bundle (default this script's checkout). */
  root?: string | undefined;
  /** Environment of `deno bundle` (default the process's; `DENO_DIR` selects the cache). */
  env?: Record<string, string> | undefined;
  /** Run `deno bundle` without network (`unshare -n`), to prove a primed DENO_DIR suffices. */
  offline?: boolean | undefined;
}

/** An error that makes the script exit with the given status. */
export class BundleError extends Error {
  /** Exit status: 1 not reproducible, 2 could not build. */
  readonly status: number;
  /**
   * @param message What went wrong.
   * @param status Exit status.
   */
  constructor(message: string, status: number) {
    super(message);
    this.name = "BundleError";
    this.status = status;
  }
}

/** The `DENO_DIR` Deno uses with this environment (`DENO_DIR`, else `deno info --json`). */
export async function resolveDenoDir(env: Record<string, string> = Deno.env.toObject()): Promise<
  string
> {
  if (env.DENO_DIR !== undefined && env.DENO_DIR !== "") return env.DENO_DIR;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as { denoDir?: string };
  if (typeof info.denoDir !== "string") throw new BundleError("Cannot find DENO_DIR", 2);
  return info.denoDir;
}

/**
 * The esbuild binary `deno bundle` would use from `denoDir`, or `undefined` when that DENO_DIR is
 * not primed (then `deno bundle` needs the npm registry).
 */
export async function primedEsbuild(denoDir: string): Promise<string | undefined> {
  const folder = `${denoDir}/dl/esbuild-${ESBUILD_VERSION}-1`;
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.isFile && entry.name.startsWith("esbuild-")) return `${folder}/${entry.name}`;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return undefined;
}

/**
 * Builds the bundle and writes it atomically (temporary file next to it, then rename).
 *
 * @throws {BundleError} When esbuild is missing offline, esbuild fails, or a machine path is
 *   left in the output.
 */
export async function buildBundle(options: BuildBundleOptions = {}): Promise<BundleResult> {
  const root = (options.root ?? ROOT).replace(/\/$/, "");
  const out = options.out ?? `${root}/dist/stella.js`;
  const env: Record<string, string> = { ...(options.env ?? Deno.env.toObject()), NO_COLOR: "1" };
  const denoDir = await resolveDenoDir(env);
  const slash = out.lastIndexOf("/");
  const dir = slash >= 0 ? out.slice(0, slash) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${dir}/.${out.slice(slash + 1)}.${crypto.randomUUID()}.tmp.js`;
  // Minified: a third of the text to load at every start (issue 15: about 13 ms of a 135 ms
  // one-envelope verify). Nothing reads function names, and the read-ahead worker's source
  // (`Function.prototype.toString`) stays self-contained.
  const bundleArgs = [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    "--minify",
    "--output",
    tmp,
    "cli/main.ts",
  ];
  const [command, args] = options.offline
    ? ["unshare", ["-n", Deno.execPath(), ...bundleArgs]]
    : [Deno.execPath(), bundleArgs];
  try {
    const output = await new Deno.Command(command, {
      args,
      cwd: root,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      const stderr = new TextDecoder().decode(output.stderr);
      const esbuild = await primedEsbuild(denoDir);
      const hint = esbuild === undefined && /registry\.npmjs\.org\/@esbuild|esbuild/.test(stderr)
        ? `\nesbuild ${ESBUILD_VERSION} is not in ${denoDir}/dl/ and the npm registry is not reachable: prime a DENO_DIR as OFFLINE.md ("Building a kit") says`
        : "";
      throw new BundleError(
        `Cannot bundle cli/main.ts: deno bundle failed:\n${stderr.trim()}${hint}`,
        2,
      );
    }
    const text = await Deno.readTextFile(tmp);
    const cleaned = text.replaceAll(`file://${root}/`, `file://${PATH_PLACEHOLDER}/`)
      .replaceAll(`${root}/`, `${PATH_PLACEHOLDER}/`);
    const home = env.HOME;
    for (const [label, path] of [["DENO_DIR", denoDir], ["HOME", home], ["the checkout", root]]) {
      if (path !== undefined && path.length > 1 && cleaned.includes(`${path}/`)) {
        throw new BundleError(
          `Cannot use the bundle: it contains ${label} (${path}), so it would differ between machines`,
          1,
        );
      }
    }
    const bytes = new TextEncoder().encode(injectBuildInfo(cleaned, env));
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, out);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return {
      out,
      bytes,
      sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
    };
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Writes what the bundle was built from into it (`stella version` prints it): the commit
 * (`STELLA_SOURCE_COMMIT`, else "unknown") and `SOURCE_DATE_EPOCH` (else "unset") replace the
 * placeholders of `cli/_build_info.ts`. Only these variables decide the result, so the bundle
 * stays reproducible.
 *
 * @throws {BundleError} When a value is malformed, or a placeholder is not in the bundle
 *   exactly once.
 */
export function injectBuildInfo(text: string, env: Record<string, string | undefined>): string {
  const commit = env.STELLA_SOURCE_COMMIT || "unknown";
  const epoch = env.SOURCE_DATE_EPOCH || "unset";
  if (commit !== "unknown" && !/^[0-9a-f]{7,64}$/.test(commit)) {
    throw new BundleError(
      `Cannot use STELLA_SOURCE_COMMIT "${commit.slice(0, 80)}": give a hex commit id`,
      2,
    );
  }
  if (epoch !== "unset" && !/^[0-9]{1,11}$/.test(epoch)) {
    throw new BundleError(
      `Cannot use SOURCE_DATE_EPOCH "${epoch.slice(0, 40)}": give whole seconds since 1970`,
      2,
    );
  }
  let result = text;
  for (
    const [placeholder, value] of [
      [BUILD_PLACEHOLDERS.commit, commit],
      [BUILD_PLACEHOLDERS.sourceDateEpoch, epoch],
    ] as const
  ) {
    const quoted = JSON.stringify(placeholder);
    const count = result.split(quoted).length - 1;
    if (count !== 1) {
      throw new BundleError(
        `Cannot stamp the bundle: ${quoted} occurs ${count} times, not once`,
        2,
      );
    }
    result = result.replace(quoted, JSON.stringify(value));
  }
  return result;
}

/** Where the kit's copy of OFFLINE.md lives as a TypeScript constant. */
export const GUIDE_MODULE = "lib/kit/offline_guide.ts";

/** The text of {@link GUIDE_MODULE} for a given OFFLINE.md (what `--sync-guide` writes). */
export function guideModule(markdown: string): string {
  const escaped = markdown.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${");
  return `/**
 * The operator guide every kit carries as \`OFFLINE.md\`: how to carry the kit into an air-gapped
 * site, check it (\`sha256sum -c SHA256SUMS\`, \`stella kit verify\`) and run it, and what an
 * air-gapped build host needs. Generated from the repository's \`OFFLINE.md\` by
 * \`deno run --allow-read --allow-write=lib/kit scripts/build_bundle.ts --sync-guide\`; a test keeps
 * the two identical.
 *
 * @module
 */

/**
 * Text of the kit's \`OFFLINE.md\` (Markdown), the default guide of \`buildKit\`.
 *
 * @example Usage
 * \`\`\`ts
 * import { OFFLINE_GUIDE } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * assert.ok(OFFLINE_GUIDE.includes("sha256sum -c SHA256SUMS"));
 * \`\`\`
 */
export const OFFLINE_GUIDE: string = \`${escaped}\`;
`;
}

if (import.meta.main) {
  const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        out: { type: "string" },
        offline: { type: "boolean", default: false },
        "sync-guide": { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values["sync-guide"]) {
      const markdown = await Deno.readTextFile(`${ROOT}/OFFLINE.md`);
      await Deno.writeTextFile(`${ROOT}/${GUIDE_MODULE}`, guideModule(markdown));
      Deno.stdout.writeSync(new TextEncoder().encode(`wrote ${GUIDE_MODULE} from OFFLINE.md\n`));
      Deno.exit(0);
    }
    const result = await buildBundle({ out: values.out, offline: values.offline });
    const shown = result.out.startsWith(`${ROOT}/`)
      ? result.out.slice(ROOT.length + 1)
      : result.out;
    Deno.stdout.writeSync(
      new TextEncoder().encode(`${result.sha256}  ${shown}  (${result.bytes.length} bytes)\n`),
    );
  } catch (error) {
    write(`build_bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    Deno.exit(error instanceof BundleError ? error.status : 2);
  }
}
