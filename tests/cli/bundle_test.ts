import assert from "node:assert/strict";
import { verifyBundleCommand } from "../../cli/_bundle.ts";
import { denoIo, type Io } from "../../cli/_io.ts";
import { canonicalize } from "../../mod.ts";
import { runCli } from "./_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const CONFORMANCE = vectorSet("sigstore-conformance");
const PYTHON = vectorSet("sigstore-python");
const SETS = [CONFORMANCE, PYTHON];
const CASES = CONFORMANCE.path("assets/bundle-verify/");
const PRODUCTION = PYTHON.path("trust-roots/production-trusted_root.json");
const ID = [
  "--certificate-identity",
  "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
  "--certificate-oidc-issuer",
  "https://token.actions.githubusercontent.com",
];

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    ...denoIo(),
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    color: false,
    now: () => Date.parse("2026-11-26T00:00:00Z"),
  };
  const status = await verifyBundleCommand(args, io);
  return { status, stdout, stderr };
}

vectorTest(
  SETS,
  "verifyBundleCommand: --json prints the canonical report and exits 0 when verified",
  async () => {
    const result = await run([
      `${CASES}happy-path-v0.2/bundle.sigstore.json`,
      "--trusted-root",
      PRODUCTION,
      ...ID,
      "--artifact",
      `${CASES}a.txt`,
      "--json",
    ]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(result.stdout, canonicalize(report) + "\n");
    assert.equal(report.verified, true);
    assert.equal(report.time.source, "rekor");
  },
);

vectorTest(SETS, "verifyBundleCommand: exits 1 for a bundle that does not verify", async () => {
  const result = await run([
    `${CASES}wrong-material_fail/bundle.sigstore.json`,
    "--trusted-root",
    PRODUCTION,
    ...ID,
    "--artifact",
    `${CASES}wrong-material_fail/artifact`,
  ]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^FAILED [^\n]*: TLOG_ENTRY_MISMATCH Reject /);
  assert.match(result.stdout, /\n {2}✗ tlog\.body: TLOG_ENTRY_MISMATCH: /);
});

vectorTest(
  SETS,
  "verifyBundleCommand: exits 2 without a trusted root, signer, or with a bad digest",
  async () => {
    const bundle = `${CASES}happy-path-v0.2/bundle.sigstore.json`;
    assert.equal((await run([bundle, ...ID])).status, 2);
    assert.equal((await run([bundle, "--trusted-root", PRODUCTION])).status, 2);
    const bad = await run([
      bundle,
      "--trusted-root",
      PRODUCTION,
      ...ID,
      "--artifact-digest",
      "sha256:xyz",
    ]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--artifact-digest/);
    const missing = await run([bundle, "--trusted-root", `${CASES}nope.json`, ...ID]);
    assert.equal(missing.status, 2);
    // A JSON file that is not a trusted root: named once, with what is wrong.
    const notRoot = await run([bundle, "--trusted-root", bundle, ...ID]);
    assert.equal(notRoot.status, 2);
    assert.match(
      notRoot.stderr,
      /^stella: Cannot read trusted root ".*bundle\.sigstore\.json": \/mediaType /,
    );
    assert.equal(notRoot.stderr.split("bundle.sigstore.json").length, 2);
  },
);

vectorTest(
  SETS,
  "forensic verify takes the bundle form with --trusted-root=FILE as with --trusted-root FILE",
  async () => {
    const bundle = `${CASES}happy-path-v0.2/bundle.sigstore.json`;
    const args = [...ID, "--artifact", `${CASES}a.txt`, "--json"];
    const now = () => Date.parse("2026-11-26T00:00:00Z");
    const spaced = await runCli([
      "forensic",
      "verify",
      bundle,
      "--trusted-root",
      PRODUCTION,
      ...args,
    ], {
      now,
    });
    const joined = await runCli([
      "forensic",
      "verify",
      bundle,
      `--trusted-root=${PRODUCTION}`,
      ...args,
    ], {
      now,
    });
    assert.equal(spaced.status, 0, spaced.stderr);
    assert.deepEqual(joined, spaced);
  },
);
