// createTimestampRequest(): the RFC 3161 §2.4.1 TimeStampReq over the decoded bytes of a DSSE
// signature, byte for byte what `openssl ts -query -sha256 -cert -no_nonce` writes for those
// bytes (compared with the real openssl when it is on PATH; the expected structure is asserted
// without it).
import assert from "node:assert/strict";
import { parseEnvelope } from "../../mod.ts";
import { createTimestampRequest } from "../../lib/sign/mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { DerReader } from "../../lib/encoding/der.ts";
import { encodeHex } from "../../lib/encoding/mod.ts";

const ROOT = new URL("../../", import.meta.url);
const PROMOTION = await Deno.readFile(new URL("fixtures/envelopes/promotion.dsse.json", ROOT));

const OPENSSL = await new Deno.Command("openssl", { args: ["version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);
const SUFFIX = OPENSSL ? "" : " (ignored: openssl not found on PATH)";

Deno.test("createTimestampRequest() writes version 1, a SHA-256 imprint of the decoded signature, certReq true, no nonce", () => {
  const sig = parseEnvelope(PROMOTION).signatures[0]!;
  const request = createTimestampRequest(PROMOTION);
  const imprint = encodeHex(sha256(sig.sigBytes));
  assert.equal(request.sha256, imprint);
  assert.equal(request.signature, 0);
  assert.equal(request.keyid, sig.keyid);
  assert.equal(request.nonce, undefined);
  assert.equal(
    encodeHex(request.der),
    `30390201013031300d060960864801650304020105000420${imprint}0101ff`,
  );
  // The same request from text and from a parsed envelope.
  assert.deepEqual(createTimestampRequest(new TextDecoder().decode(PROMOTION)).der, request.der);
  assert.deepEqual(createTimestampRequest(parseEnvelope(PROMOTION)).der, request.der);
});

Deno.test("createTimestampRequest() encodes a nonce as a positive INTEGER before certReq", () => {
  const request = createTimestampRequest(PROMOTION, { nonce: 0x8badf00ddeadbeefn });
  assert.equal(request.nonce, "8badf00ddeadbeef");
  const seq = new DerReader(request.der).readSequence();
  assert.equal(seq.readInteger(), 1n);
  seq.readSequence();
  assert.equal(seq.readInteger(), 0x8badf00ddeadbeefn);
  assert.equal(seq.readBoolean(), true);
  seq.end();
  assert.equal(createTimestampRequest(PROMOTION, { nonce: 0xabcn }).nonce, "0abc");
  for (const nonce of [0n, -1n, 1n << 160n]) {
    assert.throws(() => createTimestampRequest(PROMOTION, { nonce }), RangeError);
  }
});

Deno.test("createTimestampRequest() picks the signature by index and names the range when it is out of it", () => {
  const two = JSON.stringify({
    payloadType: "text/plain",
    payload: "aGk=",
    signatures: [{ keyid: "a", sig: "AQID" }, { sig: "BAUG" }],
  });
  const second = createTimestampRequest(two, { signature: 1 });
  assert.equal(second.sha256, encodeHex(sha256(new Uint8Array([4, 5, 6]))));
  assert.equal(second.keyid, undefined);
  assert.throws(() => createTimestampRequest(two, { signature: 2, name: "e.json" }), {
    name: "RangeError",
    message: 'Cannot time-stamp signature 2 of "e.json": the envelope has 2 signatures (0 to 1)',
  });
  assert.throws(() => createTimestampRequest(two, { signature: -1 }), RangeError);
  assert.throws(() => createTimestampRequest('{"payload":""}', { name: "bad.json" }), {
    name: "ParseError",
    code: "ENVELOPE_MALFORMED",
  });
});

Deno.test({
  name:
    `createTimestampRequest() equals "openssl ts -query -sha256 -cert -no_nonce" over the signature bytes${SUFFIX}`,
  ignore: !OPENSSL,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "stella-tsq-" });
    try {
      await Deno.writeFile(`${dir}/sig.bin`, parseEnvelope(PROMOTION).signatures[0]!.sigBytes);
      const out = await new Deno.Command("openssl", {
        args: [
          "ts",
          "-query",
          "-data",
          "sig.bin",
          "-sha256",
          "-cert",
          "-no_nonce",
          "-out",
          "q.tsq",
        ],
        cwd: dir,
        stdout: "null",
        stderr: "null",
      }).output();
      assert.ok(out.success);
      assert.deepEqual(createTimestampRequest(PROMOTION).der, await Deno.readFile(`${dir}/q.tsq`));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
