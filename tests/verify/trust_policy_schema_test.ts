// docs/schemas/trust-policy.schema.json (checked with ajv, an independent JSON Schema 2020-12
// validator used in tests only) and validateTrustPolicy must agree: every trust.json in fixtures/,
// every example in docs/trust-policy.md and every `stella trust init` output is accepted by both
// (and loads); every invalid variant below is rejected by both; the only disagreements are the
// rules the schema's description lists as out of its reach.
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import {
  createTrustPolicy,
  importKeyPem,
  loadTrustMaterial,
  parseJson,
  type PublicKey,
  validateTrustPolicy,
} from "../../mod.ts";
import { SIGNATURE_ALGORITHMS } from "../../lib/keys/mod.ts";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string): Promise<Uint8Array> => Deno.readFile(new URL(path, ROOT));

const schema = parseJson(await read("docs/schemas/trust-policy.schema.json")) as Record<
  string,
  unknown
>;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const schemaAccepts = ajv.compile(schema);

async function fixturePolicies(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (
        entry.name.endsWith(".json") &&
        (entry.name === "trust.json" || entry.name.endsWith(".trust.json") ||
          dir.endsWith("/trust/"))
      ) found.push(path);
    }
  }
  await walk("fixtures/");
  return found.sort();
}

async function docExamples(): Promise<string[]> {
  const text = new TextDecoder().decode(await read("docs/trust-policy.md"));
  return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

const PEM = new TextDecoder().decode(await read("fixtures/keys/test-only-ed25519.pub.pem"));
const BASE = { version: 1, keys: [{ publicKey: PEM }] };

Deno.test("trust-policy schema: every trust.json in fixtures/ is accepted by the schema and validateTrustPolicy, and loads", async () => {
  const paths = await fixturePolicies();
  assert.ok(paths.length >= 15, `found only ${paths.length} trust policies`);
  for (const path of paths) {
    const doc = parseJson(await read(path));
    assert.deepEqual(validateTrustPolicy(doc), [], path);
    assert.equal(schemaAccepts(doc), true, `${path}: ${JSON.stringify(schemaAccepts.errors)}`);
    loadTrustMaterial({ trustPolicy: doc as never });
  }
});

Deno.test("trust-policy schema: every example in docs/trust-policy.md is accepted by both and loads", async () => {
  const examples = await docExamples();
  assert.equal(examples.length, 4);
  for (const text of examples) {
    const doc = parseJson(text);
    assert.deepEqual(validateTrustPolicy(doc), [], text);
    assert.equal(schemaAccepts(doc), true, JSON.stringify(schemaAccepts.errors));
    const policy = loadTrustMaterial({ trustPolicy: doc as never });
    assert.ok(policy.keys.length >= 1);
  }
});

Deno.test("trust-policy schema: createTrustPolicy output is accepted by both", () => {
  const key = importKeyPem(PEM) as PublicKey;
  const doc = createTrustPolicy([{ publicKey: key, name: "k.pub.pem" }], {
    threshold: 1,
    predicateType: ["stella.ops/promotion@v1"],
  });
  assert.deepEqual(validateTrustPolicy(doc), []);
  assert.equal(schemaAccepts(doc), true);
});

Deno.test("trust-policy schema: the algorithm enumeration is SIGNATURE_ALGORITHMS", () => {
  const defs = schema["$defs"] as Record<
    string,
    { properties: Record<string, { enum?: unknown }> }
  >;
  assert.deepEqual(defs["key"]!.properties["algorithm"]!.enum, [...SIGNATURE_ALGORITHMS]);
});

/** Variants that validateTrustPolicy rejects; the schema must reject each too. */
const INVALID: [string, unknown][] = [
  ["not an object", []],
  ["null", null],
  ["unknown top-level field", { ...BASE, trust: true }],
  ["version 2", { ...BASE, version: 2 }],
  ["version as a string", { ...BASE, version: "1" }],
  ["no keys", { version: 1 }],
  ["keys not an array", { keys: {} }],
  ["key entry not an object", { keys: ["pem"] }],
  ["key entry without publicKey", { keys: [{ name: "x" }] }],
  ["publicKey not a string", { keys: [{ publicKey: 1 }] }],
  ["unknown key field", { keys: [{ publicKey: PEM, validUntill: "2026-01-01T00:00:00Z" }] }],
  ["keyid not a string", { keys: [{ publicKey: PEM, keyid: 7 }] }],
  ["name not a string", { keys: [{ publicKey: PEM, name: null }] }],
  ["unknown algorithm", { keys: [{ publicKey: PEM, algorithm: "rsa-sha1" }] }],
  ["bad signatureEncoding", { keys: [{ publicKey: PEM, signatureEncoding: "raw" }] }],
  ["custodians not an array", { keys: [{ publicKey: PEM, custodians: "a@x" }] }],
  ["custodians with an empty string", { keys: [{ publicKey: PEM, custodians: [""] }] }],
  ["custodians with a number", { keys: [{ publicKey: PEM, custodians: [1] }] }],
  ["validFrom without a zone", { keys: [{ publicKey: PEM, validFrom: "2026-01-01T00:00:00" }] }],
  ["validUntil as a date", { keys: [{ publicKey: PEM, validUntil: "2026-01-01" }] }],
  ["revokedAt hour 24", { keys: [{ publicKey: PEM, revokedAt: "2026-01-01T24:00:00Z" }] }],
  ["revokedAt month 13", { keys: [{ publicKey: PEM, revokedAt: "2026-13-01T00:00:00Z" }] }],
  ["revokedAt lower-case t", { keys: [{ publicKey: PEM, revokedAt: "2026-01-01t00:00:00Z" }] }],
  ["validFrom as a number", { keys: [{ publicKey: PEM, validFrom: 1767225600 }] }],
  ["threshold 0", { ...BASE, threshold: 0 }],
  ["threshold 1.5", { ...BASE, threshold: 1.5 }],
  ["threshold as a string", { ...BASE, threshold: "1" }],
  ["threshold beyond 2^53", { ...BASE, threshold: 2 ** 60 }],
  ["allowedPredicateTypes not an array", { ...BASE, allowedPredicateTypes: "x" }],
  ["allowedPredicateTypes with a number", { ...BASE, allowedPredicateTypes: [1] }],
  ["tsaRoots not an array", { ...BASE, tsaRoots: "PEM" }],
  ["requiredClaims not an array", { ...BASE, requiredClaims: {} }],
  ["claim not an object", { ...BASE, requiredClaims: ["/a"] }],
  ["claim without pointer", { ...BASE, requiredClaims: [{ equals: 1 }] }],
  ["pointer not a string", { ...BASE, requiredClaims: [{ pointer: 1 }] }],
  ["pointer without a leading slash", { ...BASE, requiredClaims: [{ pointer: "a/b" }] }],
  ["pointer with a bad escape", { ...BASE, requiredClaims: [{ pointer: "/a~2" }] }],
  ["unknown claim field", { ...BASE, requiredClaims: [{ pointer: "/a", matches: "x" }] }],
  ["empty oneOf", { ...BASE, requiredClaims: [{ pointer: "/a", oneOf: [] }] }],
  ["oneOf not an array", { ...BASE, requiredClaims: [{ pointer: "/a", oneOf: "x" }] }],
  ["pattern not a string", { ...BASE, requiredClaims: [{ pointer: "/a", pattern: 1 }] }],
  ["present not a boolean", { ...BASE, requiredClaims: [{ pointer: "/a", present: "yes" }] }],
  [
    "present false with equals",
    { ...BASE, requiredClaims: [{ pointer: "/a", present: false, equals: 1 }] },
  ],
  [
    "present false with pattern",
    { ...BASE, requiredClaims: [{ pointer: "/a", present: false, pattern: "x" }] },
  ],
  ["transparencyLogs not an array", { ...BASE, transparencyLogs: {} }],
  ["log without publicKey", { ...BASE, transparencyLogs: [{ origin: "x" }] }],
  ["log publicKey not a string", { ...BASE, transparencyLogs: [{ publicKey: 1 }] }],
  ["log origin not a string", { ...BASE, transparencyLogs: [{ publicKey: PEM, origin: 2 }] }],
  ["unknown log field", { ...BASE, transparencyLogs: [{ publicKey: PEM, url: "https://x" }] }],
];

Deno.test("trust-policy schema: every variant validateTrustPolicy rejects, the schema rejects", () => {
  for (const [why, doc] of INVALID) {
    assert.notDeepEqual(validateTrustPolicy(doc), [], `validateTrustPolicy accepts: ${why}`);
    assert.equal(schemaAccepts(doc), false, `schema accepts: ${why}`);
  }
});

Deno.test("trust-policy schema: valid variants are accepted by both (optional fields, claims, offsets)", () => {
  const valid: [string, unknown][] = [
    ["empty keys", { keys: [] }],
    ["no version", { keys: [{ publicKey: PEM }] }],
    ["offset time and fraction", {
      keys: [{ publicKey: PEM, validFrom: "2026-01-01T01:00:00.123+01:00" }],
    }],
    ["claims of every kind", {
      ...BASE,
      requiredClaims: [
        { pointer: "" },
        { pointer: "/a~0b/c~1d/0", equals: { x: [1, null] } },
        { pointer: "/p", oneOf: [1, "a", null] },
        { pointer: "/q", pattern: "[a-z]+", present: true },
        { pointer: "/r", present: false },
      ],
    }],
    ["empty lists", { ...BASE, allowedPredicateTypes: [], tsaRoots: [], transparencyLogs: [] }],
    ["log without origin", { ...BASE, transparencyLogs: [{ publicKey: PEM }] }],
  ];
  for (const [why, doc] of valid) {
    assert.deepEqual(validateTrustPolicy(doc), [], why);
    assert.equal(schemaAccepts(doc), true, `${why}: ${JSON.stringify(schemaAccepts.errors)}`);
  }
});

Deno.test("trust-policy schema: the rules it documents as out of its reach are the only disagreements", () => {
  const beyond: [string, unknown][] = [
    ["30 February", { keys: [{ publicKey: PEM, validFrom: "2026-02-30T00:00:00Z" }] }],
    ["pattern that does not compile", {
      ...BASE,
      requiredClaims: [{ pointer: "/a", pattern: "(" }],
    }],
  ];
  for (const [why, doc] of beyond) {
    assert.equal(schemaAccepts(doc), true, why);
    assert.notDeepEqual(validateTrustPolicy(doc), [], why);
  }
  // A PEM that is not a key passes both validators and fails when the policy is loaded.
  const notAKey = {
    keys: [{ publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }],
  };
  assert.equal(schemaAccepts(notAKey), true);
  assert.deepEqual(validateTrustPolicy(notAKey), []);
  assert.throws(() => loadTrustMaterial({ trustPolicy: notAKey }), { code: "KEY_INVALID" });
  const description = String(schema["description"]);
  for (
    const rule of [
      "real calendar dates",
      "validUntil is not before its validFrom",
      "regular expression",
      "PEM",
    ]
  ) {
    assert.ok(description.includes(rule), rule);
  }
});
