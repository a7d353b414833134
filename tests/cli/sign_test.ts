import assert from "node:assert/strict";
import { constants, verify } from "node:crypto";
import { Buffer } from "node:buffer";
import canonicalizeModule from "canonicalize";
import { runCli, spawnCli } from "./_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

/** The npm reference implementation of RFC 8785 (independent of ours). */
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string;
const INTOTO = "application/vnd.in-toto+json";
const STATEMENT = new URL("../../fixtures/statements/job.statement.json", import.meta.url).pathname;
const COSIGN = vectorSet("cosign");
const SIGSTORE_KEY = COSIGN.path("keys/encrypted/pemsigstorekey.pem");

const OPENSSL = await (async () => {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false; // not installed: spawning throws NotFound
  }
})();
const NO_OPENSSL = OPENSSL ? "" : " (ignored: openssl is not on PATH)";

interface Envelope {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "stella-sign-" });
}

/** DSSE PAE built here from the spec, independently of the library. */
function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = new TextEncoder().encode(payloadType);
  const head = new TextEncoder().encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

async function generate(
  dir: string,
  algorithm: string,
  name = algorithm,
): Promise<{ keyid: string; key: string; pub: string }> {
  const extra = algorithm.startsWith("rsa") ? ["--bits", "2048"] : [];
  const result = await runCli([
    "keys",
    "generate",
    "--algorithm",
    algorithm,
    "--out",
    `${dir}/${name}`,
    ...extra,
  ]);
  assert.equal(result.status, 0, result.stderr);
  return {
    keyid: result.stdout.trim(),
    key: `${dir}/${name}.key.pem`,
    pub: `${dir}/${name}.pub.pem`,
  };
}

function parseOutput(stdout: string): Envelope {
  assert.ok(stdout.endsWith("}\n"), "one JSON document and one newline");
  const envelope = JSON.parse(stdout) as Envelope;
  assert.equal(canonicalize(envelope) + "\n", stdout, "RFC 8785 canonical JSON");
  return envelope;
}

const DETERMINISTIC = [
  { algorithm: "ed25519", hash: null },
  { algorithm: "ecdsa-p256", hash: "sha256" },
  { algorithm: "ecdsa-p384", hash: "sha384" },
] as const;

for (const { algorithm, hash } of DETERMINISTIC) {
  Deno.test(`stella sign (${algorithm}) prints a canonical envelope, byte-identical on every run, that node:crypto verifies`, async () => {
    const dir = await tempDir();
    try {
      const { keyid, key, pub } = await generate(dir, algorithm);
      const args = ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key];
      const first = await runCli(args);
      assert.equal(first.stderr, "");
      assert.equal(first.status, 0);
      const second = await runCli(args);
      assert.equal(second.stdout, first.stdout, "byte-identical");
      const envelope = parseOutput(first.stdout);
      const payload = Uint8Array.fromBase64(envelope.payload);
      assert.deepEqual(
        payload,
        await Deno.readFile(STATEMENT),
        "payload is the file's exact bytes",
      );
      assert.equal(envelope.payloadType, INTOTO);
      assert.equal(envelope.signatures.length, 1);
      assert.equal(envelope.signatures[0]!.keyid, keyid);
      const sig = Uint8Array.fromBase64(envelope.signatures[0]!.sig);
      const publicKey = await Deno.readTextFile(pub);
      const ok = hash === null
        ? verify(null, pae(INTOTO, payload), publicKey, sig)
        : verify(hash, pae(INTOTO, payload), { key: publicKey, dsaEncoding: "der" }, sig);
      assert.equal(ok, true);
      const other = await runCli(["sign", STATEMENT, "--payload-type", "text/plain", "--key", key]);
      assert.equal(other.status, 0);
      assert.notEqual(parseOutput(other.stdout).signatures[0]!.sig, envelope.signatures[0]!.sig);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test({
  name:
    `openssl verifies stella sign output over the PAE (Ed25519 pkeyutl, P-256 dgst)${NO_OPENSSL}`,
  ignore: !OPENSSL,
  async fn() {
    const dir = await tempDir();
    try {
      for (const algorithm of ["ed25519", "ecdsa-p256"]) {
        const { key, pub } = await generate(dir, algorithm);
        const result = await runCli(["sign", STATEMENT, "--payload-type", INTOTO, "--key", key]);
        const envelope = parseOutput(result.stdout);
        await Deno.writeFile(
          `${dir}/pae.bin`,
          pae(INTOTO, Uint8Array.fromBase64(envelope.payload)),
        );
        await Deno.writeFile(`${dir}/sig.bin`, Uint8Array.fromBase64(envelope.signatures[0]!.sig));
        const args = algorithm === "ed25519"
          ? [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub,
            "-rawin",
            "-in",
            `${dir}/pae.bin`,
            "-sigfile",
            `${dir}/sig.bin`,
          ]
          : ["dgst", "-sha256", "-verify", pub, "-signature", `${dir}/sig.bin`, `${dir}/pae.bin`];
        const output = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" })
          .output();
        assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
        assert.match(
          new TextDecoder().decode(output.stdout),
          /Verif(ied OK|ied Successfully|ication OK)/i,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("stella sign is byte-identical across processes under different TZ/LANG", async () => {
  const dir = await tempDir();
  try {
    const { key } = await generate(dir, "ecdsa-p256");
    const args = ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key];
    const a = await spawnCli(args, { TZ: "UTC", LANG: "C" });
    const b = await spawnCli(args, { TZ: "Pacific/Chatham", LANG: "tr_TR.UTF-8" });
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stdout, (await runCli(args)).stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign --out writes the same bytes atomically and prints nothing", async () => {
  const dir = await tempDir();
  try {
    const { key } = await generate(dir, "ed25519");
    const args = ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key];
    const printed = await runCli(args);
    const written = await runCli([...args, "--out", `${dir}/job.dsse.json`]);
    assert.deepEqual(written, { status: 0, stdout: "", stderr: "" });
    assert.equal(await Deno.readTextFile(`${dir}/job.dsse.json`), printed.stdout);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).filter((n) =>
        n.endsWith(".tmp")
      ),
      [],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign: HMAC secrets with --key-format hmac, RSA PKCS#1 v1.5 with --algorithm", async () => {
  const dir = await tempDir();
  try {
    const mac = await generate(dir, "hmac");
    const args = [
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      mac.key,
      "--key-format",
      "hmac",
    ];
    const first = await runCli(args);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, (await runCli(args)).stdout, "HMAC is deterministic");
    assert.equal(parseOutput(first.stdout).signatures[0]!.keyid, mac.keyid);
    const noFormat = await runCli(["sign", STATEMENT, "--payload-type", INTOTO, "--key", mac.key]);
    assert.deepEqual(noFormat, {
      status: 2,
      stdout: "",
      stderr:
        `stella: Cannot import key "${mac.key}": unrecognized key format (use PEM, JWK or DER; raw HMAC secrets need format hmac)\n`,
    });

    const rsa = await generate(dir, "rsa-pkcs1");
    const rsaArgs = [
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      rsa.key,
      "--algorithm",
      "rsa-pkcs1-sha256",
    ];
    const signed = await runCli(rsaArgs);
    assert.equal(signed.status, 0, signed.stderr);
    const envelope = parseOutput(signed.stdout);
    const ok = verify(
      "sha256",
      pae(INTOTO, Uint8Array.fromBase64(envelope.payload)),
      { key: await Deno.readTextFile(rsa.pub), padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(Uint8Array.fromBase64(envelope.signatures[0]!.sig)),
    );
    assert.equal(ok, true);
    assert.equal((await runCli(rsaArgs)).stdout, signed.stdout, "PKCS#1 v1.5 is deterministic");
    const mismatch = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      mac.key,
      "--key-format",
      "hmac",
      "--algorithm",
      "ed25519",
    ]);
    assert.deepEqual(mismatch, {
      status: 2,
      stdout: "",
      stderr: 'stella: Cannot sign with "ed25519" using a hmac key\n',
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

vectorTest(
  COSIGN,
  "stella sign with a cosign encrypted key: right password signs; wrong or unset password is exit 2",
  async () => {
    const ok = await runCli(["sign", STATEMENT, "--payload-type", INTOTO, "--key", SIGSTORE_KEY], {
      env: (n) => (n === "COSIGN_PASSWORD" ? "hello" : undefined),
    });
    assert.equal(ok.status, 0, ok.stderr);
    parseOutput(ok.stdout);
    const wrong = await runCli(
      ["sign", STATEMENT, "--payload-type", INTOTO, "--key", SIGSTORE_KEY],
      {
        env: (n) => (n === "COSIGN_PASSWORD" ? "not-the-password" : undefined),
      },
    );
    assert.deepEqual(wrong, {
      status: 2,
      stdout: "",
      stderr:
        `stella: Cannot decrypt key "${SIGSTORE_KEY}": wrong password or corrupted key file\n`,
    });
    const unset = await runCli(
      ["sign", STATEMENT, "--payload-type", INTOTO, "--key", SIGSTORE_KEY],
      {
        env: () => undefined,
      },
    );
    assert.deepEqual(unset, {
      status: 2,
      stdout: "",
      stderr: `stella: Cannot decrypt "${SIGSTORE_KEY}": set the password in $COSIGN_PASSWORD\n`,
    });
  },
);

Deno.test("stella sign rejects an in-toto payload that is not a valid Statement (exit 1, every problem named)", async () => {
  const dir = await tempDir();
  try {
    const { key } = await generate(dir, "ed25519");
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ _type: "https://in-toto.io/Statement/v1", subject: [] }),
    );
    const result = await runCli([
      "sign",
      `${dir}/bad.json`,
      "--payload-type",
      INTOTO,
      "--key",
      key,
    ]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    const lines = result.stderr.split("\n");
    assert.equal(
      lines[0],
      `stella: Cannot sign "${dir}/bad.json": it is not a valid in-toto Statement`,
    );
    assert.ok(lines.length >= 4, "one line per problem");
    assert.ok(lines.some((l) => l.startsWith("  /subject: ")), result.stderr);
    assert.ok(lines.some((l) => l.startsWith("  /predicateType: ")), result.stderr);

    await Deno.writeTextFile(`${dir}/dup.json`, '{"a":1,"a":2}');
    const dup = await runCli(["sign", `${dir}/dup.json`, "--payload-type", INTOTO, "--key", key]);
    assert.equal(dup.status, 1);
    assert.match(
      dup.stderr,
      new RegExp(
        `^stella: Cannot sign "${dir}/dup\\.json": it is not a valid in-toto Statement: .*duplicate key`,
      ),
    );

    const other = await runCli([
      "sign",
      `${dir}/dup.json`,
      "--payload-type",
      "application/octet-stream",
      "--key",
      key,
    ]);
    assert.equal(other.status, 0, "other payload types are signed as bytes");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign --policy refuses a statement missing claims (exit 1, every claim named, the refusal recorded)", async () => {
  const dir = await tempDir();
  try {
    const { key } = await generate(dir, "ed25519");
    await Deno.writeTextFile(
      `${dir}/policy.json`,
      JSON.stringify({
        requiredClaims: [
          { pointer: "/predicateType", equals: "https://slsa.dev/provenance/v1" },
          { pointer: "/predicate/runDetails/metadata/approver" },
          { pointer: "/predicate/buildDefinition/externalParameters/ticket", present: true },
        ],
      }),
    );
    const log = `${dir}/audit.jsonl`;
    const result = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      key,
      "--policy",
      `${dir}/policy.json`,
      "--audit-log",
      log,
    ]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.split(": ").slice(0, 2).join(": ")), [
      `stella: Cannot sign "${STATEMENT}"`,
      "  /predicate/runDetails/metadata/approver: CLAIM_MISSING",
      "  /predicate/buildDefinition/externalParameters/ticket: CLAIM_MISSING",
    ]);
    assert.equal(
      lines[0],
      `stella: Cannot sign "${STATEMENT}": policy "${dir}/policy.json" refuses it`,
    );
    const records = (await Deno.readTextFile(log)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(
      records.map((r) => [r.seq, r.refused]),
      [[1, ["CLAIM_MISSING", "CLAIM_MISSING"]]],
      "the refusal is audited, and nothing else",
    );

    await Deno.writeTextFile(
      `${dir}/ok.json`,
      JSON.stringify({
        requiredClaims: [{ pointer: "/predicateType", equals: "https://slsa.dev/provenance/v1" }],
      }),
    );
    const ok = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      key,
      "--policy",
      `${dir}/ok.json`,
    ]);
    assert.equal(ok.status, 0, ok.stderr);

    await Deno.writeTextFile(`${dir}/broken.json`, '{"requiredClaim":[]}');
    const broken = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      key,
      "--policy",
      `${dir}/broken.json`,
    ]);
    assert.equal(broken.status, 2);
    assert.match(
      broken.stderr,
      new RegExp(`^stella: Cannot parse policy "${dir}/broken\\.json": `),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign --audit-log appends one chained record per signature with actor and time", async () => {
  const dir = await tempDir();
  try {
    const { keyid, key } = await generate(dir, "ed25519");
    const log = `${dir}/audit.jsonl`;
    const base = ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key, "--audit-log", log];
    const first = await runCli([
      ...base,
      "--actor",
      "ci@example.com",
      "--signed-at",
      "2025-03-01T10:00:00+02:00",
    ]);
    assert.equal(first.status, 0, first.stderr);
    const second = await runCli(base, {
      now: () => Date.UTC(2025, 2, 1, 9, 0, 0),
      env: (n) => (n === "USER" ? "builder" : undefined),
    });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout, "the audit log does not change the envelope");
    assert.equal((await Deno.stat(log)).mode! & 0o777, 0o600);
    const lines = (await Deno.readTextFile(log)).split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[2], "");
    const records = lines.slice(0, 2).map((l) => JSON.parse(l));
    const payloadSha256 = new Uint8Array(
      await crypto.subtle.digest("SHA-256", await Deno.readFile(STATEMENT)),
    ).toHex();
    const subjects = JSON.parse(await Deno.readTextFile(STATEMENT)).subject.map(
      (s: { digest: { sha256: string } }) => `sha256:${s.digest.sha256}`,
    );
    const common = { algorithm: "ed25519", keyid, payloadSha256, payloadType: INTOTO, subjects };
    assert.deepEqual(records[0], {
      ...common,
      actor: "ci@example.com",
      prev: null,
      seq: 1,
      time: "2025-03-01T08:00:00Z",
    });
    const prev = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lines[0])),
    ).toHex();
    assert.deepEqual(records[1], {
      ...common,
      actor: "builder",
      prev,
      seq: 2,
      time: "2025-03-01T09:00:00Z",
    });
    const verified = await runCli(["audit", "verify", log]);
    assert.equal(verified.status, 0, verified.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign: an audit record that cannot be written is exit 2 and no envelope is produced", async () => {
  const dir = await tempDir();
  try {
    const { key } = await generate(dir, "ed25519");
    const out = `${dir}/out.dsse.json`;
    const base = ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key, "--out", out];
    const isDir = await runCli([...base, "--audit-log", dir]);
    assert.equal(isDir.status, 2);
    assert.equal(isDir.stdout, "");
    assert.match(
      isDir.stderr,
      new RegExp(
        `^stella: Cannot sign: audit record could not be written: Cannot append to audit log "${dir}": `,
      ),
    );
    const missingDir = await runCli([...base, "--audit-log", `${dir}/no/such/audit.jsonl`]);
    assert.deepEqual(missingDir, {
      status: 2,
      stdout: "",
      stderr:
        `stella: Cannot sign: audit record could not be written: Cannot append to audit log "${dir}/no/such/audit.jsonl": no such file or directory\n`,
    });
    await Deno.writeTextFile(`${dir}/corrupt.jsonl`, "this is not a record\n");
    const corrupt = await runCli([...base, "--audit-log", `${dir}/corrupt.jsonl`]);
    assert.equal(corrupt.status, 2);
    assert.match(
      corrupt.stderr,
      /Cannot append to audit log ".*corrupt\.jsonl": last complete record is malformed/,
    );
    assert.equal(
      await Deno.readTextFile(`${dir}/corrupt.jsonl`),
      "this is not a record\n",
      "log unchanged",
    );
    assert.equal(await Deno.stat(out).catch(() => undefined), undefined, "no envelope written");
    const toStdout = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      key,
      "--audit-log",
      dir,
    ]);
    assert.equal(toStdout.status, 2);
    assert.equal(toStdout.stdout, "", "no envelope printed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella sign: public key, missing files and bad flags are exit 2 with exact messages", async () => {
  const dir = await tempDir();
  try {
    const { key, pub } = await generate(dir, "ecdsa-p256");
    const cases: [string[], string][] = [
      [
        ["sign", STATEMENT, "--payload-type", INTOTO, "--key", pub],
        `stella: Cannot sign with "${pub}": it is a public key; pass the private key\n`,
      ],
      [
        ["sign", STATEMENT, "--payload-type", INTOTO, "--key", `${dir}/none.pem`],
        `stella: Cannot read "${dir}/none.pem": no such file or directory\n`,
      ],
      [
        ["sign", `${dir}/none.json`, "--payload-type", INTOTO, "--key", key],
        `stella: Cannot read "${dir}/none.json": no such file or directory\n`,
      ],
      [
        [
          "sign",
          STATEMENT,
          "--payload-type",
          INTOTO,
          "--key",
          key,
          "--policy",
          `${dir}/none.policy.json`,
        ],
        `stella: Cannot read "${dir}/none.policy.json": no such file or directory\n`,
      ],
      [["sign", STATEMENT, "--key", key], `stella: Missing --payload-type, e.g. ${INTOTO}\n`],
      [
        ["sign", STATEMENT, "--payload-type", INTOTO],
        "stella: Missing --key: the private key file\n",
      ],
      [
        ["sign", "--payload-type", INTOTO, "--key", key],
        "stella: Missing FILE: the payload file to sign\n",
      ],
      [
        ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key, "--actor", "me"],
        "stella: --actor is recorded in the audit log: pass --audit-log too\n",
      ],
      [
        [
          "sign",
          STATEMENT,
          "--payload-type",
          INTOTO,
          "--key",
          key,
          "--audit-log",
          `${dir}/a.jsonl`,
          "--signed-at",
          "now",
        ],
        'stella: Cannot parse --signed-at "now": use an RFC 3339 time such as 2026-01-01T00:00:00Z\n',
      ],
      [
        ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key, "--algorithm", "rsa-sha1"],
        'stella: Unknown --algorithm "rsa-sha1": use one of ed25519, ecdsa-p256-sha256, ecdsa-p384-sha384, rsa-pss-sha256, rsa-pkcs1-sha256, hmac-sha256\n',
      ],
      [
        ["sign", STATEMENT, "--payload-type", INTOTO, "--key", key, "--key-format", "ssh"],
        'stella: Unknown --key-format "ssh": use one of auto, pem, jwk, der, hmac\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      assert.deepEqual(await runCli(args, { env: () => undefined }), {
        status: 2,
        stdout: "",
        stderr,
      }, args.join(" "));
    }
    assert.equal(await Deno.stat(`${dir}/a.jsonl`).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
