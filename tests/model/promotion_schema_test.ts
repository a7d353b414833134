// The TypeScript validator (validatePromotionStatement) and the JSON Schema
// (docs/schemas/promotion-v1.schema.json, checked with ajv, an independent JSON Schema 2020-12
// validator used in tests only) must agree: every promotion fixture and envelope payload is
// accepted by both, every invalid variant below is rejected by both, and the only disagreements
// are the cross-field rules the schema documents as out of its reach.
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import { parseEnvelope, parseJson } from "../../mod.ts";
import { decodeBase64 } from "../../lib/encoding/mod.ts";
import { validatePromotionStatement } from "../../lib/model/mod.ts";

/** A parsed JSON document the tests change freely (shape checked by the validators). */
// deno-lint-ignore no-explicit-any
type MutableJson = Record<string, any>;

const read = (path: string): Promise<Uint8Array> =>
  Deno.readFile(new URL(`../../${path}`, import.meta.url));

const schema = parseJson(await read("docs/schemas/promotion-v1.schema.json")) as Record<
  string,
  unknown
>;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validateSchema = ajv.compile(schema);

const statementPath = "fixtures/statements/promotion.statement.json";
const sample = parseJson(await read(statementPath)) as Record<string, unknown>;
const envelope = parseEnvelope(await read("fixtures/envelopes/promotion.dsse.json"));

function schemaAccepts(value: unknown): boolean {
  return validateSchema(value) as boolean;
}

function mutate(change: (s: MutableJson) => void): Record<string, unknown> {
  const copy = structuredClone(sample) as MutableJson;
  change(copy);
  return copy;
}

const HEX = "ab".repeat(32);

/** Variants both validators must accept (in-toto parsing rules, optional fields, extensions). */
const VALID: [string, (s: MutableJson) => void][] = [
  ["unchanged sample", () => {}],
  ["unknown fields everywhere", (s) => {
    s.extra = 1;
    s.predicate.extra = [];
    s.predicate.image.extra = {};
    s.predicate.promotion.extra = null;
    s.predicate.rekor.inclusionProof.extra = "x";
  }],
  ["optional fields null", (s) => {
    s.predicate.image.tag = null;
    s.predicate.promotion.promotedBy = null;
    s.predicate.promotion.ticket = null;
    s.predicate.promotion.policyDecision = null;
    s.predicate.rekor = null;
  }],
  ["optional fields empty", (s) => {
    s.predicate.image.tag = "";
    s.predicate.promotion.ticket = "";
    s.predicate.promotion.approvals[0].at = "";
  }],
  ["optional fields absent", (s) => {
    delete s.predicate.image.tag;
    delete s.predicate.promotion.promotedBy;
    delete s.predicate.promotion.ticket;
    delete s.predicate.promotion.policyDecision;
    delete s.predicate.rekor;
    delete s.predicate.rekor;
  }],
  ["full policy decision and approval times", (s) => {
    s.predicate.promotion.policyDecision = {
      decision: "warn",
      policy: "promotion-gate@v3",
      evaluatedAt: "2025-01-31T13:04:59.123456789Z",
    };
    s.predicate.promotion.approvals[1].at = "2025-01-31T12:00:00Z";
  }],
  ["extra digests in the sets", (s) => {
    s.subject[0].digest.sha512 = "cd".repeat(64);
    s.predicate.image.digest.sha512 = "cd".repeat(64);
    s.predicate.materials[0].digest.customAlg = "anything";
  }],
  ["several SBOMs, more descriptor fields", (s) => {
    s.predicate.materials.push({
      ...s.predicate.materials[0],
      name: "sbom.spdx.json",
      mediaType: "application/spdx+json",
      uri: "https://sbom.example/app.spdx.json",
      downloadLocation: null,
      content: null,
    });
  }],
  ["rekor without body, empty audit path", (s) => {
    delete s.predicate.rekor.canonicalizedBody;
    s.predicate.rekor.inclusionProof.hashes = [];
  }],
  ["leap-year day", (s) => (s.predicate.promotion.promotedAt = "2024-02-29T23:59:59Z")],
];

/** Variants both validators must reject. */
const INVALID: [string, (s: MutableJson) => void][] = [
  ["_type v0.1", (s) => (s._type = "https://in-toto.io/Statement/v0.1")],
  ["_type missing", (s) => delete s._type],
  ["wrong predicateType", (s) => (s.predicateType = "https://slsa.dev/provenance/v1")],
  ["no subject", (s) => (s.subject = [])],
  ["two subjects", (s) => s.subject.push(s.subject[0])],
  ["subject without name", (s) => delete s.subject[0].name],
  ["subject digest without sha256", (s) => (s.subject[0].digest = { sha512: "cd".repeat(64) })],
  ["subject sha256 uppercase", (s) => (s.subject[0].digest.sha256 = HEX.toUpperCase())],
  ["subject sha256 too short", (s) => (s.subject[0].digest.sha256 = "abcd")],
  ["subject digest empty", (s) => (s.subject[0].digest = {})],
  ["subject digest value not a string", (s) => (s.subject[0].digest.other = 1)],
  ["known algorithm wrong length", (s) => (s.subject[0].digest.sha1 = "ab")],
  ["known algorithm not hex", (s) => (s.subject[0].digest.gitCommit = "z".repeat(40))],
  ["subject uri not a string", (s) => (s.subject[0].uri = 5)],
  ["predicate missing", (s) => delete s.predicate],
  ["predicate not an object", (s) => (s.predicate = [])],
  ["image missing", (s) => delete s.predicate.image],
  ["image name empty", (s) => (s.predicate.image.name = "")],
  ["image tag not a string", (s) => (s.predicate.image.tag = 2)],
  ["image digest missing", (s) => delete s.predicate.image.digest],
  ["image digest null", (s) => (s.predicate.image.digest = null)],
  ["materials missing", (s) => delete s.predicate.materials],
  ["materials empty", (s) => (s.predicate.materials = [])],
  ["materials not an array", (s) => (s.predicate.materials = {})],
  ["no SBOM", (s) => s.predicate.materials.shift()],
  ["no VEX", (s) => s.predicate.materials.pop()],
  ["material without mediaType", (s) => delete s.predicate.materials[0].mediaType],
  ["material mediaType empty", (s) => (s.predicate.materials[0].mediaType = "")],
  ["material without name", (s) => delete s.predicate.materials[1].name],
  ["material without digest", (s) => delete s.predicate.materials[1].digest],
  ["material without annotations", (s) => delete s.predicate.materials[1].annotations],
  ["material annotations null", (s) => (s.predicate.materials[1].annotations = null)],
  ["material annotations a string", (s) => (s.predicate.materials[1].annotations = "vex")],
  ["material role unknown", (s) => (s.predicate.materials[1].annotations.role = "scan")],
  ["material role not a string", (s) => (s.predicate.materials[1].annotations.role = 1)],
  ["material not an object", (s) => s.predicate.materials.push("x")],
  ["promotion missing", (s) => delete s.predicate.promotion],
  ["promotion null", (s) => (s.predicate.promotion = null)],
  ["from missing", (s) => delete s.predicate.promotion.from],
  ["to empty", (s) => (s.predicate.promotion.to = "")],
  ["from not a string", (s) => (s.predicate.promotion.from = ["staging"])],
  ["promotedAt missing", (s) => delete s.predicate.promotion.promotedAt],
  [
    "promotedAt with offset",
    (s) => (s.predicate.promotion.promotedAt = "2025-01-31T14:05:00+01:00"),
  ],
  ["promotedAt date only", (s) => (s.predicate.promotion.promotedAt = "2025-01-31")],
  ["promotedAt month 13", (s) => (s.predicate.promotion.promotedAt = "2025-13-01T00:00:00Z")],
  ["promotedAt hour 24", (s) => (s.predicate.promotion.promotedAt = "2025-01-01T24:00:00Z")],
  ["promotedAt lowercase z", (s) => (s.predicate.promotion.promotedAt = "2025-01-01T00:00:00z")],
  ["promotedBy not a string", (s) => (s.predicate.promotion.promotedBy = {})],
  ["approvals missing", (s) => delete s.predicate.promotion.approvals],
  ["approvals empty", (s) => (s.predicate.promotion.approvals = [])],
  ["approval without approver", (s) => (s.predicate.promotion.approvals[0] = { at: null })],
  ["approval not an object", (s) => (s.predicate.promotion.approvals[0] = "alice")],
  ["approval time invalid", (s) => (s.predicate.promotion.approvals[0].at = "now")],
  ["decision unknown", (s) => (s.predicate.promotion.policyDecision.decision = "permit")],
  ["decision missing", (s) => (s.predicate.promotion.policyDecision = { policy: "p" })],
  ["policyDecision a string", (s) => (s.predicate.promotion.policyDecision = "allow")],
  ["evaluatedAt invalid", (s) => (s.predicate.promotion.policyDecision.evaluatedAt = 1)],
  ["ticket not a string", (s) => (s.predicate.promotion.ticket = 42)],
  ["rekor not an object", (s) => (s.predicate.rekor = "proof")],
  [
    "rekor logId uppercase",
    (s) => (s.predicate.rekor.logId = s.predicate.rekor.logId.toUpperCase()),
  ],
  ["rekor logIndex negative", (s) => (s.predicate.rekor.logIndex = -1)],
  ["rekor logIndex a string", (s) => (s.predicate.rekor.logIndex = "27246114")],
  ["rekor logIndex fractional", (s) => (s.predicate.rekor.logIndex = 1.5)],
  ["rekor logIndex above 2^53", (s) => (s.predicate.rekor.logIndex = 2 ** 53)],
  ["rekor integratedTime missing", (s) => delete s.predicate.rekor.integratedTime],
  ["rekor body not base64", (s) => (s.predicate.rekor.canonicalizedBody = "a b")],
  ["rekor body unpadded", (s) => (s.predicate.rekor.canonicalizedBody = "YWI")],
  ["rekor SET empty", (s) => (s.predicate.rekor.signedEntryTimestamp = "")],
  ["rekor SET url-safe", (s) => (s.predicate.rekor.signedEntryTimestamp = "-_8=")],
  ["rekor inclusionProof missing", (s) => delete s.predicate.rekor.inclusionProof],
  ["rekor treeSize 0", (s) => (s.predicate.rekor.inclusionProof.treeSize = 0)],
  ["rekor rootHash short", (s) => (s.predicate.rekor.inclusionProof.rootHash = "abcd")],
  ["rekor hashes missing", (s) => delete s.predicate.rekor.inclusionProof.hashes],
  ["rekor hash invalid", (s) => (s.predicate.rekor.inclusionProof.hashes[0] = HEX + "00")],
  ["rekor checkpoint empty", (s) => (s.predicate.rekor.inclusionProof.checkpoint = "")],
  ["statement with no fields", (s) => {
    for (const key of Object.keys(s)) delete s[key];
  }],
];

/** Rules JSON Schema cannot express: the schema accepts, the TypeScript validator rejects. */
const CROSS_FIELD: [string, string, (s: MutableJson) => void][] = [
  ["subject digest is not the image's", "SUBJECT_IMAGE_MISMATCH", (s) => {
    s.subject[0].digest.sha256 = HEX;
  }],
  ["subject name is not the image's", "SUBJECT_IMAGE_MISMATCH", (s) => {
    s.subject[0].name = "registry.example/other";
  }],
  ["from equals to", "ENVIRONMENTS_EQUAL", (s) => {
    s.predicate.promotion.to = s.predicate.promotion.from;
  }],
  ["February 30th", "TIMESTAMP_INVALID", (s) => {
    s.predicate.promotion.promotedAt = "2025-02-30T00:00:00Z";
  }],
  ["material content with bad padding bits", "RD_CONTENT_INVALID", (s) => {
    s.predicate.materials[0].content = "YR==";
  }],
];

Deno.test("promotion schema: ajv compiles the schema in strict mode", () => {
  assert.equal(typeof validateSchema, "function");
  assert.equal(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
});

Deno.test("promotion schema: the statement fixture passes both validators", () => {
  assert.deepEqual(validatePromotionStatement(sample), []);
  assert.equal(schemaAccepts(sample), true, JSON.stringify(validateSchema.errors));
});

Deno.test("promotion schema: the signed envelope's payload passes both validators", () => {
  const payload = parseJson(envelope.payloadBytes);
  assert.deepEqual(validatePromotionStatement(payload), []);
  assert.equal(schemaAccepts(payload), true, JSON.stringify(validateSchema.errors));
  assert.deepEqual(payload, parseJson(decodeBase64(envelope.payload)));
});

for (const [name, change] of VALID) {
  Deno.test(`promotion schema: both accept ${name}`, () => {
    const value = mutate(change);
    assert.deepEqual(validatePromotionStatement(value), []);
    assert.equal(schemaAccepts(value), true, JSON.stringify(validateSchema.errors));
  });
}

for (const [name, change] of INVALID) {
  Deno.test(`promotion schema: both reject ${name}`, () => {
    const value = mutate(change);
    assert.notDeepEqual(validatePromotionStatement(value), [], "TypeScript validator accepted");
    assert.equal(schemaAccepts(value), false, "JSON Schema accepted");
  });
}

for (const [name, code, change] of CROSS_FIELD) {
  Deno.test(`promotion schema: only the TypeScript validator catches ${name} (${code})`, () => {
    const value = mutate(change);
    assert.deepEqual(validatePromotionStatement(value).map((p) => p.code), [code]);
    assert.equal(schemaAccepts(value), true, JSON.stringify(validateSchema.errors));
  });
}
