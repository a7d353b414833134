import assert from "node:assert/strict";
import { ParseError } from "../../lib/encoding/errors.ts";
import { encodeBase64 } from "../../lib/encoding/bytes.ts";
import { parseTrustedRoot } from "../../lib/verify/trusted_root.ts";
import { validateTrustPolicy } from "../../lib/verify/trust_policy.ts";
import { compileTrust, loadTrustMaterial } from "../../lib/verify/trust_material.ts";
import { DAY, makeIntermediate, makeRoot, T_START, trustedRootJson } from "./_bundle_builder.ts";

const KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const pemOf = (name: string) => Deno.readTextFileSync(new URL(`test-only-${name}.pub.pem`, KEYS));
const ED = pemOf("ed25519-a");
const P256 = pemOf("ecdsa-p256");

Deno.test("validateTrustPolicy() rejects a key whose validUntil is before its validFrom", () => {
  const problems = validateTrustPolicy({
    keys: [{
      publicKey: ED,
      validFrom: "2026-06-01T00:00:00Z",
      validUntil: "2026-01-01T00:00:00Z",
    }],
  });
  assert.deepEqual(problems.map((p) => [p.path, p.code]), [
    ["/keys/0/validUntil", "VALIDITY_WINDOW_INVALID"],
  ]);
  // An instant window and an open one are fine.
  assert.deepEqual(
    validateTrustPolicy({
      keys: [
        { publicKey: ED, validFrom: "2026-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" },
        { publicKey: ED, validFrom: "2026-01-01T00:00:00Z" },
      ],
    }),
    [],
  );
});

Deno.test("parseTrustedRoot() rejects an authority whose validFor ends before it starts", () => {
  const root = makeRoot("Test Window Root", T_START);
  const intermediate = makeIntermediate(root, "Test Window Intermediate", 2n);
  const chain = [intermediate.der, root.der];
  const backwards = { chain, start: T_START + 10 * DAY, end: T_START };
  for (
    const [cas, tsas, path] of [
      [[backwards], [], "/certificateAuthorities/0/validFor"],
      [[], [backwards], "/timestampAuthorities/0/validFor"],
    ] as const
  ) {
    assert.throws(() => parseTrustedRoot(trustedRootJson([...cas], [...tsas])), (error) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.code, "TRUSTED_ROOT_INVALID");
      assert.equal(error.message, `Cannot read trusted root: ${path} ends before it starts`);
      return true;
    });
  }
  const ok = parseTrustedRoot(trustedRootJson([{ chain, start: T_START, end: T_START }], []));
  assert.equal(ok.certificateAuthorities.length, 1);
});

Deno.test("loadTrustMaterial() builds one plain value from every source, with one digest", () => {
  const rootCert = makeRoot("Test Material Root", T_START);
  const root = trustedRootJson([{ chain: [rootCert.der], start: T_START }], []);
  const material = loadTrustMaterial({
    trustPolicy: JSON.stringify({
      version: 1,
      keys: [{ publicKey: ED, custodians: ["ir-team"], validFrom: "2026-01-01T00:00:00Z" }],
      threshold: 1,
      allowedPredicateTypes: ["x"],
    }),
    trustPolicyName: "trust.json",
    keys: [{ pem: P256, options: { name: "p256.pem", signatureEncoding: "any" } }],
    trustedRoot: root,
    tsaRoots: [rootCert.der],
  });
  assert.deepEqual(material.keys, [
    { custodians: ["ir-team"], publicKey: ED, validFrom: "2026-01-01T00:00:00Z" },
    { name: "p256.pem", publicKey: P256, signatureEncoding: "any" },
  ]);
  assert.equal(material.threshold, 1);
  assert.deepEqual(material.allowedPredicateTypes, ["x"]);
  assert.deepEqual(material.tsaRoots, [encodeBase64(rootCert.der)]);
  assert.deepEqual(material.trustedRoot, JSON.parse(root));
  assert.match(material.digest, /^sha256:[0-9a-f]{64}$/);
  // Serialisable: JSON and structured clones compile to the same trust.
  const copy = JSON.parse(JSON.stringify(material));
  assert.deepEqual(copy, material);
  const compiled = compileTrust(copy);
  assert.deepEqual(compiled.keys.map((k) => k.custodians), [["ir-team"], undefined]);
  assert.deepEqual(compiled.trustedRoot, JSON.parse(root));
  assert.equal(compiled.tsaRoots?.length, 1);
  assert.equal(compileTrust(copy), compiled); // compiled once per material object
  // The digest names the content: any change is a different trust, and a forged one is refused.
  assert.notEqual(loadTrustMaterial({ keys: [{ pem: ED }] }).digest, material.digest);
  assert.throws(() => compileTrust({ ...copy, threshold: 2 }), TypeError);
  assert.throws(() => compileTrust({} as never), TypeError);
});

Deno.test("loadTrustMaterial() names a policy or root file once, before what is wrong with it", () => {
  const cases: [() => unknown, string][] = [
    [() => loadTrustMaterial({ trustPolicy: "{", trustPolicyName: "t.json" }), "t.json"],
    [() => loadTrustMaterial({ trustPolicy: "{}", trustPolicyName: "t.json" }), "t.json"],
    [() => loadTrustMaterial({ trustedRoot: "{", trustedRootName: "root.json" }), "root.json"],
  ];
  for (const [load, name] of cases) {
    assert.throws(load, (error: Error) => {
      assert.equal(error.message.split(`"${name}"`).length, 2, error.message);
      return true;
    });
  }
  assert.throws(() => loadTrustMaterial({ trustPolicy: "{}", trustPolicyName: "t.json" }), {
    message: 'Cannot load trust policy "t.json": Invalid trust policy: /keys: Add a keys array',
  });
});

Deno.test("loadTrustMaterial() names the input that fails", () => {
  assert.throws(() => loadTrustMaterial({ trustPolicy: "{", trustPolicyName: "t.json" }), {
    name: "ParseError",
    message: /^Cannot load trust policy "t\.json": /,
  });
  assert.throws(
    () =>
      loadTrustMaterial({
        trustPolicy: { keys: [{ publicKey: "x" }] },
        trustPolicyName: "t.json",
      }),
    { name: "ParseError", message: /^Cannot load trust policy "t\.json": .*\/keys\/0/ },
  );
  assert.throws(() => loadTrustMaterial({ keys: [{ pem: "x", options: { name: "k.pem" } }] }), {
    name: "ParseError",
    message: /^Cannot decode PEM "k\.pem"/,
  });
  assert.throws(() => loadTrustMaterial({ trustedRoot: "{", trustedRootName: "root.json" }), {
    name: "ParseError",
    message: /^Cannot load trusted root "root\.json": /,
  });
  assert.throws(() => loadTrustMaterial({ tsaRoots: ["nothing"], tsaRootsName: "roots.pem" }), {
    name: "ParseError",
    message: 'Cannot decode PEM "roots.pem": no PEM block found',
  });
});
