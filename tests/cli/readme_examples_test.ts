/**
 * Every shell example in README.md runs as written (issue 17 item 7). The test reads the fenced
 * `sh`/`bash` blocks, runs each block as one bash script (command by command; the first failing
 * command fails the test with its output), and prepares what the examples take for granted: the
 * files they name (keys, SBOM, trust policy, a timeline, a kit…) and `stella` on PATH, installed
 * by `deno task install`. Placeholders are filled (`<hex>`, `sha256:<head>`, and the Sigstore
 * examples' `org/repo`, identity and file names, mapped onto peer test vectors). A command is
 * skipped, with its reason printed, only when it needs something absent here: the network (npm,
 * JSR), esbuild for `deno task bundle`, `denort` for compiled binaries, or `../shared/vectors`.
 */

import assert from "node:assert/strict";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { resolveDenoDir } from "../../scripts/build_bundle.ts";
import { parseEnvelope } from "../../mod.ts";
import { VECTORS_DIR } from "../_vectors.ts";
import { findPrimedDenoDir, freshDenoDir, UNSHARE } from "../kit/_bundle.ts";
import { ROOT, runCli } from "./_io.ts";

/** One fenced shell block of README.md: its logical commands (continuation lines joined). */
interface Block {
  heading: string;
  commands: string[];
}

function readmeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let heading = "";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("## ")) heading = line.slice(3);
    if (!/^```(sh|bash)\s*$/.test(line)) continue;
    const commands: string[] = [];
    let current = "";
    for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) {
      const text = lines[i]!;
      if (current === "" && (text.trim() === "" || text.trim().startsWith("#"))) continue;
      current += text;
      if (text.endsWith("\\")) current += "\n";
      else {
        commands.push(current);
        current = "";
      }
    }
    blocks.push({ heading, commands });
  }
  return blocks;
}

/** What the test does with one command: run it (after replacements) or skip it (reason). */
type Plan = { run: string } | { skip: string };

const decoder = new TextDecoder();
const HEX = "ab".repeat(32);
const REAL = `${VECTORS_DIR}sigstore-real-world/files`;
const haveVectors = await Deno.stat(REAL).then(() => true, () => false);

async function sh(script: string, cwd: string, env: Record<string, string>) {
  const output = await new Deno.Command("bash", {
    args: ["-c", script],
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function copyCheckout(to: string): Promise<void> {
  const copy = await new Deno.Command("bash", {
    args: [
      "-c",
      `tar -C "$1" --exclude=./.git --exclude=./out --exclude=./dist --exclude=./.deno-local ` +
      `--exclude=./bench/results/tmp -cf - . | tar -C "$2" -xf -`,
      "copy",
      ROOT,
      to,
    ],
  }).output();
  assert.equal(copy.code, 0, decoder.decode(copy.stderr));
}

Deno.test("every shell example in README.md runs as written", async () => {
  const blocks = readmeBlocks(await Deno.readTextFile(`${ROOT}/README.md`));
  const tmp = await Deno.makeTempDir({ prefix: "stella-readme-" });
  const home = `${tmp}/home`;
  const work = `${tmp}/work`;
  const checkout = `${tmp}/checkout`;
  for (const dir of [home, work, checkout]) await Deno.mkdir(dir);
  // With a DENO_DIR primed with esbuild (as OFFLINE.md says to carry: dl/ and npm/), the bundle
  // examples run for real; without one, stand-ins take the bundle's place.
  const primed = await findPrimedDenoDir();
  const esbuild = primed.dir !== undefined;
  const denoDir = esbuild ? await freshDenoDir(primed.dir!, tmp) : await resolveDenoDir();
  const gitDir = (await sh(`git -C "${ROOT}" rev-parse --absolute-git-dir`, ROOT, {
    PATH: Deno.env.get("PATH") ?? "",
  })).stdout.trim();
  const env = {
    PATH: `${home}/.deno/bin:${Deno.execPath().replace(/\/[^/]*$/, "")}:${
      Deno.env.get("PATH") ?? ""
    }`,
    HOME: home,
    DENO_DIR: denoDir,
    NO_COLOR: "1",
    LANG: "C.UTF-8",
    GIT_DIR: gitDir,
  };
  const skipped: string[] = [];
  let ran = 0;
  try {
    await copyCheckout(checkout);
    // `stella` on PATH, as the README's "On PATH" section installs it.
    const install = await sh(`deno task install --root "${home}/.deno"`, checkout, env);
    assert.equal(install.code, 0, install.stderr);
    await prepareWork(work);

    const cliBlocks = ["CLI quick start", "Verifying evidence offline"];
    for (const [index, block] of blocks.entries()) {
      const inCheckout = !cliBlocks.includes(block.heading) &&
        !block.commands.some((c) => c.startsWith("cd stella-kit"));
      if (block.commands.some((c) => c.startsWith("cd stella-kit"))) {
        await prepareKit(work, esbuild ? env : undefined);
      }
      if (block.commands.some((c) => c.startsWith("deno task stella kit build"))) {
        await prepareKitBuild(work, checkout, esbuild);
      }
      if (block.heading === "Verifying evidence offline") await prepareEvidence(work);
      const plans = block.commands.map((command) => plan(command, { esbuild, checkout }));
      let script = "set -o pipefail\n";
      for (const [i, p] of plans.entries()) {
        if ("skip" in p) {
          skipped.push(`${block.commands[i]!.split("\n")[0]}: ${p.skip}`);
          continue;
        }
        ran++;
        script += `${p.run}\nstatus=$?\nif [ $status -ne 0 ]; then echo "README example failed ` +
          `(exit $status): ${
            JSON.stringify(block.commands[i]!).slice(1, -1).replaceAll("`", "'")
          }" >&2; ` +
          `exit $status; fi\n`;
      }
      const result = await sh(script, inCheckout ? checkout : work, env);
      assert.equal(
        result.code,
        0,
        `README block ${index} (${block.heading}):\n${result.stderr}\n${result.stdout}`,
      );
    }
    // The README's examples were found and most of them ran (a parsing slip cannot pass empty).
    assert.ok(ran >= 10 && ran > skipped.length, `ran ${ran}, skipped ${skipped.length}`);
  } finally {
    // deno-lint-ignore no-console
    for (const reason of skipped) console.log(`README example skipped: ${reason}`);
    await Deno.remove(tmp, { recursive: true });
  }
});

/** How one README command runs here: as written, with placeholders filled, or skipped. */
function plan(command: string, context: { esbuild: boolean; checkout: string }): Plan {
  if (command.startsWith("deno task test")) {
    return { skip: "runs the whole test suite, which includes this test" };
  }
  if (command.startsWith("npm install")) return { skip: "needs the npm registry (network)" };
  if (/jsr:/.test(command)) return { skip: "needs the JSR registry (network)" };
  if (command.startsWith("deno task bundle") && !context.esbuild) {
    return { skip: "deno bundle needs esbuild in DENO_DIR (a stand-in dist/stella.js is used)" };
  }
  if (command.startsWith("deno task compile") && Deno.env.get("DENORT_BIN") === undefined) {
    return { skip: "deno compile needs DENORT_BIN or a cached denort (a stand-in binary is used)" };
  }
  if (command.startsWith("./stella-x86_64-unknown-linux-gnu")) {
    return { skip: "no compiled binary here (deno compile needs denort)" };
  }
  if (command.startsWith("deno run --allow-read stella.js") && !context.esbuild) {
    // Without esbuild the kit carries a stand-in stella.js: run the same CLI from the checkout.
    return {
      run: command.replace(
        "deno run --allow-read stella.js",
        `deno run --allow-read --cached-only --config ${context.checkout}/deno.json ` +
          `${context.checkout}/cli/main.ts`,
      ),
    };
  }
  let run = command
    .replaceAll(
      "sha256:<head>",
      `sha256:$(tail -n 1 custody.jsonl | tr -d '\\n' | sha256sum | cut -c1-64)`,
    )
    .replaceAll("<hex>", HEX);
  if (run.includes("att.sigstore.json")) {
    if (!haveVectors) return { skip: `the peer test vectors are absent (${VECTORS_DIR})` };
    if (run.includes("--github-repo")) {
      // A GitHub-instance attestation by actions/attest-demo (cli/cli test data).
      run = run
        .replace(
          "att.sigstore.json",
          `${REAL}/cli-cli/github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl`,
        )
        .replace("trusted_root.json", `${REAL}/trust/github.trusted_root.json`)
        .replace("org/repo", "actions/attest-demo")
        .replace(
          `sha256:${HEX}`,
          "sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b",
        );
    } else {
      // A public-good attestation signed by a reusable GitHub workflow (cli/cli test data).
      run = run
        .replace("att.sigstore.json", `${REAL}/cli-cli/reusable-workflow-attestation.sigstore.json`)
        .replace("trusted_root.json", `${REAL}/trust/public-good.trusted_root.json`)
        .replace(
          "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main",
          "https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d",
        )
        .replace("--artifact app.tar", `--artifact ${REAL}/cli-cli/reusable-workflow-artifact`);
    }
  }
  return { run };
}

/** The inputs the CLI quick start names: SBOM, VEX, a statement, an image, an export folder. */
async function prepareWork(work: string): Promise<void> {
  await Deno.copyFile(`${ROOT}/fixtures/sample/sbom.cdx.json`, `${work}/sbom.cdx.json`);
  await Deno.copyFile(`${ROOT}/fixtures/sample/vex.openvex.json`, `${work}/vex.openvex.json`);
  await Deno.writeTextFile(
    `${work}/statement.json`,
    '{"subject":[{"name":"app","digest":{"sha256":"' + HEX +
      '"}}],"_type":"https://in-toto.io/Statement/v1","predicateType":"https://example.com/t/v1","predicate":{}}',
  );
  await Deno.writeTextFile(`${work}/image.tar`, "image bytes\n");
  await Deno.mkdir(`${work}/export`);
  for (const name of ["a.json", "b.json", "c.json"]) {
    await Deno.writeTextFile(`${work}/export/${name}`, `{"name":"${name}"}\n`);
  }
}

async function cli(args: string[]): Promise<string> {
  const result = await runCli(args);
  assert.equal(result.status, 0, `stella ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/**
 * What "Verifying evidence offline" takes for granted, made with the keys and envelope of the
 * quick start: attestations/, trust.json (build key; courier key bound to "courier"), app.tar and
 * its signed provenance, an RFC 3161 token over promo.dsse.json's signature (test-only TSA), and
 * a custody timeline whose first entry the courier collected.
 */
async function prepareEvidence(work: string): Promise<void> {
  await Deno.mkdir(`${work}/attestations`);
  await Deno.copyFile(`${work}/promo.dsse.json`, `${work}/attestations/promo.dsse.json`);
  await cli(["keys", "generate", "--algorithm", "ed25519", "--out", `${work}/courier`]);
  await Deno.writeTextFile(
    `${work}/trust.json`,
    JSON.stringify({
      keys: [
        { publicKey: await Deno.readTextFile(`${work}/build.pub.pem`) },
        {
          publicKey: await Deno.readTextFile(`${work}/courier.pub.pem`),
          custodians: ["courier"],
        },
      ],
    }),
  );
  await Deno.writeTextFile(`${work}/app.tar`, "app bytes\n");
  await Deno.writeTextFile(`${work}/external.json`, '{"target":"release"}');
  await cli([
    "attest",
    "provenance",
    "--subject-file",
    `${work}/app.tar`,
    "--build-type",
    "https://example.com/build/v1",
    "--builder-id",
    "https://example.com/builder",
    "--external-parameters",
    `${work}/external.json`,
    "--key",
    `${work}/build.key.pem`,
    "--out",
    `${work}/app.dsse.json`,
  ]);
  const tsa = fixtureTsa();
  const envelope = parseEnvelope(await Deno.readTextFile(`${work}/promo.dsse.json`));
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString()
    .replace(".000Z", "Z");
  await Deno.writeFile(`${work}/promo.tsr`, tsa.stamp(envelope.signatures[0]!.sigBytes, at));
  await Deno.writeTextFile(`${work}/tsa-roots.pem`, tsa.rootPem);
  await cli([
    "timeline",
    "append",
    "--jsonl",
    `${work}/custody.jsonl`,
    "--subject",
    `evidence.img=sha256:${HEX}`,
    "--type",
    "collected",
    "--event-actor",
    "courier",
    "--at",
    "2026-01-01T00:00:00Z",
    "--key",
    `${work}/courier.key.pem`,
  ]);
}

/** A kit as an operator receives it (work/stella-kit), its key beside it (work/kit.pub.pem). */
async function prepareKit(
  work: string,
  bundleEnv: Record<string, string> | undefined,
): Promise<void> {
  await cli(["keys", "generate", "--algorithm", "ed25519", "--out", `${work}/kit`]);
  const dist = `${work}/dist`;
  await Deno.mkdir(dist);
  await Deno.writeTextFile(`${dist}/stella.js`, "// stand-in: deno bundle needs esbuild\n");
  if (bundleEnv !== undefined) {
    const { buildBundle } = await import("../../scripts/build_bundle.ts");
    await buildBundle({ out: `${dist}/stella.js`, env: bundleEnv, offline: UNSHARE });
  }
  await cli([
    "kit",
    "build",
    "--out",
    `${work}/stella-kit`,
    "--key",
    `${work}/kit.key.pem`,
    "--bundle",
    `${dist}/stella.js`,
  ]);
}

/** The kit build example's key and, when esbuild or denort are absent, stand-in artifacts. */
async function prepareKitBuild(work: string, checkout: string, esbuild: boolean): Promise<void> {
  await Deno.copyFile(`${work}/kit.key.pem`, `${checkout}/kit.key.pem`);
  await Deno.copyFile(`${work}/kit.pub.pem`, `${checkout}/kit.pub.pem`);
  await Deno.mkdir(`${checkout}/dist`, { recursive: true });
  if (!esbuild) {
    await Deno.writeTextFile(
      `${checkout}/dist/stella.js`,
      "// stand-in: deno bundle needs esbuild\n",
    );
  }
  if (Deno.env.get("DENORT_BIN") === undefined) {
    await Deno.writeTextFile(
      `${checkout}/dist/stella-x86_64-unknown-linux-gnu`,
      "stand-in: deno compile needs denort\n",
    );
  }
}
