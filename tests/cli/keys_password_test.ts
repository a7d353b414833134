// Issue 17 item 3: `keys generate --password-env VAR` writes an encrypted PKCS#8 key that OpenSSL
// reads; encrypted PKCS#8 keys made by OpenSSL are read with a password wherever a private key is
// read (sign, attest, keys id); a terminal prompt stands in for an unset variable; a wrong
// password is exit 2; `--out DIR/` writes DIR/stella.key.pem and DIR/stella.pub.pem. When openssl
// is not installed the interoperability tests are reported as ignored, with the reason in their
// name.
import assert from "node:assert/strict";
import { ROOT, runCli, withTempDir as withDir } from "./_io.ts";
import { importKeyPem } from "../../mod.ts";
import { OPENSSL, OPENSSL_IGNORED } from "../_openssl.ts";

const STATEMENT = `${ROOT}/fixtures/statements/promotion.statement.json`;
const INTOTO = "application/vnd.in-toto+json";

const SUFFIX = OPENSSL_IGNORED;

async function openssl(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await new Deno.Command("openssl", { args, env, stdout: "piped", stderr: "piped" })
    .output();
  if (!result.success) {
    throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return new TextDecoder().decode(result.stdout);
}

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

/** `stella keys generate --algorithm ALGORITHM --out OUT ...extra`. */
const generate = (
  algorithm: string,
  out: string,
  extra: string[] = [],
  overrides: Parameters<typeof runCli>[1] = {},
) => runCli(["keys", "generate", "--algorithm", algorithm, "--out", out, ...extra], overrides);

async function names(dir: string): Promise<string[]> {
  const list: string[] = [];
  for await (const entry of Deno.readDir(dir)) list.push(entry.name);
  return list.sort();
}

Deno.test("stella keys generate --out DIR/ (or an existing DIR) writes DIR/stella.key.pem and DIR/stella.pub.pem, never hidden files", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/a`);
    const slash = await generate("ed25519", `${dir}/a/`);
    assert.equal(slash.status, 0, slash.stderr);
    assert.deepEqual(await names(`${dir}/a`), ["stella.key.pem", "stella.pub.pem"]);
    const pub = importKeyPem(await Deno.readTextFile(`${dir}/a/stella.pub.pem`));
    assert.equal(slash.stdout, `${pub.keyid}\n`);

    await Deno.mkdir(`${dir}/b`);
    const bare = await generate("ecdsa-p256", `${dir}/b`);
    assert.equal(bare.status, 0, bare.stderr);
    assert.deepEqual(await names(`${dir}/b`), ["stella.key.pem", "stella.pub.pem"]);

    // A prefix that is not a directory keeps its meaning.
    const prefix = await generate("ed25519", `${dir}/k`);
    assert.equal(prefix.status, 0, prefix.stderr);
    assert.deepEqual(await names(dir), ["a", "b", "k.key.pem", "k.pub.pem"]);

    // A directory that does not exist is named in the error (exit 2).
    const missing = await generate("ed25519", `${dir}/none/`);
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      new RegExp(`^stella: Cannot write "${dir}/none/stella.key.pem": `),
    );
  });
});

Deno.test("stella keys generate --password-env writes an ENCRYPTED PRIVATE KEY that keys id, sign and attest read with the password", async () => {
  await withDir(async (dir) => {
    const env = envOf({ KEY_PW: "correct horse" });
    const made = await generate("ecdsa-p256", `${dir}/`, ["--password-env", "KEY_PW"], { env });
    assert.equal(made.status, 0, made.stderr);
    const pem = await Deno.readTextFile(`${dir}/stella.key.pem`);
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal((await Deno.stat(`${dir}/stella.key.pem`)).mode! & 0o777, 0o600);

    assert.deepEqual(
      await runCli(["keys", "id", "--password-env", "KEY_PW", `${dir}/stella.key.pem`], { env }),
      { status: 0, stdout: made.stdout, stderr: "" },
    );
    const signed = await runCli(
      [
        "sign",
        STATEMENT,
        "--payload-type",
        INTOTO,
        "--key",
        `${dir}/stella.key.pem`,
        "--password-env",
        "KEY_PW",
        "--out",
        `${dir}/s.dsse.json`,
      ],
      { env },
    );
    assert.equal(signed.status, 0, signed.stderr);
    const verified = await runCli([
      "forensic",
      "verify",
      `${dir}/s.dsse.json`,
      "--key",
      `${dir}/stella.pub.pem`,
      "--json",
    ]);
    assert.equal(verified.status, 0, verified.stdout);
    assert.equal(JSON.parse(verified.stdout).verified, true);
  });
});

Deno.test("stella keys generate --password-env: unset variable without a terminal, empty password, hmac are exit 2 with exact messages", async () => {
  await withDir(async (dir) => {
    const base = ["keys", "generate", "--algorithm", "ed25519", "--out", `${dir}/k`];
    assert.deepEqual(
      await runCli([...base, "--password-env", "NOPE"], { env: () => undefined }),
      {
        status: 2,
        stdout: "",
        stderr: `stella: Cannot encrypt "${dir}/k.key.pem": set the password in $NOPE\n`,
      },
    );
    assert.deepEqual(
      await runCli([...base, "--password-env", "EMPTY"], { env: envOf({ EMPTY: "" }) }),
      {
        status: 2,
        stdout: "",
        stderr: `stella: Cannot encrypt "${dir}/k.key.pem": the password is empty\n`,
      },
    );
    assert.deepEqual(
      await generate("hmac", `${dir}/m`, ["--password-env", "P"], { env: envOf({ P: "x" }) }),
      {
        status: 2,
        stdout: "",
        stderr:
          "stella: Cannot encrypt an hmac secret: it is written as raw bytes; omit --password-env\n",
      },
    );
    assert.deepEqual(await names(dir), []);
  });
});

Deno.test("stella keys generate / keys id prompt for the password when the variable is unset and stdin is a terminal", async () => {
  await withDir(async (dir) => {
    const prompts: string[] = [];
    const answers = ["tty-pass", "tty-pass"];
    const made = await generate("ed25519", `${dir}/k`, ["--password-env", "UNSET"], {
      env: () => undefined,
      promptPassword: (prompt) => {
        prompts.push(prompt);
        return Promise.resolve(answers.shift()!);
      },
    });
    assert.equal(made.status, 0, made.stderr);
    assert.deepEqual(prompts, [
      `Password for the new key "${dir}/k.key.pem": `,
      "Repeat the password: ",
    ]);
    const id = await runCli(["keys", "id", `${dir}/k.key.pem`], {
      env: () => undefined,
      promptPassword: (prompt) => {
        prompts.push(prompt);
        return Promise.resolve("tty-pass");
      },
    });
    assert.deepEqual(id, { status: 0, stdout: made.stdout, stderr: "" });
    assert.equal(prompts.at(-1), `Password for "${dir}/k.key.pem": `);

    const differ = ["one", "two"];
    assert.deepEqual(
      await generate("ed25519", `${dir}/j`, ["--password-env", "UNSET"], {
        env: () => undefined,
        promptPassword: () => Promise.resolve(differ.shift()!),
      }),
      {
        status: 2,
        stdout: "",
        stderr: `stella: Cannot encrypt "${dir}/j.key.pem": the two passwords differ\n`,
      },
    );
  });
});

Deno.test("stella keys id / sign with a wrong password for an encrypted PKCS#8 key is exit 2 naming the file, never the password", async () => {
  await withDir(async (dir) => {
    await generate("ed25519", `${dir}/k`, ["--password-env", "P"], { env: envOf({ P: "right" }) });
    const expected = {
      status: 2,
      stdout: "",
      stderr:
        `stella: Cannot decrypt key "${dir}/k.key.pem": wrong password or corrupted key file\n`,
    };
    const env = envOf({ P: "hunter2-wrong" });
    assert.deepEqual(
      await runCli(["keys", "id", "--password-env", "P", `${dir}/k.key.pem`], { env }),
      expected,
    );
    assert.deepEqual(
      await runCli(
        [
          "sign",
          STATEMENT,
          "--payload-type",
          INTOTO,
          "--key",
          `${dir}/k.key.pem`,
          "--password-env",
          "P",
        ],
        { env },
      ),
      expected,
    );
    assert.deepEqual(
      await runCli(["keys", "id", `${dir}/k.key.pem`], { env: () => undefined }),
      {
        status: 2,
        stdout: "",
        stderr: `stella: Cannot decrypt "${dir}/k.key.pem": set the password in $COSIGN_PASSWORD\n`,
      },
    );
  });
});

Deno.test({
  name:
    `stella keys generate --password-env: "openssl pkey -passin env:VAR" reads the key${SUFFIX}`,
  ignore: !OPENSSL,
  async fn() {
    await withDir(async (dir) => {
      const made = await generate("ed25519", `${dir}/`, ["--password-env", "KEY_PW"], {
        env: envOf({ KEY_PW: "correct horse" }),
      });
      assert.equal(made.status, 0, made.stderr);
      const pub = await openssl(
        ["pkey", "-in", `${dir}/stella.key.pem`, "-passin", "env:KEY_PW", "-pubout"],
        { KEY_PW: "correct horse" },
      );
      assert.equal(pub, await Deno.readTextFile(`${dir}/stella.pub.pem`));
    });
  },
});

for (
  const [title, make] of [
    [
      "openssl genpkey -aes-256-cbc (PBKDF2)",
      (dir: string) => [
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes-256-cbc",
        "-pass",
        "env:OSSL_PW",
        "-out",
        `${dir}/enc.pem`,
      ],
    ],
    [
      "openssl pkcs8 -topk8 -v2 aes-256-cbc -scrypt",
      (dir: string) => [
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-scrypt",
        "-in",
        `${dir}/plain.pem`,
        "-passout",
        "env:OSSL_PW",
        "-out",
        `${dir}/enc.pem`,
      ],
    ],
  ] as const
) {
  Deno.test({
    name: `stella keys id, sign and attest promotion read a key made by ${title}${SUFFIX}`,
    ignore: !OPENSSL,
    async fn() {
      await withDir(async (dir) => {
        const pw = { OSSL_PW: "from openssl" };
        await openssl(["genpkey", "-algorithm", "ed25519", "-out", `${dir}/plain.pem`]);
        await openssl(make(dir), pw);
        await openssl([
          "pkey",
          "-in",
          `${dir}/enc.pem`,
          "-passin",
          "env:OSSL_PW",
          "-pubout",
          "-out",
          `${dir}/pub.pem`,
        ], pw);
        const keyid = importKeyPem(await Deno.readTextFile(`${dir}/pub.pem`)).keyid;
        const env = envOf(pw);
        assert.deepEqual(
          await runCli(["keys", "id", "--password-env", "OSSL_PW", `${dir}/enc.pem`], { env }),
          { status: 0, stdout: `${keyid}\n`, stderr: "" },
        );
        const signed = await runCli(
          [
            "sign",
            STATEMENT,
            "--payload-type",
            INTOTO,
            "--key",
            `${dir}/enc.pem`,
            "--password-env",
            "OSSL_PW",
            "--out",
            `${dir}/s.json`,
          ],
          { env },
        );
        assert.equal(signed.status, 0, signed.stderr);
        await Deno.writeTextFile(
          `${dir}/sbom.json`,
          '{"bomFormat":"CycloneDX","specVersion":"1.6"}',
        );
        await Deno.writeTextFile(
          `${dir}/vex.json`,
          '{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1","author":"ops","timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[]}',
        );
        const attested = await runCli([
          "attest",
          "promotion",
          "--image",
          `registry.example/app:1.0@sha256:${"ab".repeat(32)}`,
          "--sbom",
          `${dir}/sbom.json`,
          "--vex",
          `${dir}/vex.json`,
          "--from",
          "staging",
          "--to",
          "prod",
          "--approver",
          "alice",
          "--promoted-at",
          "2026-01-01T00:00:00Z",
          "--key",
          `${dir}/enc.pem`,
          "--password-env",
          "OSSL_PW",
          "--out",
          `${dir}/p.json`,
        ], { env });
        assert.equal(attested.status, 0, attested.stderr);
        for (const file of ["s.json", "p.json"]) {
          const verified = await runCli([
            "forensic",
            "verify",
            `${dir}/${file}`,
            "--key",
            `${dir}/pub.pem`,
            "--json",
          ]);
          assert.equal(verified.status, 0, verified.stdout);
        }
      });
    },
  });
}
