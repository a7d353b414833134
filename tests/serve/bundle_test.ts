// Sigstore bundles over HTTP, on sigstore-go's key-signed bundle (read in place from
// ../shared/vectors): the server's trusted root and trusted keys decide, as with
// `stella forensic verify BUNDLE --trusted-root R --key PEM`; a revoked key never verifies one.
import assert from "node:assert/strict";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { loadTrustMaterial } from "../../mod.ts";
import { runCli } from "../cli/_io.ts";
import { post, serveHandler } from "./_server.ts";

const GO = vectorSet("sigstore-go");
const BUNDLE = "bundles/public-key-validity.sigstore.json";
const ROOT = "trusted-roots/public-key-validity.json";
const KEY = "public-keys/public-key-validity.pem";
const DIGEST = "sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72";
const NOW = "2026-07-01T00:00:00Z"; // after the bundle's RFC 3161 time, 2026-06-04T17:43:29Z

vectorTest(GO, "POST /v1/verify: a key-signed Sigstore bundle gives the CLI's report", async () => {
  const pem = await GO.readText(KEY);
  const trustedRoot = await GO.read(ROOT);
  const bundle = await GO.read(BUNDLE);
  const now = () => Date.parse(NOW);
  await using server = serveHandler({
    trust: loadTrustMaterial({ keys: [{ pem }], trustedRoot }),
    now,
  });
  const served = await (await post(`${server.url}/v1/verify?artifact-digest=${DIGEST}`, bundle))
    .text();
  assert.equal(JSON.parse(served).verified, true);
  const cli = await runCli([
    "forensic",
    "verify",
    GO.path(BUNDLE),
    "--trusted-root",
    GO.path(ROOT),
    "--key",
    GO.path(KEY),
    "--artifact-digest",
    DIGEST,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(cli.status, 0);
  assert.equal(served, cli.stdout.replaceAll(GO.path(BUNDLE), "body"));

  const wrong =
    await (await post(`${server.url}/v1/verify?artifact-digest=sha256:${"0".repeat(64)}`, bundle))
      .json();
  // A message signature is over the digest: another digest does not verify.
  assert.deepEqual([wrong.verified, wrong.code], [false, "SIGNATURE_INVALID"]);

  // The same key in a trust policy, revoked in 1970: its window ends before any signing time.
  const policy = {
    version: 1 as const,
    keys: [{ publicKey: pem, revokedAt: "1970-01-01T00:00:01Z" }],
  };
  await using revoked = serveHandler({
    trust: loadTrustMaterial({ trustPolicy: policy, trustedRoot }),
    now,
  });
  const report = await (await post(`${revoked.url}/v1/verify?artifact-digest=${DIGEST}`, bundle))
    .json();
  assert.deepEqual([report.verified, report.code], [false, "KEY_NOT_VALID_AT_TIME"]);
  const later = {
    version: 1 as const,
    keys: [{ publicKey: pem, revokedAt: "2100-01-01T00:00:00Z" }],
  };
  await using unrevoked = serveHandler({
    trust: loadTrustMaterial({ trustPolicy: later, trustedRoot }),
    now,
  });
  const fine = await (await post(`${unrevoked.url}/v1/verify?artifact-digest=${DIGEST}`, bundle))
    .json();
  assert.equal(fine.verified, true);
  return 4;
});
