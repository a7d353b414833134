import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const COSIGN = vectorSet("cosign");
const SIGSTORE_KEY = COSIGN.path("keys/encrypted/pemsigstorekey.pem");

/** `openssl` on PATH? The cross-checks below are ignored (visibly, with the reason) without it. */
const OPENSSL = await (async () => {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false; // not installed: spawning throws NotFound
  }
})();
const NO_OPENSSL = OPENSSL ? "" : " (ignored: openssl is not on PATH)";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "stella-keys-" });
}

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----\\n([A-Za-z0-9+/=\\n]+)-----END ${label}-----`)
    .exec(pem);
  assert.ok(match, `expected a ${label} PEM block`);
  return Uint8Array.fromBase64(match[1]!.replaceAll("\n", ""));
}

/** Key id computed independently of the library: hex SHA-256 of the SPKI DER. */
async function spkiKeyId(pem: string): Promise<string> {
  const der = pemBody(pem, "PUBLIC KEY");
  return new Uint8Array(await crypto.subtle.digest("SHA-256", der)).toHex();
}

/** HMAC key id computed independently: hex HMAC-SHA256(secret, "stellaops/hmac-keyid/v1"). */
async function hmacKeyId(secret: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    secret,
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode("stellaops/hmac-keyid/v1"),
  );
  return new Uint8Array(mac).toHex();
}

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

const ASYMMETRIC = [
  { algorithm: "ed25519", extra: [] },
  { algorithm: "ecdsa-p256", extra: [] },
  { algorithm: "ecdsa-p384", extra: [] },
  { algorithm: "rsa-pss", extra: ["--bits", "2048"] },
  { algorithm: "rsa-pkcs1", extra: ["--bits", "2048"] },
] as const;

for (const { algorithm, extra } of ASYMMETRIC) {
  Deno.test(`stella keys generate --algorithm ${algorithm} writes PKCS#8 (0600) and SPKI PEM and prints the key id`, async () => {
    const dir = await tempDir();
    try {
      const prefix = `${dir}/signing`;
      const result = await runCli([
        "keys",
        "generate",
        "--algorithm",
        algorithm,
        "--out",
        prefix,
        ...extra,
      ]);
      assert.equal(result.stderr, "");
      assert.equal(result.status, 0);
      assert.match(result.stdout, /^[0-9a-f]{64}\n$/);
      const keyid = result.stdout.trim();
      const privatePem = await Deno.readTextFile(`${prefix}.key.pem`);
      const publicPem = await Deno.readTextFile(`${prefix}.pub.pem`);
      assert.match(
        privatePem,
        /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
      );
      assert.match(
        publicPem,
        /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/,
      );
      assert.equal(await mode(`${prefix}.key.pem`), 0o600);
      assert.equal(await mode(`${prefix}.pub.pem`), 0o644);
      assert.equal(keyid, await spkiKeyId(publicPem));
      for (const file of [`${prefix}.key.pem`, `${prefix}.pub.pem`]) {
        assert.deepEqual(await runCli(["keys", "id", file]), {
          status: 0,
          stdout: `${keyid}\n`,
          stderr: "",
        });
      }
      assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
        "signing.key.pem",
        "signing.pub.pem",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const { algorithm, extra } of ASYMMETRIC) {
  Deno.test({
    name:
      `openssl pkey -pubout of the ${algorithm} PREFIX.key.pem equals PREFIX.pub.pem${NO_OPENSSL}`,
    ignore: !OPENSSL,
    async fn() {
      const dir = await tempDir();
      try {
        const prefix = `${dir}/k`;
        const result = await runCli([
          "keys",
          "generate",
          "--algorithm",
          algorithm,
          "--out",
          prefix,
          ...extra,
        ]);
        assert.equal(result.status, 0);
        const output = await new Deno.Command("openssl", {
          args: ["pkey", "-in", `${prefix}.key.pem`, "-pubout"],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.equal(new TextDecoder().decode(output.stderr), "");
        assert.equal(output.code, 0);
        assert.equal(
          new TextDecoder().decode(output.stdout),
          await Deno.readTextFile(`${prefix}.pub.pem`),
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test("stella keys generate --algorithm hmac writes the raw 32-byte secret (0600) and no public key", async () => {
  const dir = await tempDir();
  try {
    const result = await runCli(["keys", "generate", "--algorithm", "hmac", "--out", `${dir}/mac`]);
    assert.equal(result.status, 0);
    const secret = await Deno.readFile(`${dir}/mac.key.pem`);
    assert.equal(secret.length, 32);
    assert.equal(await mode(`${dir}/mac.key.pem`), 0o600);
    assert.equal(result.stdout, `${await hmacKeyId(secret)}\n`);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
      "mac.key.pem",
    ]);
    assert.deepEqual(await runCli(["keys", "id", "--format", "hmac", `${dir}/mac.key.pem`]), {
      status: 0,
      stdout: result.stdout,
      stderr: "",
    });
    const bits = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "hmac",
      "--bits",
      "512",
      "--out",
      `${dir}/big`,
    ]);
    assert.equal(bits.status, 0);
    assert.equal((await Deno.readFile(`${dir}/big.key.pem`)).length, 64);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys generate refuses to overwrite either file without --force (exit 2, file named)", async () => {
  const dir = await tempDir();
  try {
    const prefix = `${dir}/k`;
    const first = await runCli(["keys", "generate", "--algorithm", "ed25519", "--out", prefix]);
    assert.equal(first.status, 0);
    const before = await Deno.readTextFile(`${prefix}.key.pem`);
    const again = await runCli(["keys", "generate", "--algorithm", "ed25519", "--out", prefix]);
    assert.deepEqual(again, {
      status: 2,
      stdout: "",
      stderr: `stella: Refusing to overwrite "${prefix}.key.pem": it exists (pass --force)\n`,
    });
    assert.equal(await Deno.readTextFile(`${prefix}.key.pem`), before);

    await Deno.remove(`${prefix}.key.pem`);
    const pubOnly = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "ecdsa-p256",
      "--out",
      prefix,
    ]);
    assert.deepEqual(pubOnly, {
      status: 2,
      stdout: "",
      stderr: `stella: Refusing to overwrite "${prefix}.pub.pem": it exists (pass --force)\n`,
    });
    assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 1, "nothing written");

    const forced = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "ecdsa-p256",
      "--out",
      prefix,
      "--force",
    ]);
    assert.equal(forced.status, 0);
    assert.notEqual(forced.stdout, first.stdout);
    assert.equal(
      forced.stdout.trim(),
      await spkiKeyId(await Deno.readTextFile(`${prefix}.pub.pem`)),
    );
    assert.equal(await mode(`${prefix}.key.pem`), 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys generate rejects bad usage with exit 2 and an exact message", async () => {
  const dir = await tempDir();
  try {
    const cases: [string[], string][] = [
      [
        ["--algorithm", "dsa", "--out", `${dir}/k`],
        'stella: Unknown --algorithm "dsa": use one of ed25519, ecdsa-p256, ecdsa-p384, rsa-pss, rsa-pkcs1, hmac\n',
      ],
      [
        ["--out", `${dir}/k`],
        "stella: Missing --algorithm: use one of ed25519, ecdsa-p256, ecdsa-p384, rsa-pss, rsa-pkcs1, hmac\n",
      ],
      [
        ["--algorithm", "ed25519"],
        "stella: Missing --out PREFIX: the path prefix of the key files to write\n",
      ],
      [
        ["--algorithm", "rsa-pss", "--bits", "1024", "--out", `${dir}/k`],
        "stella: Cannot generate an RSA key of 1024 bits: use a multiple of 8 from 2048 to 4096\n",
      ],
      [
        ["--algorithm", "rsa-pss", "--bits", "lots", "--out", `${dir}/k`],
        'stella: Cannot parse --bits "lots": use a whole number from 1 to 999999\n',
      ],
      [
        ["--algorithm", "ed25519", "--out", `${dir}/k`, "extra"],
        'stella: Unexpected argument "extra"\n',
      ],
      [
        ["--algorithm", "ed25519", "--out", `${dir}/no/such/dir/k`],
        `stella: Cannot write "${dir}/no/such/dir/k.key.pem": no such file or directory\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      assert.deepEqual(await runCli(["keys", "generate", ...args]), {
        status: 2,
        stdout: "",
        stderr,
      }, args.join(" "));
    }
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), [], "no file written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys id reads DER and JWK forms of the same key to the same id", async () => {
  const dir = await tempDir();
  try {
    const generated = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "ed25519",
      "--out",
      `${dir}/k`,
    ]);
    const spki = pemBody(await Deno.readTextFile(`${dir}/k.pub.pem`), "PUBLIC KEY");
    await Deno.writeFile(`${dir}/k.pub.der`, spki);
    const x = spki.subarray(12).toBase64({ alphabet: "base64url", omitPadding: true });
    await Deno.writeTextFile(`${dir}/k.jwk`, JSON.stringify({ kty: "OKP", crv: "Ed25519", x }));
    for (const file of ["k.pub.der", "k.jwk"]) {
      assert.deepEqual(await runCli(["keys", "id", `${dir}/${file}`]), {
        status: 0,
        stdout: generated.stdout,
        stderr: "",
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

vectorTest(
  COSIGN,
  "stella keys id decrypts a cosign key with the password from $COSIGN_PASSWORD",
  async () => {
    const manifest = await COSIGN.readJson("keys/manifest.json");
    const entry = manifest.encryptedCases.find((c: { file: string }) =>
      c.file === "encrypted/pemsigstorekey.pem"
    );
    const expected = await spkiKeyId(entry.publicKeyPem_derived);
    assert.deepEqual(
      await runCli(["keys", "id", SIGSTORE_KEY], {
        env: (n) => (n === "COSIGN_PASSWORD" ? "hello" : undefined),
      }),
      {
        status: 0,
        stdout: `${expected}\n`,
        stderr: "",
      },
    );
    assert.deepEqual(
      await runCli(["keys", "id", "--password-env", "MY_PASS", SIGSTORE_KEY], {
        env: (n) => (n === "MY_PASS" ? "hello" : n === "COSIGN_PASSWORD" ? "wrong" : undefined),
      }),
      { status: 0, stdout: `${expected}\n`, stderr: "" },
    );
  },
);

vectorTest(
  COSIGN,
  "stella keys id with a wrong password is exit 2 naming the file, never the password",
  async () => {
    const result = await runCli(["keys", "id", SIGSTORE_KEY], {
      env: (n) => (n === "COSIGN_PASSWORD" ? "hunter2-wrong" : undefined),
    });
    assert.deepEqual(result, {
      status: 2,
      stdout: "",
      stderr:
        `stella: Cannot decrypt key "${SIGSTORE_KEY}": wrong password or corrupted key file\n`,
    });
    assert.doesNotMatch(result.stderr, /hunter2/);
  },
);

vectorTest(
  COSIGN,
  "stella keys id: an unset password variable is exit 2 naming the variable",
  async () => {
    assert.deepEqual(await runCli(["keys", "id", SIGSTORE_KEY], { env: () => undefined }), {
      status: 2,
      stdout: "",
      stderr: `stella: Cannot decrypt "${SIGSTORE_KEY}": set the password in $COSIGN_PASSWORD\n`,
    });
    assert.deepEqual(
      await runCli(["keys", "id", "--password-env", "P", SIGSTORE_KEY], { env: () => undefined }),
      {
        status: 2,
        stdout: "",
        stderr: `stella: Cannot decrypt "${SIGSTORE_KEY}": set the password in $P\n`,
      },
    );
  },
);

Deno.test("stella keys id: missing file and bad flags are exit 2", async () => {
  assert.deepEqual(await runCli(["keys", "id", "no/such/key.pem"]), {
    status: 2,
    stdout: "",
    stderr: 'stella: Cannot read "no/such/key.pem": no such file or directory\n',
  });
  const key = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
  assert.deepEqual(await runCli(["keys", "id", "--format", "ssh", key]), {
    status: 2,
    stdout: "",
    stderr: 'stella: Unknown --format "ssh": use one of auto, pem, jwk, der, hmac\n',
  });
  assert.deepEqual(await runCli(["keys", "id"]), {
    status: 2,
    stdout: "",
    stderr: "stella: Missing FILE: the key file\n",
  });
});

Deno.test("stella keys id on a file that is not a key is exit 1 naming the file", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/notes.txt`, "not a key\n");
    assert.deepEqual(await runCli(["keys", "id", `${dir}/notes.txt`]), {
      status: 1,
      stdout: "",
      stderr:
        `stella: Cannot import key "${dir}/notes.txt": unrecognized key format (use PEM, JWK or DER; raw HMAC secrets need format hmac)\n`,
    });
    await Deno.writeFile(`${dir}/short.bin`, new Uint8Array(8));
    const short = await runCli(["keys", "id", "--format", "hmac", `${dir}/short.bin`]);
    assert.equal(short.status, 1);
    assert.match(short.stderr, new RegExp(`^stella: .*"${dir}/short\\.bin"`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------
// keys rotate

const T0 = "2025-01-01T00:00:00Z";
const T1 = "2025-02-01T00:00:00Z";

Deno.test("stella keys rotate adds the new key, retires the old one after --overlap and prints the new id", async () => {
  const dir = await tempDir();
  try {
    const ring = `${dir}/ring.json`;
    await Deno.writeTextFile(ring, '{"keys":[]}\n');
    const k1 = (await runCli(["keys", "generate", "--algorithm", "ed25519", "--out", `${dir}/k1`]))
      .stdout.trim();
    const k2 =
      (await runCli(["keys", "generate", "--algorithm", "ecdsa-p256", "--out", `${dir}/k2`])).stdout
        .trim();
    const first = await runCli([
      "keys",
      "rotate",
      "--ring",
      ring,
      "--key",
      `${dir}/k1.key.pem`,
      "--at",
      T0,
    ]);
    assert.deepEqual(first, { status: 0, stdout: `${k1}\n`, stderr: "" });
    const second = await runCli([
      "keys",
      "rotate",
      "--ring",
      ring,
      "--key",
      `${dir}/k2.pub.pem`,
      "--at",
      "2025-02-01T01:00:00+01:00",
      "--overlap",
      "24h",
    ]);
    assert.deepEqual(second, { status: 0, stdout: `${k2}\n`, stderr: "" });
    const text = await Deno.readTextFile(ring);
    const pub1 = await Deno.readTextFile(`${dir}/k1.pub.pem`);
    const pub2 = await Deno.readTextFile(`${dir}/k2.pub.pem`);
    const expected = {
      keys: [
        {
          algorithm: "ed25519",
          keyid: k1,
          publicKey: pub1,
          status: "retired",
          validFrom: T0,
          validUntil: "2025-02-02T00:00:00Z",
        },
        {
          algorithm: "ecdsa-p256-sha256",
          keyid: k2,
          publicKey: pub2,
          status: "active",
          validFrom: T1,
        },
      ],
    };
    assert.deepEqual(JSON.parse(text), expected);
    assert.ok(text.endsWith("}\n"));
    assert.equal(text, JSON.stringify(expected) + "\n", "canonical JSON (keys already sorted)");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys rotate --out leaves the ring untouched; --at defaults to the clock", async () => {
  const dir = await tempDir();
  try {
    const ring = `${dir}/ring.json`;
    await Deno.writeTextFile(ring, '{"keys":[]}');
    const k1 =
      (await runCli(["keys", "generate", "--algorithm", "ed25519", "--out", `${dir}/k1`])).stdout;
    const result = await runCli([
      "keys",
      "rotate",
      "--ring",
      ring,
      "--key",
      `${dir}/k1.key.pem`,
      "--out",
      `${dir}/next.json`,
    ], {
      now: () => Date.UTC(2025, 5, 1, 12, 30, 0, 250),
    });
    assert.deepEqual(result, { status: 0, stdout: k1, stderr: "" });
    assert.equal(await Deno.readTextFile(ring), '{"keys":[]}');
    const next = JSON.parse(await Deno.readTextFile(`${dir}/next.json`));
    assert.equal(next.keys[0].validFrom, "2025-06-01T12:30:00.25Z");
    assert.equal(next.keys[0].status, "active");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys rotate: malformed ring is exit 1; duplicate key, HMAC key and bad flags are exit 2", async () => {
  const dir = await tempDir();
  try {
    const ring = `${dir}/ring.json`;
    await Deno.writeTextFile(ring, '{"keys":[]}');
    await runCli(["keys", "generate", "--algorithm", "ed25519", "--out", `${dir}/k`]);
    await runCli(["keys", "generate", "--algorithm", "hmac", "--out", `${dir}/mac`]);
    const key = `${dir}/k.key.pem`;
    assert.equal(
      (await runCli(["keys", "rotate", "--ring", ring, "--key", key, "--at", T0])).status,
      0,
    );
    const ringText = await Deno.readTextFile(ring);
    const keyid = JSON.parse(ringText).keys[0].keyid;

    assert.deepEqual(await runCli(["keys", "rotate", "--ring", ring, "--key", key, "--at", T1]), {
      status: 2,
      stdout: "",
      stderr: `stella: Cannot rotate to key "${keyid}": it is already in the ring\n`,
    });
    assert.deepEqual(
      await runCli(["keys", "rotate", "--ring", ring, "--key", `${dir}/mac.key.pem`, "--at", T1]),
      {
        status: 2,
        stdout: "",
        stderr:
          `stella: Cannot import key "${dir}/mac.key.pem": unrecognized key format (use PEM, JWK or DER; raw HMAC secrets need format hmac)\n`,
      },
    );
    assert.deepEqual(
      await runCli(["keys", "rotate", "--ring", ring, "--key", key, "--overlap", "1 week"]),
      {
        status: 2,
        stdout: "",
        stderr:
          'stella: Cannot parse --overlap "1 week": use a duration such as 30s, 5m, 24h or 1d\n',
      },
    );
    assert.deepEqual(
      await runCli(["keys", "rotate", "--ring", ring, "--key", key, "--at", "yesterday"]),
      {
        status: 2,
        stdout: "",
        stderr:
          'stella: Cannot parse --at "yesterday": use an RFC 3339 time such as 2026-01-01T00:00:00Z\n',
      },
    );
    assert.deepEqual(await runCli(["keys", "rotate", "--key", key]), {
      status: 2,
      stdout: "",
      stderr: "stella: Missing --ring: the key ring file\n",
    });
    assert.equal(await Deno.readTextFile(ring), ringText, "ring unchanged by failed rotations");

    await Deno.writeTextFile(`${dir}/bad.json`, '{"keys":[{"keyid":"x"}]}');
    const bad = await runCli([
      "keys",
      "rotate",
      "--ring",
      `${dir}/bad.json`,
      "--key",
      key,
      "--at",
      T1,
    ]);
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, "");
    assert.match(
      bad.stderr,
      new RegExp(`^stella: Cannot parse key ring "${dir}/bad\\.json": /keys/0/algorithm: `),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella keys --help lists generate, id and rotate; stella keys alone is exit 2", async () => {
  const help = await runCli(["keys", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: stella keys <command>/);
  for (const name of ["keys generate", "keys id", "keys rotate"]) {
    assert.ok(help.stdout.includes(`  ${name}`), name);
  }
  const bare = await runCli(["keys"]);
  assert.equal(bare.status, 2);
  assert.equal(bare.stderr, help.stdout);
});
