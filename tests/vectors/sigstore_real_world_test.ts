/**
 * Every scored case of the sigstore-real-world corpus (`../shared/vectors/sigstore-real-world/
 * cases.json`: real bundles from cli/cli, sigstore-java, sigstore-rust, model-transparency and
 * pypi-attestations, with trust roots for public-good, staging and GitHub's instance) through the
 * library verifier and through `stella forensic verify` in process, with the case's own
 * arguments (`{dir}` = the set's folder). The verdict must be the case's `expect` (exit 0 for
 * valid, 1 for invalid, never 2), and a rejected case must be rejected by the check it is
 * rejected by today, so no case starts failing for another reason unnoticed.
 *
 * `run.sh` runs the same cases through a spawned CLI; this suite is what `deno task test` runs.
 */
import assert from "node:assert/strict";
import { type VerificationReport, verifyBundle } from "../../mod.ts";
import { runCli } from "../cli/_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust, type TestOptions } from "../verify/_trust.ts";

const SET = vectorSet("sigstore-real-world");

interface Case {
  id: string;
  args: string[];
  expect: "valid" | "invalid";
  why: string;
}

/**
 * Cases whose verdict is not yet the expected one, with the reason. Each is asserted to still
 * give the other verdict, so an entry must be removed once the case passes. None: the three
 * GitHub-instance cases passed once the tlog, timestamp and SCT requirements followed the trusted
 * root (issue 14 item 3).
 */
const KNOWN_NON_PASSING: Readonly<Record<string, string>> = {};

/**
 * The code of the report (its first failed check) for each case expected to be rejected: what
 * rejects it. Cases in KNOWN_NON_PASSING are not listed.
 */
const REJECTED_BY: Readonly<Record<string, string>> = {
  "cli-missing-verification-material": "BUNDLE_MALFORMED",
  "cli-reusable-workflow-wrong-signer": "CERTIFICATE_IDENTITY_MISMATCH",
  "java-wrong-tlog-entry": "TLOG_ENTRY_MISMATCH",
  "java-dsse-bad-signature": "TLOG_ENTRY_MISMATCH",
  "java-dsse-artifact-not-in-subjects": "ARTIFACT_MISMATCH",
  "java-dsse-rekor-v2-artifact-not-in-subjects": "ARTIFACT_MISMATCH",
  "java-dsse-rekor-v2-bad-entry-type": "TLOG_ENTRY_KIND_UNSUPPORTED",
  "java-github-private-wrong-digest": "ARTIFACT_MISMATCH",
  "rust-conda-wrong-identity": "CERTIFICATE_IDENTITY_MISMATCH",
  "rust-conda-tampered-artifact": "ARTIFACT_MISMATCH",
  "mt-v1.1.0-sigstore-wrong-issuer": "CERTIFICATE_IDENTITY_MISMATCH",
  "pypi-github-publisher-wrong-workflow": "CERTIFICATE_IDENTITY_MISMATCH",
  "pypi-staging-digest-mismatch": "ARTIFACT_MISMATCH",
  "pypi-staging-wrong-identity": "CERTIFICATE_IDENTITY_MISMATCH",
  "xroot-github-bundle-public-good-root": "TLOG_ENTRY_MISSING",
  "xroot-public-bundle-github-root": "LOG_KEY_UNTRUSTED",
  "xroot-staging-bundle-public-good-root": "LOG_KEY_UNTRUSTED",
};

/**
 * A fixed evaluation time after every signing time in the corpus, so verdicts do not depend on
 * the clock (no case needs `--now`: each bundle carries its own signed times).
 */
const NOW = "2026-12-01T00:00:00Z";

/** Builds the library options from a case's CLI arguments (the flags cases.json uses). */
async function libraryCall(args: string[]): Promise<[Uint8Array, TestOptions]> {
  let bundle: Uint8Array | undefined;
  let trustedRoot: Uint8Array | undefined;
  let key: string | undefined;
  let subject: string | RegExp | undefined;
  let issuer: string | RegExp | undefined;
  let artifact: Uint8Array | { digest: string } | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case "--trusted-root":
        trustedRoot = await Deno.readFile(value());
        break;
      case "--key":
        key = await Deno.readTextFile(value());
        break;
      case "--certificate-identity":
        subject = value();
        break;
      case "--certificate-identity-regexp":
        subject = new RegExp(value());
        break;
      case "--certificate-oidc-issuer":
        issuer = value();
        break;
      case "--certificate-oidc-issuer-regexp":
        issuer = new RegExp(value());
        break;
      case "--artifact":
        artifact = await Deno.readFile(value());
        break;
      case "--artifact-digest":
        artifact = { digest: value() };
        break;
      case "--json":
        break;
      default:
        if (arg.startsWith("-") || bundle !== undefined) {
          throw new Error(`cases.json uses ${arg}: teach this suite what it means`);
        }
        bundle = await Deno.readFile(arg);
    }
  }
  if (bundle === undefined || trustedRoot === undefined) throw new Error("no bundle or root");
  return [bundle, {
    trustedRoot,
    key,
    identity: key === undefined ? { subject, issuer } : undefined,
    artifact,
    now: Date.parse(NOW),
  }];
}

interface Outcome {
  c: Case;
  library: VerificationReport;
  status: number;
  cli: VerificationReport | undefined;
  stderr: string;
}

async function runAll(): Promise<Outcome[]> {
  const cases = (await SET.readJson("cases.json")).cases as Case[];
  const outcomes: Outcome[] = [];
  for (const c of cases) {
    const args = c.args.map((a) => a.replaceAll("{dir}", SET.dir.replace(/\/$/, "")));
    const [bundle, options] = await libraryCall(args);
    const library = await verifyBundle(bundle, ...splitTrust(options));
    const run = await runCli(["forensic", "verify", ...args], { now: () => Date.parse(NOW) });
    let cli: VerificationReport | undefined;
    try {
      cli = JSON.parse(run.stdout);
    } catch {
      cli = undefined;
    }
    outcomes.push({ c, library, status: run.status, cli, stderr: run.stderr });
  }
  return outcomes;
}

let cached: Promise<Outcome[]> | undefined;
const outcomes = (): Promise<Outcome[]> => cached ??= runAll();

vectorTest(
  SET,
  "sigstore-real-world: cases.json holds 47 scored cases (30 valid, 17 invalid)",
  async () => {
    const cases = (await SET.readJson("cases.json")).cases as Case[];
    assert.equal(cases.length, 47);
    assert.equal(cases.filter((c) => c.expect === "valid").length, 30);
    return cases.length;
  },
);

vectorTest(
  SET,
  "sigstore-real-world: every case gives its expected verdict, library and CLI",
  async () => {
    const results = await outcomes();
    const table = results.map(({ c, library, status }) => {
      const want = c.expect === "valid";
      const ok = library.verified === want && status === (want ? 0 : 1);
      return `${ok ? "ok  " : "FAIL"} ${c.expect.padEnd(7)} exit=${status} ${c.id} ${
        library.code ?? ""
      }`;
    });
    // deno-lint-ignore no-console
    console.log(table.join("\n"));
    const wrong: Record<string, string> = {};
    for (const { c, library, status, stderr } of results) {
      const want = c.expect === "valid";
      assert.notEqual(status, 2, `${c.id} could not run: ${stderr}`);
      // The library and the CLI agree on every case.
      assert.equal(status, library.verified ? 0 : 1, c.id);
      if (library.verified !== want) {
        wrong[c.id] = KNOWN_NON_PASSING[c.id] ?? `unexpected: ${library.code ?? "verified"}`;
      }
    }
    assert.deepEqual(wrong, KNOWN_NON_PASSING);
    return results.length;
  },
);

vectorTest(
  SET,
  "sigstore-real-world: rejected cases are rejected by the expected check",
  async () => {
    const results = await outcomes();
    const actual: Record<string, string> = {};
    for (const { c, library, cli } of results) {
      if (c.expect !== "invalid") continue;
      actual[c.id] = library.code ?? "(verified)";
      assert.equal(cli?.code, library.code, `${c.id}: CLI and library name the same code`);
    }
    assert.deepEqual(actual, REJECTED_BY);
    return Object.keys(actual).length;
  },
);

vectorTest(
  SET,
  'sigstore-real-world: "keyid": null in a bundle\'s DSSE signature reads as absent (mt-v1.0.0-elliptic-key)',
  async () => {
    const doc = await SET.readJson("cases.json");
    const observation = doc.observations.find((o: { id: string }) =>
      o.id === "mt-v1.0.0-elliptic-key"
    );
    const args = (observation.args as string[]).map((a) =>
      a.replaceAll("{dir}", SET.dir.replace(/\/$/, ""))
    );
    const [bundle, options] = await libraryCall(args);
    assert.match(new TextDecoder().decode(bundle), /"keyid": null/);
    const report = await verifyBundle(bundle, ...splitTrust(options));
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    assert.equal(byId["bundle.parse"]?.ok, true);
    // The P-384 key's DSSE signature verifies (over SHA-384 of PAE, as the registry says) ...
    assert.equal(byId["bundle.signature"]?.ok, true);
    // ... and the bundle is still rejected: it has no transparency-log entry and no signed time,
    // which the public-good trust root requires (unscored upstream for exactly this reason).
    assert.equal(report.verified, false);
    assert.equal(byId["bundle.material"]?.ok, true);
    return 1;
  },
);
