/**
 * Regenerates the sample fixtures under `fixtures/` byte-identically from fixed inputs.
 *
 * Run: `deno task fixtures`
 * (= `deno run --cached-only --allow-read=. --allow-write=fixtures scripts/make_fixtures.ts`).
 *
 * Each fixture has its own generator function returning `{ path, bytes }`; {@link makeFixtures}
 * lists them all (tests regenerate in memory and compare with the files on disk). To add a fixture
 * (e.g. a signed envelope of a statement below), write one more generator and list it in
 * {@link makeFixtures}; it is async so generators may sign.
 *
 * Inputs that are not generated (read, never written, by this script):
 * - `fixtures/keys/test-only-*.pem`: TEST-ONLY keys, made once with `openssl genpkey` (Ed25519,
 *   ECDSA P-256, RSA 3072) and committed. Never use them for anything but tests and the demo.
 * - `fixtures/sample/`: the sample image's SBOM (CycloneDX 1.5) and VEX (OpenVEX v0.2.0), written
 *   by hand; `rekor-proof.json`, a real Rekor v1 entry proof converted once from the sigstore-js
 *   test bundle `../shared/vectors/sigstore-js/tests/bundles/bundleV03-dsse.sigstore` and committed
 *   (this script never reads the vectors; `tests/model/rekor_proof_test.ts` re-checks the
 *   conversion where the set is present); `promotion.json`, the promotion inputs `deno task demo`
 *   and {@link promotionEnvelopeFixture} use.
 *
 * Signed envelopes use deterministic signatures only (Ed25519, and ECDSA P-256 with RFC 6979
 * nonces), so they regenerate byte for byte.
 *
 * @module
 */

import {
  attestPromotion,
  type AttestPromotionOptions,
  buildProvenance,
  canonicalize,
  createSigner,
  exportSubject,
  importKey,
  jobSubject,
  orchestratorSubject,
  parseJson,
  parseStatement,
  type PolicyDecisionValue,
  type ProvenancePredicate,
  serializeEnvelope,
  signEnvelope,
  type Signer,
  type Statement,
} from "../mod.ts";
import { sha256 } from "../lib/digest/mod.ts";
import { encodeHex, encodeUtf8 } from "../lib/encoding/mod.ts";
import { parseRekorProof } from "../lib/model/mod.ts";

/** One generated file: its path relative to the repository root and its exact bytes. */
export interface Fixture {
  /** Path relative to the repository root, with `/` separators, e.g. `fixtures/statements/x.json`. */
  path: string;
  /** The file's exact content. */
  bytes: Uint8Array;
}

const BUILDER_ID = "https://stella-ops.org/builders/orchestrator@v1";
const BUILDER_VERSION = { orchestrator: "1.4.2", provenance: "0.1.0" };

/** Sample orchestrator run record (fixed input). */
export const SAMPLE_RUN_RECORD = {
  cluster: "eu-west-1",
  runId: "run-20250131-0001",
  plan: "release",
  trigger: { kind: "tag", ref: "refs/tags/v2.3.0" },
  jobs: ["build-42", "scan-43", "export-44"],
  state: "succeeded",
  startedAt: "2025-01-31T12:00:00Z",
  finishedAt: "2025-01-31T12:41:07Z",
};

/** Sample job record (fixed input). */
export const SAMPLE_JOB_RECORD = {
  pipeline: "payments-api",
  jobId: "build-42",
  runId: "run-20250131-0001",
  image: "registry.stella-ops.local/payments-api:2.3.0",
  steps: [{ name: "compile", exitCode: 0 }, { name: "package", exitCode: 0 }],
  state: "succeeded",
};

/** Sample output artifact of the job (fixed bytes). */
export const SAMPLE_JOB_ARTIFACT = encodeUtf8("payments-api 2.3.0 image layer (sample bytes)\n");

/** Sample export: archive bytes and the files inside it (fixed inputs). */
export const SAMPLE_EXPORT = {
  exportId: "export-20250131-0044",
  archive: encodeUtf8(
    "sample export archive bytes: sbom.spdx.json vex.openvex.json findings.json\n",
  ),
  files: {
    "sbom.spdx.json": '{"spdxVersion":"SPDX-2.3","name":"payments-api"}\n',
    "vex.openvex.json": '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}\n',
    "findings.json": '{"critical":0,"high":1}\n',
  },
};

function statementFixture(path: string, statement: Statement<ProvenancePredicate>): Fixture {
  return { path, bytes: encodeUtf8(canonicalize(statement) + "\n") };
}

/** SLSA Provenance v1 statement about an orchestrator run. */
export function orchestratorStatementFixture(): Fixture {
  const run = SAMPLE_RUN_RECORD;
  return statementFixture(
    "fixtures/statements/orchestrator.statement.json",
    buildProvenance({
      subjects: [orchestratorSubject({ cluster: run.cluster, runId: run.runId, record: run })],
      buildType: "https://stella-ops.org/build-types/orchestrator-run/v1",
      builder: { id: BUILDER_ID, version: BUILDER_VERSION },
      externalParameters: { plan: run.plan, trigger: run.trigger },
      internalParameters: { cluster: run.cluster },
      invocationId: run.runId,
      startedOn: run.startedAt,
      finishedOn: run.finishedAt,
    }),
  );
}

/** SLSA Provenance v1 statement about a job and its output artifact. */
export function jobStatementFixture(): Fixture {
  const job = SAMPLE_JOB_RECORD;
  return statementFixture(
    "fixtures/statements/job.statement.json",
    buildProvenance({
      subjects: [
        jobSubject({ pipeline: job.pipeline, jobId: job.jobId, record: job }),
        {
          name: "payments-api.layer.tar",
          digest: { sha256: encodeHex(sha256(SAMPLE_JOB_ARTIFACT)) },
        },
      ],
      buildType: "https://stella-ops.org/build-types/job/v1",
      builder: { id: BUILDER_ID, version: BUILDER_VERSION },
      externalParameters: { pipeline: job.pipeline, ref: "refs/tags/v2.3.0" },
      resolvedDependencies: [
        {
          uri: "git+https://git.stella-ops.local/payments/api@refs/tags/v2.3.0",
          digest: { gitCommit: "4f6c2e1a9b7d3c5e8f0a1b2c3d4e5f6a7b8c9d0e" },
        },
      ],
      invocationId: `${job.runId}/${job.jobId}`,
      startedOn: "2025-01-31T12:00:05Z",
      finishedOn: "2025-01-31T12:17:30Z",
      byproducts: [
        { name: "build.log", digest: { sha256: encodeHex(sha256(encodeUtf8("build ok\n"))) } },
      ],
    }),
  );
}

/** SLSA Provenance v1 statement about an export (archive sha256 + Merkle root of its files). */
export function exportStatementFixture(): Fixture {
  const fileDigests = Object.values(SAMPLE_EXPORT.files).map((content) =>
    encodeHex(sha256(encodeUtf8(content)))
  );
  return statementFixture(
    "fixtures/statements/export.statement.json",
    buildProvenance({
      subjects: [
        exportSubject({
          exportId: SAMPLE_EXPORT.exportId,
          archive: SAMPLE_EXPORT.archive,
          fileDigests,
        }),
      ],
      buildType: "https://stella-ops.org/build-types/export/v1",
      builder: { id: BUILDER_ID, version: BUILDER_VERSION },
      externalParameters: { runId: SAMPLE_RUN_RECORD.runId, formats: ["spdx", "openvex"] },
      invocationId: SAMPLE_EXPORT.exportId,
      startedOn: "2025-01-31T12:38:00Z",
      finishedOn: "2025-01-31T12:41:00Z",
    }),
  );
}

/**
 * Generates every fixture in memory, in a fixed order.
 *
 * @returns The fixtures (path relative to the repository root, exact bytes).
 */
export async function makeFixtures(): Promise<Fixture[]> {
  const orchestrator = orchestratorStatementFixture();
  const job = jobStatementFixture();
  const exported = exportStatementFixture();
  const promotion = await promotionFixtures();
  return [
    orchestrator,
    job,
    exported,
    promotion.statement,
    await envelopeFixture("fixtures/envelopes/orchestrator.dsse.json", orchestrator, "ed25519"),
    await envelopeFixture("fixtures/envelopes/job.dsse.json", job, "ecdsa-p256"),
    await envelopeFixture("fixtures/envelopes/export.dsse.json", exported, "ecdsa-p256"),
    promotion.envelope,
  ];
}

const ROOT = new URL("../", import.meta.url);

/** Test-only sample keys in `fixtures/keys/` (made once with openssl; never regenerated). */
export const SAMPLE_KEYS = {
  "ed25519": "fixtures/keys/test-only-ed25519",
  "ecdsa-p256": "fixtures/keys/test-only-ecdsa-p256",
  "rsa-3072": "fixtures/keys/test-only-rsa-3072",
} as const;

/** Signer over a test-only sample key (`<path>.pem`). */
export async function sampleSigner(type: keyof typeof SAMPLE_KEYS): Promise<Signer> {
  const key = await importKey(await Deno.readFile(new URL(`${SAMPLE_KEYS[type]}.pem`, ROOT)));
  if (key.kind === "public") throw new TypeError(`${SAMPLE_KEYS[type]}.pem is a public key`);
  return createSigner(key);
}

/** The sample promotion inputs of `fixtures/sample/promotion.json`, file names resolved. */
export interface SamplePromotion {
  /** The options as `stella attest promotion` flags give them (documents as bytes). */
  options: AttestPromotionOptions;
  /** Paths (relative to the repository root) of the SBOM, VEX and Rekor proof files. */
  files: { sbom: string[]; vex: string[]; rekorProof: string | undefined };
}

/** Reads `fixtures/sample/promotion.json` and the files it names. */
export async function loadSamplePromotion(): Promise<SamplePromotion> {
  const dir = "fixtures/sample/";
  const path = `${dir}promotion.json`;
  const input = parseJson(await Deno.readFile(new URL(path, ROOT)), { name: path }) as {
    image: string;
    sbom: string[];
    vex: string[];
    from: string;
    to: string;
    approver: string[];
    promotedBy?: string;
    promotedAt: string;
    ticket?: string;
    policyDecision?: PolicyDecisionValue;
    rekorProof?: string;
  };
  const read = (file: string): Promise<Uint8Array> => Deno.readFile(new URL(dir + file, ROOT));
  const documents = (files: string[]) =>
    Promise.all(files.map(async (name) => ({ name, content: await read(name) })));
  const rekorProof = input.rekorProof === undefined
    ? undefined
    : parseRekorProof(await read(input.rekorProof), { name: dir + input.rekorProof });
  return {
    options: {
      image: input.image,
      sbom: await documents(input.sbom),
      vex: await documents(input.vex),
      from: input.from,
      to: input.to,
      approver: input.approver,
      promotedBy: input.promotedBy,
      promotedAt: input.promotedAt,
      ticket: input.ticket,
      policyDecision: input.policyDecision,
      rekorProof,
    },
    files: {
      sbom: input.sbom.map((f) => dir + f),
      vex: input.vex.map((f) => dir + f),
      rekorProof: input.rekorProof === undefined ? undefined : dir + input.rekorProof,
    },
  };
}

/**
 * The sample promotion statement and its envelope (Ed25519 test-only key), exactly as
 * `stella attest promotion` makes them from `fixtures/sample/promotion.json`.
 */
export async function promotionFixtures(): Promise<{ statement: Fixture; envelope: Fixture }> {
  const sample = await loadSamplePromotion();
  const { statement, envelope } = await attestPromotion(sample.options, [
    await sampleSigner("ed25519"),
  ]);
  return {
    statement: {
      path: "fixtures/statements/promotion.statement.json",
      bytes: encodeUtf8(canonicalize(statement) + "\n"),
    },
    envelope: {
      path: "fixtures/envelopes/promotion.dsse.json",
      bytes: encodeUtf8(serializeEnvelope(envelope) + "\n"),
    },
  };
}

/** Signs a statement fixture (its canonical JSON is the payload) with a test-only key. */
async function envelopeFixture(
  path: string,
  statement: Fixture,
  key: keyof typeof SAMPLE_KEYS,
): Promise<Fixture> {
  const envelope = await signEnvelope(parseStatement(statement.bytes, { name: statement.path }), [
    await sampleSigner(key),
  ]);
  return { path, bytes: encodeUtf8(serializeEnvelope(envelope) + "\n") };
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const fixture of await makeFixtures()) {
    const url = new URL(fixture.path, root);
    await Deno.mkdir(new URL("./", url), { recursive: true });
    await Deno.writeFile(url, fixture.bytes);
  }
}
