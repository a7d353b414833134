/**
 * Issue 13 item 7 through `stella kit verify`: symbolic links and other non-regular entries in a
 * kit are `KIT_FILE_NOT_REGULAR` and never followed or read (a link to /dev/zero used to hang the
 * command), and a file is read no further than the size its signed manifest lists.
 */

import assert from "node:assert/strict";
import { buildKit, createSigner, importKey } from "../../mod.ts";
import { ROOT, runCli } from "./_io.ts";

const KEY = await importKey(await Deno.readFile(`${ROOT}/fixtures/keys/test-only-ed25519.pem`));
if (KEY.kind === "public") throw new Error("expected a private key");
const PUB = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;
const NOW = ["--now", "2026-03-01T12:00:00Z"];
const KIT = await buildKit([
  { path: "stella.js", bytes: new TextEncoder().encode("console.log('stella');\n") },
], { signers: [createSigner(KEY)], sourceDate: 0 });

/** Writes the kit into a fresh temp dir, lets `change` alter it, and runs `kit verify --json`. */
async function verifyChanged(change: (kit: string, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const kit = `${dir}/kit`;
    await Deno.mkdir(kit);
    for (const file of KIT) await Deno.writeFile(`${kit}/${file.path}`, file.bytes);
    await change(kit, dir);
    const json = await runCli(["kit", "verify", kit, "--key", PUB, ...NOW, "--json"]);
    const human = await runCli(["kit", "verify", kit, "--key", PUB, ...NOW]);
    return { json, human, report: JSON.parse(json.stdout || "{}") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function notOk(report: { files: { path: string; status: string }[] }): [string, string][] {
  return report.files.filter((f) => f.status !== "ok").map((f) => [f.path, f.status]);
}

Deno.test("stella kit verify: an intact kit written here verifies (exit 0)", async () => {
  const { json } = await verifyChanged(() => Promise.resolve());
  assert.equal(json.status, 0, json.stdout);
});

Deno.test("stella kit verify: a symlink to /dev/zero is KIT_FILE_NOT_REGULAR, never read (exit 1)", async () => {
  const { json, human, report } = await verifyChanged(async (kit) => {
    await Deno.symlink("/dev/zero", `${kit}/zero`);
  });
  assert.equal(json.status, 1, json.stderr);
  assert.equal(report.code, "KIT_FILE_NOT_REGULAR");
  assert.deepEqual(notOk(report), [["zero", "not-regular"]]);
  assert.equal(human.status, 1);
  assert.match(human.stdout, /^ {2}not-regular: +zero$/m);
});

Deno.test("stella kit verify: a listed file replaced by a symlink (even to the same bytes) is not followed", async () => {
  const { json, report } = await verifyChanged(async (kit, dir) => {
    await Deno.rename(`${kit}/stella.js`, `${dir}/stella.js`);
    await Deno.symlink(`${dir}/stella.js`, `${kit}/stella.js`);
  });
  assert.equal(json.status, 1);
  assert.equal(report.code, "KIT_FILE_NOT_REGULAR");
  assert.deepEqual(notOk(report), [["stella.js", "not-regular"]]);
});

Deno.test("stella kit verify: a symlinked directory (a loop) and a FIFO are not followed or opened", async () => {
  const mkfifo = await new Deno.Command("sh", { args: ["-c", "command -v mkfifo"] }).output();
  const { json, report } = await verifyChanged(async (kit) => {
    await Deno.symlink(".", `${kit}/loop`);
    await Deno.mkdir(`${kit}/sub`);
    await Deno.symlink("/dev", `${kit}/sub/dev`);
    if (mkfifo.success) {
      const made = await new Deno.Command("mkfifo", { args: [`${kit}/pipe`] }).output();
      assert.ok(made.success);
    }
  });
  assert.equal(json.status, 1, json.stderr);
  assert.deepEqual(notOk(report), [
    ["loop", "not-regular"],
    ...(mkfifo.success ? [["pipe", "not-regular"]] : []),
    ["sub/dev", "not-regular"],
  ]);
});

Deno.test("stella kit verify: a file grown past its listed size is read no further (altered, exit 1)", async () => {
  const { json, report } = await verifyChanged(async (kit) => {
    // Sparse: 256 MiB long, no disk used.
    await Deno.truncate(`${kit}/stella.js`, 256 * 1024 * 1024);
  });
  assert.equal(json.status, 1, json.stderr);
  assert.equal(report.code, "KIT_FILE_ALTERED");
  assert.deepEqual(notOk(report), [["stella.js", "altered"]]);
  assert.ok(
    report.checks.some((c: { message?: string }) =>
      c.message ===
        'Kit file "stella.js" is altered: larger than the 23 bytes the manifest lists (reading stopped after 24 bytes)'
    ),
    JSON.stringify(report.checks),
  );
});
