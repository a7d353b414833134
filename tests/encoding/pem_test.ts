import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import type { PemBlock } from "../../lib/encoding/mod.ts";
import { decodePem, decodePemAll, encodePem } from "../../lib/encoding/mod.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const COSIGN = vectorSet("cosign");

function bytesOf(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 17) & 0xff;
  return out;
}

function assertFails(
  run: () => unknown,
  code: string,
  offset: number,
): ParseError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected ParseError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.offset, offset, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

/** Length of a DER TLV from its header (for checking that a decoded key is one whole element). */
function derLength(der: Uint8Array): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  let length = 0;
  for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + der[2 + i]!;
  return 2 + (first & 0x7f) + length;
}

Deno.test("encodePem() wraps base64 at 64 characters (RFC 7468 §2)", () => {
  assert.equal(encodePem("X", new Uint8Array()), "-----BEGIN X-----\n-----END X-----\n");
  assert.equal(encodePem("X", new Uint8Array([0])), "-----BEGIN X-----\nAA==\n-----END X-----\n");
  const lines48 = encodePem("PUBLIC KEY", bytesOf(48)).split("\n");
  assert.deepEqual(lines48.map((line) => line.length), [26, 64, 24, 0]);
  const lines49 = encodePem("PUBLIC KEY", bytesOf(49)).split("\n");
  assert.deepEqual(lines49.map((line) => line.length), [26, 64, 4, 24, 0]);
  assert.equal(lines49[2], "4Q==");
});

Deno.test("encodePem() rejects labels outside the RFC 7468 grammar", () => {
  for (const label of ["-A", "A-", "A--B", "A  B", " A", "A\nB", "É", "A\u0000"]) {
    assert.throws(() => encodePem(label, new Uint8Array([1])), TypeError, label);
  }
  assert.match(
    encodePem("EC PRIVATE KEY", new Uint8Array([1])),
    /^-----BEGIN EC PRIVATE KEY-----\n/,
  );
  assert.match(encodePem("X509 CRL", new Uint8Array([1])), /^-----BEGIN X509 CRL-----\n/);
  assert.match(encodePem("A-B", new Uint8Array([1])), /^-----BEGIN A-B-----\n/);
});

Deno.test("decodePem() round-trips encodePem() for every length", () => {
  for (let length = 0; length < 200; length += 7) {
    const der = bytesOf(length, length);
    const block = decodePem(encodePem("CERTIFICATE", der));
    assert.deepEqual(block, { label: "CERTIFICATE", bytes: der, headers: {} });
    assert.ok(block.bytes.buffer instanceof ArrayBuffer);
  }
});

vectorTest(COSIGN, "decodePem() reads the cosign key vectors", async () => {
  const expected: [string, string][] = [
    ["encrypted/pemcosigneckey.pem", "ENCRYPTED COSIGN PRIVATE KEY"],
    ["encrypted/pemcosignkey.pem", "ENCRYPTED COSIGN PRIVATE KEY"],
    ["encrypted/pemsigstorekey.pem", "ENCRYPTED SIGSTORE PRIVATE KEY"],
    ["import/ed25519key.pem", "PRIVATE KEY"],
    ["import/invalidecp224.pem", "EC PRIVATE KEY"],
    ["import/invalidecunsupported.pem", "EC PRIVATE KEY"],
    ["import/invalidrsalargekey.pem", "RSA PRIVATE KEY"],
    ["import/invalidrsasmallkey.pem", "RSA PRIVATE KEY"],
    ["import/invalidrsawithpubkey.pem", "PUBLIC KEY"],
    ["import/validecp256.pem", "EC PRIVATE KEY"],
    ["import/validecp384.pem", "EC PRIVATE KEY"],
    ["import/validecp521.pem", "EC PRIVATE KEY"],
    ["import/validecpkcs8.pem", "PRIVATE KEY"],
    ["import/validrsa.pem", "RSA PRIVATE KEY"],
    ["import/validrsapkcs1.pem", "RSA PRIVATE KEY"],
    ["import/validrsapkcs8.pem", "PRIVATE KEY"],
  ];
  for (const [file, label] of expected) {
    const text = await COSIGN.readText(`keys/${file}`);
    const block = decodePem(text, { label, name: file });
    assert.equal(block.label, label, file);
    assert.deepEqual(block.headers, {}, file);
    // Independent decode of the body lines.
    const body = text.split("\n").filter((line) => line !== "" && !line.startsWith("-----"));
    assert.deepEqual(block.bytes, Uint8Array.fromBase64(body.join("")), file);
    if (label.startsWith("ENCRYPTED")) {
      const envelope = JSON.parse(new TextDecoder().decode(block.bytes));
      assert.deepEqual(Object.keys(envelope).sort(), ["cipher", "ciphertext", "kdf"], file);
    } else {
      assert.equal(block.bytes[0], 0x30, file);
      assert.equal(derLength(block.bytes), block.bytes.length, file);
    }
    // cosign writes canonical armor: re-encoding reproduces the file byte for byte.
    assert.equal(encodePem(block.label, block.bytes), text, file);
  }
  return expected.length;
});

vectorTest(
  COSIGN,
  "decodePem() rejects the PGP armor vector (checksum line is not base64)",
  async () => {
    const text = await COSIGN.readText("keys/import/invalidkey.pem");
    const error = assertFails(() => decodePem(text, { name: "invalidkey.pem" }), "PEM_INVALID", 0);
    assert.equal(
      error.message,
      'Cannot decode PEM "invalidkey.pem": malformed base64 body at offset 0',
    );
    assertFails(() => decodePem(text, { label: "PRIVATE KEY" }), "PEM_INVALID", 0);
  },
);

vectorTest(COSIGN, "decodePem() reads the public keys derived in the cosign manifest", async () => {
  const manifest = await COSIGN.readJson("keys/manifest.json");
  for (const entry of manifest.encryptedCases as { publicKeyPem_derived: string }[]) {
    const block = decodePem(entry.publicKeyPem_derived, { label: "PUBLIC KEY" });
    assert.equal(block.bytes.length, 91);
    assert.equal(encodePem("PUBLIC KEY", block.bytes), entry.publicKeyPem_derived);
  }
  return manifest.encryptedCases.length;
});

Deno.test("decodePem() allows explanatory text and any line break style (RFC 7468 §2)", () => {
  const der = bytesOf(70);
  const canonical = encodePem("PUBLIC KEY", der);
  const variants = [
    "Subject: test key\nIssuer: nobody\n\n" + canonical + "trailing notes\n",
    canonical.replaceAll("\n", "\r\n"),
    canonical.replaceAll("\n", "\r"),
    canonical.trimEnd(),
    canonical.replace("-----\n", "-----  \t\n").replace("KEY-----\n", "KEY----- \n"),
    // Other line lengths (76 here) are accepted, as RFC 7468 allows parsers to.
    "-----BEGIN PUBLIC KEY-----\n" + der.toBase64().match(/.{1,76}/g)!.join("\n") +
    "\n-----END PUBLIC KEY-----\n",
    // Line breaks may even split the padding.
    "-----BEGIN PUBLIC KEY-----\n" + der.toBase64().replace("=", "=\n") +
    "\n-----END PUBLIC KEY-----",
  ];
  for (const text of variants) {
    assert.deepEqual(decodePem(text).bytes, der, JSON.stringify(text));
  }
});

Deno.test("decodePem() parses RFC 1421 encapsulated headers", () => {
  const text = [
    "-----BEGIN RSA PRIVATE KEY-----",
    "Proc-Type: 4,ENCRYPTED",
    "DEK-Info: AES-128-CBC,",
    " 0123456789ABCDEF",
    "",
    "AQID",
    "-----END RSA PRIVATE KEY-----",
    "",
  ].join("\n");
  const block: PemBlock = decodePem(text, { label: "RSA PRIVATE KEY" });
  assert.deepEqual(block.headers, {
    "Proc-Type": "4,ENCRYPTED",
    "DEK-Info": "AES-128-CBC, 0123456789ABCDEF",
  });
  assert.deepEqual(block.bytes, new Uint8Array([1, 2, 3]));
  // Headers must end with a blank line, be well-formed and not repeat.
  assertFails(
    () => decodePem("-----BEGIN X-----\nProc-Type: 4\nAQID\n-----END X-----\n"),
    "PEM_INVALID",
    31,
  );
  assertFails(
    () => decodePem("-----BEGIN X-----\nA: 1\nA: 2\n\nAQID\n-----END X-----\n"),
    "PEM_INVALID",
    23,
  );
  assertFails(
    () => decodePem("-----BEGIN X-----\nBad Name: 1\n\nAQID\n-----END X-----\n"),
    "PEM_INVALID",
    18,
  );
  assertFails(() => decodePem("-----BEGIN X-----\nA: 1\n"), "PEM_INVALID", 0);
});

Deno.test("decodePem() checks labels (PEM_LABEL_MISMATCH)", () => {
  const text = "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n";
  assert.equal(decodePem(text, { label: "PUBLIC KEY" }).label, "PUBLIC KEY");
  assert.equal(decodePem(text, { label: ["CERTIFICATE", "PUBLIC KEY"] }).label, "PUBLIC KEY");
  const error = assertFails(
    () => decodePem("notes\n" + text, { label: ["PRIVATE KEY", "EC PRIVATE KEY"], name: "k.pem" }),
    "PEM_LABEL_MISMATCH",
    6,
  );
  assert.equal(
    error.message,
    'Cannot decode PEM "k.pem": expected a "PRIVATE KEY" or "EC PRIVATE KEY" block but found ' +
      '"PUBLIC KEY"',
  );
  assertFails(() => decodePem(text, { label: "public key" }), "PEM_LABEL_MISMATCH", 0);
});

Deno.test("decodePem() with a label skips blocks with other labels (OpenSSL EC key files)", () => {
  const params = encodePem("EC PARAMETERS", new Uint8Array([6, 8, 42, 134, 72, 206, 61, 3, 1, 7]));
  const key = encodePem("EC PRIVATE KEY", bytesOf(121));
  const text = params + key;
  assert.deepEqual(decodePem(text, { label: "EC PRIVATE KEY" }).bytes, bytesOf(121));
  // Without a label the text holds two blocks, which decodePem refuses.
  const error = assertFails(() => decodePem(text), "PEM_INVALID", -1);
  assert.equal(error.message, "Cannot decode PEM: expected one PEM block but found 2");
  assertFails(() => decodePem(key + key, { label: "EC PRIVATE KEY" }), "PEM_INVALID", -1);
});

Deno.test("decodePem() reports a missing block (PEM_NOT_FOUND)", () => {
  for (const text of ["", "hello\n", "text -----BEGIN X-----\nAQID\n", "-----BEGIN\n"]) {
    assertFails(() => decodePem(text), "PEM_NOT_FOUND", -1);
  }
  assert.equal(
    assertFails(() => decodePem("", { name: "cosign.pub" }), "PEM_NOT_FOUND", -1).message,
    'Cannot decode PEM "cosign.pub": no PEM block found',
  );
});

Deno.test("decodePem() rejects malformed armor and body (PEM_INVALID)", () => {
  const cases: [string, number][] = [
    // BEGIN/END label mismatch: offset of the END line.
    ["-----BEGIN X-----\nAQID\n-----END Y-----\n", 23],
    // Missing END line: offset of the BEGIN line.
    ["-----BEGIN X-----\nAQID\n", 0],
    // A second BEGIN before the END line.
    ["-----BEGIN X-----\nAQID\n-----BEGIN X-----\nAQID\n-----END X-----\n", 23],
    // END line without a BEGIN line.
    ["notes\n-----END X-----\n", 6],
    // Malformed boundaries.
    ["-----BEGIN X----\nAQID\n-----END X-----\n", 0],
    ["-----BEGIN X--Y-----\nAQID\n-----END X--Y-----\n", 0],
    ["-----BEGIN X-----\nAQID\n-----END X----\n", 23],
    ["-----BEGIN X-----\nAQID\n-----END X----- trailer\n", 23],
    // Characters outside base64 (offset of the character).
    ["-----BEGIN X-----\nAQ ID\n-----END X-----\n", 20],
    ["-----BEGIN X-----\nAQID\tAQID\n-----END X-----\n", 22],
    ["-----BEGIN X-----\nAQ_D\n-----END X-----\n", 20],
    // Non-canonical base64: offset of the BEGIN line.
    ["-----BEGIN X-----\nAQ\n-----END X-----\n", 0],
    ["-----BEGIN X-----\nAR==\n-----END X-----\n", 0],
    ["-----BEGIN X-----\nAQ==\nAQ==\n-----END X-----\n", 0],
  ];
  for (const [text, offset] of cases) assertFails(() => decodePem(text), "PEM_INVALID", offset);
  assert.throws(() => decodePem(42 as unknown as string), TypeError);
});

Deno.test("decodePemAll() returns every block in order (certificate chains)", () => {
  const chain = "leaf\n" + encodePem("CERTIFICATE", bytesOf(10, 1)) + "\nintermediate\n" +
    encodePem("CERTIFICATE", bytesOf(20, 2)) + encodePem("CERTIFICATE", bytesOf(30, 3));
  const blocks = decodePemAll(chain, { label: "CERTIFICATE" });
  assert.deepEqual(blocks.map((block) => block.bytes), [
    bytesOf(10, 1),
    bytesOf(20, 2),
    bytesOf(30, 3),
  ]);
  const mixed = encodePem("PUBLIC KEY", bytesOf(5)) + chain;
  assert.deepEqual(decodePemAll(mixed).map((block) => block.label), [
    "PUBLIC KEY",
    "CERTIFICATE",
    "CERTIFICATE",
    "CERTIFICATE",
  ]);
  assert.equal(decodePemAll(mixed, { label: "CERTIFICATE" }).length, 3);
  assertFails(() => decodePemAll(chain, { label: "PUBLIC KEY" }), "PEM_LABEL_MISMATCH", 5);
  assertFails(() => decodePemAll("no blocks"), "PEM_NOT_FOUND", -1);
  // One malformed block spoils the whole text, even when its label is not asked for.
  assertFails(
    () =>
      decodePemAll(chain + "-----BEGIN JUNK-----\n!!\n-----END JUNK-----\n", {
        label: "CERTIFICATE",
      }),
    "PEM_INVALID",
    chain.length + 21,
  );
});
