/**
 * `deno task compile` (scripts/compile.ts). The build itself needs a Deno runtime (`denort`):
 * `DENORT_BIN` or the zip cached in DENO_DIR. Where none is available (this project's machines
 * cannot download it) that test is reported as ignored with the reason in its name; the checks
 * that need no runtime always run.
 */

import assert from "node:assert/strict";
import {
  binaryName,
  cachedRuntimePath,
  compile,
  CompileError,
  findRuntime,
  missingRuntimeMessage,
  PERMISSIONS,
  TARGETS,
} from "../../scripts/compile.ts";
import { ROOT } from "./_bundle.ts";

const HOST = Deno.build.target;
const RUNTIME = await findRuntime(HOST).catch(() => undefined);
const NOT_RUN = RUNTIME === undefined
  ? ` (NOT RUN: no denort for ${HOST}: set DENORT_BIN or cache ${
    cachedRuntimePath("$DENO_DIR", HOST)
  })`
  : "";
const GOLDEN_ARGS = [
  "forensic",
  "verify",
  "fixtures/envelopes/promotion.dsse.json",
  "--key",
  "fixtures/keys/test-only-ed25519.pub.pem",
  "--signed-at",
  "2025-01-31T18:35:00+05:30",
  "--not-after",
  "2025-02-01T00:00:00Z",
  "--skew",
  "30s",
  "--now",
  "2026-03-01T12:00:00Z",
  "--json",
];

Deno.test({
  name:
    `deno task compile builds a stella binary for ${HOST} that verifies like cli/main.ts${NOT_RUN}`,
  ignore: RUNTIME === undefined,
  fn: async () => {
    const outDir = await Deno.makeTempDir({ prefix: "stella-compile-" });
    try {
      const [binary] = await compile({ outDir });
      assert.equal(binary, `${outDir}/${binaryName(HOST)}`);
      const run = (args: string[]) =>
        new Deno.Command(binary!, { args, cwd: ROOT, clearEnv: true, env: { NO_COLOR: "1" } })
          .output();
      const version = await run(["--version"]);
      assert.match(new TextDecoder().decode(version.stdout), /^stella \d+\.\d+\.\d+\n$/);
      const verify = await run(GOLDEN_ARGS);
      assert.equal(verify.code, 0);
      assert.equal(
        new TextDecoder().decode(verify.stdout),
        await Deno.readTextFile(`${ROOT}/tests/golden/forensic_verify_promotion.json`),
      );
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

Deno.test("compile: without a runtime it stops before building and says what to provide", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "stella-empty-deno-dir-" });
  const outDir = await Deno.makeTempDir({ prefix: "stella-compile-" });
  try {
    const env = { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: denoDir };
    assert.equal(await findRuntime(HOST, env), undefined);
    const target = "aarch64-apple-darwin";
    await assert.rejects(compile({ targets: [target], outDir, env }), (error: Error) => {
      assert.ok(error instanceof CompileError);
      assert.equal(
        error.message,
        `Cannot compile for ${target}: no Deno runtime (denort) is available and this script never downloads one.
Provide one of:
  - DENORT_BIN=/path/to/denort  the unzipped runtime for ${target} (one target per run), or
  - ${denoDir}/dl/release/v${Deno.version.deno}/denort-${target}.zip
    the zip as deno compile caches it,
both from https://dl.deno.land/release/v${Deno.version.deno}/denort-${target}.zip (Deno ${Deno.version.deno}; fetch it
on a connected machine and carry it in, see OFFLINE.md).`,
      );
      return true;
    });
    assert.equal(
      await missingRuntimeMessage(target, env),
      await missingRuntimeMessage(target, env),
    );
    assert.deepEqual([...Deno.readDirSync(outDir)], []);
  } finally {
    await Deno.remove(denoDir, { recursive: true });
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("compile: a cached runtime zip in DENO_DIR counts as a runtime", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "stella-deno-dir-" });
  try {
    const zip = cachedRuntimePath(denoDir, "x86_64-pc-windows-msvc");
    await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(zip, new Uint8Array());
    assert.deepEqual(await findRuntime("x86_64-pc-windows-msvc", { DENO_DIR: denoDir }), {
      kind: "cache",
      path: zip,
    });
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("compile: rejects unknown targets, a missing DENORT_BIN, and DENORT_BIN for several targets", async () => {
  const env = { PATH: Deno.env.get("PATH") ?? "", DENORT_BIN: "/nonexistent/denort" };
  await assert.rejects(compile({ targets: ["x86_64-unknown-plan9"], env }), CompileError);
  await assert.rejects(
    compile({ targets: [HOST], env }),
    /Cannot use DENORT_BIN "\/nonexistent\/denort"/,
  );
  await assert.rejects(
    compile({ targets: ["x86_64-apple-darwin", "aarch64-apple-darwin"], env }),
    /Cannot use DENORT_BIN for several targets/,
  );
});

Deno.test("compile: binary names, targets and the permissions baked in", () => {
  assert.equal(binaryName("x86_64-unknown-linux-gnu"), "stella-x86_64-unknown-linux-gnu");
  assert.equal(binaryName("x86_64-pc-windows-msvc"), "stella-x86_64-pc-windows-msvc.exe");
  assert.ok((TARGETS as readonly string[]).includes(HOST));
  assert.deepEqual(PERMISSIONS, ["--allow-read", "--allow-write", "--allow-env"]);
});
