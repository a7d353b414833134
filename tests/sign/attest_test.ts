import assert from "node:assert/strict";
import {
  attestPromotion,
  type AttestPromotionOptions,
  attestProvenance,
  canonicalize,
  orchestratorSubject,
  parseEnvelope,
  parseJson,
  serializeEnvelope,
  type Signer,
  validateStatement,
  ValidationError,
  verifyEnvelope,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { decodeUtf8, encodeHex, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { preAuthEncoding, validateProvenanceStatement } from "../../lib/model/mod.ts";
import { AuditedSigner, MemoryAuditLog, PolicySigner, verifyAuditLog } from "../../lib/sign/mod.ts";
import {
  loadSamplePromotion,
  SAMPLE_KEYS,
  SAMPLE_RUN_RECORD,
  sampleSigner,
} from "../../scripts/make_fixtures.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";
import { splitTrust } from "../verify/_trust.ts";

const SLSA_SPEC = vectorSet("slsa-spec");

const read = (path: string): Promise<Uint8Array> =>
  Deno.readFile(new URL(`../../${path}`, import.meta.url));
const readText = async (path: string): Promise<string> => decodeUtf8(await read(path));

const HEX = "decb56f377c12c19ace2c5ba58250bae15cd5df8222871facfa4c122fbbe7fb4";
const sample = await loadSamplePromotion();
const ed25519 = await sampleSigner("ed25519");
const p256 = await sampleSigner("ecdsa-p256");
const NOW = Date.UTC(2026, 0, 1);

async function trusted(type: keyof typeof SAMPLE_KEYS) {
  return {
    pem: await readText(`${SAMPLE_KEYS[type]}.pub.pem`),
    options: {
      signatureEncoding: "any",
    },
  };
}

/** A signer that records every call and signs nothing real. */
function spySigner(): Signer & { calls: Uint8Array[] } {
  const calls: Uint8Array[] = [];
  return {
    keyid: "spy",
    algorithm: "hmac-sha256",
    calls,
    sign(data) {
      calls.push(data);
      return Promise.resolve(new Uint8Array(32));
    },
  };
}

function minimal(overrides: Partial<AttestPromotionOptions> = {}): AttestPromotionOptions {
  return {
    image: `registry.example/app@sha256:${HEX}`,
    sbom: [{ name: "sbom.cdx.json", content: encodeUtf8("{}") }],
    vex: [{ name: "vex.openvex.json", content: encodeUtf8("[]") }],
    from: "staging",
    to: "production",
    approver: ["alice"],
    promotedAt: "2025-01-31T13:05:00Z",
    ...overrides,
  };
}

async function problemsOf(promise: Promise<unknown>, summary: RegExp): Promise<[string, string][]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    assert.match(error.message, summary);
    return error.problems.map((p) => [p.path, p.code]);
  }
  assert.fail("expected a ValidationError");
}

Deno.test("attestPromotion() reproduces the signed sample fixtures byte for byte", async () => {
  const { statement, envelope } = await attestPromotion(sample.options, [ed25519]);
  assert.equal(
    serializeEnvelope(envelope) + "\n",
    await readText("fixtures/envelopes/promotion.dsse.json"),
  );
  assert.equal(
    canonicalize(statement) + "\n",
    await readText("fixtures/statements/promotion.statement.json"),
  );
});

Deno.test("attestPromotion() digests the documents and records them SBOM first", async () => {
  const sbom = await read("fixtures/sample/sbom.cdx.json");
  const vex = await read("fixtures/sample/vex.openvex.json");
  const { statement } = await attestPromotion(sample.options, [ed25519]);
  assert.deepEqual(statement.predicate.materials, [
    {
      name: "sbom.cdx.json",
      digest: { sha256: encodeHex(sha256(sbom)) },
      mediaType: "application/vnd.cyclonedx+json",
      annotations: { role: "sbom" },
    },
    {
      name: "vex.openvex.json",
      digest: { sha256: encodeHex(sha256(vex)) },
      mediaType: "application/openvex+json",
      annotations: { role: "vex" },
    },
  ]);
  assert.deepEqual(statement.subject, [{
    name: "registry.stella-ops.local/payments/payments-api",
    digest: { sha256: HEX },
  }]);
});

Deno.test("attestPromotion() streams documents: chunked streams hash like their bytes", async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
  const chunks = (bytes: Uint8Array, size: number) =>
    ReadableStream.from(
      Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size)),
    );
  const fromStreams = await attestPromotion(
    minimal({
      sbom: [{ name: "big.spdx.json", content: chunks(big, 65536) }],
      vex: [{ name: "vex.cdx.json", content: chunks(encodeUtf8("[]"), 1) }],
    }),
    [ed25519],
  );
  const fromBytes = await attestPromotion(
    minimal({
      sbom: [{ name: "big.spdx.json", content: big }],
      vex: [{ name: "vex.cdx.json", content: encodeUtf8("[]") }],
    }),
    [ed25519],
  );
  assert.deepEqual(fromStreams, fromBytes);
  const [sbom, vex] = fromStreams.statement.predicate.materials;
  assert.equal(sbom?.digest.sha256, encodeHex(sha256(big)));
  assert.equal(sbom?.mediaType, "application/spdx+json");
  assert.equal(vex?.mediaType, "application/vnd.cyclonedx+json");
});

Deno.test("attestPromotion() keeps a given media type", async () => {
  const { statement } = await attestPromotion(
    minimal({
      vex: [{ name: "vex.json", mediaType: "application/csaf+json", content: encodeUtf8("") }],
    }),
    [ed25519],
  );
  assert.equal(statement.predicate.materials[1]?.mediaType, "application/csaf+json");
});

Deno.test("attestPromotion() is deterministic with Ed25519 and ECDSA P-256 (RFC 6979)", async () => {
  for (const signer of [ed25519, p256]) {
    const a = await attestPromotion(minimal(), [signer]);
    const b = await attestPromotion(minimal(), [signer]);
    assert.equal(serializeEnvelope(a.envelope), serializeEnvelope(b.envelope));
  }
});

Deno.test("attestPromotion() envelopes verify with the public keys, in signer order", async () => {
  const { envelope } = await attestPromotion(minimal(), [ed25519, p256]);
  assert.deepEqual(envelope.signatures.map((s) => s.keyid), [ed25519.keyid, p256.keyid]);
  const report = await verifyEnvelope(
    serializeEnvelope(envelope),
    ...splitTrust({
      now: NOW,
      keys: [await trusted("ed25519"), await trusted("ecdsa-p256")],
      threshold: 2,
      allowedPredicateTypes: ["stella.ops/promotion@v1"],
    }),
  );
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.equal(report.statement?.predicateType, "stella.ops/promotion@v1");
  assert.deepEqual(report.keyids, [ed25519.keyid, p256.keyid].sort());
});

Deno.test("attestPromotion() signs exactly the canonical statement with the in-toto type", async () => {
  const spy = spySigner();
  const { statement, envelope } = await attestPromotion(minimal(), [spy]);
  const payload = encodeUtf8(canonicalize(statement));
  assert.deepEqual(spy.calls, [preAuthEncoding("application/vnd.in-toto+json", payload)]);
  const parsed = parseEnvelope(serializeEnvelope(envelope));
  assert.equal(parsed.payloadType, "application/vnd.in-toto+json");
  assert.deepEqual(parsed.payloadBytes, payload);
  const signed = parseJson(parsed.payloadBytes) as { predicateType: string };
  assert.equal(signed.predicateType, "stella.ops/promotion@v1");
});

Deno.test("attestPromotion() names every invalid input and signs nothing", async () => {
  const spy = spySigner();
  const problems = await problemsOf(
    attestPromotion(
      minimal({
        image: "registry.example/app:latest",
        vex: [],
        from: "prod",
        to: "prod",
        approver: [],
        promotedAt: "2025-01-31 13:05",
      }),
      [spy],
    ),
    /^Cannot attest promotion: /,
  );
  assert.deepEqual(problems, [
    ["/predicate/image", "IMAGE_REFERENCE_INVALID"],
    ["/predicate/materials", "MATERIAL_ROLE_MISSING"],
    ["/predicate/promotion/approvals", "FIELD_REQUIRED"],
    ["/predicate/promotion/promotedAt", "TIMESTAMP_INVALID"],
    ["/predicate/promotion/to", "ENVIRONMENTS_EQUAL"],
  ]);
  assert.equal(spy.calls.length, 0);
});

Deno.test("attestPromotion() accepts policy wrappers: a refusal names every failing claim", async () => {
  const policy = {
    requiredClaims: [
      { pointer: "/predicateType", equals: "stella.ops/promotion@v1" },
      { pointer: "/predicate/promotion/to", equals: "production" },
      { pointer: "/predicate/promotion/policyDecision/decision", equals: "allow" },
      { pointer: "/predicate/promotion/ticket", pattern: "CHG-[0-9-]+" },
    ],
  };
  const spy = spySigner();
  const problems = await problemsOf(
    attestPromotion(minimal({ to: "qa" }), [new PolicySigner(spy, policy)]),
    /^Cannot sign statement: 3 required claims not met/,
  );
  assert.deepEqual(problems, [
    ["/predicate/promotion/to", "CLAIM_MISMATCH"],
    ["/predicate/promotion/policyDecision/decision", "CLAIM_MISSING"],
    ["/predicate/promotion/ticket", "CLAIM_MISSING"],
  ]);
  assert.equal(spy.calls.length, 0);
  const { envelope } = await attestPromotion(
    minimal({ policyDecision: "allow", ticket: "CHG-2025-1" }),
    [new PolicySigner(ed25519, policy)],
  );
  assert.equal(envelope.signatures[0]?.keyid, ed25519.keyid);
});

Deno.test("attestPromotion() accepts audited signers: one record naming the image", async () => {
  const log = new MemoryAuditLog();
  const signer = new AuditedSigner(ed25519, log, { actor: "ci", time: "2025-01-31T13:05:01Z" });
  const { envelope } = await attestPromotion(minimal(), [signer]);
  assert.equal(verifyAuditLog(log.bytes()).records, 1);
  const record = parseJson(log.text().trimEnd()) as Record<string, unknown>;
  assert.deepEqual(record["subjects"], [`sha256:${HEX}`]);
  assert.equal(record["keyid"], ed25519.keyid);
  assert.equal(
    record["payloadSha256"],
    encodeHex(sha256(parseEnvelope(serializeEnvelope(envelope)).payloadBytes)),
  );
});

Deno.test("attestPromotion() rejects misuse with TypeError/RangeError", async () => {
  await assert.rejects(attestPromotion(minimal(), []), RangeError);
  await assert.rejects(attestPromotion(minimal(), ed25519 as never), TypeError);
  await assert.rejects(attestPromotion(null as never, [ed25519]), TypeError);
  await assert.rejects(
    attestPromotion(minimal({ sbom: [{ name: "x", content: "text" as never }] }), [ed25519]),
    TypeError,
  );
  await assert.rejects(attestPromotion(minimal({ vex: "v.json" as never }), [ed25519]), TypeError);
});

Deno.test("attestProvenance() reproduces the signed orchestrator fixture", async () => {
  const run = SAMPLE_RUN_RECORD;
  const { envelope } = await attestProvenance({
    subject: [orchestratorSubject({ cluster: run.cluster, runId: run.runId, record: run })],
    buildType: "https://stella-ops.org/build-types/orchestrator-run/v1",
    builderId: "https://stella-ops.org/builders/orchestrator@v1",
    builderVersion: { orchestrator: "1.4.2", provenance: "0.1.0" },
    externalParameters: { plan: run.plan, trigger: run.trigger },
    internalParameters: { cluster: run.cluster },
    invocationId: run.runId,
    startedOn: run.startedAt,
    finishedOn: run.finishedAt,
  }, [ed25519]);
  assert.equal(
    serializeEnvelope(envelope) + "\n",
    await readText("fixtures/envelopes/orchestrator.dsse.json"),
  );
});

vectorTest(SLSA_SPEC, "attestProvenance() rebuilds the SLSA spec example statement", async () => {
  const example = parseJson(
    await SLSA_SPEC.read("github-actions-buildtypes/workflow/v1/example.json"),
  );
  const { statement, envelope } = await attestProvenance({
    subject: ["_=sha256:fe4fe40ac7250263c5dbe1cf3138912f3f416140aa248637a60d65fe22c47da4"],
    buildType: "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
    builderId:
      "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v0.0.1",
    externalParameters: {
      inputs: { build_id: 123456768, deploy_target: "deployment_sys_1a", perform_deploy: "true" },
      vars: { MASCOT: "Mona" },
      workflow: {
        ref: "refs/heads/main",
        repository: "https://github.com/octocat/hello-world",
        path: ".github/workflow/release.yml",
      },
    },
    internalParameters: { github: { actor_id: "1234567", event_name: "workflow_dispatch" } },
    resolvedDependency: [
      "git+https://github.com/octocat/hello-world@refs/heads/main=gitCommit:c27d339ee6075c1f744c5d4b200f7901aad2c369",
      "https://github.com/actions/virtual-environments/releases/tag/ubuntu20/20220515.1",
    ],
    invocationId: "https://github.com/octocat/hello-world/actions/runs/1536140711/attempts/1",
    startedOn: "2023-01-01T12:34:56Z",
  }, [p256]);
  assert.deepEqual(statement, example);
  assert.deepEqual(validateStatement(statement), []);
  assert.deepEqual(validateProvenanceStatement(statement), []);
  assert.equal(
    canonicalize(parseJson(parseEnvelope(serializeEnvelope(envelope)).payloadBytes)),
    canonicalize(example),
  );
});

Deno.test("attestProvenance() digests subject files after the given subjects", async () => {
  const bytes = encodeUtf8("artifact\n");
  const { statement } = await attestProvenance({
    subject: [{ name: "a.tar", digest: { sha256: HEX } }],
    subjectFile: [{
      name: "b.tar",
      content: ReadableStream.from([bytes.subarray(0, 3), bytes.subarray(3)]),
    }],
    buildType: "https://example.com/bt/v1",
    builderId: "https://example.com/builder",
    externalParameters: { x: 1 },
  }, [ed25519]);
  assert.deepEqual(statement.subject, [
    { name: "a.tar", digest: { sha256: HEX } },
    { name: "b.tar", digest: { sha256: encodeHex(sha256(bytes)) } },
  ]);
});

Deno.test("attestProvenance() names every invalid input and signs nothing", async () => {
  const spy = spySigner();
  const problems = await problemsOf(
    attestProvenance({
      subject: ["app.tar", `lib.so=sha512:${"ab".repeat(64)}`, "x=sha256:abcd"],
      buildType: "",
      builderId: "",
      externalParameters: {},
      resolvedDependency: ["git+https://host/repo=gitCommit:xyz"],
      startedOn: "2025-01-02T00:00:00Z",
      finishedOn: "2025-01-01T00:00:00Z",
    }, [spy]),
    /^Cannot attest provenance: /,
  );
  assert.deepEqual(problems, [
    ["/predicate/buildDefinition/buildType", "BUILD_TYPE_REQUIRED"],
    ["/predicate/buildDefinition/externalParameters", "EXTERNAL_PARAMS_REQUIRED"],
    [
      "/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit",
      "DIGEST_INVALID_ENCODING",
    ],
    ["/predicate/runDetails/builder/id", "BUILDER_ID_REQUIRED"],
    ["/predicate/runDetails/metadata/finishedOn", "TIMES_OUT_OF_ORDER"],
    ["/subject/0", "SUBJECT_ARGUMENT_INVALID"],
    ["/subject/1/digest/sha256", "SUBJECT_SHA256_REQUIRED"],
    ["/subject/2/digest/sha256", "DIGEST_INCORRECT_LENGTH"],
  ]);
  assert.equal(spy.calls.length, 0);
});

Deno.test("attestProvenance() keeps URIs with query strings whole", async () => {
  const { statement } = await attestProvenance({
    subject: [`a=sha256:${HEX}`],
    buildType: "https://example.com/bt/v1",
    builderId: "https://example.com/builder",
    externalParameters: { x: 1 },
    resolvedDependency: ["https://host/dl?file=a.tgz&v=2", `https://host/b?x=1=sha256:${HEX}`],
  }, [ed25519]);
  assert.deepEqual(statement.predicate.buildDefinition.resolvedDependencies, [
    { uri: "https://host/dl?file=a.tgz&v=2" },
    { uri: "https://host/b?x=1", digest: { sha256: HEX } },
  ]);
});

Deno.test("every signed fixture verifies with its test-only public key", async () => {
  const cases = [
    ["orchestrator", "ed25519"],
    ["job", "ecdsa-p256"],
    ["export", "ecdsa-p256"],
    ["promotion", "ed25519"],
  ] as const;
  for (const [name, key] of cases) {
    const bytes = await read(`fixtures/envelopes/${name}.dsse.json`);
    const report = await verifyEnvelope(
      bytes,
      ...splitTrust({ now: NOW, keys: [await trusted(key)] }),
    );
    assert.equal(report.verified, true, `${name}: ${JSON.stringify(report.checks)}`);
    const statement = await readText(`fixtures/statements/${name}.statement.json`);
    assert.equal(decodeUtf8(parseEnvelope(bytes).payloadBytes) + "\n", statement, name);
    const other = await verifyEnvelope(
      bytes,
      ...splitTrust({
        now: NOW,
        keys: [await trusted(key === "ed25519" ? "ecdsa-p256" : "ed25519")],
      }),
    );
    assert.equal(other.verified, false, `${name} must not verify with the other key`);
  }
});
