import assert from "node:assert/strict";
import { parseEnvelope, ParseError } from "../../mod.ts";
import { encodeBase64 } from "../../lib/encoding/mod.ts";
import { parseSigstoreBundle } from "../../lib/model/mod.ts";

const SIG = encodeBase64(new Uint8Array([1, 2, 3]));

function bundleWith(signature: Record<string, unknown>): string {
  return JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: { publicKey: { hint: "k" } },
    dsseEnvelope: {
      payload: encodeBase64(new TextEncoder().encode("{}")),
      payloadType: "application/vnd.in-toto+json",
      signatures: [signature],
    },
  });
}

Deno.test('parseSigstoreBundle() reads "keyid": null in the DSSE signature as absent (proto3 JSON)', () => {
  const bundle = parseSigstoreBundle(bundleWith({ sig: SIG, keyid: null }));
  assert.equal(bundle.content.kind, "dsseEnvelope");
  if (bundle.content.kind !== "dsseEnvelope") return;
  const signature = bundle.content.envelope.signatures[0]!;
  assert.equal("keyid" in signature, false);
  assert.deepEqual(signature.sigBytes, new Uint8Array([1, 2, 3]));
  // Same result as leaving it out, and a string keyid stays as given.
  assert.deepEqual(
    parseSigstoreBundle(bundleWith({ sig: SIG, keyid: null })),
    parseSigstoreBundle(bundleWith({ sig: SIG })),
  );
  const named = parseSigstoreBundle(bundleWith({ sig: SIG, keyid: "" }));
  assert.equal(
    named.content.kind === "dsseEnvelope" && named.content.envelope.signatures[0]!.keyid,
    "",
  );
});

Deno.test("parseSigstoreBundle() still rejects a keyid that is neither a string nor null", () => {
  for (const keyid of [5, true, {}, []]) {
    assert.throws(
      () => parseSigstoreBundle(bundleWith({ sig: SIG, keyid })),
      (e: unknown) =>
        e instanceof ParseError && e.code === "BUNDLE_MALFORMED" &&
        /keyid" must be a string/.test(e.message),
      JSON.stringify(keyid),
    );
  }
  // A null signature, or null sig, is not a signature.
  assert.throws(() => parseSigstoreBundle(bundleWith({ sig: null })), ParseError);
});

Deno.test("parseEnvelope() keeps DSSE's own JSON strict: a null keyid is rejected outside bundles", () => {
  assert.throws(
    () =>
      parseEnvelope(
        JSON.stringify({ payloadType: "t", payload: "", signatures: [{ sig: SIG, keyid: null }] }),
      ),
    /keyid" must be a string, got null/,
  );
});
