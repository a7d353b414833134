/**
 * Issue 13 item 7 for Sigstore bundles: a time no date can hold (an `integratedTime` of
 * 99999999999999 seconds, past year 9999) is a rejection with a code, exit 1, never an internal
 * RangeError (exit 2); and `--artifact` is hashed as a stream unless its bytes are needed.
 */

import assert from "node:assert/strict";
import { verifyBundle } from "../../mod.ts";
import { denoIo, type Io } from "../../cli/_io.ts";
import { run } from "../../cli/main.ts";
import { readArtifact } from "../../cli/_bundle.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust } from "./_trust.ts";

const CONFORMANCE = vectorSet("sigstore-conformance");
const PYTHON = vectorSet("sigstore-python");
const CASE = "assets/bundle-verify/happy-path-v0.1/bundle.sigstore.json";
const ROOT_FILE = "trust-roots/production-trusted_root.json";
const IDENTITY = {
  subject:
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
  issuer: "https://token.actions.githubusercontent.com",
};
const NOW = "2026-11-26T00:00:00Z";

/** Runs the CLI in-process; records whole-file reads and streamed opens. */
async function runCli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const reads: { path: string; maxBytes: number | undefined }[] = [];
  const opened: string[] = [];
  const real = denoIo();
  const io: Io = {
    ...real,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    color: false,
    stderrIsTerminal: false,
    readFile(path, options) {
      reads.push({ path, maxBytes: options?.maxBytes });
      return real.readFile(path, options);
    },
    openFile(path) {
      opened.push(path);
      return real.openFile(path);
    },
  };
  const status = await run(args, io);
  return { status, stdout, stderr, reads, opened };
}

function cliArgs(bundle: string): string[] {
  return [
    "forensic",
    "verify",
    bundle,
    "--trusted-root",
    PYTHON.path(ROOT_FILE),
    "--certificate-identity",
    IDENTITY.subject,
    "--certificate-oidc-issuer",
    IDENTITY.issuer,
    "--artifact",
    CONFORMANCE.path("assets/bundle-verify/a.txt"),
    "--now",
    NOW,
    "--json",
  ];
}

vectorTest(
  [CONFORMANCE, PYTHON],
  "an integratedTime past year 9999 is a rejection with a code (library and CLI), not a RangeError",
  async () => {
    const bundle = await CONFORMANCE.readJson(CASE);
    let count = 0;
    for (const integratedTime of ["99999999999999", "253402300800", "18446744073709551615"]) {
      bundle.verificationMaterial.tlogEntries[0].integratedTime = integratedTime;
      const text = JSON.stringify(bundle);
      const report = await verifyBundle(
        text,
        ...splitTrust({
          trustedRoot: await PYTHON.read(ROOT_FILE),
          identity: IDENTITY,
          artifact: await CONFORMANCE.read("assets/bundle-verify/a.txt"),
          now: Date.parse(NOW),
        }),
      );
      assert.equal(report.verified, false, integratedTime);
      assert.ok(report.code !== undefined, integratedTime);
      const time = report.checks.find((c) => c.id === "tlog.time");
      if (time !== undefined) {
        assert.equal(time.code, "SIGNED_IN_FUTURE", integratedTime);
        assert.match(time.message!, /after year 9999|outside years 0000-9999/, integratedTime);
      }
      const dir = await Deno.makeTempDir();
      try {
        await Deno.writeTextFile(`${dir}/b.sigstore.json`, text);
        const cli = await runCli(cliArgs(`${dir}/b.sigstore.json`));
        assert.equal(cli.status, 1, `${integratedTime}: ${cli.stderr}`);
        assert.equal(JSON.parse(cli.stdout).code, report.code, integratedTime);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
      count++;
    }
    return count;
  },
);

vectorTest(
  [CONFORMANCE, PYTHON],
  "bundle --artifact: never read whole past a bound; a large artifact is hashed as a stream",
  async () => {
    const artifact = CONFORMANCE.path("assets/bundle-verify/a.txt");
    const cli = await runCli(cliArgs(CONFORMANCE.path(CASE)));
    assert.equal(cli.status, 0, cli.stderr + cli.stdout);
    assert.deepEqual(cli.reads.filter((r) => r.path === artifact && r.maxBytes === undefined), []);
    const dir = await Deno.makeTempDir();
    try {
      // 40 MiB (sparse), past the 32 MiB read bound: hashed as a stream, then judged.
      const big = `${dir}/big.bin`;
      await Deno.writeFile(big, new Uint8Array(0));
      await Deno.truncate(big, 40 * 1024 * 1024);
      const args = cliArgs(CONFORMANCE.path(CASE));
      args[args.indexOf("--artifact") + 1] = big;
      const large = await runCli(args);
      assert.equal(large.status, 1, large.stderr);
      assert.equal(JSON.parse(large.stdout).code, "TLOG_ENTRY_MISMATCH");
      assert.deepEqual(large.reads.filter((r) => r.path === big && r.maxBytes === undefined), []);
      assert.deepEqual(large.opened.filter((p) => p === big), [big]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    return 2;
  },
);

const REAL = vectorSet("sigstore-real-world");

vectorTest(
  REAL,
  "bundle --artifact past the read bound: streamed under the digest the bundle's signature is over",
  async () => {
    let count = 0;
    for (
      const [bundleFile, algorithm] of [
        ["files/sigstore-java/PKIX_ECDSA_P384_SHA_384.sigstore.json", "sha384"],
        ["files/sigstore-java/PKIX_ECDSA_P521_SHA_512.sigstore.json", "sha512"],
        ["files/sigstore-java/PKIX_ECDSA_P256_SHA_256.sigstore.json", "sha256"],
      ] as const
    ) {
      const bundle = await REAL.read(bundleFile).catch(() => undefined);
      if (bundle === undefined) continue;
      const artifactPath = REAL.path("files/sigstore-java/artifact.txt");
      // A bound of 0 bytes forces the streamed path for this small artifact.
      const artifact = await readArtifact(denoIo(), artifactPath, bundle, 0);
      const bytes = await REAL.read("files/sigstore-java/artifact.txt");
      const hex = new Uint8Array(
        await crypto.subtle.digest(
          { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" }[algorithm],
          bytes,
        ),
      ).toHex();
      assert.deepEqual(artifact, { digest: `${algorithm}:${hex}` }, bundleFile);
      const report = await verifyBundle(
        bundle,
        ...splitTrust({
          trustedRoot: await REAL.read("files/trust/public-good.trusted_root.json"),
          identity: {
            subject: "untrusted-sa@sigstore-conformance.iam.gserviceaccount.com",
            issuer: "https://accounts.google.com",
          },
          artifact,
          now: Date.parse(NOW),
        }),
      );
      assert.equal(report.verified, true, `${bundleFile}: ${JSON.stringify(report.checks)}`);
      // Within the bound, the bytes themselves.
      assert.deepEqual(await readArtifact(denoIo(), artifactPath, bundle), bytes);
      count++;
    }
    return count;
  },
);
