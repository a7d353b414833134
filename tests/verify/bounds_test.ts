/**
 * Issue 13 items 5 and 7 in the library: nothing verified is not success (`verifyMany` over zero
 * envelopes is `NO_INPUT` unless `allowEmpty`), and an envelope's signatures are bounded
 * (`TOO_MANY_SIGNATURES`, default 64) before any of them is tried.
 */

import assert from "node:assert/strict";
import {
  canonicalBytes,
  createSigner,
  exportPublicKeyPem,
  importKeyPem,
  serializeEnvelope,
  verifyEnvelope,
  verifyMany,
} from "../../mod.ts";
import { INTOTO_PAYLOAD_TYPE } from "../../lib/model/mod.ts";
import { encodeUtf8 } from "../../lib/encoding/mod.ts";
import { createEnvelope, preAuthEncoding } from "../../lib/model/mod.ts";
import { DEFAULT_MAX_SIGNATURES } from "../../lib/verify/mod.ts";
import { splitTrust } from "./_trust.ts";

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const KEY = importKeyPem(await Deno.readTextFile(new URL("test-only-ed25519-a.pem", KEYS)));
if (KEY.kind !== "private") throw new Error("expected a private key");
const PUBLIC_PEM = exportPublicKeyPem(KEY);
const TRUSTED = { pem: PUBLIC_PEM };
const PAYLOAD = canonicalBytes({
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: "app", digest: { sha256: "a".repeat(64) } }],
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: {},
});
const SIG = await createSigner(KEY).sign(preAuthEncoding(INTOTO_PAYLOAD_TYPE, PAYLOAD));

/** An envelope with `count` signatures: the valid one last, so a verifier must reach it. */
function envelopeWith(count: number): string {
  const junk = { keyid: "junk", sig: new Uint8Array(64) };
  const signatures = [...Array.from({ length: count - 1 }, () => junk), { sig: SIG }];
  return serializeEnvelope(createEnvelope(INTOTO_PAYLOAD_TYPE, PAYLOAD, signatures));
}

Deno.test("verifyEnvelope() bounds the signatures of an envelope: TOO_MANY_SIGNATURES past 64", async () => {
  assert.equal(DEFAULT_MAX_SIGNATURES, 64);
  const at = await verifyEnvelope(envelopeWith(64), ...splitTrust({ now: NOW, keys: [TRUSTED] }));
  assert.equal(at.verified, true, JSON.stringify(at.checks));
  const past = await verifyEnvelope(envelopeWith(65), ...splitTrust({ now: NOW, keys: [TRUSTED] }));
  assert.equal(past.verified, false);
  assert.equal(past.code, "TOO_MANY_SIGNATURES");
  // Nothing else runs: no signature is tried, no statement is read.
  assert.deepEqual(past.checks.map((c) => [c.id, c.code ?? null]), [
    ["envelope.parse", null],
    ["envelope.signatures", "TOO_MANY_SIGNATURES"],
  ]);
  assert.equal(past.signatures, undefined);
  assert.deepEqual(past.keyids, []);
  assert.match(past.checks[1]!.message!, /65 signatures, more than the limit of 64/);
});

Deno.test("verifyEnvelope() maxSignatures lowers or raises the bound; misuse is a RangeError", async () => {
  const three = envelopeWith(3);
  const low = await verifyEnvelope(
    three,
    ...splitTrust({ now: NOW, keys: [TRUSTED], maxSignatures: 2 }),
  );
  assert.equal(low.code, "TOO_MANY_SIGNATURES");
  const ok = await verifyEnvelope(
    three,
    ...splitTrust({ now: NOW, keys: [TRUSTED], maxSignatures: 3 }),
  );
  assert.equal(ok.verified, true);
  const high = await verifyEnvelope(
    envelopeWith(70),
    ...splitTrust({
      now: NOW,
      keys: [TRUSTED],
      maxSignatures: 100,
    }),
  );
  assert.equal(high.verified, true);
  for (const maxSignatures of [0, -1, 1.5, Number.NaN]) {
    await assert.rejects(
      () => verifyEnvelope(three, ...splitTrust({ now: NOW, keys: [TRUSTED], maxSignatures })),
      RangeError,
    );
  }
});

Deno.test("verifyMany() applies the signature bound to every envelope", async () => {
  const items = [envelopeWith(1), envelopeWith(65), envelopeWith(3)].map((text, i) => ({
    name: `e${i}`,
    bytes: encodeUtf8(text),
  }));
  for (const workers of [false, true]) {
    const result = await verifyMany(
      items,
      ...splitTrust({
        now: NOW,
        keys: [{ pem: PUBLIC_PEM }],
        workers,
        concurrency: 2,
        maxSignatures: 2,
      }),
    );
    assert.deepEqual(result.reports.map((r) => r.report.code ?? null), [
      null,
      "TOO_MANY_SIGNATURES",
      "TOO_MANY_SIGNATURES",
    ]);
  }
});

Deno.test("verifyMany() over zero envelopes is not verified: NO_INPUT, unless allowEmpty", async () => {
  const empty = await verifyMany([], ...splitTrust({ now: NOW, keys: [{ pem: PUBLIC_PEM }] }));
  assert.deepEqual(empty, {
    reports: [],
    summary: { total: 0, verified: 0, failed: 0, codes: {} },
    aborted: false,
    verified: false,
    code: "NO_INPUT",
  });
  // An empty async source too.
  const none = (async function* () {})();
  assert.equal((await verifyMany(none, ...splitTrust({ now: NOW }))).code, "NO_INPUT");
  const allowed = await verifyMany([], ...splitTrust({ now: NOW, allowEmpty: true }));
  assert.deepEqual(allowed, {
    reports: [],
    summary: { total: 0, verified: 0, failed: 0, codes: {} },
    aborted: false,
    verified: true,
  });
});

Deno.test("verifyMany() result: verified when every envelope verified; else the first failure's code", async () => {
  const good = { name: "good", bytes: encodeUtf8(envelopeWith(1)) };
  const bad = { name: "bad", bytes: encodeUtf8("{}") };
  const keys = [{ pem: PUBLIC_PEM }];
  const all = await verifyMany([good, good], ...splitTrust({ now: NOW, keys, onReport: () => {} }));
  assert.equal(all.verified, true);
  assert.equal(all.code, undefined);
  const mixed = await verifyMany(
    [good, bad, good],
    ...splitTrust({ now: NOW, keys, onReport: () => {} }),
  );
  assert.equal(mixed.verified, false);
  assert.equal(mixed.code, "ENVELOPE_MALFORMED");
  // Aborted before the end: not verified, whatever verified so far.
  const controller = new AbortController();
  controller.abort();
  const aborted = await verifyMany(
    [good],
    ...splitTrust({ now: NOW, keys, signal: controller.signal }),
  );
  assert.equal(aborted.aborted, true);
  assert.equal(aborted.verified, false);
  assert.equal(aborted.code, undefined);
});
