/**
 * `stella forensic verify` with evidence flags, end to end: an RFC 3161 token made by `openssl ts`
 * in a throw-away offline PKI over the envelope's signature becomes the signing time, and
 * `--merkle-root` checks the export subject's Merkle root.
 */
import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";

const PROMOTION = `${ROOT}/fixtures/envelopes/promotion.dsse.json`;
const PROMOTION_KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;
const EXPORT = `${ROOT}/fixtures/envelopes/export.dsse.json`;
const EXPORT_KEY = `${ROOT}/fixtures/keys/test-only-ecdsa-p256.pub.pem`;

const OPENSSL = await new Deno.Command("openssl", { args: ["version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);
const IGNORED = OPENSSL ? "" : " (ignored: openssl not found on PATH)";

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
[v3_tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_chain = no
`;

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

/** Makes root + TSA certificates and a token over `data`; returns the paths. */
async function stamp(data: Uint8Array): Promise<{ dir: string; token: string; roots: string }> {
  const dir = await Deno.makeTempDir({ prefix: "stella-ts-cli-" });
  await Deno.writeTextFile(`${dir}/openssl.cnf`, CONFIG);
  await Deno.writeTextFile(`${dir}/serial`, "01\n");
  await Deno.writeFile(`${dir}/data.bin`, data);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    "-new",
    ...ec,
    "-keyout",
    "root.key",
    "-subj",
    "/CN=Test Root",
    "-days",
    "30",
    "-config",
    "openssl.cnf",
    "-extensions",
    "v3_root",
    "-out",
    "root.pem",
  ]);
  await openssl(dir, [
    "req",
    "-new",
    ...ec,
    "-keyout",
    "tsa.key",
    "-subj",
    "/CN=Test TSA",
    "-config",
    "openssl.cnf",
    "-out",
    "tsa.csr",
  ]);
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    "tsa.csr",
    "-CA",
    "root.pem",
    "-CAkey",
    "root.key",
    "-set_serial",
    "2",
    "-days",
    "30",
    "-extfile",
    "openssl.cnf",
    "-extensions",
    "v3_tsa",
    "-out",
    "tsa.pem",
  ]);
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
  await openssl(dir, [
    "ts",
    "-reply",
    "-config",
    "openssl.cnf",
    "-queryfile",
    "query.tsq",
    "-inkey",
    "tsa.key",
    "-signer",
    "tsa.pem",
    "-out",
    "token.tsr",
  ]);
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
