import assert from "node:assert/strict";
import { p256 } from "@noble/curves/nist.js";
import { ParseError, signEnvelope } from "../../mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import {
  createKmsSigner,
  decodeKmsPluginResponse,
  encodeKmsPluginRequest,
  findKmsPlugin,
  invokeKmsPlugin,
  KmsPluginError,
  KmsPluginService,
  parseKmsPluginKeyRef,
} from "../../lib/sign/kms_mod.ts";
import { AuditedSigner, MemoryAuditLog, verifyAuditLog } from "../../lib/sign/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const BIN = new URL("../fixtures_bin/", import.meta.url).pathname.replace(/\/$/, "");
const PLUGIN = `${BIN}/sigstore-kms-testplugin`;
const DENO_BIN = Deno.execPath().replace(/\/[^/]*$/, "");
/** The plugin's whole environment: enough for `env deno` and Deno's cache, nothing else. */
const ENV = { PATH: `${DENO_BIN}:/usr/bin:/bin`, HOME: Deno.env.get("HOME") ?? "/tmp" };
const service = (extra: Record<string, unknown> = {}) =>
  new KmsPluginService({ path: `/nonexistent:${BIN}`, env: ENV, stderr: "null", ...extra });

const DATA = enc.encode("DSSEv1 10 text/plain 5 hello TOPSECRET-PAYLOAD");
const sha256 = async (b: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", b.slice()));

function spkiFromPem(pem: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""));
}

async function verifyP256(pem: string, der: Uint8Array, data: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "spki",
    spkiFromPem(pem),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    [
      "verify",
    ],
  );
  const p1363 = p256.Signature.fromBytes(der, "der").toBytes("compact");
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, p1363.slice(), data.slice());
}

// --- codec -------------------------------------------------------------------------------------

Deno.test("parseKmsPluginKeyRef() maps <name>://<id> to sigstore-kms-<name> and the resource id", () => {
  assert.deepEqual(parseKmsPluginKeyRef("my-hsm://my-key-id"), {
    pluginName: "my-hsm",
    executable: "sigstore-kms-my-hsm",
    keyResourceId: "my-key-id",
  });
  assert.equal(parseKmsPluginKeyRef("a://b://c").keyResourceId, "b://c");
  for (
    const bad of ["no-scheme", "://key", "x://", "../up://k", "a/b://k", ".hidden://k", "-x://k"]
  ) {
    assert.throws(() => parseKmsPluginKeyRef(bad), { code: "KMS_KEY_REF_INVALID" }, bad);
  }
});

Deno.test("encodeKmsPluginRequest() writes sigstore's PluginArgs for every method", () => {
  const init = {
    keyResourceId: "testkey",
    hashAlgorithm: "sha384" as const,
    ctxDeadline: "2025-04-01T04:47:00+02:00",
  };
  const json = (call: Parameters<typeof encodeKmsPluginRequest>[1]) =>
    JSON.parse(encodeKmsPluginRequest(init, call).args[1]);
  const initOptions = {
    ctxDeadline: "2025-04-01T02:47:00Z",
    protocolVersion: "1",
    keyResourceID: "testkey",
    hashFunc: 6,
    rpcOptions: { keyVersion: "", remoteVerification: false },
  };
  const rpcOptions = { keyVersion: "v2", remoteVerification: false };
  assert.deepEqual(json({ method: "defaultAlgorithm" }), {
    initOptions,
    methodName: "defaultAlgorithm",
    defaultAlgorithm: {},
  });
  assert.deepEqual(json({ method: "supportedAlgorithms" }), {
    initOptions,
    methodName: "supportedAlgorithms",
    supportedAlgorithms: {},
  });
  assert.deepEqual(
    json({ method: "createKey", algorithm: "ecdsa-p256", ctxDeadline: "2025-04-01T02:47:00Z" }),
    {
      initOptions,
      methodName: "createKey",
      createKey: { algorithm: "ecdsa-p256", ctxDeadline: "2025-04-01T02:47:00Z" },
    },
  );
  assert.deepEqual(json({ method: "publicKey", rpcOptions: { keyVersion: "v2" } }), {
    initOptions,
    methodName: "publicKey",
    publicKey: { publicKeyOptions: { rpcOptions } },
  });
  const signed = encodeKmsPluginRequest(init, {
    method: "signMessage",
    digest: enc.encode("anyDigest"),
    hashAlgorithm: "sha256",
    rpcOptions: { keyVersion: "v2" },
  });
  assert.deepEqual(signed.args.length, 2);
  assert.equal(signed.args[0], "1");
  assert.equal(signed.stdin.length, 0);
  assert.deepEqual(JSON.parse(signed.args[1]).signMessage, {
    signOptions: { rpcOptions, messageOptions: { digest: "YW55RGlnZXN0", hashFunc: 5 } },
  });
  const verify = encodeKmsPluginRequest(init, {
    method: "verifySignature",
    signature: enc.encode("any-signature"),
    message: enc.encode("msg"),
    hashAlgorithm: null,
  });
  assert.equal(dec.decode(verify.stdin), "msg");
  assert.deepEqual(JSON.parse(verify.args[1]).verifySignature, {
    signature: "YW55LXNpZ25hdHVyZQ==",
    verifyOptions: {
      rpcOptions: { keyVersion: "", remoteVerification: false },
      messageOptions: { hashFunc: 0 },
    },
  });
  assert.equal(
    JSON.parse(
      encodeKmsPluginRequest({ keyResourceId: "k", hashAlgorithm: null }, { method: "publicKey" })
        .args[1],
    ).initOptions.hashFunc,
    0,
  );
  assert.throws(
    () =>
      encodeKmsPluginRequest({ keyResourceId: "k", ctxDeadline: "soon" }, { method: "publicKey" }),
    TypeError,
  );
  assert.throws(
    () => encodeKmsPluginRequest({ keyResourceId: "k" }, { method: "nope" } as never),
    TypeError,
  );
});

Deno.test("decodeKmsPluginResponse() reads every method's result, with Go's case-insensitive names", () => {
  const d = (method: Parameters<typeof decodeKmsPluginResponse>[0], value: unknown) =>
    decodeKmsPluginResponse(method, enc.encode(JSON.stringify(value)), "sigstore-kms-t");
  assert.deepEqual(d("defaultAlgorithm", { defaultAlgorithm: { defaultAlgorithm: "rsa-2048" } }), {
    defaultAlgorithm: "rsa-2048",
  });
  assert.deepEqual(
    d("supportedAlgorithms", { supportedAlgorithms: { supportedAlgorithms: ["a", "b"] } }),
    {
      supportedAlgorithms: ["a", "b"],
    },
  );
  assert.deepEqual(d("publicKey", { errorMessage: "", publicKey: { publicKeyPEM: "bXlwZW0=" } }), {
    publicKeyPem: "mypem",
  });
  assert.deepEqual(d("createKey", { CreateKey: { PublicKeyPEM: "bXlwZW0=" } }), {
    publicKeyPem: "mypem",
  });
  assert.deepEqual(
    d("signMessage", { signMessage: { signature: "YW55LXNpZ25hdHVyZQ==" }, extra: 1 }),
    {
      signature: enc.encode("any-signature"),
    },
  );
  assert.deepEqual(d("verifySignature", { verifySignature: {} }), { verified: true });
});

Deno.test("decodeKmsPluginResponse() turns errorMessage into KmsPluginError and bad output into ParseError", () => {
  const d = (text: string, detail?: string) =>
    decodeKmsPluginResponse("signMessage", enc.encode(text), "sigstore-kms-t", detail);
  assert.throws(() => d('{"errorMessage":"signing failed: HSM offline"}'), (e: unknown) => {
    assert.ok(e instanceof KmsPluginError);
    assert.equal(e.code, "KMS_PLUGIN_ERROR");
    assert.equal(e.plugin, "sigstore-kms-t");
    assert.equal(
      e.message,
      'KMS plugin "sigstore-kms-t" returned an error: signing failed: HSM offline',
    );
    return true;
  });
  const cases: [string, RegExp][] = [
    ["", /no output$/],
    ["not json", /not JSON \(JSON_/],
    ["[]", /not a JSON object$/],
    ["{}", /no "signMessage" result object$/],
    ['{"signMessage":{"signature":null}}', /"signMessage.signature" is missing or empty$/],
    ['{"signMessage":{"signature":"***"}}', /"signMessage.signature" is not standard base64$/],
    ['{"errorMessage":5}', /"errorMessage" is not a string$/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => d(text, "exit status 1"), (e: unknown) => {
      assert.ok(e instanceof ParseError, text);
      assert.equal(e.code, "KMS_PLUGIN_RESPONSE_INVALID");
      assert.match(
        e.message,
        /^Cannot read the response of KMS plugin "sigstore-kms-t" to signMessage \(exit status 1\): /,
      );
      assert.match(e.message, why);
      return true;
    });
  }
});

// --- process transport with the test plugin ------------------------------------------------------

Deno.test("findKmsPlugin() searches the given path only", async () => {
  assert.equal(await findKmsPlugin("sigstore-kms-testplugin", `/nonexistent::${BIN}`), PLUGIN);
  await assert.rejects(findKmsPlugin("sigstore-kms-testplugin", "/usr/bin"), (e: unknown) => {
    assert.ok(e instanceof KmsPluginError);
    assert.equal(e.code, "KMS_PLUGIN_NOT_FOUND");
    assert.equal(
      e.message,
      'Cannot find KMS plugin "sigstore-kms-testplugin": install it in a directory of the search path',
    );
    return true;
  });
  // A non-executable file of the right name does not count.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/sigstore-kms-testplugin`, "#!/bin/sh\n", { mode: 0o644 });
    assert.equal(await findKmsPlugin("sigstore-kms-testplugin", `${dir}:${BIN}`), PLUGIN);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await assert.rejects(findKmsPlugin("../sigstore-kms-testplugin", BIN), TypeError);
});

Deno.test("the test plugin signs through KmsSigner (P-256, digest mode) and WebCrypto verifies", async () => {
  const kms = service();
  const pem = await kms.getPublicKey("testplugin://p256");
  const signer = await createKmsSigner(kms, "testplugin://p256");
  assert.equal(signer.algorithm, "ecdsa-p256-sha256");
  assert.equal(signer.keyid, (await sha256(spkiFromPem(pem))).toHex());
  const signature = await signer.sign(DATA);
  assert.equal(await verifyP256(pem, signature, DATA), true);
  assert.deepEqual(await signer.sign(DATA), signature); // RFC 6979 in the plugin: deterministic
  // The plugin's own verifySignature agrees.
  const verified = await kms.call("testplugin://p256", {
    method: "verifySignature",
    signature,
    message: DATA,
  });
  assert.deepEqual(verified, { verified: true });
  await assert.rejects(
    kms.call("testplugin://p256", {
      method: "verifySignature",
      signature,
      message: enc.encode("x"),
    }),
    {
      code: "KMS_PLUGIN_ERROR",
      message: 'KMS plugin "sigstore-kms-testplugin" returned an error: invalid signature',
    },
  );
});

Deno.test("the plugin receives protocol version 1, PluginArgs and an empty stdin for digests", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const record = `${dir}/record.json`;
    const kms = service({ env: { ...ENV, TESTPLUGIN_RECORD: record } });
    await kms.signDigest("testplugin://p256", await sha256(DATA), "sha256");
    const seen = JSON.parse(await Deno.readTextFile(record));
    assert.equal(seen.args.length, 2);
    assert.equal(seen.args[0], "1");
    assert.equal(seen.stdin, "");
    assert.deepEqual(JSON.parse(seen.args[1]), {
      initOptions: {
        protocolVersion: "1",
        keyResourceID: "p256",
        hashFunc: 5,
        rpcOptions: { keyVersion: "", remoteVerification: false },
      },
      methodName: "signMessage",
      signMessage: {
        signOptions: {
          rpcOptions: { keyVersion: "", remoteVerification: false },
          messageOptions: { digest: (await sha256(DATA)).toBase64(), hashFunc: 5 },
        },
      },
    });
    // Ed25519 keys sign the message itself: it goes on stdin, hashFunc 0.
    await kms.signMessage("testplugin://ed25519", DATA);
    const ed = JSON.parse(await Deno.readTextFile(record));
    assert.equal(ed.stdin, DATA.toBase64());
    assert.equal(JSON.parse(ed.args[1]).initOptions.hashFunc, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the test plugin signs with Ed25519 (message on stdin) and WebCrypto verifies", async () => {
  const kms = service();
  const signer = await createKmsSigner(kms, "testplugin://ed25519");
  assert.equal(signer.algorithm, "ed25519");
  const signature = await signer.sign(DATA);
  const spki = spkiFromPem(await kms.getPublicKey("testplugin://ed25519"));
  const key = await crypto.subtle.importKey("spki", spki, "Ed25519", false, ["verify"]);
  assert.equal(await crypto.subtle.verify("Ed25519", key, signature, DATA), true);
});

Deno.test("KmsSigner normalises P1363 plugin output, accepts old Go field names, rejects a wrong key", async () => {
  const kms = service();
  const pem = await kms.getPublicKey("testplugin://p256");
  const p1363 = await createKmsSigner(kms, "testplugin://p256-p1363");
  const der = await p1363.sign(DATA);
  assert.equal(der[0], 0x30);
  assert.equal(await verifyP256(pem, der, DATA), true);
  const old = await createKmsSigner(kms, "testplugin://old-field-names");
  assert.equal(await verifyP256(pem, await old.sign(DATA), DATA), true);
  const wrong = await createKmsSigner(kms, "testplugin://wrong-key");
  await assert.rejects(wrong.sign(DATA), /does not verify against its public key/);
  const info = await kms.call("testplugin://p256", { method: "supportedAlgorithms" });
  assert.deepEqual(info, { supportedAlgorithms: ["ecdsa-p256-sha256", "ed25519"] });
  assert.deepEqual(await kms.call("testplugin://p256", { method: "defaultAlgorithm" }), {
    defaultAlgorithm: "ecdsa-p256-sha256",
  });
});

Deno.test("plugin error responses, crashes and garbage surface as clear errors without secrets", async () => {
  const kms = service({ env: { ...ENV, KMS_TOKEN: "s3cr3t-token-value" } });
  const check = async (
    keyRef: string,
    expect: { name: string; code: string; message: string | RegExp },
  ) => {
    let caught: unknown;
    try {
      await kms.signDigest(keyRef, await sha256(DATA), "sha256");
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof Error, keyRef);
    assert.equal(caught.name, expect.name, keyRef);
    assert.equal((caught as { code?: string }).code, expect.code, keyRef);
    if (typeof expect.message === "string") assert.equal(caught.message, expect.message);
    else assert.match(caught.message, expect.message);
    for (
      const secret of [
        "s3cr3t-token-value",
        "TOPSECRET",
        (await sha256(DATA)).toBase64(),
        "initOptions",
      ]
    ) {
      assert.ok(!caught.message.includes(secret), `${keyRef}: message leaks ${secret}`);
    }
  };
  await check("testplugin://error", {
    name: "KmsPluginError",
    code: "KMS_PLUGIN_ERROR",
    message: 'KMS plugin "sigstore-kms-testplugin" returned an error: key "error" is disabled',
  });
  await check("testplugin://crash", {
    name: "ParseError",
    code: "KMS_PLUGIN_RESPONSE_INVALID",
    message:
      /^Cannot read the response of KMS plugin "sigstore-kms-testplugin" to signMessage \(exit status 2\): not JSON \(JSON_[A-Z_]+\)$/,
  });
  await check("testplugin://garbage", {
    name: "ParseError",
    code: "KMS_PLUGIN_RESPONSE_INVALID",
    message:
      /^Cannot read the response of KMS plugin "sigstore-kms-testplugin" to signMessage: not JSON \(/,
  });
  await check("testplugin://kill", {
    name: "KmsPluginError",
    code: "KMS_PLUGIN_FAILED",
    message: 'KMS plugin "sigstore-kms-testplugin" was terminated by SIGKILL during signMessage',
  });
  await check("testplugin://no-result", {
    name: "ParseError",
    code: "KMS_PLUGIN_RESPONSE_INVALID",
    message:
      'Cannot read the response of KMS plugin "sigstore-kms-testplugin" to signMessage: no "signMessage" result object',
  });
  await check("testplugin://big", {
    name: "ParseError",
    code: "KMS_PLUGIN_RESPONSE_INVALID",
    message:
      'Cannot read the response of KMS plugin "sigstore-kms-testplugin" to signMessage: output exceeds 1048576 bytes',
  });
  await check("testplugin://noisy-error", {
    name: "KmsPluginError",
    code: "KMS_PLUGIN_ERROR",
    message: /^KMS plugin "sigstore-kms-testplugin" returned an error: line one line two x+\.\.\.$/,
  });
  await check("missing://p256", {
    name: "KmsPluginError",
    code: "KMS_PLUGIN_NOT_FOUND",
    message:
      'Cannot find KMS plugin "sigstore-kms-missing": install it in a directory of the search path',
  });
});

Deno.test("a plugin that hangs is killed after timeoutMs", async () => {
  const kms = service({ timeoutMs: 2000 });
  await assert.rejects(kms.getPublicKey("testplugin://hang"), (e: unknown) => {
    assert.ok(e instanceof KmsPluginError);
    assert.equal(e.code, "KMS_PLUGIN_TIMEOUT");
    assert.equal(
      e.message,
      'KMS plugin "sigstore-kms-testplugin" did not answer publicKey within 2000 ms and was killed',
    );
    return true;
  });
});

Deno.test("an explicit executable path replaces the search; an unrunnable one fails clearly", async () => {
  const kms = new KmsPluginService({ executable: PLUGIN, env: ENV, stderr: "null" });
  assert.match(await kms.getPublicKey("anything://p256"), /^-----BEGIN PUBLIC KEY-----\n/);
  const direct = await invokeKmsPlugin(PLUGIN, { keyResourceId: "p256" }, {
    method: "defaultAlgorithm",
  }, {
    env: ENV,
    stderr: "null",
  });
  assert.deepEqual(direct, { defaultAlgorithm: "ecdsa-p256-sha256" });
  await assert.rejects(
    invokeKmsPlugin(`${BIN}/does-not-exist`, { keyResourceId: "k" }, { method: "publicKey" }),
    { code: "KMS_PLUGIN_FAILED", message: 'Cannot run KMS plugin "does-not-exist": NotFound' },
  );
  assert.throws(() => new KmsPluginService({} as never), TypeError);
});

Deno.test("a plugin-backed signer composes with the audit log and signEnvelope", async () => {
  const kms = service();
  const signer = await createKmsSigner(kms, "testplugin://p256");
  const log = new MemoryAuditLog();
  const audited = new AuditedSigner(signer, log, {
    actor: "release",
    time: "2025-05-01T00:00:00Z",
  });
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "app", digest: { sha256: "ab".repeat(32) } }],
    predicateType: "https://example.com/p/v1",
    predicate: {},
  };
  const envelope = await signEnvelope(statement, [audited]);
  assert.equal(envelope.signatures[0]!.keyid, signer.keyid);
  const pae = preAuthEncoding(envelope.payloadType, Uint8Array.fromBase64(envelope.payload));
  const pem = await kms.getPublicKey("testplugin://p256");
  assert.equal(
    await verifyP256(pem, Uint8Array.fromBase64(envelope.signatures[0]!.sig), pae),
    true,
  );
  const report = verifyAuditLog(log.bytes());
  assert.deepEqual([report.ok, report.records], [true, 1]);
  assert.match(log.text(), new RegExp(`"keyid":"${signer.keyid}"`));
});
