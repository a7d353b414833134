/**
 * `stella forensic verify BUNDLE --trusted-root …` with evidence thresholds (`--tlog-threshold`,
 * `--timestamp-threshold`, `--sct-threshold`), one trusted-root entry per chain (retired CA and
 * TSA entries), and the GitHub identity flags (`--github-repo`, `--github-workflow`), in process:
 * synthetic bundles written to a temporary folder, and the real GitHub-instance bundles of
 * `../shared/vectors/sigstore-real-world/` read in place.
 */
import assert from "node:assert/strict";
import { runCli } from "./_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import {
  ARTIFACT,
  bundleJson,
  DAY,
  makeIntermediate,
  makeLeaf,
  makeRoot,
  makeTsaLeaf,
  T_START,
  trustedRootJson,
} from "../verify/_bundle_builder.ts";

const GHA = "https://token.actions.githubusercontent.com";
const SAN = "https://github.com/octo-org/app/.github/workflows/release.yml@refs/heads/main";
const IDENTITY = {
  san: SAN,
  issuer: GHA,
  sourceRepositoryUri: "https://github.com/octo-org/app",
  sourceRepositoryOwnerUri: "https://github.com/octo-org",
};
const SIGNED = T_START + 200 * DAY;
const ROTATION = T_START + 100 * DAY;
const NOW = () => T_START + 400 * DAY;

const fulcioRoot = makeRoot("Test Fulcio Root", T_START);
const oldIntermediate = makeIntermediate(fulcioRoot, "Test Fulcio Intermediate", 2n);
const newIntermediate = makeIntermediate(fulcioRoot, "Test Fulcio Intermediate", 3n);
const tsaRoot = makeRoot("Test TSA Root", T_START);
const oldTsa = makeTsaLeaf(tsaRoot, "Test TSA", 2n);
const newTsa = makeTsaLeaf(tsaRoot, "Test TSA", 3n);

const DIR = await Deno.makeTempDir({ prefix: "stella-bundle-trust-" });
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));
const ROOT = `${DIR}/trusted_root.json`;
const ART = `${DIR}/artifact.txt`;
await Deno.writeTextFile(
  ROOT,
  trustedRootJson(
    [
      { chain: [oldIntermediate.der, fulcioRoot.der], start: T_START, end: ROTATION },
      { chain: [newIntermediate.der, fulcioRoot.der], start: ROTATION },
    ],
    [
      { chain: [oldTsa.der, tsaRoot.der], start: T_START, end: ROTATION },
      { chain: [newTsa.der, tsaRoot.der], start: ROTATION },
    ],
  ),
);
await Deno.writeFile(ART, ARTIFACT);

async function writeBundle(name: string, json: string): Promise<string> {
  const path = `${DIR}/${name}.sigstore.json`;
  await Deno.writeTextFile(path, json);
  return path;
}

const CURRENT = await writeBundle(
  "current",
  bundleJson(makeLeaf(newIntermediate, SIGNED - 60_000, IDENTITY), [
    { tsa: newTsa, genTime: SIGNED },
  ]),
);
const RETIRED_CA = await writeBundle(
  "retired-ca",
  bundleJson(makeLeaf(oldIntermediate, SIGNED - 60_000, IDENTITY), [
    { tsa: newTsa, genTime: SIGNED },
  ]),
);
const RETIRED_TSA = await writeBundle(
  "retired-tsa",
  bundleJson(makeLeaf(newIntermediate, SIGNED - 60_000, IDENTITY), [
    { tsa: oldTsa, genTime: SIGNED },
  ]),
);

function verify(bundle: string, ...flags: string[]) {
  return runCli(
    ["forensic", "verify", bundle, "--trusted-root", ROOT, "--artifact", ART, ...flags],
    { now: NOW },
  );
}

// deno-lint-ignore no-explicit-any
function json(stdout: string): any {
  return JSON.parse(stdout);
}

Deno.test("forensic verify BUNDLE --github-repo: verified with the derived evidence policy, shown in the report", async () => {
  const result = await verify(CURRENT, "--github-repo", "octo-org/app", "--json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const report = json(result.stdout);
  assert.deepEqual(report.evidence, {
    scts: { required: 0, verified: 0 },
    signingTimes: { required: 1, verified: 1 },
    timestamps: { required: 1, verified: 1 },
    tlogEntries: { required: 0, verified: 0 },
  });
  assert.deepEqual(report.identity.expected, {
    issuer: { equals: GHA },
    sourceRepositoryOwnerUri: { flags: "i", pattern: "^https:\\/\\/github\\.com\\/octo-org$" },
    sourceRepositoryUri: { flags: "i", pattern: "^https:\\/\\/github\\.com\\/octo-org\\/app$" },
    subject: { flags: "i", pattern: "^https:\\/\\/github\\.com\\/octo-org\\/app\\/" },
  });
  assert.equal(report.identity.certificate.sourceRepositoryUri, "https://github.com/octo-org/app");
});

Deno.test("forensic verify BUNDLE: human output names the evidence and the expanded identity policy", async () => {
  const result = await verify(
    CURRENT,
    "--github-repo",
    "octo-org/app",
    "--github-workflow",
    ".github/workflows/release.yml",
  );
  assert.equal(result.status, 0, result.stderr);
  // The signing certificate's key (generated per run).
  const keyid = json((await verify(CURRENT, "--github-repo", "octo-org/app", "--json")).stdout)
    .keyids[0];
  assert.equal(
    result.stdout,
    `VERIFIED ${CURRENT}\n` +
      `  signer:         ${SAN}\n` +
      `  issuer:         ${GHA}\n` +
      "  repository:     https://github.com/octo-org/app\n" +
      "  identity rule:  subject ~ /^https:\\/\\/github\\.com\\/octo-org\\/app\\/\\.github\\/" +
      "workflows\\/release\\.yml@/; issuer = https://token.actions.githubusercontent.com; " +
      "source repository ~ /^https:\\/\\/github\\.com\\/octo-org\\/app$/i; " +
      "source repository owner ~ /^https:\\/\\/github\\.com\\/octo-org$/i\n" +
      `  signed by:      ${keyid}\n` +
      "  evidence:       tlog entries 0 verified of 0 required, RFC 3161 timestamps 1 verified of 1 " +
      "required, SCTs 0 verified of 0 required, signing times 1 verified of 1 required\n" +
      "  signing time:   2025-07-20T00:00:00Z (rfc3161)\n" +
      "  verified at:    2026-02-05T00:00:00Z\n",
  );
});

Deno.test("forensic verify BUNDLE: --tlog-threshold, --timestamp-threshold and --sct-threshold", async () => {
  const id = ["--github-repo", "octo-org/app", "--json"];
  for (
    const [flag, value, code] of [
      ["--tlog-threshold", "1", "TLOG_ENTRY_MISSING"],
      ["--timestamp-threshold", "2", "SIGNING_TIME_MISSING"],
      ["--sct-threshold", "1", "SCT_INVALID"],
    ] as const
  ) {
    const result = await verify(CURRENT, ...id, flag, value);
    assert.equal(result.status, 1, `${flag} ${value}`);
    assert.equal(json(result.stdout).code, code);
  }
  const zero = await verify(CURRENT, ...id, "--timestamp-threshold", "0");
  assert.equal(zero.status, 0);
  assert.deepEqual(json(zero.stdout).evidence.timestamps, { required: 0, verified: 1 });
  for (const bad of ["-1", "1.5", "one", ""]) {
    const result = await verify(CURRENT, ...id, `--tlog-threshold=${bad}`);
    assert.equal(result.status, 2, bad);
    assert.match(result.stderr, /^stella: Cannot parse --tlog-threshold /);
  }
});

Deno.test("forensic verify BUNDLE: a retired CA or TSA entry sharing a root with a current one is rejected", async () => {
  const ca = await verify(RETIRED_CA, "--github-repo", "octo-org/app", "--json");
  assert.equal(ca.status, 1);
  assert.equal(json(ca.stdout).code, "CERTIFICATE_CHAIN_INVALID");
  const tsa = await verify(RETIRED_TSA, "--github-repo", "octo-org/app", "--json");
  assert.equal(tsa.status, 1);
  assert.equal(json(tsa.stdout).code, "TSA_UNTRUSTED");
});

Deno.test("forensic verify BUNDLE: --github-repo/--github-workflow reject other repositories and workflows", async () => {
  for (
    const flags of [
      ["--github-repo", "octo-org/other"],
      ["--github-repo", "octo-org/app", "--github-workflow", ".github/workflows/deploy.yml"],
      ["--github-repo", "octo-org/app", "--certificate-oidc-issuer", "https://example.com"],
    ]
  ) {
    const result = await verify(CURRENT, ...flags, "--json");
    assert.equal(result.status, 1, flags.join(" "));
    assert.equal(json(result.stdout).code, "CERTIFICATE_IDENTITY_MISMATCH");
  }
});

Deno.test("forensic verify BUNDLE: GitHub flag misuse exits 2 naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--github-workflow", ".github/workflows/release.yml"], /--github-workflow needs it/],
    [["--github-repo", "octo-org"], /GitHub repository "octo-org".*\(--github-repo\)$/],
    [
      ["--github-repo", "octo-org/app", "--github-workflow", "release.yml"],
      /GitHub workflow "release\.yml".*\(--github-workflow\)$/,
    ],
    [
      [
        "--github-repo",
        "octo-org/app",
        "--github-workflow",
        ".github/workflows/release.yml",
        "--certificate-identity",
        SAN,
      ],
      /either --github-workflow or --certificate-identity/,
    ],
    [["--github-repo", "octo-org/app", "--key", ART], /either --key or --github-repo/],
  ];
  for (const [flags, message] of cases) {
    const result = await verify(CURRENT, ...flags);
    assert.equal(result.status, 2, flags.join(" "));
    assert.match(result.stderr.trimEnd(), message);
  }
});

// --- Real bundles of GitHub's Sigstore instance (read in place) --------------------------------

const REAL = vectorSet("sigstore-real-world");

function real(args: string[]) {
  return runCli(["forensic", "verify", ...args, "--json"], {
    now: () => Date.parse("2026-12-01T00:00:00Z"),
  });
}

vectorTest(
  REAL,
  "forensic verify: GitHub-instance bundles with --github-repo/--github-workflow",
  async () => {
    const demo = [
      REAL.path("files/cli-cli/github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl"),
      "--trusted-root",
      REAL.path("files/trust/github.trusted_root.json"),
      "--artifact-digest",
      "sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b",
    ];
    const java = [
      REAL.path("files/sigstore-java/github-private-no-tlog/attestation.sigstore.json"),
      "--trusted-root",
      REAL.path("files/trust/github.trusted_root.json"),
      "--artifact-digest",
      "sha256:caa015ef69e9bc31a41322d6c71563ed9600c75bb988e4d639b1edc578580551",
    ];
    const reusable = [
      REAL.path("files/cli-cli/reusable-workflow-attestation.sigstore.json"),
      "--trusted-root",
      REAL.path("files/trust/public-good.trusted_root.json"),
      "--artifact",
      REAL.path("files/cli-cli/reusable-workflow-artifact"),
    ];
    const rows: [string[], number, string | undefined][] = [
      [[...demo, "--github-repo", "actions/attest-demo"], 0, undefined],
      [[...demo, "--github-repo", "Actions/Attest-Demo"], 0, undefined],
      [
        [
          ...demo,
          "--github-repo",
          "actions/attest-demo",
          "--github-workflow",
          ".github/workflows/build-python.yml@refs/heads/main",
        ],
        0,
        undefined,
      ],
      [[...demo, "--github-repo", "actions/other"], 1, "CERTIFICATE_IDENTITY_MISMATCH"],
      [
        [...demo, "--github-repo", "actions/attest-demo", "--tlog-threshold", "1"],
        1,
        "TLOG_ENTRY_MISSING",
      ],
      // A reusable workflow of another repository signed for the source repository.
      [
        [
          ...java,
          "--github-repo",
          "neverendingsupport/nes-java-test-lib-a",
          "--github-workflow",
          "neverendingsupport/slsa-attestations/.github/workflows/attest.yml",
        ],
        0,
        undefined,
      ],
      [
        [...java, "--github-repo", "neverendingsupport/slsa-attestations"],
        1,
        "CERTIFICATE_IDENTITY_MISMATCH",
      ],
      [
        [
          ...reusable,
          "--github-repo",
          "malancas/attest-demo",
          "--github-workflow",
          "github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml",
        ],
        0,
        undefined,
      ],
      [
        [
          ...reusable,
          "--github-repo",
          "foo/bar",
          "--github-workflow",
          "github/artifact-attestations-workflows/.github/workflows/attest.yml",
        ],
        1,
        "CERTIFICATE_IDENTITY_MISMATCH",
      ],
    ];
    for (const [args, status, code] of rows) {
      const result = await real(args);
      assert.equal(result.status, status, args.slice(4).join(" ") + result.stderr);
      assert.equal(json(result.stdout).code, code, args.slice(4).join(" "));
    }
    // The public-good root keeps demanding a tlog entry and an SCT.
    const publicGood = json(
      (await real([...reusable, "--github-repo", "malancas/attest-demo"])).stdout,
    );
    assert.deepEqual(publicGood.evidence, {
      scts: { required: 1, verified: 1 },
      signingTimes: { required: 1, verified: 1 },
      timestamps: { required: 0, verified: 0 },
      tlogEntries: { required: 1, verified: 1 },
    });
    return rows.length + 1;
  },
);

vectorTest(
  REAL,
  "forensic verify: a GitHub release attestation has no OIDC issuer extension",
  async () => {
    const base = [
      REAL.path("files/sigstore-rust/github-private-attestation.sigstore.json"),
      "--trusted-root",
      REAL.path("files/trust/github.trusted_root.json"),
      "--certificate-identity",
      "https://dotcom.releases.github.com",
      "--artifact-digest",
      "sha256:76f1fe8593bf227cca2c089e3c16dc95014a8d3e89c5dd220530469ca043c428",
    ];
    const any = await real([...base, "--certificate-oidc-issuer-regexp", ".*"]);
    assert.equal(any.status, 0, any.stdout);
    assert.deepEqual(json(any.stdout).identity.certificate, {
      subjects: ["https://dotcom.releases.github.com"],
    });
    const exact = await real([...base, "--certificate-oidc-issuer", GHA]);
    assert.equal(exact.status, 1);
    assert.equal(json(exact.stdout).code, "CERTIFICATE_IDENTITY_MISMATCH");
    return 2;
  },
);

Deno.test("forensic verify BUNDLE: --quiet prints the summary, --verbose every check, --out writes the report", async () => {
  const id = ["--github-repo", "octo-org/app"];
  const quiet = await verify(CURRENT, ...id, "--quiet");
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stdout, "1 verified, 0 failed, 1 total\n");
  const failed = await verify(RETIRED_CA, ...id, "--quiet");
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /^0 verified, 1 failed, 1 total \([A-Z_]+ 1\)\n$/);
  const text = await verify(CURRENT, ...id);
  const verbose = await verify(CURRENT, ...id, "--verbose");
  assert.equal(verbose.stdout.startsWith(text.stdout), true, verbose.stdout);
  assert.match(verbose.stdout, /^ {2}✓ [a-z.]+$/m);
  const out = `${DIR}/bundle-report.txt`;
  for (const extra of [[], ["--json"]]) {
    const written = await verify(CURRENT, ...id, ...extra, "--out", out);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, "");
    assert.equal(await Deno.readTextFile(out), (await verify(CURRENT, ...id, ...extra)).stdout);
  }
  const both = await verify(CURRENT, ...id, "--quiet", "--verbose");
  assert.equal(both.status, 2);
  assert.equal(both.stderr, "stella: Use either --quiet or --verbose, not both\n");
});
