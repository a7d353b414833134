/**
 * Flag handling shared by every command (`parseStrict` in `cli/_args.ts`), `stella version` and
 * `stella completions` (issue 17 item 1).
 */

import assert from "node:assert/strict";
import { CliError } from "../../cli/_io.ts";
import { nearestFlag, parseCountFlag } from "../../cli/_args.ts";
import { BUILD_PLACEHOLDERS, buildInfo } from "../../cli/_build_info.ts";
import { completionScript, loadCommands } from "../../cli/completions.ts";
import { VERSION } from "../../cli/main.ts";
import { runCli } from "./_io.ts";
import { findPrimedDenoDir, freshDenoDir, UNSHARE } from "../kit/_bundle.ts";

Deno.test("a single-value flag given twice is exit 2 naming the flag and both values", async () => {
  const cases: [string[], string][] = [
    [
      ["attest", "promotion", "--to", "prod", "--to", "qa"],
      'stella: --to given twice ("prod", "qa"): it takes one value\n',
    ],
    [
      ["sign", "x.json", "--key", "a.pem", "--key=b.pem", "--key", "c.pem"],
      'stella: --key given 3 times ("a.pem", "b.pem", "c.pem"): it takes one value\n',
    ],
    [
      ["digest", "--algorithm", "sha256", "--algorithm", "sha512", "x"],
      'stella: --algorithm given twice ("sha256", "sha512"): it takes one value\n',
    ],
    [
      ["forensic", "verify", "x.json", "--trust", "a.json", "--trust", "b.json"],
      'stella: --trust given twice ("a.json", "b.json"): it takes one value\n',
    ],
    [
      ["forensic", "verify", "b.json", "--trusted-root", "r.json", "--key", "a", "--key", "b"],
      'stella: --key given twice ("a", "b"): it takes one value\n',
    ],
  ];
  for (const [args, stderr] of cases) {
    const result = await runCli(args);
    assert.equal(result.status, 2, args.join(" "));
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, stderr);
  }
});

Deno.test("a repeatable flag (multiple: true) may repeat; a boolean flag given twice is harmless", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a`, "a");
    await Deno.writeTextFile(`${dir}/l1`, `sha256:${"ab".repeat(32)}\n`);
    await Deno.writeTextFile(`${dir}/l2`, `sha256:${"cd".repeat(32)}\n`);
    const result = await runCli([
      "merkle",
      "root",
      "--digests",
      `${dir}/l1`,
      "--digests",
      `${dir}/l2`,
      "--json",
      "--json",
    ]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^\{"root":"sha256:[0-9a-f]{64}","treeSize":2\}\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unknown flag suggests the nearest declared one", async () => {
  const cases: [string[], string][] = [
    [
      ["forensic", "verify", "x.json", "--tsa-root", "r.pem"],
      "Unknown flag --tsa-root; did you mean --tsa-roots?",
    ],
    [["forensic", "verify", "x.json", "--jsno"], "Unknown flag --jsno; did you mean --json?"],
    [
      ["keys", "generate", "--algoritm", "ed25519"],
      "Unknown flag --algoritm; did you mean --algorithm?",
    ],
    [
      ["attest", "promotion", "--aprover", "alice"],
      "Unknown flag --aprover; did you mean --approver?",
    ],
    [
      ["forensic", "verify", "b.json", "--trusted-root", "r", "--certificate-identiy", "x"],
      "Unknown flag --certificate-identiy; did you mean --certificate-identity?",
    ],
    [["digest", "--frobnicate", "x"], "Unknown flag --frobnicate"],
    [["digest", "-x", "x"], "Unknown flag -x"],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.status, 2, args.join(" "));
    assert.equal(result.stderr, `stella: ${message}\n`);
  }
});

Deno.test("flag value errors are in the CLI's words, naming the flag", async () => {
  const cases: [string[], string][] = [
    [["digest", "--algorithm"], "Missing value for --algorithm"],
    [
      ["digest", "--algorithm", "--json", "x"],
      'Missing value for --algorithm: the next argument is a flag (to pass a value that starts with "-", write --algorithm=VALUE)',
    ],
    [["digest", "--json=yes", "x"], "--json takes no value"],
    [["merkle", "verify", "extra"], 'Unexpected argument "extra": this command takes flags only'],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.status, 2, args.join(" "));
    assert.equal(result.stderr, `stella: ${message}\n`);
  }
});

Deno.test("parseCountFlag(): one whole-number rule for every count flag, the range in the message", async () => {
  assert.equal(parseCountFlag("--port", undefined, 0, 65535), undefined);
  assert.equal(parseCountFlag("--port", "0", 0, 65535), 0);
  assert.equal(parseCountFlag("--port", "65535", 0, 65535), 65535);
  assert.equal(parseCountFlag("--max-signatures", "999999999", 1), 999_999_999);
  for (
    const value of ["", "-1", "+1", "01", "1.0", "1e3", " 1", "0x10", "１", "65536", "1000000000"]
  ) {
    assert.throws(
      () => parseCountFlag("--port", value, 0, 65535),
      (error) =>
        error instanceof CliError &&
        error.message === `Cannot parse --port "${value}": use a whole number from 0 to 65535`,
    );
  }
  assert.throws(() => parseCountFlag("--max-signatures", "0", 1), {
    message: 'Cannot parse --max-signatures "0": use a whole number of at least 1',
  });
  // Every count flag of the CLI goes through it: exit 2, the flag named, the same words.
  const KEY = new URL("../../fixtures/negative/keys/test-only-ed25519-a.pub.pem", import.meta.url)
    .pathname;
  const cases: [string[], string][] = [
    [["timestamp", "request", "x.json", "--out", "q.tsq", "--signature=-1"], "--signature"],
    [["trust", "init", "--key", "k.pem", "--threshold", "0"], "--threshold"],
    [["keys", "generate", "--algorithm", "rsa-pss", "--bits", "1e3", "--out", "k"], "--bits"],
    [
      ["forensic", "verify", "x.json", "--key", KEY, "--max-signatures", "0"],
      "--max-signatures",
    ],
    [
      ["forensic", "verify", "x.json", "--timeline", "--key", KEY, "--expect-entries", "0"],
      "--expect-entries",
    ],
  ];
  for (const [args, flag] of cases) {
    const result = await runCli(args);
    assert.equal(result.status, 2, args.join(" "));
    assert.match(
      result.stderr,
      new RegExp(`^stella: Cannot parse ${flag} "[^"]*": use a whole number (from|of at least) `),
    );
  }
});

Deno.test("nearestFlag() suggests within a small edit distance, else nothing", () => {
  assert.equal(nearestFlag("tsa-root", ["trust", "tsa-roots"]), "tsa-roots");
  assert.equal(nearestFlag("kye", ["key", "keys"]), "key");
  assert.equal(nearestFlag("frobnicate", ["key", "json"]), undefined);
});

Deno.test("stella version and --version print the version and the Deno version (exit 0)", async () => {
  for (const args of [["version"], ["--version"], ["-V"]]) {
    const result = await runCli(args);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `stella ${VERSION}\ndeno ${Deno.version.deno}\n`);
  }
  const json = await runCli(["version", "--json"]);
  assert.equal(json.stdout, `{"deno":"${Deno.version.deno}","version":"${VERSION}"}\n`);
  assert.equal((await runCli(["version", "extra"])).status, 2);
});

Deno.test("outside a bundle the build placeholders are left, so no commit is claimed", () => {
  assert.equal(buildInfo(), undefined);
  assert.match(BUILD_PLACEHOLDERS.commit, /^@@STELLA_BUILD_COMMIT@@$/);
});

Deno.test("stella completions bash completes commands, subcommands and each command's flags", async () => {
  const script = await runCli(["completions", "bash"]);
  assert.equal(script.status, 0);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/stella.bash`, script.stdout);
    const complete = async (line: string) => {
      const words = line.split(" ");
      const program = `source ${dir}/stella.bash
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
_stella; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await new Deno.Command("bash", { args: ["-c", program], stdout: "piped" })
        .output();
      return new TextDecoder().decode(out.stdout).split("\n").filter((w) => w !== "");
    };
    assert.deepEqual(await complete("stella ke"), ["keys"]);
    assert.deepEqual(await complete("stella keys "), ["generate", "id", "rotate"]);
    assert.deepEqual(await complete("stella forensic verify x.json --tsa"), ["--tsa-roots"]);
    assert.deepEqual(await complete("stella merkle root a b --j"), ["--json"]);
    assert.deepEqual(await complete("stella merkle root a "), []);
    assert.deepEqual(await complete("stella --v"), ["--version"]);
    assert.deepEqual(await complete("stella completions "), ["bash", "zsh", "fish"]);
    assert.deepEqual(await complete("stella completions z"), ["zsh"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every completion script names every command word and every declared flag", async () => {
  const commands = await loadCommands();
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const result = await runCli(["completions", shell]);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, completionScript(shell, commands));
    for (const command of commands) {
      for (const word of command.path) assert.ok(result.stdout.includes(word), `${shell}: ${word}`);
      for (const flag of Object.keys(command.flags)) {
        const pattern = shell === "fish" ? ` -l ${flag}` : `--${flag}`;
        assert.ok(result.stdout.includes(pattern), `${shell}: ${command.path.join(" ")} --${flag}`);
      }
    }
  }
  const unknown = await runCli(["completions", "tcsh"]);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, 'stella: Unknown shell "tcsh": use one of bash, zsh, fish\n');
});

Deno.test("the bundle script stamps the commit and SOURCE_DATE_EPOCH that buildInfo() reports", async () => {
  const { injectBuildInfo, BundleError } = await import("../../scripts/build_bundle.ts");
  const source = await Deno.readTextFile(new URL("../../cli/_build_info.ts", import.meta.url));
  const env = {
    STELLA_SOURCE_COMMIT: "0123456789abcdef0123456789abcdef01234567",
    SOURCE_DATE_EPOCH: "1767225600",
  };
  const stamped = injectBuildInfo(source, env);
  assert.equal(injectBuildInfo(source, { ...env }), stamped); // deterministic
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/build_info.ts`, stamped);
    const module = await import(`file://${dir}/build_info.ts`);
    assert.deepEqual(module.buildInfo(), {
      commit: "0123456789abcdef0123456789abcdef01234567",
      sourceDateEpoch: "1767225600",
    });
    await Deno.writeTextFile(`${dir}/unset.ts`, injectBuildInfo(source, {}));
    assert.deepEqual((await import(`file://${dir}/unset.ts`)).buildInfo(), {
      commit: "unknown",
      sourceDateEpoch: "unset",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(() => injectBuildInfo(source, { STELLA_SOURCE_COMMIT: "main; rm" }), BundleError);
  assert.throws(() => injectBuildInfo(source, { SOURCE_DATE_EPOCH: "yesterday" }), BundleError);
  assert.throws(() => injectBuildInfo("no placeholder", {}), /occurs 0 times, not once/);
});

Deno.test("a bundle's version text names its commit and SOURCE_DATE_EPOCH", async () => {
  const { versionText } = await import("../../cli/version.ts");
  assert.equal(
    versionText("0.1.0", "2.9.6", { commit: "0123abcd", sourceDateEpoch: "1767225600" }),
    "stella 0.1.0\ndeno 2.9.6\ncommit 0123abcd\nsource-date-epoch 1767225600 (2026-01-01T00:00:00Z)\n",
  );
  assert.equal(
    versionText("0.1.0", "2.9.6", { commit: "unknown", sourceDateEpoch: "unset" }),
    "stella 0.1.0\ndeno 2.9.6\ncommit unknown\nsource-date-epoch unset\n",
  );
});

async function which(tool: string): Promise<boolean> {
  try {
    return (await new Deno.Command(tool, { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

async function shell(tool: string, script: string): Promise<string[]> {
  const output = await new Deno.Command(tool, { args: ["-c", script], stdout: "piped" }).output();
  return new TextDecoder().decode(output.stdout).split("\n").filter((w) => w !== "");
}

Deno.test("stella completions zsh and fish complete commands and flags in those shells", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const tool of ["zsh", "fish"] as const) {
      if (!(await which(tool))) {
        // deno-lint-ignore no-console
        console.log(`skipping the ${tool} completion run: ${tool} is not installed`);
        continue;
      }
      const script = `${dir}/stella.${tool}`;
      await Deno.writeTextFile(script, (await runCli(["completions", tool])).stdout);
      if (tool === "fish") {
        const complete = (line: string) => shell("fish", `source ${script}; complete -C "${line}"`);
        assert.deepEqual(await complete("stella ke"), ["keys"]);
        assert.deepEqual(await complete("stella keys "), ["generate", "id", "rotate"]);
        assert.deepEqual(await complete("stella forensic verify x.json --tsa"), ["--tsa-roots"]);
        assert.deepEqual(await complete("stella merkle root a --j"), ["--json"]);
      } else {
        // The completion function with zsh's completion builtins stubbed: compadd prints its
        // candidates (real zsh then filters them by the typed prefix), _files prints FILES.
        const complete = (words: string[], prefix = "") =>
          shell(
            "zsh",
            `compdef() { :; }; source ${script}; compadd() { shift; print -l -- "$@"; }
_files() { print FILES; }; words=(${words.map((w) => `'${w}'`).join(" ")})
CURRENT=${words.length}; PREFIX='${prefix}'; _stella`,
          );
        assert.deepEqual(await complete(["stella", "keys", ""]), ["generate", "id", "rotate"]);
        assert.ok((await complete(["stella", "forensic", "verify", "x", "--t"], "--t"))
          .includes("--tsa-roots"));
        assert.deepEqual(await complete(["stella", "merkle", "root", "a", ""]), ["FILES"]);
        assert.ok((await complete(["stella", ""])).includes("canonicalize"));
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const PRIMED = await findPrimedDenoDir();

Deno.test({
  name: `the bundle's stella version names the commit and SOURCE_DATE_EPOCH it was built from${
    PRIMED.dir === undefined ? ` (NOT RUN: ${PRIMED.reason})` : ""
  }`,
  ignore: PRIMED.dir === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-version-bundle-" });
    try {
      const denoDir = await freshDenoDir(PRIMED.dir!, tmp);
      const commit = "0123456789abcdef0123456789abcdef01234567";
      const env = {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: tmp,
        DENO_DIR: denoDir,
        STELLA_SOURCE_COMMIT: commit,
        SOURCE_DATE_EPOCH: "1767225600",
      };
      const { buildBundle } = await import("../../scripts/build_bundle.ts");
      const first = await buildBundle({ out: `${tmp}/stella.js`, env, offline: UNSHARE });
      const again = await buildBundle({ out: `${tmp}/again.js`, env, offline: UNSHARE });
      assert.equal(again.sha256, first.sha256); // the stamp keeps the bundle reproducible
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", `${tmp}/stella.js`, "version"],
        cwd: tmp,
        env: { NO_COLOR: "1", DENO_DIR: denoDir },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      assert.equal(
        new TextDecoder().decode(output.stdout),
        `stella ${VERSION}\ndeno ${Deno.version.deno}\ncommit ${commit}\n` +
          "source-date-epoch 1767225600 (2026-01-01T00:00:00Z)\n",
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
