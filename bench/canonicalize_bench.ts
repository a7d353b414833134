// Canonical JSON (RFC 8785) and strict parsing throughput.
//
//   deno bench --cached-only -A bench/canonicalize_bench.ts
//
// Inputs are generated deterministically here (seeded PRNG), then normalized through
// JSON.parse(JSON.stringify(...)) so every bench sees what a parsed document looks like in memory.
// Note: the npm package returns a rope (unflattened string) that the bench never reads, while our
// canonicalize() returns a flat string, so the comparison slightly favours the npm package.
import canonicalizeModule from "canonicalize";
import { canonicalize, parseJson } from "../mod.ts";

/** The npm `canonicalize` package (CommonJS default export; its typings do not say so). */
const npmCanonicalize = canonicalizeModule as unknown as (value: unknown) => string;

/** Seeded PRNG (mulberry32). */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "core",
  "util",
  "http",
  "crypto",
  "json",
  "yaml",
  "log",
  "cli",
  "test",
  "zlib",
  "tar",
  "semver",
  "glob",
  "path",
  "stream",
  "buffer",
  "event",
  "proto",
  "grpc",
  "tls",
  "über",
  "naïve",
  "日本",
];
const ECOSYSTEMS = ["npm", "pypi", "golang", "maven", "cargo", "deb", "oci"];
const LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC"];

function makeGenerator(seed: number) {
  const random = makeRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (below: number): number => Math.floor(random() * below);
  const hex = (length: number): string => {
    const bytes = new Uint8Array(length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    return bytes.toHex();
  };
  const name = (): string => `${pick(WORDS)}-${pick(WORDS)}${int(100)}`;
  return { random, pick, int, hex, name };
}

/**
 * An in-toto Statement v1 with a SLSA Provenance v1 predicate (GitHub Actions buildType), with
 * `dependencies` resolved dependencies and `byproducts` byproducts. Members are written in the
 * order builders usually write them (not sorted), with some optional fields, non-ASCII text,
 * escapes and numbers.
 */
function makeProvenance(seed: number, dependencies: number, byproducts: number): unknown {
  const g = makeGenerator(seed);
  const resolvedDependencies = [];
  for (let i = 0; i < dependencies; i++) {
    const ecosystem = g.pick(ECOSYSTEMS);
    const name = g.name();
    const version = `${g.int(10)}.${g.int(30)}.${g.int(100)}`;
    const dependency: Record<string, unknown> = {
      uri: `pkg:${ecosystem}/${name}@${version}`,
      digest: g.random() < 0.5 ? { sha256: g.hex(64) } : { sha512: g.hex(128), sha256: g.hex(64) },
    };
    if (g.random() < 0.6) dependency.name = name;
    if (g.random() < 0.3) {
      dependency.downloadLocation =
        `https://registry.example.com/${ecosystem}/${name}/-/${name}-${version}.tgz`;
    }
    if (g.random() < 0.4) {
      dependency.annotations = {
        size: g.int(1e7),
        score: Math.round(g.random() * 1e6) / 1e3,
        license: g.pick(LICENSES),
        direct: g.random() < 0.5,
        note: g.random() < 0.2 ? `line one\nline "two"\t${g.pick(WORDS)} €` : null,
      };
    }
    resolvedDependencies.push(dependency);
  }
  const byproductList = [];
  for (let i = 0; i < byproducts; i++) {
    byproductList.push({
      name: `logs/step-${i}/${g.name()}.log`,
      mediaType: "text/plain",
      digest: { sha256: g.hex(64) },
      annotations: { exitCode: g.int(3), durationSeconds: Math.round(g.random() * 1e5) / 100 },
    });
  }
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [
      { name: "registry.example.com/stella/app", digest: { sha256: g.hex(64) } },
      { name: "registry.example.com/stella/app-sbom", digest: { sha256: g.hex(64) } },
    ],
    predicateType: "https://slsa.dev/provenance/v1",
    predicate: {
      buildDefinition: {
        buildType: "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
        externalParameters: {
          workflow: {
            ref: "refs/heads/main",
            repository: "https://github.com/stellaops/app",
            path: ".github/workflows/release.yml",
          },
          inputs: { build_id: 123456768, deploy_target: "deployment_sys_1a" },
          vars: { MASCOT: "Mona" },
        },
        internalParameters: { github: { actor_id: "1234567", event_name: "workflow_dispatch" } },
        resolvedDependencies,
      },
      runDetails: {
        builder: {
          id: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/" +
            "builder_go_slsa3.yml@refs/tags/v2.0.0",
          version: { "slsa-github-generator": "v2.0.0" },
          builderDependencies: [{
            uri: "docker://ghcr.io/actions/runner",
            digest: { sha256: g.hex(64) },
          }],
        },
        metadata: {
          invocationId: "https://github.com/stellaops/app/actions/runs/1536140711/attempts/1",
          startedOn: "2025-01-01T12:34:56Z",
          finishedOn: "2025-01-01T12:59:01Z",
        },
        byproducts: byproductList,
      },
    },
  };
}

/** Small in-toto Statements with a `stella.ops/promotion@v1`-like predicate (~650 bytes each). */
function makeSmallStatements(seed: number, count: number): unknown[] {
  const g = makeGenerator(seed);
  const statements = [];
  for (let i = 0; i < count; i++) {
    statements.push({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: `registry.example.com/stella/${g.name()}`, digest: { sha256: g.hex(64) } }],
      predicateType: "stella.ops/promotion@v1",
      predicate: {
        image: { name: `registry.example.com/stella/${g.name()}`, digest: { sha256: g.hex(64) } },
        promotion: {
          from: "staging",
          to: "production",
          at: "2025-01-01T12:34:56Z",
          actor: "ci@example.com",
          approvals: i % 3,
        },
        materials: [{
          uri: "sbom.spdx.json",
          mediaType: "application/spdx+json",
          digest: { sha256: g.hex(64) },
        }],
      },
    });
  }
  return statements;
}

const provenanceText = JSON.stringify(makeProvenance(42, 3000, 900));
const provenance: unknown = JSON.parse(provenanceText);
const provenanceBytes = new TextEncoder().encode(provenanceText);
const statements: unknown[] = JSON.parse(JSON.stringify(makeSmallStatements(7, 10_000)));

if (canonicalize(provenance) !== npmCanonicalize(provenance)) {
  throw new Error("canonicalize() and the npm package disagree on the provenance document");
}

const BIG = `canonicalize ~1 MB SLSA provenance (${provenanceBytes.length} bytes)`;
Deno.bench({
  group: BIG,
  name: "JSON.stringify",
  baseline: true,
  fn: () => {
    JSON.stringify(provenance);
  },
});
Deno.bench({
  group: BIG,
  name: "npm canonicalize",
  fn: () => {
    npmCanonicalize(provenance);
  },
});
Deno.bench({
  group: BIG,
  name: "canonicalize (ours)",
  fn: () => {
    canonicalize(provenance);
  },
});

const SMALL = "canonicalize 10k small statements";
Deno.bench({
  group: SMALL,
  name: "JSON.stringify",
  baseline: true,
  fn: () => {
    for (const statement of statements) JSON.stringify(statement);
  },
});
Deno.bench({
  group: SMALL,
  name: "npm canonicalize",
  fn: () => {
    for (const statement of statements) npmCanonicalize(statement);
  },
});
Deno.bench({
  group: SMALL,
  name: "canonicalize (ours)",
  fn: () => {
    for (const statement of statements) canonicalize(statement);
  },
});

const PARSE = `parse ~1 MB SLSA provenance (${provenanceBytes.length} bytes)`;
Deno.bench({
  group: PARSE,
  name: "JSON.parse (string)",
  baseline: true,
  fn: () => {
    JSON.parse(provenanceText);
  },
});
Deno.bench({
  group: PARSE,
  name: "parseJson (string)",
  fn: () => {
    parseJson(provenanceText);
  },
});
Deno.bench({
  group: PARSE,
  name: "parseJson (UTF-8 bytes)",
  fn: () => {
    parseJson(provenanceBytes);
  },
});
