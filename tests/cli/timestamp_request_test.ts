// Issue 17 item 7: `stella timestamp request ENVELOPE --out req.tsq` writes the RFC 3161 query over
// the decoded signature bytes; `openssl ts -query -in req.tsq -text` parses it; a token made with
// `openssl ts -reply` by a throw-away offline test TSA over that query verifies with `stella
// forensic verify --timestamp` (time source rfc3161). The docs/timestamps.md walk-through is the
// same sequence. When openssl is not installed those tests are reported as ignored, with the
// reason in their name.
import assert from "node:assert/strict";
import { ROOT, runCli, withTempDir as withDir } from "./_io.ts";
import { makeTsa, OPENSSL, openssl, OPENSSL_IGNORED, replyToQuery } from "../_openssl.ts";
import { parseEnvelope } from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeHex } from "../../lib/encoding/mod.ts";

const PROMOTION = `${ROOT}/fixtures/envelopes/promotion.dsse.json`;
const PROMOTION_KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;
const SIG = parseEnvelope(await Deno.readFile(PROMOTION)).signatures[0]!;
const IMPRINT = encodeHex(sha256(SIG.sigBytes));

const IGNORED = OPENSSL_IGNORED;

Deno.test("stella timestamp request writes the DER query over the decoded signature and prints its imprint", async () => {
  await withDir(async (dir) => {
    const result = await runCli(["timestamp", "request", PROMOTION, "--out", `${dir}/req.tsq`]);
    assert.deepEqual(result, {
      status: 0,
      stdout: `${dir}/req.tsq: sha256:${IMPRINT} (signature 0, keyid ${SIG.keyid})\n`,
      stderr: "",
    });
    assert.equal(
      encodeHex(await Deno.readFile(`${dir}/req.tsq`)),
      `30390201013031300d060960864801650304020105000420${IMPRINT}0101ff`,
    );
    const json = await runCli([
      "timestamp",
      "request",
      PROMOTION,
      "--out",
      `${dir}/req.tsq`,
      "--force",
      "--json",
    ]);
    assert.deepEqual(json, {
      status: 0,
      stdout:
        `{"keyid":"${SIG.keyid}","out":"${dir}/req.tsq","sha256":"${IMPRINT}","signature":0}\n`,
      stderr: "",
    });
    const nonce = await runCli([
      "timestamp",
      "request",
      PROMOTION,
      "--out",
      `${dir}/nonce.tsq`,
      "--nonce",
      "--json",
    ]);
    assert.equal(nonce.status, 0, nonce.stderr);
    assert.match(JSON.parse(nonce.stdout).nonce, /^[89a-f][0-9a-f]{15}$/);
    // 64 bits with the top bit set: an INTEGER of 9 content bytes (a zero sign byte first).
    assert.equal((await Deno.readFile(`${dir}/nonce.tsq`)).length, 59 + 11);
  });
});

Deno.test("stella timestamp request: usage errors are exit 2, a malformed envelope exit 1, nothing written", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/exists.tsq`, "x");
    await Deno.writeTextFile(`${dir}/bad.json`, '{"payload":""}');
    const cases: [string[], number, string][] = [
      [
        [PROMOTION],
        2,
        "stella: Missing --out FILE: where to write the time-stamp request (.tsq)\n",
      ],
      [
        ["--out", `${dir}/r.tsq`],
        2,
        "stella: Missing ENVELOPE: the DSSE envelope whose signature to time-stamp\n",
      ],
      [
        [PROMOTION, "--out", `${dir}/r.tsq`, "--signature", "1"],
        2,
        `stella: Cannot time-stamp signature 1 of "${PROMOTION}": the envelope has 1 signature (0 to 0)\n`,
      ],
      [
        [PROMOTION, "--out", `${dir}/r.tsq`, "--signature", "one"],
        2,
        'stella: Cannot parse --signature "one": use a whole number from 0 to 999999\n',
      ],
      [
        [PROMOTION, "--out", `${dir}/exists.tsq`],
        2,
        `stella: Refusing to overwrite "${dir}/exists.tsq": it exists (pass --force)\n`,
      ],
      [
        [`${dir}/missing.json`, "--out", `${dir}/r.tsq`],
        2,
        `stella: Cannot read "${dir}/missing.json": no such file or directory\n`,
      ],
    ];
    for (const [args, status, stderr] of cases) {
      assert.deepEqual(await runCli(["timestamp", "request", ...args]), {
        status,
        stdout: "",
        stderr,
      }, args.join(" "));
    }
    const bad = await runCli(["timestamp", "request", `${dir}/bad.json`, "--out", `${dir}/r.tsq`]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^stella: Cannot parse envelope ".*bad\.json": /);
    assert.equal(await Deno.readTextFile(`${dir}/exists.tsq`), "x");
    assert.equal(await Deno.stat(`${dir}/r.tsq`).catch(() => undefined), undefined);
  });
});

Deno.test({
  name:
    `stella timestamp request: openssl ts -query -text parses the query, and a token from openssl ts -reply verifies with forensic verify --timestamp${IGNORED}`,
  ignore: !OPENSSL,
  async fn() {
    await withDir(async (dir) => {
      for (const nonce of [false, true]) {
        const tsq = `${dir}/req${nonce ? "-nonce" : ""}.tsq`;
        const made = await runCli([
          "timestamp",
          "request",
          PROMOTION,
          "--out",
          tsq,
          ...(nonce ? ["--nonce"] : []),
        ]);
        assert.equal(made.status, 0, made.stderr);
        const text = await openssl(dir, ["ts", "-query", "-in", tsq, "-text"]);
        assert.match(text, /Version: 1\n/);
        assert.match(text, /Hash Algorithm: sha256\n/);
        assert.match(text, /Certificate required: yes\n/);
        assert.match(text, /Policy OID: unspecified\n/);
        assert.match(text, nonce ? /Nonce: 0x[0-9A-F]{16}\n/ : /Nonce: unspecified\n/);
        const hexdump = [...text.matchAll(/^ +[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){0,16})/gm)]
          .map((m) => m[1]!.replace(/[ -]/g, "")).join("");
        assert.equal(hexdump, IMPRINT);
      }

      await makeTsa(dir);
      await replyToQuery(dir, "req.tsq", "token.tsr");
      const verified = await runCli([
        "forensic",
        "verify",
        PROMOTION,
        "--key",
        PROMOTION_KEY,
        "--timestamp",
        `${dir}/token.tsr`,
        "--tsa-roots",
        `${dir}/root.pem`,
        "--json",
      ]);
      assert.equal(verified.status, 0, verified.stdout + verified.stderr);
      const report = JSON.parse(verified.stdout);
      assert.equal(report.verified, true);
      assert.equal(report.time.source, "rfc3161");

      // With a nonce the token verifies the same way (offline verification does not check it).
      await replyToQuery(dir, "req-nonce.tsq", "token-nonce.tsr");
      const withNonce = await runCli([
        "forensic",
        "verify",
        PROMOTION,
        "--key",
        PROMOTION_KEY,
        "--timestamp",
        `${dir}/token-nonce.tsr`,
        "--tsa-roots",
        `${dir}/root.pem`,
        "--json",
      ]);
      assert.equal(withNonce.status, 0, withNonce.stdout);
      assert.equal(JSON.parse(withNonce.stdout).time.source, "rfc3161");

      // openssl agrees that the token answers the query.
      await openssl(dir, [
        "ts",
        "-verify",
        "-queryfile",
        "req.tsq",
        "-in",
        "token.tsr",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "tsa.pem",
      ]);
    });
  },
});

Deno.test("docs/timestamps.md documents every flag of stella timestamp request and the curl content type", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/timestamps.md`);
  const help = (await runCli(["timestamp", "request", "--help"])).stdout;
  const flags = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);
  assert.deepEqual(flags, ["--out", "--signature", "--nonce", "--force", "--json"]);
  for (const flag of flags) assert.ok(doc.includes(`\`${flag}`), flag);
  assert.ok(doc.includes('-H "Content-Type: application/timestamp-query" --data-binary @req.tsq'));
  assert.ok(doc.includes("stella timestamp request promo.dsse.json --out req.tsq"));
});
