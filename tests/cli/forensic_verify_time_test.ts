/**
 * `stella forensic verify` end to end for issue 13 items 1 and 2: a timestamp over a signature
 * that does not verify is ignored, and `--key` cannot un-revoke a key the trust policy revokes.
 */
import assert from "node:assert/strict";
import { encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { sha512 } from "@noble/hashes/sha2.js";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { ROOT, runCli } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY_A = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const VALID = `${NEG}/valid.ed25519.dsse.json`;
const NOW = "2026-03-01T12:00:00Z";

const dir = await Deno.makeTempDir({ prefix: "stella-time-cli-" });
const tsa = fixtureTsa();
await Deno.writeTextFile(`${dir}/root.pem`, tsa.rootPem);
await Deno.writeTextFile(
  `${dir}/trust.json`,
  JSON.stringify({
    version: 1,
    keys: [{
      keyid: "payments-signer-2025",
      publicKey: await Deno.readTextFile(KEY_A),
      revokedAt: "2026-02-15T00:00:00Z",
    }],
  }),
);
const valid = JSON.parse(await Deno.readTextFile(VALID));
const R = sha512(encodeUtf8("issue 13: bytes an attacker had stamped before the revocation"));
await Deno.writeTextFile(
  `${dir}/evil.dsse.json`,
  JSON.stringify({ ...valid, signatures: [...valid.signatures, { sig: R.toBase64() }] }),
);
await Deno.writeFile(`${dir}/R.tsr`, tsa.stamp(R, "2026-02-01T00:00:00Z"));
const sigA = Uint8Array.fromBase64(valid.signatures[0].sig);
await Deno.writeFile(`${dir}/A.tsr`, tsa.stamp(sigA, "2026-02-10T00:00:00Z"));

Deno.test("forensic verify: a token over an appended unverified signature changes nothing (issue 13 repro)", async () => {
  const result = await runCli([
    "forensic",
    "verify",
    `${dir}/evil.dsse.json`,
    "--trust",
    `${dir}/trust.json`,
    "--timestamp",
    `${dir}/R.tsr`,
    "--tsa-roots",
    `${dir}/root.pem`,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.code, "KEY_REVOKED");
  assert.deepEqual(report.time, { source: "clock", value: NOW });
  const text = await runCli([
    "forensic",
    "verify",
    `${dir}/evil.dsse.json`,
    "--trust",
    `${dir}/trust.json`,
    "--timestamp",
    `${dir}/R.tsr`,
    "--tsa-roots",
    `${dir}/root.pem`,
    "--now",
    NOW,
  ]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /FAILED .*KEY_REVOKED/);
  assert.match(text.stdout, /revoked at 2026-02-15T00:00:00Z/);
});

Deno.test("forensic verify: a token over the trusted signature before the revocation verifies", async () => {
  const result = await runCli([
    "forensic",
    "verify",
    VALID,
    "--trust",
    `${dir}/trust.json`,
    "--timestamp",
    `${dir}/A.tsr`,
    "--tsa-roots",
    `${dir}/root.pem`,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).time, {
    source: "rfc3161",
    value: "2026-02-10T00:00:00Z",
  });
});

Deno.test("forensic verify: --key does not un-revoke a key the trust policy revokes", async () => {
  for (const extra of [[], ["--json"]]) {
    const result = await runCli([
      "forensic",
      "verify",
      VALID,
      "--trust",
      `${dir}/trust.json`,
      "--key",
      KEY_A,
      "--now",
      NOW,
      ...extra,
    ]);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    if (extra.length > 0) assert.equal(JSON.parse(result.stdout).code, "KEY_REVOKED");
  }
  // The batch path (a directory) judges the same way.
  const batch = await Deno.makeTempDir({ dir, prefix: "batch-" });
  await Deno.copyFile(VALID, `${batch}/a.dsse.json`);
  const result = await runCli([
    "forensic",
    "verify",
    batch,
    "--trust",
    `${dir}/trust.json`,
    "--key",
    KEY_A,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).summary.codes, { KEY_REVOKED: 1 });
});
