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
 * @module
 */

import {
  buildProvenance,
  canonicalize,
  encodeHex,
  encodeUtf8,
  exportSubject,
  jobSubject,
  orchestratorSubject,
  type ProvenancePredicate,
  sha256,
  type Statement,
} from "../mod.ts";

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
export function makeFixtures(): Promise<Fixture[]> {
  return Promise.resolve([
    orchestratorStatementFixture(),
    jobStatementFixture(),
    exportStatementFixture(),
  ]);
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const fixture of await makeFixtures()) {
    const url = new URL(fixture.path, root);
    await Deno.mkdir(new URL("./", url), { recursive: true });
    await Deno.writeFile(url, fixture.bytes);
  }
}
