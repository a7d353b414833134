/**
 * `--json` of the commands that write files (issue 17 item 2): `keys generate`, `keys id`,
 * `timeline append` and `kit build` print RFC 8785 canonical JSON plus a newline, and nothing
 * else on stdout.
 */

import assert from "node:assert/strict";
import { canonicalize } from "../../mod.ts";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
const PUB = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;

/** Asserts that `stdout` is one canonical JSON document plus a newline; returns it parsed. */
function canonicalJson(stdout: string): Record<string, unknown> {
  assert.ok(stdout.endsWith("}\n"), stdout);
  const value = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(canonicalize(value) + "\n", stdout);
  return value;
}

Deno.test("stella keys generate --json names the algorithm, key id and the files written", async () => {
  await withTempDir(async (dir) => {
    const result = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "ecdsa-p256",
      "--out",
      `${dir}/build`,
      "--json",
    ]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    const value = canonicalJson(result.stdout);
    assert.deepEqual(Object.keys(value), ["algorithm", "keyid", "privateKey", "publicKey"]);
    assert.equal(value.algorithm, "ecdsa-p256");
    assert.equal(value.privateKey, `${dir}/build.key.pem`);
    assert.equal(value.publicKey, `${dir}/build.pub.pem`);
    const id = await runCli(["keys", "id", `${dir}/build.pub.pem`]);
    assert.equal(id.stdout, `${value.keyid}\n`);

    const hmac = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "hmac",
      "--out",
      `${dir}/mac`,
      "--json",
    ]);
    assert.equal(hmac.status, 0, hmac.stderr);
    const secret = canonicalJson(hmac.stdout);
    assert.deepEqual(Object.keys(secret), ["algorithm", "keyid", "privateKey"]);
    assert.equal(secret.privateKey, `${dir}/mac.key.pem`);
  });
});

Deno.test("stella keys id --json gives the key id, kind and algorithm of public and private keys", async () => {
  const publicKey = await runCli(["keys", "id", PUB, "--json"]);
  assert.equal(publicKey.status, 0, publicKey.stderr);
  const pub = canonicalJson(publicKey.stdout);
  assert.deepEqual(pub, {
    algorithm: "ed25519",
    file: PUB,
    keyid: (await runCli(["keys", "id", PUB])).stdout.trim(),
    kind: "public",
  });
  const privateKey = await runCli(["keys", "id", KEY, "--json"]);
  assert.equal(privateKey.status, 0, privateKey.stderr);
  assert.deepEqual(canonicalJson(privateKey.stdout), { ...pub, file: KEY, kind: "private" });
});

Deno.test("stella timeline append --json prints the new head, sequence and event type", async () => {
  await withTempDir(async (dir) => {
    const common = ["timeline", "append", "--jsonl", `${dir}/custody.jsonl`, "--key", KEY];
    const first = await runCli([
      ...common,
      "--subject",
      `evidence.img=sha256:${"ab".repeat(32)}`,
      "--type",
      "collected",
      "--event-actor",
      "alice",
      "--at",
      "2026-01-01T00:00:00Z",
      "--json",
    ]);
    assert.equal(first.stderr, "");
    assert.equal(first.status, 0);
    const bytes = await Deno.readFile(`${dir}/custody.jsonl`);
    const head = new Uint8Array(
      await crypto.subtle.digest("SHA-256", bytes.subarray(0, bytes.length - 1)),
    ).toHex();
    assert.equal(first.stdout, `{"head":"sha256:${head}","sequence":0,"type":"collected"}\n`);
    const second = await runCli([
      ...common,
      "--type",
      "transferred",
      "--event-actor",
      "bob",
      "--at",
      "2026-01-02T00:00:00Z",
      "--json",
    ]);
    assert.equal(second.status, 0, second.stderr);
    const value = canonicalJson(second.stdout);
    assert.equal(value.sequence, 1);
    assert.equal(value.type, "transferred");
    assert.match(value.head as string, /^sha256:[0-9a-f]{64}$/);
  });
});

Deno.test("stella kit build --json lists the kit's files and the sha256 of SHA256SUMS", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/stella.js`, "console.log('stand-in bundle');\n");
    const result = await runCli(
      [
        "kit",
        "build",
        "--out",
        `${dir}/kit`,
        "--key",
        KEY,
        "--bundle",
        `${dir}/stella.js`,
        "--json",
      ],
      { env: (name) => ({ SOURCE_DATE_EPOCH: "1738326900" } as Record<string, string>)[name] },
    );
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    const value = canonicalJson(result.stdout);
    const sums = await Deno.readFile(`${dir}/kit/SHA256SUMS`);
    assert.deepEqual(Object.keys(value), ["dir", "files", "sha256sums"]);
    assert.equal(value.dir, `${dir}/kit`);
    assert.equal(
      value.sha256sums,
      new Uint8Array(await crypto.subtle.digest("SHA-256", sums)).toHex(),
    );
    assert.deepEqual(
      [...(value.files as string[])].sort(),
      [...Deno.readDirSync(`${dir}/kit`)].map((e) => e.name).sort(),
    );
    assert.ok((value.files as string[]).includes("stella.js"));
  });
});
