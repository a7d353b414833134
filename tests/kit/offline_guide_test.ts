import assert from "node:assert/strict";
import { FAILURE_CODES } from "../../mod.ts";
import { OFFLINE_GUIDE } from "../../lib/kit/mod.ts";
import { GUIDE_MODULE, guideModule, primedEsbuild } from "../../scripts/build_bundle.ts";
import { findRuntime } from "../../scripts/compile.ts";
import { runCli } from "../cli/_io.ts";

const ROOT = new URL("../../", import.meta.url);
const SYNC = "deno run --allow-read --allow-write=lib/kit scripts/build_bundle.ts --sync-guide";

/** Lines of the guide's fenced code blocks, with `\`-continued lines joined. */
function codeLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.replaceAll(/\\\n\s*/g, "").split("\n"));
}

/** Every `stella` invocation the guide shows (bundle, compiled binary or task): its arguments. */
function stellaCommands(markdown: string): string[][] {
  const commands: string[][] = [];
  for (const line of codeLines(markdown)) {
    const match = /^\s*(?:deno run [^#]*?stella\.js|\.\/stella-\S+|deno task stella)((?: [^#]*)?)/
      .exec(line);
    if (match) commands.push(match[1]!.trim().split(/\s+/).filter((w) => w !== ""));
  }
  return commands;
}

Deno.test("OFFLINE_GUIDE is the repository's OFFLINE.md, byte for byte", async () => {
  const markdown = await Deno.readTextFile(new URL("OFFLINE.md", ROOT));
  assert.equal(OFFLINE_GUIDE, markdown, `OFFLINE.md changed: run "${SYNC}"`);
  assert.equal(
    await Deno.readTextFile(new URL(GUIDE_MODULE, ROOT)),
    guideModule(markdown),
    `${GUIDE_MODULE} is not what "${SYNC}" writes`,
  );
});

Deno.test("every stella command OFFLINE_GUIDE shows exists and takes the flags it shows", async () => {
  const commands = stellaCommands(OFFLINE_GUIDE);
  assert.ok(commands.length >= 8, `only ${commands.length} stella commands found in the guide`);
  for (const args of commands) {
    const words: string[] = [];
    for (const arg of args) {
      if (!/^[a-z]+$/.test(arg)) break;
      words.push(arg);
    }
    const help = await runCli([...words, "--help"]);
    assert.equal(help.status, 0, `stella ${words.join(" ")} --help: ${help.stderr}`);
    for (const flag of args.filter((arg) => arg.startsWith("--"))) {
      assert.match(
        help.stdout,
        new RegExp(`(^|[\\s\\[,])${flag}\\b`, "m"),
        `stella ${words.join(" ")} does not list ${flag}`,
      );
    }
  }
});

Deno.test("every failure code OFFLINE_GUIDE names is one the verifier reports", () => {
  const named = [...OFFLINE_GUIDE.matchAll(/`(KIT_[A-Z_]+)`/g)].map((m) => m[1]!);
  assert.ok(named.length > 0);
  for (const code of named) {
    assert.ok((FAILURE_CODES as readonly string[]).includes(code), `${code} is not a failure code`);
  }
});

Deno.test("the toolchain paths OFFLINE_GUIDE tells a build host to fill are where the scripts look", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "stella-guide-" });
  try {
    const place = async (path: string) => {
      const file = path.replace("$DENO_DIR", denoDir);
      await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(file, new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
      return file;
    };
    const esbuild = /`(\$DENO_DIR\/dl\/esbuild-[^`]+)`/.exec(OFFLINE_GUIDE);
    assert.ok(esbuild, "the guide names the esbuild path");
    assert.equal(await primedEsbuild(denoDir), undefined);
    const esbuildFile = await place(esbuild[1]!);
    assert.equal(await primedEsbuild(denoDir), esbuildFile);

    const denort = /`(\$DENO_DIR\/dl\/release\/[^`]+<target>[^`]*)`/.exec(OFFLINE_GUIDE);
    assert.ok(denort, "the guide names the denort cache path");
    const target = "aarch64-unknown-linux-gnu";
    const env = { DENO_DIR: denoDir };
    assert.equal(await findRuntime(target, env), undefined);
    const zip = await place(denort[1]!.replace("<target>", target));
    assert.deepEqual(await findRuntime(target, env), { kind: "cache", path: zip });
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("guideModule() escapes backticks, backslashes and template placeholders", async () => {
  const source = guideModule("a `b` \\ ${c}\n");
  const url = `data:application/typescript;base64,${btoa(source)}`;
  const module = await import(url) as { OFFLINE_GUIDE: string };
  assert.equal(module.OFFLINE_GUIDE, "a `b` \\ ${c}\n");
});
