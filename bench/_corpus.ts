/**
 * The benchmark corpus of `bench/compare.ts` and `bench/rss_100k.ts`, generated once into
 * `bench/results/tmp/corpus/` (gitignored) and reused while its manifest matches:
 *
 * - `<alg>.jsonl`: `count` DSSE envelopes (one per line) over distinct in-toto Statement v1 /
 *   SLSA Provenance v1 payloads of about 2 KB (GitHub Actions build type, a handful of resolved
 *   dependencies and byproducts), each signed by one key per algorithm (`ed25519`,
 *   `ecdsa-p256`; ECDSA signatures in ASN.1 DER as cosign writes them);
 * - `<alg>.pub.pem`: the public key (PEM SubjectPublicKeyInfo); `<alg>.keyid`: its key id.
 *
 * Payloads come from a seeded PRNG, so they are the same on every machine; the keys are fresh
 * per generation (the corpus is a measurement input, not a fixture).
 */

import {
  createSigner,
  exportPublicKeyPem,
  generateKeyPair,
  serializeEnvelope,
  signEnvelope,
  type Statement,
} from "../mod.ts";

/** Algorithms of the corpus. */
export const CORPUS_ALGORITHMS = ["ed25519", "ecdsa-p256"] as const;
/** One of {@link CORPUS_ALGORITHMS}. */
export type CorpusAlgorithm = typeof CORPUS_ALGORITHMS[number];

/** Where the corpus of one algorithm lives. */
export interface CorpusFiles {
  jsonl: string;
  pem: string;
  keyid: string;
  count: number;
}

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

const NAMES = ["core", "util", "http", "crypto", "json", "yaml", "log", "cli", "zlib", "tls"];

/** A realistic SLSA Provenance v1 statement of about 2 KB (canonical JSON). */
export function makeProvenanceStatement(seed: number): Statement<unknown> {
  const random = makeRandom(seed);
  const int = (below: number) => Math.floor(random() * below);
  const hex = (length: number) => {
    const bytes = new Uint8Array(length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    return bytes.toHex();
  };
  const name = () => `${NAMES[int(NAMES.length)]}-${NAMES[int(NAMES.length)]}${int(100)}`;
  const resolvedDependencies: { uri: string; digest: Record<string, string> }[] = [{
    uri: `git+https://github.com/stellaops/app@refs/heads/main`,
    digest: { gitCommit: hex(40) },
  }];
  for (let i = 0; i < 4; i++) {
    const n = name();
    resolvedDependencies.push({
      uri: `pkg:npm/${n}@${int(10)}.${int(30)}.${int(100)}`,
      digest: { sha256: hex(64) },
    });
  }
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{
      name: `registry.example.com/stella/${name()}`,
      digest: { sha256: hex(64) },
    }],
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
          inputs: { build_id: 100000 + seed, deploy_target: "deployment_sys_1a" },
        },
        internalParameters: {
          github: { actor_id: String(1000000 + int(9000000)), event_name: "workflow_dispatch" },
        },
        resolvedDependencies,
      },
      runDetails: {
        builder: {
          id: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/" +
            "builder_go_slsa3.yml@refs/tags/v2.0.0",
          version: { "slsa-github-generator": "v2.0.0" },
        },
        metadata: {
          invocationId: `https://github.com/stellaops/app/actions/runs/${
            1536140711 + seed
          }/attempts/1`,
          startedOn: "2026-01-01T12:34:56Z",
          finishedOn: "2026-01-01T12:59:01Z",
        },
        byproducts: [{
          name: `logs/${name()}.log`,
          mediaType: "text/plain",
          digest: { sha256: hex(64) },
        }],
      },
    },
  };
}

/**
 * Generates (or reuses) the corpus for one algorithm.
 *
 * @param dir Output folder (created).
 * @param algorithm Key algorithm.
 * @param count Envelopes to generate.
 * @returns The file paths.
 */
export async function ensureCorpus(
  dir: string,
  algorithm: CorpusAlgorithm,
  count: number,
): Promise<CorpusFiles> {
  await Deno.mkdir(dir, { recursive: true });
  const files: CorpusFiles = {
    jsonl: `${dir}/${algorithm}.jsonl`,
    pem: `${dir}/${algorithm}.pub.pem`,
    keyid: "",
    count,
  };
  const manifestPath = `${dir}/${algorithm}.manifest.json`;
  try {
    const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
    if (manifest.count === count && (await Deno.stat(files.jsonl)).isFile) {
      return { ...files, keyid: manifest.keyid };
    }
  } catch {
    // Not generated yet.
  }
  const key = await generateKeyPair(algorithm);
  if (key.kind !== "private") throw new Error("unreachable");
  const signer = createSigner(key);
  const encoder = new TextEncoder();
  using file = await Deno.open(files.jsonl, { write: true, create: true, truncate: true });
  const lines: string[] = [];
  const flush = async () => {
    const bytes = encoder.encode(lines.join(""));
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    lines.length = 0;
  };
  for (let i = 0; i < count; i++) {
    const envelope = await signEnvelope(makeProvenanceStatement(i + 1), [signer]);
    lines.push(serializeEnvelope(envelope) + "\n");
    if (lines.length === 1000) await flush();
  }
  await flush();
  await Deno.writeTextFile(files.pem, exportPublicKeyPem(key.publicKey));
  await Deno.writeTextFile(manifestPath, JSON.stringify({ count, keyid: key.keyid }) + "\n");
  return { ...files, keyid: key.keyid };
}

/**
 * Reads a JSON Lines file as a stream of `{ name, bytes }` items, one per non-empty line, holding
 * at most one read buffer (plus one partial line) in memory.
 */
export async function* readJsonLines(
  path: string,
): AsyncGenerator<{ name: string; bytes: Uint8Array }> {
  using file = await Deno.open(path, { read: true });
  let carry = new Uint8Array(0);
  let line = 0;
  const buffer = new Uint8Array(1 << 20);
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    let chunk = buffer.subarray(0, n);
    if (carry.length > 0) {
      const joined = new Uint8Array(carry.length + n);
      joined.set(carry);
      joined.set(chunk, carry.length);
      chunk = joined;
    }
    let start = 0;
    while (true) {
      const end = chunk.indexOf(0x0a, start);
      if (end === -1) break;
      line++;
      if (end > start) yield { name: `${path}:${line}`, bytes: chunk.slice(start, end) };
      start = end + 1;
    }
    carry = chunk.slice(start);
  }
  if (carry.length > 0) yield { name: `${path}:${line + 1}`, bytes: carry };
}
