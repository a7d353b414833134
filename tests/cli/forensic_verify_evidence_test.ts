/**
 * `stella forensic verify` with evidence flags, end to end: an RFC 3161 token made by `openssl ts`
 * in a throw-away offline PKI over the envelope's signature becomes the signing time, and
 * `--merkle-root` checks the export subject's Merkle root.
 */
import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";
import { makeTsa, OPENSSL, openssl, OPENSSL_IGNORED, replyToQuery } from "../_openssl.ts";

const PROMOTION = `${ROOT}/fixtures/envelopes/promotion.dsse.json`;
const PROMOTION_KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;
const EXPORT = `${ROOT}/fixtures/envelopes/export.dsse.json`;
const EXPORT_KEY = `${ROOT}/fixtures/keys/test-only-ecdsa-p256.pub.pem`;

const IGNORED = OPENSSL_IGNORED;

/** Makes root + TSA certificates and a token over `data`; returns the paths. */
async function stamp(data: Uint8Array): Promise<{ dir: string; token: string; roots: string }> {
  const dir = await Deno.makeTempDir({ prefix: "stella-ts-cli-" });
  await Deno.writeFile(`${dir}/data.bin`, data);
  await makeTsa(dir);
  await openssl(dir, [
    "ts",
    "-query",
    "-data",
    "data.bin",
    "-sha256",
    "-cert",
    "-no_nonce",
    "-out",
    "query.tsq",
  ]);
  await replyToQuery(dir, "query.tsq", "token.tsr");
  return { dir, token: `${dir}/token.tsr`, roots: `${dir}/root.pem` };
}

function signatureBytes(path: string): Uint8Array {
  const envelope = JSON.parse(Deno.readTextFileSync(path));
  return Uint8Array.fromBase64(envelope.signatures[0].sig);
}

Deno.test({
  name: `forensic verify --timestamp: the token's genTime is the signing time${IGNORED}`,
  ignore: !OPENSSL,
  async fn() {
    const before = Date.now() - 60_000;
    const { dir, token, roots } = await stamp(signatureBytes(PROMOTION));
    const ok = await runCli([
      "forensic",
      "verify",
      PROMOTION,
      "--key",
      PROMOTION_KEY,
      "--timestamp",
      token,
      "--tsa-roots",
      roots,
      "--json",
    ]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const report = JSON.parse(ok.stdout);
    assert.equal(report.time.source, "rfc3161");
    assert.ok(Date.parse(report.time.value) >= before);
    assert.deepEqual(report.checks.map((c: { id: string }) => c.id).slice(0, 2), [
      "envelope.parse",
      "timestamp.rfc3161",
    ]);

    const late = await runCli([
      "forensic",
      "verify",
      PROMOTION,
      "--key",
      PROMOTION_KEY,
      "--timestamp",
      token,
      "--tsa-roots",
      roots,
      "--not-after",
      "2026-01-01T00:00:00Z",
      "--json",
    ]);
    assert.equal(late.status, 1);
    assert.equal(JSON.parse(late.stdout).code, "SIGNED_AFTER_NOT_AFTER");

    const other = await stamp(new TextEncoder().encode("other data"));
    const wrong = await runCli([
      "forensic",
      "verify",
      PROMOTION,
      "--key",
      PROMOTION_KEY,
      "--timestamp",
      other.token,
      "--tsa-roots",
      roots,
      "--json",
    ]);
    assert.equal(wrong.status, 1);
    assert.equal(JSON.parse(wrong.stdout).code, "TIMESTAMP_IMPRINT_MISMATCH");

    const untrusted = await runCli([
      "forensic",
      "verify",
      PROMOTION,
      "--key",
      PROMOTION_KEY,
      "--timestamp",
      token,
      "--tsa-roots",
      other.roots,
      "--json",
    ]);
    assert.equal(untrusted.status, 1);
    assert.equal(JSON.parse(untrusted.stdout).code, "TSA_UNTRUSTED");

    const noRoots = await runCli([
      "forensic",
      "verify",
      PROMOTION,
      "--key",
      PROMOTION_KEY,
      "--timestamp",
      token,
    ]);
    assert.equal(noRoots.status, 2);
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(other.dir, { recursive: true });
  },
});

Deno.test("forensic verify --merkle-root checks the export subject's merkleSha256", async () => {
  const statement = JSON.parse(
    new TextDecoder().decode(
      Uint8Array.fromBase64(JSON.parse(Deno.readTextFileSync(EXPORT)).payload),
    ),
  );
  const root = statement.subject[0].digest.merkleSha256 as string;
  const ok = await runCli([
    "forensic",
    "verify",
    EXPORT,
    "--key",
    EXPORT_KEY,
    "--merkle-root",
    `sha256:${root}`,
    "--json",
  ]);
  assert.equal(ok.status, 0, ok.stdout);
  assert.ok(
    JSON.parse(ok.stdout).checks.some((c: { id: string; ok: boolean }) =>
      c.id === "merkle.root" && c.ok
    ),
  );
  const bad = await runCli([
    "forensic",
    "verify",
    EXPORT,
    "--key",
    EXPORT_KEY,
    "--merkle-root",
    "0".repeat(64),
    "--json",
  ]);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).code, "MERKLE_ROOT_MISMATCH");
  const malformed = await runCli([
    "forensic",
    "verify",
    EXPORT,
    "--key",
    EXPORT_KEY,
    "--merkle-root",
    "xyz",
  ]);
  assert.equal(malformed.status, 2);
});
