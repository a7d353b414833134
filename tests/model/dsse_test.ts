import assert from "node:assert/strict";
import { parseEnvelope, ParseError, serializeEnvelope } from "../../mod.ts";
import { INTOTO_PAYLOAD_TYPE } from "../../lib/model/mod.ts";
import { encodeUtf8 } from "../../lib/encoding/mod.ts";
import {
  createEnvelope,
  DEFAULT_ENVELOPE_MAX_BYTES,
  PAE_PREFIX,
  preAuthEncoding,
} from "../../lib/model/mod.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function assertParseError(input: string | Uint8Array, code: string, pattern?: RegExp): void {
  assert.throws(
    () => parseEnvelope(input, { name: "e.json" }),
    (error: unknown) => {
      assert.ok(error instanceof ParseError, `expected ParseError, got ${error}`);
      assert.equal(error.code, code, error.message);
      if (pattern !== undefined) assert.match(error.message, pattern);
      return true;
    },
  );
}

const VALID =
  '{"payloadType":"text/plain","payload":"aGk=","signatures":[{"keyid":"k","sig":"AAE="}]}';

Deno.test("preAuthEncoding() starts with PAE_PREFIX, a space and the type's byte length", () => {
  assert.equal(text(preAuthEncoding("t", encodeUtf8("b"))), `${PAE_PREFIX} 1 t 1 b`);
});

Deno.test("parseEnvelope() without maxBytes takes inputs of DEFAULT_ENVELOPE_MAX_BYTES, not one more", () => {
  // A JSON string of exactly the default size passes the size check and fails as "not an object".
  const atLimit = `"${"A".repeat(DEFAULT_ENVELOPE_MAX_BYTES - 2)}"`;
  assertParseError(atLimit, "ENVELOPE_MALFORMED");
  assertParseError(atLimit + " ", "JSON_TOO_LARGE");
});

Deno.test("preAuthEncoding() uses byte lengths, not UTF-16 lengths (protocol.md PAE)", () => {
  const pae = preAuthEncoding("tÿpe", encodeUtf8("é"));
  assert.equal(text(pae), "DSSEv1 5 tÿpe 2 é");
});

Deno.test("preAuthEncoding() handles empty type and body", () => {
  assert.equal(text(preAuthEncoding("", new Uint8Array())), "DSSEv1 0  0 ");
});

Deno.test("preAuthEncoding() keeps binary payload bytes exactly", () => {
  const body = new Uint8Array([0, 255, 10, 32]);
  const pae = preAuthEncoding("a", body);
  assert.deepEqual(pae.slice(-4), body);
  assert.equal(text(pae.slice(0, -4)), "DSSEv1 1 a 4 ");
  assert.ok(pae.buffer instanceof ArrayBuffer);
});

Deno.test("preAuthEncoding() rejects misuse with TypeError", () => {
  assert.throws(() => preAuthEncoding(1 as unknown as string, new Uint8Array()), TypeError);
  assert.throws(() => preAuthEncoding("t", "x" as unknown as Uint8Array), TypeError);
});

Deno.test("parseEnvelope() decodes payload and signatures from bytes or text", () => {
  for (const input of [VALID, encodeUtf8(VALID)]) {
    const parsed = parseEnvelope(input);
    assert.equal(parsed.payloadType, "text/plain");
    assert.equal(parsed.payload, "aGk=");
    assert.equal(text(parsed.payloadBytes), "hi");
    assert.equal(parsed.signatures.length, 1);
    assert.equal(parsed.signatures[0]?.keyid, "k");
    assert.equal(parsed.signatures[0]?.sig, "AAE=");
    assert.deepEqual(parsed.signatures[0]?.sigBytes, new Uint8Array([0, 1]));
  }
});

Deno.test("parseEnvelope() accepts URL-safe base64 with and without padding", () => {
  const parsed = parseEnvelope(
    '{"payloadType":"t","payload":"-_8","signatures":[{"sig":"-_8="},{"sig":"+/8="}]}',
  );
  assert.deepEqual(parsed.payloadBytes, new Uint8Array([251, 255]));
  assert.deepEqual(parsed.signatures[0]?.sigBytes, new Uint8Array([251, 255]));
  assert.deepEqual(parsed.signatures[1]?.sigBytes, new Uint8Array([251, 255]));
  // Unpadded text without "-" or "_" is valid URL-safe base64 too.
  assert.deepEqual(
    parseEnvelope('{"payloadType":"t","payload":"aGk","signatures":[{"sig":""}]}').payloadBytes,
    new Uint8Array([104, 105]),
  );
});

Deno.test("parseEnvelope() keeps an absent keyid absent and accepts empty strings", () => {
  const parsed = parseEnvelope('{"payloadType":"","payload":"","signatures":[{"sig":""}]}');
  assert.equal(parsed.payloadType, "");
  assert.equal(parsed.payloadBytes.length, 0);
  assert.equal(Object.hasOwn(parsed.signatures[0]!, "keyid"), false);
  assert.equal(parsed.signatures[0]?.sigBytes.length, 0);
});

Deno.test("parseEnvelope() ignores unrecognised fields (envelope.md parsing rules)", () => {
  const parsed = parseEnvelope(
    '{"payloadType":"t","payload":"","signatures":[{"sig":"","extra":1}],"future":{"x":[]}}',
  );
  assert.deepEqual(Object.keys(parsed).sort(), [
    "payload",
    "payloadBytes",
    "payloadType",
    "signatures",
  ]);
  assert.deepEqual(Object.keys(parsed.signatures[0]!).sort(), ["sig", "sigBytes"]);
});

Deno.test("parseEnvelope() passes strict-JSON failures through with their JSON_* code", () => {
  assertParseError(
    '{"payloadType":"t","payload":"","payload":"","signatures":[{"sig":""}]}',
    "JSON_DUPLICATE_KEY",
  );
  assertParseError(
    '{"payloadType":"t","payload":"","signatures":[{"sig":"","sig":""}]}',
    "JSON_DUPLICATE_KEY",
  );
  assertParseError('{"payloadType":"t",', "JSON_SYNTAX");
  assertParseError(VALID + " {}", "JSON_TRAILING_DATA");
  assertParseError('{"payloadType":"\\ud800","payload":"","signatures":[]}', "JSON_LONE_SURROGATE");
  assertParseError(new Uint8Array([0x7b, 0xff, 0x7d]), "JSON_INVALID_UTF8");
});

Deno.test("parseEnvelope() rejects oversized input with JSON_TOO_LARGE", () => {
  assert.throws(() => parseEnvelope(VALID, { maxBytes: VALID.length - 1 }), {
    code: "JSON_TOO_LARGE",
  });
  assert.equal(parseEnvelope(VALID, { maxBytes: VALID.length }).payloadType, "text/plain");
  const big = encodeUtf8(
    `{"payloadType":"t","payload":"${"A".repeat(DEFAULT_ENVELOPE_MAX_BYTES)}","signatures":[]}`,
  );
  assert.throws(() => parseEnvelope(big), { code: "JSON_TOO_LARGE" });
});

Deno.test("parseEnvelope() rejects a bad maxBytes option with RangeError", () => {
  assert.throws(() => parseEnvelope(VALID, { maxBytes: 0 }), RangeError);
  assert.throws(() => parseEnvelope(VALID, { maxBytes: 1.5 }), RangeError);
});

Deno.test("parseEnvelope() names the field of every structural failure (ENVELOPE_MALFORMED)", () => {
  const cases: [string, RegExp][] = [
    ["[]", /expected a JSON object, got an array/],
    ["null", /expected a JSON object, got null/],
    ['"x"', /expected a JSON object, got a string/],
    ['{"payload":"","signatures":[{"sig":""}]}', /"payloadType" is missing/],
    ['{"payloadType":1,"payload":"","signatures":[{"sig":""}]}', /"payloadType" must be a string/],
    ['{"payloadType":"t","signatures":[{"sig":""}]}', /"payload" is missing/],
    ['{"payloadType":"t","payload":null,"signatures":[{"sig":""}]}', /"payload" must be a base64/],
    ['{"payloadType":"t","payload":"%%%%","signatures":[{"sig":""}]}', /"payload" is not standard/],
    ['{"payloadType":"t","payload":"aGk==","signatures":[{"sig":""}]}', /"payload" is not/],
    ['{"payloadType":"t","payload":"aG k=","signatures":[{"sig":""}]}', /"payload" is not/],
    ['{"payloadType":"t","payload":""}', /"signatures" is missing/],
    ['{"payloadType":"t","payload":"","signatures":{}}', /"signatures" must be an array/],
    ['{"payloadType":"t","payload":"","signatures":[]}', /"signatures" is empty/],
    ['{"payloadType":"t","payload":"","signatures":[1]}', /signatures\[0\] must be an object/],
    ['{"payloadType":"t","payload":"","signatures":[{}]}', /"signatures\[0\].sig" is missing/],
    [
      '{"payloadType":"t","payload":"","signatures":[{"sig":""},{"sig":7}]}',
      /"signatures\[1\].sig" must be a base64 string, got a number/,
    ],
    [
      '{"payloadType":"t","payload":"","signatures":[{"sig":"AA=A"}]}',
      /"signatures\[0\].sig" is not standard or URL-safe base64/,
    ],
    [
      '{"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":null}]}',
      /"signatures\[0\].keyid" must be a string, got null/,
    ],
  ];
  for (const [input, pattern] of cases) {
    assertParseError(input, "ENVELOPE_MALFORMED", pattern);
    assertParseError(input, "ENVELOPE_MALFORMED", /^Cannot parse envelope "e\.json": /);
  }
});

Deno.test("parseEnvelope() never lets a non-ParseError escape on hostile input", () => {
  const inputs = [
    "",
    "{",
    "{}",
    '{"signatures":[[]]}',
    '{"payloadType":{},"payload":[],"signatures":"x"}',
    "[".repeat(10000),
    '{"__proto__":{"payloadType":"t"},"payload":"","signatures":[{"sig":""}]}',
  ];
  for (const input of inputs) {
    assert.throws(() => parseEnvelope(input), ParseError, input.slice(0, 40));
  }
});

Deno.test("createEnvelope() encodes standard padded base64 and omits an unset keyid", () => {
  const envelope = createEnvelope("t", new Uint8Array([251, 255]), [
    { sig: new Uint8Array([1]) },
    { keyid: "k2", sig: new Uint8Array([2, 3]) },
    { keyid: undefined, sig: new Uint8Array() },
  ]);
  assert.deepEqual(envelope, {
    payloadType: "t",
    payload: "+/8=",
    signatures: [{ sig: "AQ==" }, { keyid: "k2", sig: "AgM=" }, { sig: "" }],
  });
});

Deno.test("createEnvelope() rejects misuse", () => {
  assert.throws(() => createEnvelope("t", new Uint8Array(), []), RangeError);
  assert.throws(
    () => createEnvelope("t", new Uint8Array(), [{ sig: "AA==" as unknown as Uint8Array }]),
    TypeError,
  );
  assert.throws(
    () => createEnvelope("t", [1] as unknown as Uint8Array, [{ sig: new Uint8Array() }]),
    TypeError,
  );
});

Deno.test("serializeEnvelope() writes RFC 8785 canonical JSON of the DSSE fields only", () => {
  const parsed = parseEnvelope(
    '{"signatures":[{"sig":"AAE=","keyid":"k","x":1}],"payload":"aGk=","payloadType":"text/plain","y":2}',
  );
  assert.equal(
    serializeEnvelope(parsed),
    '{"payload":"aGk=","payloadType":"text/plain","signatures":[{"keyid":"k","sig":"AAE="}]}',
  );
});

Deno.test("serializeEnvelope() rejects misuse with TypeError", () => {
  assert.throws(
    () => serializeEnvelope({ payloadType: "t", payload: 1 } as unknown as never),
    TypeError,
  );
  assert.throws(
    () =>
      serializeEnvelope(
        { payloadType: "t", payload: "", signatures: [{ sig: "", keyid: 5 }] } as unknown as never,
      ),
    TypeError,
  );
});

Deno.test("create → serialize → parse round-trips payload, type, keyids and signature bytes", () => {
  const payload = encodeUtf8('{"_type":"https://in-toto.io/Statement/v1"}');
  const sigs = [
    { keyid: "a", sig: new Uint8Array(64).fill(7) },
    { sig: new Uint8Array([0, 1, 2, 3, 4]) },
  ];
  const envelope = createEnvelope(INTOTO_PAYLOAD_TYPE, payload, sigs);
  const serialized = serializeEnvelope(envelope);
  const parsed = parseEnvelope(serialized);
  assert.equal(parsed.payloadType, INTOTO_PAYLOAD_TYPE);
  assert.deepEqual(parsed.payloadBytes, payload);
  assert.deepEqual(parsed.signatures.map((s) => s.keyid), ["a", undefined]);
  assert.deepEqual(parsed.signatures.map((s) => s.sigBytes), sigs.map((s) => s.sig));
  assert.equal(serializeEnvelope(parsed), serialized);
});
