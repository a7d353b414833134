// Issue 17 item 7: `stella trust init --key PUB... [--threshold N] [--predicate-type T]
// [--out trust.json]` writes a canonical starting trust.json that validates against
// docs/schemas/trust-policy.schema.json, loads, and verifies envelopes with forensic verify.
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import { ROOT, runCli } from "./_io.ts";
import { canonicalize, importKeyPem, parseJson } from "../../mod.ts";
import { parseTrustPolicy } from "../../lib/verify/mod.ts";

const STATEMENT = `${ROOT}/fixtures/statements/promotion.statement.json`;
const INTOTO = "application/vnd.in-toto+json";
const schemaAccepts = new Ajv2020({ strict: true, allErrors: true }).compile(
  parseJson(await Deno.readFile(`${ROOT}/docs/schemas/trust-policy.schema.json`)) as object,
);

async function withKeys(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stella-trust-" });
  try {
    for (const [name, algorithm] of [["a", "ed25519"], ["b", "ecdsa-p256"]]) {
      const made = await runCli([
        "keys",
        "generate",
        "--algorithm",
        algorithm!,
        "--out",
        `${dir}/${name}`,
      ]);
      assert.equal(made.status, 0, made.stderr);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sign(dir: string, key: string, out: string): Promise<void> {
  const result = await runCli([
    "sign",
    STATEMENT,
    "--payload-type",
    INTOTO,
    "--key",
    `${dir}/${key}.key.pem`,
    "--out",
    `${dir}/${out}`,
  ]);
  assert.equal(result.status, 0, result.stderr);
}

Deno.test("stella trust init prints a canonical trust.json that validates against the schema and loads", async () => {
  await withKeys(async (dir) => {
    const result = await runCli([
      "trust",
      "init",
      "--key",
      `${dir}/a.pub.pem`,
      "--key",
      `${dir}/b.pub.pem`,
      "--threshold",
      "2",
      "--predicate-type",
      "https://in-toto.io/Statement/v1",
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    const doc = parseJson(result.stdout.trimEnd());
    assert.equal(result.stdout, canonicalize(doc) + "\n");
    assert.equal(schemaAccepts(doc), true, JSON.stringify(schemaAccepts.errors));
    const policy = parseTrustPolicy(result.stdout);
    const a = importKeyPem(await Deno.readTextFile(`${dir}/a.pub.pem`));
    const b = importKeyPem(await Deno.readTextFile(`${dir}/b.pub.pem`));
    assert.deepEqual(policy, {
      allowedPredicateTypes: ["https://in-toto.io/Statement/v1"],
      keys: [
        {
          keyid: a.keyid,
          name: "a.pub.pem",
          publicKey: await Deno.readTextFile(`${dir}/a.pub.pem`),
        },
        {
          keyid: b.keyid,
          name: "b.pub.pem",
          publicKey: await Deno.readTextFile(`${dir}/b.pub.pem`),
        },
      ],
      threshold: 2,
      version: 1,
    });
  });
});

Deno.test("stella trust init --out writes the file that forensic verify --trust uses (threshold 2 needs both keys)", async () => {
  await withKeys(async (dir) => {
    const written = await runCli([
      "trust",
      "init",
      "--key",
      `${dir}/a.pub.pem`,
      "--key",
      `${dir}/b.pub.pem`,
      "--threshold",
      "2",
      "--out",
      `${dir}/trust.json`,
    ]);
    assert.deepEqual(written, { status: 0, stdout: "", stderr: "" });
    const text = await Deno.readTextFile(`${dir}/trust.json`);
    const json = await runCli([
      "trust",
      "init",
      "--key",
      `${dir}/a.pub.pem`,
      "--key",
      `${dir}/b.pub.pem`,
      "--threshold",
      "2",
      "--out",
      `${dir}/trust2.json`,
      "--json",
    ]);
    assert.deepEqual(json, { status: 0, stdout: text, stderr: "" });

    await sign(dir, "a", "one.dsse.json");
    const one = await runCli([
      "forensic",
      "verify",
      `${dir}/one.dsse.json`,
      "--trust",
      `${dir}/trust.json`,
      "--json",
    ]);
    assert.equal(one.status, 1);
    assert.equal(JSON.parse(one.stdout).code, "THRESHOLD_NOT_MET");

    const single = await runCli([
      "trust",
      "init",
      "--key",
      `${dir}/a.pub.pem`,
      "--predicate-type",
      "stella.ops/promotion@v1",
      "--out",
      `${dir}/single.json`,
    ]);
    assert.equal(single.status, 0, single.stderr);
    const ok = await runCli([
      "forensic",
      "verify",
      `${dir}/one.dsse.json`,
      "--trust",
      `${dir}/single.json`,
      "--json",
    ]);
    assert.equal(ok.status, 0, ok.stdout);
    assert.equal(JSON.parse(ok.stdout).verified, true);
  });
});

Deno.test("stella trust init: usage errors are exit 2 with exact messages, nothing written", async () => {
  await withKeys(async (dir) => {
    await Deno.writeTextFile(`${dir}/exists.json`, "{}");
    const cases: [string[], string][] = [
      [[], "stella: Missing --key PUB: the public key file(s) to trust\n"],
      [
        ["--key", `${dir}/a.key.pem`],
        `stella: Cannot trust "${dir}/a.key.pem": it is a private key; pass the public key (the .pub.pem file)\n`,
      ],
      [
        ["--key", `${dir}/a.pub.pem`, "--key", `${dir}/a.pub.pem`],
        "stella: Cannot list the same public key twice: a.pub.pem and a.pub.pem\n",
      ],
      [
        ["--key", `${dir}/a.pub.pem`, "--key", `${dir}/b.pub.pem`, "--threshold", "3"],
        "stella: Cannot require 3 signatures from 2 keys: use a threshold from 1 to 2\n",
      ],
      [
        ["--key", `${dir}/a.pub.pem`, "--threshold", "0"],
        'stella: Cannot parse --threshold "0": use a whole number from 1 to 999999\n',
      ],
      [
        ["--key", `${dir}/a.pub.pem`, "--out", `${dir}/exists.json`],
        `stella: Refusing to overwrite "${dir}/exists.json": it exists (pass --force)\n`,
      ],
      [
        ["--key", `${dir}/missing.pem`],
        `stella: Cannot read "${dir}/missing.pem": no such file or directory\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(["trust", "init", ...args]);
      assert.equal(result.status, 2, args.join(" "));
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, stderr);
    }
    assert.equal(await Deno.readTextFile(`${dir}/exists.json`), "{}");
    const forced = await runCli([
      "trust",
      "init",
      "--key",
      `${dir}/a.pub.pem`,
      "--out",
      `${dir}/exists.json`,
      "--force",
    ]);
    assert.equal(forced.status, 0, forced.stderr);
    parseTrustPolicy(await Deno.readFile(`${dir}/exists.json`));
  });
});

Deno.test("stella trust --help lists init; stella trust init --help documents every flag", async () => {
  const group = await runCli(["trust", "--help"]);
  assert.equal(group.status, 0);
  assert.match(group.stdout, /\n {2}trust init +Write a starting trust policy/);
  const help = await runCli(["trust", "init", "--help"]);
  assert.equal(help.status, 0);
  for (const flag of ["--key", "--threshold", "--predicate-type", "--out", "--force", "--json"]) {
    assert.match(help.stdout, new RegExp(`\\n {2}${flag} `), flag);
  }
});
