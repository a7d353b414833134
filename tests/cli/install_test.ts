/**
 * `deno task install` (issue 17 item 6): a `stella` command on PATH from the checkout, offline,
 * with the least permissions, running in the caller's working directory.
 */

import assert from "node:assert/strict";
import { INSTALL_PERMISSIONS } from "../../scripts/install.ts";
import { ROOT } from "./_io.ts";

const decoder = new TextDecoder();

/** Whether `unshare -n` can cut this process off the network (root, or user namespaces). */
async function canUnshare(): Promise<boolean> {
  try {
    const probe = await new Deno.Command("unshare", { args: ["-n", "true"], stderr: "null" })
      .output();
    return probe.success;
  } catch {
    return false;
  }
}

async function sha256File(path: string): Promise<string> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path))).toHex();
}

Deno.test("deno task install --root DIR installs stella: least permissions, offline, in the caller's directory", async () => {
  const root = await Deno.makeTempDir({ prefix: "stella-install-" });
  const work = await Deno.makeTempDir({ prefix: "stella-install-cwd-" });
  const denoDir = await Deno.makeTempDir({ prefix: "stella-install-denodir-" });
  const lockBefore = await sha256File(`${ROOT}/deno.lock`);
  try {
    const installed = await new Deno.Command(Deno.execPath(), {
      args: ["task", "install", "--root", root],
      cwd: ROOT,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(installed.code, 0, decoder.decode(installed.stderr));

    const script = await Deno.readTextFile(`${root}/bin/stella`);
    const run = /exec deno run (.*) 'file:\/\/(.*)' "\$@"/.exec(script);
    assert.ok(run !== null, script);
    const flags = run[1]!.split(" ");
    assert.deepEqual(flags.filter((f) => f.startsWith("--allow") || f === "-A"), [
      ...INSTALL_PERMISSIONS,
    ]);
    assert.ok(flags.includes("--cached-only"));
    assert.equal(run[2], `${ROOT}/cli/main.ts`);

    // Run it from another directory, with an empty DENO_DIR, without network when possible.
    const offline = await canUnshare();
    // deno-lint-ignore no-console
    if (!offline) console.log("install test: unshare -n is not available; running with network");
    const stella = async (...args: string[]) => {
      const [command, argv] = offline
        ? ["unshare", ["-n", `${root}/bin/stella`, ...args]]
        : [`${root}/bin/stella`, args];
      const output = await new Deno.Command(command, {
        args: argv,
        cwd: work,
        env: { DENO_DIR: denoDir, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        status: output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    };
    const version = await stella("version");
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^stella \d+\.\d+\.\d+\ndeno \d/);

    const generated = await stella("keys", "generate", "--algorithm", "ecdsa-p256", "--out", "k");
    assert.equal(generated.status, 0, generated.stderr);
    assert.deepEqual([...Deno.readDirSync(work)].map((e) => e.name).sort(), [
      "k.key.pem",
      "k.pub.pem",
    ]);
    await Deno.writeTextFile(`${work}/s.json`, '{"b":1,"a":[1,2]}');
    const signed = await stella(
      "sign",
      "s.json",
      "--payload-type",
      "application/json",
      "--key",
      "k.key.pem",
      "--out",
      "s.dsse.json",
    );
    assert.equal(signed.status, 0, signed.stderr);
    const id = await stella("keys", "id", "k.pub.pem");
    assert.equal(id.stdout, generated.stdout);

    // No network, subprocess or FFI permission: such a request is denied, not prompted.
    assert.ok(!script.includes("--allow-net") && !script.includes("--allow-run"));
    assert.equal(await sha256File(`${ROOT}/deno.lock`), lockBefore);
  } finally {
    for (const dir of [root, work, denoDir]) await Deno.remove(dir, { recursive: true });
  }
});
