import assert from "node:assert/strict";
import { ROOT, runCli, spawnCli } from "./_io.ts";
import {
  canonicalize,
  parseEnvelope,
  parseJson,
  type PromotionPredicate,
  type ProvenancePredicate,
  type Statement,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { decodeUtf8, encodeHex, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { verifyAuditLogFile } from "../../lib/sign/mod.ts";
import { demo } from "../../scripts/demo.ts";

const IMAGE =
  "registry.stella-ops.local/payments/payments-api:2.3.0@sha256:decb56f377c12c19ace2c5ba58250bae15cd5df8222871facfa4c122fbbe7fb4";
const KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
const FIXTURE = decodeUtf8(await Deno.readFile(`${ROOT}/fixtures/envelopes/promotion.dsse.json`));

/** The sample promotion (fixtures/sample/promotion.json) as flags, without --promoted-at. */
const SAMPLE = [
  "attest",
  "promotion",
  "--image",
  IMAGE,
  "--sbom",
  `${ROOT}/fixtures/sample/sbom.cdx.json`,
  "--vex",
  `${ROOT}/fixtures/sample/vex.openvex.json`,
  "--from",
  "staging",
  "--to",
  "production",
  "--approver",
  "alice@stella-ops.local",
  "--approver",
  "bob@stella-ops.local",
  "--promoted-by",
  "release-bot@stella-ops.local",
  "--ticket",
  "CHG-2025-0131",
  "--policy-decision",
  "allow",
  "--rekor-proof",
  `${ROOT}/fixtures/sample/rekor-proof.json`,
  "--key",
  KEY,
];
const AT = ["--promoted-at", "2025-01-31T13:05:00Z"];
const NO_ENV = { env: (_name: string) => undefined };

function statementOf<P>(envelopeText: string): Statement<P> {
  return parseJson(parseEnvelope(envelopeText).payloadBytes) as unknown as Statement<P>;
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "stella-attest-" });
}

Deno.test("stella attest promotion: the sample inputs give the committed envelope, byte for byte", async () => {
  const first = await runCli([...SAMPLE, ...AT], NO_ENV);
  assert.equal(first.stderr, "");
  assert.equal(first.status, 0);
  assert.equal(first.stdout, FIXTURE);
  const second = await runCli([...SAMPLE, ...AT], NO_ENV);
  assert.equal(second.stdout, first.stdout);
});

Deno.test("stella attest promotion: the same inputs with ECDSA P-256 give identical envelopes", async () => {
  const ecdsa = `${ROOT}/fixtures/keys/test-only-ecdsa-p256.pem`;
  const args = [...SAMPLE.map((a) => (a === KEY ? ecdsa : a)), ...AT];
  const a = await runCli(args, NO_ENV);
  const b = await runCli(args, NO_ENV);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(a.stdout, FIXTURE);
});

Deno.test("stella attest promotion: --promoted-at defaults to SOURCE_DATE_EPOCH", async () => {
  const epoch = String(Date.UTC(2025, 0, 31, 13, 5, 0) / 1000);
  const result = await runCli(SAMPLE, {
    env: (name) => (name === "SOURCE_DATE_EPOCH" ? epoch : undefined),
    now: () => Date.UTC(2030, 0, 1),
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, FIXTURE);
});

Deno.test("stella attest promotion: without SOURCE_DATE_EPOCH the clock is used, to the second", async () => {
  const result = await runCli(SAMPLE, { ...NO_ENV, now: () => Date.UTC(2026, 4, 6, 7, 8, 9, 999) });
  assert.equal(result.status, 0, result.stderr);
  const statement = statementOf<PromotionPredicate>(result.stdout);
  assert.equal(statement.predicate.promotion.promotedAt, "2026-05-06T07:08:09Z");
});

Deno.test("stella attest promotion: --promoted-at with an offset is recorded in UTC", async () => {
  const result = await runCli([...SAMPLE, "--promoted-at", "2025-01-31T14:05:00+01:00"], NO_ENV);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, FIXTURE);
});

Deno.test("stella attest promotion: a bad time source is exit 2 naming it", async () => {
  const bad = await runCli(SAMPLE, {
    env: (n) => (n === "SOURCE_DATE_EPOCH" ? "soon" : undefined),
  });
  assert.equal(bad.status, 2);
  assert.equal(
    bad.stderr,
    'stella: Cannot use SOURCE_DATE_EPOCH "soon": give whole seconds since 1970\n',
  );
  const flag = await runCli([...SAMPLE, "--promoted-at", "yesterday"], NO_ENV);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /^stella: Cannot parse --promoted-at "yesterday"/);
});

Deno.test("stella attest promotion: --out writes the envelope atomically, stdout stays empty", async () => {
  const dir = await tempDir();
  try {
    const result = await runCli([...SAMPLE, ...AT, "--out", `${dir}/p.dsse.json`], NO_ENV);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "");
    assert.equal(await Deno.readTextFile(`${dir}/p.dsse.json`), FIXTURE);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["p.dsse.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest promotion: a policy refusal is exit 1 naming every failing claim, and audited", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/policy.json`,
      JSON.stringify({
        requiredClaims: [
          { pointer: "/predicate/promotion/to", equals: "production" },
          { pointer: "/predicate/promotion/ticket", pattern: "CHG-[0-9-]+" },
          { pointer: "/predicateType", equals: "stella.ops/promotion@v1" },
        ],
      }),
    );
    const args = SAMPLE.filter((a, i) => a !== "--ticket" && SAMPLE[i - 1] !== "--ticket")
      .map((a) => (a === "production" ? "qa" : a));
    const result = await runCli([
      ...args,
      ...AT,
      "--policy",
      `${dir}/policy.json`,
      "--audit-log",
      `${dir}/audit.jsonl`,
      "--out",
      `${dir}/p.dsse.json`,
    ], NO_ENV);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      `stella: Cannot attest promotion of "${IMAGE}": policy "${dir}/policy.json" refuses it\n` +
        '  /predicate/promotion/to: CLAIM_MISMATCH: Change claim "/predicate/promotion/to": ' +
        'expected it to equal "production", found "qa"\n' +
        '  /predicate/promotion/ticket: CLAIM_MISSING: Add claim "/predicate/promotion/ticket": ' +
        "the policy requires it to match /^(?:CHG-[0-9-]+)$/\n",
    );
    // Nothing was signed or written; the refusal is audited.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "audit.jsonl",
      "policy.json",
    ]);
    const records = (await Deno.readTextFile(`${dir}/audit.jsonl`)).trimEnd().split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => [r.seq, r.refused]), [[1, [
      "CLAIM_MISMATCH",
      "CLAIM_MISSING",
    ]]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest promotion: the audit log records the signature", async () => {
  const dir = await tempDir();
  try {
    const args = [...SAMPLE, ...AT, "--audit-log", `${dir}/audit.jsonl`, "--actor", "release-bot"];
    const result = await runCli([...args, "--signed-at", "2025-01-31T13:05:01Z"], NO_ENV);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, FIXTURE);
    assert.equal((await verifyAuditLogFile(`${dir}/audit.jsonl`)).records, 1);
    const record = parseJson(await Deno.readFile(`${dir}/audit.jsonl`)) as Record<string, unknown>;
    assert.equal(record["actor"], "release-bot");
    assert.equal(record["time"], "2025-01-31T13:05:01Z");
    assert.deepEqual(record["subjects"], [
      "sha256:decb56f377c12c19ace2c5ba58250bae15cd5df8222871facfa4c122fbbe7fb4",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest promotion: invalid inputs are exit 1 naming each problem", async () => {
  const args = SAMPLE.map((a) => (a === IMAGE ? "registry.example/app:latest" : a))
    .map((a) => (a === "bob@stella-ops.local" ? "alice@stella-ops.local" : a));
  const result = await runCli([...args, "--promoted-at", "2025-01-31T13:05:00Z"], NO_ENV);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, "");
  const lines = result.stderr.split("\n");
  assert.equal(
    lines[0],
    'stella: Cannot attest promotion of "registry.example/app:latest": invalid input',
  );
  assert.match(lines[1]!, /^ {2}\/predicate\/image: IMAGE_REFERENCE_INVALID: Cannot parse image /);
  assert.match(
    lines[2]!,
    /^ {2}\/predicate\/promotion\/approvals\/1\/approver: APPROVER_DUPLICATE: /,
  );
  assert.equal(lines.length, 4);
});

Deno.test("stella attest promotion: a malformed Rekor proof is exit 1 naming the file", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, '{"logId":');
    const args = SAMPLE.map((
      a,
    ) => (a === `${ROOT}/fixtures/sample/rekor-proof.json` ? `${dir}/bad.json` : a));
    const malformed = await runCli([...args, ...AT], NO_ENV);
    assert.equal(malformed.status, 1);
    assert.match(
      malformed.stderr,
      /^stella: Cannot attest promotion of ".*": invalid Rekor proof: /,
    );
    assert.ok(malformed.stderr.includes(`${dir}/bad.json`), malformed.stderr);

    await Deno.writeTextFile(`${dir}/bad.json`, '{"logId":"00","logIndex":-1}');
    const invalid = await runCli([...args, ...AT], NO_ENV);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /\n {2}\/logId: HASH_INVALID: /);
    assert.match(invalid.stderr, /\n {2}\/logIndex: INTEGER_INVALID: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest promotion: a missing file is exit 2 naming it, nothing printed", async () => {
  const vex = SAMPLE.map((
    a,
  ) => (a === `${ROOT}/fixtures/sample/vex.openvex.json` ? "no/such/vex.json" : a));
  const result = await runCli([...vex, ...AT], NO_ENV);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    'stella: Cannot read "no/such/vex.json": no such file or directory\n',
  );
  const key = SAMPLE.map((a) => (a === KEY ? "no/such/key.pem" : a));
  const missingKey = await runCli([...key, ...AT], NO_ENV);
  assert.equal(missingKey.status, 2);
  assert.equal(
    missingKey.stderr,
    'stella: Cannot read "no/such/key.pem": no such file or directory\n',
  );
});

Deno.test("stella attest promotion: usage errors are exit 2 naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [
      SAMPLE.filter((a, i) => a !== "--from" && SAMPLE[i - 1] !== "--from"),
      /^stella: Missing --from/,
    ],
    [SAMPLE.filter((a, i) => a !== "--vex" && SAMPLE[i - 1] !== "--vex"), /^stella: Missing --vex/],
    [SAMPLE.filter((a, i) => a !== "--key" && SAMPLE[i - 1] !== "--key"), /^stella: Missing --key/],
    [
      SAMPLE.map((a) => (a === "allow" ? "maybe" : a)),
      /^stella: Unknown --policy-decision "maybe"/,
    ],
    [[...SAMPLE, "--frob"], /^stella: Unknown flag --frob; did you mean --from\?\n$/],
    [[...SAMPLE, "--actor", "x"], /^stella: --actor is recorded in the audit log/],
    [[...SAMPLE, "extra"], /^stella: Unexpected argument "extra"/],
    [
      SAMPLE.map((a) => (a === KEY ? `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem` : a)),
      /^stella: Cannot sign with ".*\.pub\.pem": it is a public key/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runCli([...args, ...AT], NO_ENV);
    assert.equal(result.status, 2, args.join(" "));
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
});

Deno.test("stella attest: --help describes both commands and their exit status", async () => {
  for (const command of ["promotion", "provenance"]) {
    const result = await runCli(["attest", command, "--help"]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, new RegExp(`^Usage: stella attest ${command} `));
    assert.match(result.stdout, /Exit status: 0 signed; 1 /);
  }
  const group = await runCli(["attest", "--help"]);
  assert.equal(group.status, 0);
  assert.match(group.stdout, /attest provenance/);
  assert.match(group.stdout, /attest promotion/);
});

Deno.test("stella attest provenance: signs subjects and files deterministically", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/external.json`, '{"target":"release","ref":"refs/tags/v2"}');
    await Deno.writeTextFile(`${dir}/internal.json`, '{"runner":"eu-1"}');
    await Deno.writeTextFile(`${dir}/app.tar`, "app bytes\n");
    const args = [
      "attest",
      "provenance",
      "--subject",
      `image=sha256:${"ab".repeat(32)}`,
      "--subject-file",
      `${dir}/app.tar`,
      "--build-type",
      "https://stella-ops.org/build-types/job/v1",
      "--builder-id",
      "https://stella-ops.org/builders/orchestrator@v1",
      "--builder-version",
      "orchestrator=1.4.2",
      "--external-parameters",
      `${dir}/external.json`,
      "--internal-parameters",
      `${dir}/internal.json`,
      "--resolved-dependency",
      `git+https://git.example/app@refs/tags/v2=gitCommit:${"cd".repeat(20)}`,
      "--invocation-id",
      "run-1/build-42",
      "--started-on",
      "2025-01-31T13:00:05+01:00",
      "--finished-on",
      "2025-01-31T12:17:30Z",
      "--key",
      `${ROOT}/fixtures/keys/test-only-ecdsa-p256.pem`,
    ];
    const a = await runCli(args, NO_ENV);
    assert.equal(a.status, 0, a.stderr);
    const b = await runCli(args, NO_ENV);
    assert.equal(a.stdout, b.stdout);
    const statement = statementOf<ProvenancePredicate>(a.stdout);
    assert.deepEqual(statement.subject.map((s) => s.name), ["image", "app.tar"]);
    assert.equal(
      statement.subject[1]?.digest?.sha256,
      encodeHex(sha256(encodeUtf8("app bytes\n"))),
    );
    assert.deepEqual(statement.predicate.runDetails, {
      builder: {
        id: "https://stella-ops.org/builders/orchestrator@v1",
        version: { orchestrator: "1.4.2" },
      },
      metadata: {
        invocationId: "run-1/build-42",
        startedOn: "2025-01-31T12:00:05Z",
        finishedOn: "2025-01-31T12:17:30Z",
      },
    });
    assert.deepEqual(statement.predicate.buildDefinition.internalParameters, { runner: "eu-1" });
    const verify = await runCli([
      "forensic",
      "verify",
      "--key",
      `${ROOT}/fixtures/keys/test-only-ecdsa-p256.pub.pem`,
      "--json",
      await writeTemp(dir, "p.dsse.json", a.stdout),
    ]);
    assert.equal(verify.status, 0, verify.stdout);
    assert.equal(
      (parseJson(verify.stdout) as { statement: { predicateType: string } }).statement
        .predicateType,
      "https://slsa.dev/provenance/v1",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest provenance: invalid inputs are exit 1, usage errors exit 2", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/array.json`, "[1]");
    await Deno.writeTextFile(`${dir}/empty.json`, "{}");
    const base = [
      "attest",
      "provenance",
      "--build-type",
      "https://example.com/bt/v1",
      "--builder-id",
      "https://example.com/builder",
      "--key",
      KEY,
    ];
    const notObject = await runCli([
      ...base,
      "--subject",
      `a=sha256:${"ab".repeat(32)}`,
      "--external-parameters",
      `${dir}/array.json`,
    ]);
    assert.equal(notObject.status, 1);
    assert.equal(
      notObject.stderr,
      `stella: Cannot attest provenance: invalid input\n` +
        `  (root): TYPE_MISMATCH: Give a JSON object\n`,
    );
    const invalid = await runCli([
      ...base,
      "--subject",
      "app.tar",
      "--subject",
      `b=sha512:${"ab".repeat(64)}`,
      "--external-parameters",
      `${dir}/empty.json`,
      "--started-on",
      "2025-01-02T00:00:00Z",
      "--finished-on",
      "2025-01-01T00:00:00Z",
    ]);
    assert.equal(invalid.status, 1);
    assert.deepEqual(
      invalid.stderr.split("\n").slice(1, -1).map((line) =>
        line.split(": ").slice(0, 2).join(": ")
      ),
      [
        "  /predicate/buildDefinition/externalParameters: EXTERNAL_PARAMS_REQUIRED",
        "  /predicate/runDetails/metadata/finishedOn: TIMES_OUT_OF_ORDER",
        "  /subject/0: SUBJECT_ARGUMENT_INVALID",
        "  /subject/1/digest/sha256: SUBJECT_SHA256_REQUIRED",
      ],
    );
    const usage: [string[], RegExp][] = [
      [[...base, "--external-parameters", `${dir}/empty.json`], /^stella: Missing --subject/],
      [[...base, "--subject", "a=sha256:00"], /^stella: Missing --external-parameters/],
      [
        [...base, "--subject", "a", "--external-parameters", `${dir}/none.json`],
        /^stella: Cannot read ".*none\.json": no such file or directory/,
      ],
      [
        [
          ...base,
          "--subject",
          "a",
          "--external-parameters",
          `${dir}/empty.json`,
          "--builder-version",
          "x",
        ],
        /^stella: Cannot parse --builder-version "x"/,
      ],
    ];
    for (const [args, message] of usage) {
      const result = await runCli(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella attest promotion: spawned runs in two time zones and locales give the fixture bytes", async () => {
  for (const env of [{ TZ: "UTC", LANG: "C" }, { TZ: "Asia/Kolkata", LANG: "de_DE.UTF-8" }]) {
    const result = await spawnCli([...SAMPLE, ...AT], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, FIXTURE);
  }
  const epoch = await spawnCli(SAMPLE, { TZ: "America/St_Johns", SOURCE_DATE_EPOCH: "1738328700" });
  assert.equal(epoch.stdout, FIXTURE);
});

Deno.test("deno task demo: signs the sample promotion and verifies it", async () => {
  const dir = await tempDir();
  try {
    let stdout = "";
    let stderr = "";
    const status = await demo(["--out", dir], {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
    });
    assert.equal(stderr, "");
    assert.equal(status, 0, stdout);
    assert.match(stdout, /identical to fixtures\/envelopes\/promotion\.dsse\.json: yes/);
    assert.match(stdout, /\nVerdict: VERIFIED\n$/);
    assert.equal(await Deno.readTextFile(`${dir}/promotion.dsse.json`), FIXTURE);
    const trust = parseJson(await Deno.readFile(`${dir}/trust.json`));
    assert.equal(canonicalize(trust) + "\n", await Deno.readTextFile(`${dir}/trust.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function writeTemp(dir: string, name: string, text: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/${name}`, text);
  return `${dir}/${name}`;
}
