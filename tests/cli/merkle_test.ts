import assert from "node:assert/strict";
import { runCli } from "./_io.ts";
import { merkleRootOfDigests } from "../../lib/digest/mod.ts";

async function setup(): Promise<{ dir: string; files: string[]; digests: string[] }> {
  const dir = await Deno.makeTempDir();
  const files: string[] = [];
  const digests: string[] = [];
  for (const name of ["a", "b", "c", "d", "e"]) {
    const path = `${dir}/${name}.txt`;
    await Deno.writeTextFile(path, `file ${name}\n`);
    files.push(path);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path)));
    digests.push(`sha256:${hash.toHex()}`);
  }
  return { dir, files, digests };
}

Deno.test("stella merkle root equals merkleRootOfDigests over the files' sha256 digests", async () => {
  const { dir, files, digests } = await setup();
  const root = merkleRootOfDigests(digests);
  const result = await runCli(["merkle", "root", ...files.toReversed()]);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, root + "\n");
  await Deno.writeTextFile(`${dir}/LIST`, digests.join("\n") + "\n");
  const fromList = await runCli(["merkle", "root", "--digests", `${dir}/LIST`, "--json"]);
  assert.equal(fromList.stdout, `{"root":"${root}","treeSize":5}\n`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella merkle prove + verify round-trips, and tampering is exit 1 with a code", async () => {
  const { dir, files } = await setup();
  const root = (await runCli(["merkle", "root", ...files])).stdout.trim();
  const proofPath = `${dir}/proof.json`;
  const prove = await runCli([
    "merkle",
    "prove",
    ...files,
    "--leaf",
    files[2]!,
    "--out",
    proofPath,
  ]);
  assert.equal(prove.status, 0);
  const ok = await runCli([
    "merkle",
    "verify",
    "--proof",
    proofPath,
    "--leaf",
    files[2]!,
    "--root",
    root,
    "--json",
  ]);
  assert.equal(ok.stdout, '{"ok":true}\n');
  assert.equal(ok.status, 0);
  // Text: the verdict words and layout of every report ("VERIFIED X", "FAILED X: CODE message").
  const leafDigest = `sha256:${
    new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(files[2]!))).toHex()
  }`;
  const verifyText = (leaf: string, ...extra: string[]) =>
    runCli(["merkle", "verify", "--proof", proofPath, "--leaf", leaf, ...extra]);
  const okText = await verifyText(files[2]!, "--root", root);
  assert.equal(okText.stdout, `VERIFIED ${leafDigest} is in ${root}\n`);
  const badText = await verifyText(files[1]!);
  assert.equal(badText.status, 1);
  assert.match(badText.stdout, /^FAILED sha256:[0-9a-f]{64}: INCLUSION_PROOF_INVALID \S/);

  const wrongLeaf = await runCli([
    "merkle",
    "verify",
    "--proof",
    proofPath,
    "--leaf",
    files[1]!,
    "--json",
  ]);
  assert.equal(wrongLeaf.status, 1);
  assert.equal(JSON.parse(wrongLeaf.stdout).code, "INCLUSION_PROOF_INVALID");

  const otherRoot = await runCli([
    "merkle",
    "verify",
    "--proof",
    proofPath,
    "--leaf",
    files[2]!,
    "--root",
    `sha256:${"0".repeat(64)}`,
    "--json",
  ]);
  assert.equal(JSON.parse(otherRoot.stdout).code, "MERKLE_ROOT_MISMATCH");

  const proof = JSON.parse(await Deno.readTextFile(proofPath));
  proof.hashes[0] = proof.hashes[0].replace(/^./, (c: string) => (c === "0" ? "1" : "0"));
  await Deno.writeTextFile(proofPath, JSON.stringify(proof));
  const tampered = await runCli([
    "merkle",
    "verify",
    "--proof",
    proofPath,
    "--leaf",
    files[2]!,
    "--json",
  ]);
  assert.equal(tampered.status, 1);
  assert.equal(JSON.parse(tampered.stdout).code, "INCLUSION_PROOF_INVALID");

  await Deno.writeTextFile(proofPath, '{"digest":1}');
  const malformed = await runCli([
    "merkle",
    "verify",
    "--proof",
    proofPath,
    "--leaf",
    files[2]!,
    "--json",
  ]);
  assert.equal(JSON.parse(malformed.stdout).code, "MERKLE_INPUT_INVALID");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella merkle prove of a non-member is exit 1; bad input is exit 2", async () => {
  const { dir, files } = await setup();
  const notIn = await runCli(["merkle", "prove", ...files.slice(0, 2), "--leaf", files[3]!]);
  assert.equal(notIn.status, 1);
  assert.match(notIn.stderr, /not in the set/);
  const both = await runCli([
    "merkle",
    "prove",
    ...files,
    "--leaf",
    files[0]!,
    "--leaf-digest",
    "x",
  ]);
  assert.equal(both.status, 2);
  await Deno.writeTextFile(`${dir}/LIST`, "md5:abc\n");
  const badList = await runCli(["merkle", "root", "--digests", `${dir}/LIST`]);
  assert.equal(badList.status, 2);
  assert.match(badList.stderr, /line 1: expected "alg:hex"/);
  await Deno.remove(dir, { recursive: true });
});
