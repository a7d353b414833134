/**
 * The input families of the fuzz suite, each with a verified seed, an evaluator and an oracle.
 *
 * Attacker-controlled families (envelopes, timelines, Sigstore bundles, RFC 3161 tokens, kits,
 * audit logs) must always end in a report — the library never throws on them — and may be
 * verified only when the mutation is semantically neutral: the content the verdict vouches for
 * (the payload, the entries, the genTime, the files, the records) is the seed's.
 * Operator-supplied families (trust.json, Sigstore trusted roots) may also be refused with a
 * `ParseError`/`ValidationError` (the CLI's exit 2), never with any other exception.
 */
import {
  buildKit,
  canonicalize,
  createSigner,
  exportPublicKeyPem,
  importKeyPem,
  loadTrustMaterial,
  parseEnvelope,
  type PrivateKey,
  verifyBundle,
  verifyEnvelope,
  verifyKit,
  verifyTimeline,
} from "../../mod.ts";
import { decodePem, encodeUtf8, parseRfc3339 } from "../../lib/encoding/mod.ts";
import { MemoryAuditLog, verifyAuditLog } from "../../lib/sign/mod.ts";
import { parseTrustPolicy, trustedKeyFromPem } from "../../lib/verify/mod.ts";
import { verifyTimestamp } from "../../lib/verify/sigstore_mod.ts";
import { DAY } from "../keys/_x509_builder.ts";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { vectorSet } from "../_vectors.ts";
import { mutate, mutateJsonText, type Rng } from "./_mutate.ts";
import { type KeySource, splitTrust, timelineArgs } from "../verify/_trust.ts";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readFileSync(new URL(path, ROOT));
const readText = (path: string) => Deno.readTextFileSync(new URL(path, ROOT));

/** What an evaluation of one input says. */
export interface Outcome {
  verified: boolean;
  code?: string | undefined;
  /** What a verified verdict vouches for, canonical; compared with the seed's. */
  meaning?: string | undefined;
}

/** One family of inputs. */
export interface Family {
  name: string;
  /** Operator-supplied (config): a ParseError/ValidationError refusal is allowed. */
  operator: boolean;
  /** Whether JSON-aware mutations apply. */
  json: boolean;
  /** The seed inputs; each verifies. */
  seeds: Uint8Array[];
  /** Evaluates a (mutated) input in place of seed `index`. */
  evaluate(input: Uint8Array, index: number): Promise<Outcome>;
  /** Present when the family's seeds come from ../shared/vectors and that set is absent. */
  missing?: string;
  /** A family-specific mutation (default: `mutate` from `_mutate.ts`). */
  mutate?: (rng: Rng, input: Uint8Array) => Uint8Array;
  /** The `stella` arguments that verify the input written at `path` like `evaluate` does. */
  cliArgs?: (path: string, index: number) => string[];
  /** File name extension for the CLI's input file (default `.json`). */
  cliExtension?: string;
}

const NOW = parseRfc3339("2026-03-01T12:00:00Z");

function envelopeMeaning(bytes: Uint8Array): string | undefined {
  try {
    const envelope = parseEnvelope(bytes);
    return canonicalize({ payloadType: envelope.payloadType, payload: envelope.payload });
  } catch {
    return undefined;
  }
}

function keyFromFixture(path: string): KeySource {
  return { pem: readText(path), options: { name: path, signatureEncoding: "any" } };
}

/** DSSE envelopes of every algorithm, verified with `--key`. */
function envelopeFamily(): Family {
  const cases: [string, string][] = [
    ["valid.ed25519.dsse.json", "test-only-ed25519-a.pub.pem"],
    ["valid.ecdsa-p256-der.dsse.json", "test-only-ecdsa-p256.pub.pem"],
    ["valid.ecdsa-p384-der.dsse.json", "test-only-ecdsa-p384.pub.pem"],
    ["valid.rsa-pss.dsse.json", "test-only-rsa-2048.pub.pem"],
  ];
  const keyPaths = cases.map(([, key]) => `fixtures/negative/keys/${key}`);
  const keys = keyPaths.map(keyFromFixture);
  return {
    name: "envelope",
    cliArgs: (path, index) => [
      "forensic",
      "verify",
      path,
      "--key",
      new URL(keyPaths[index]!, ROOT).pathname,
      "--now",
      "2026-03-01T12:00:00Z",
    ],
    operator: false,
    json: true,
    seeds: cases.map(([file]) => read(`fixtures/negative/${file}`)),
    async evaluate(input, index) {
      const report = await verifyEnvelope(input, ...splitTrust({ keys: [keys[index]!], now: NOW }));
      return { verified: report.verified, code: report.code, meaning: envelopeMeaning(input) };
    },
  };
}

/** trust.json documents (operator input), each deciding over an envelope it verifies. */
function trustFamily(): Family {
  const cases: [string, string][] = [
    ["ecdsa-p256.der.json", "valid.ecdsa-p256-der.dsse.json"],
    ["threshold-2.json", "valid.threshold-2-of-2.dsse.json"],
    ["claims-to-prod.json", "valid.ed25519.dsse.json"],
    ["rsa-2048.pss-only.json", "valid.rsa-pss.dsse.json"],
  ];
  const files = cases.map(([file]) => file);
  const envelopes = cases.map(([, envelope]) => read(`fixtures/negative/${envelope}`));
  return {
    name: "trust.json",
    operator: true,
    json: true,
    seeds: files.map((file) => read(`fixtures/negative/trust/${file}`)),
    async evaluate(input, index) {
      const trust = loadTrustMaterial({ trustPolicy: input, trustPolicyName: "trust.json" });
      const report = await verifyEnvelope(envelopes[index]!, trust, { now: NOW });
      return { verified: report.verified, code: report.code };
    },
  };
}

/** A custody timeline (JSON Lines), anchored by its Merkle root; mutations hit one line or the list. */
function timelineFamily(): Family {
  const trustPolicy = parseTrustPolicy(read("fixtures/timeline/trust.json"), {
    name: "trust.json",
  });
  const merkleRoot = readText("fixtures/timeline/valid.merkle-root.txt").trim();
  return {
    name: "timeline",
    operator: false,
    json: false,
    mutate: mutateLines,
    cliExtension: ".jsonl",
    cliArgs: (path) => [
      "forensic",
      "verify",
      "--timeline",
      path,
      "--trust",
      new URL("fixtures/timeline/trust.json", ROOT).pathname,
      "--merkle-root",
      merkleRoot,
      "--now",
      new Date(NOW + 365 * DAY).toISOString(),
    ],
    seeds: [read("fixtures/timeline/valid.jsonl")],
    async evaluate(input) {
      const text = new TextDecoder().decode(input);
      const lines = text.split("\n").filter((line) => line !== "").map((line) => encodeUtf8(line));
      const report = await verifyTimeline(...timelineArgs(lines, {
        trustPolicy,
        now: NOW + 365 * DAY,
        merkleRoot,
      }));
      const meanings = lines.map(envelopeMeaning);
      return {
        verified: report.verified,
        code: report.code,
        meaning: meanings.includes(undefined) ? undefined : canonicalize(meanings),
      };
    },
  };
}

/** JSON Lines: edit one line (JSON-aware or bytes), or drop, repeat or swap whole lines. */
function mutateLines(rng: Rng, input: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(input);
  const lines = text.split("\n");
  const last = lines.at(-1) === "" ? lines.pop() : undefined;
  const i = rng.below(lines.length);
  switch (rng.below(5)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i]!);
      break;
    case 2: {
      const j = rng.below(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      break;
    }
    case 3:
      return mutate(rng, input, false);
    default:
      lines[i] = new TextDecoder().decode(mutateJsonText(rng, encodeUtf8(lines[i]!)));
  }
  return encodeUtf8(lines.join("\n") + (last === undefined ? "" : "\n"));
}

const CONFORMANCE = vectorSet("sigstore-conformance");
const HAPPY = "assets/bundle-verify/happy-path-v0.3";

interface ConformanceSeed {
  paths: { trustedRoot: string; artifact: string };
  bundle: Uint8Array;
  trustedRoot: Uint8Array;
  artifact: Uint8Array;
  identity: { subject: string; issuer: string };
}

function conformanceSeed(): ConformanceSeed | undefined {
  if (!CONFORMANCE.present) return undefined;
  const index = JSON.parse(Deno.readTextFileSync(CONFORMANCE.path("cases.index.json"))) as {
    cases: {
      name: string;
      bundle: string;
      artifact: string;
      trustedRoot: string;
      identity?: string;
      issuer?: string;
    }[];
  };
  const c = index.cases.find((x) => x.name === "happy-path-v0.3");
  if (c === undefined) throw new Error(`${CONFORMANCE.path(HAPPY)} is not in cases.index.json`);
  return {
    paths: { trustedRoot: CONFORMANCE.path(c.trustedRoot), artifact: CONFORMANCE.path(c.artifact) },
    bundle: Deno.readFileSync(CONFORMANCE.path(c.bundle)),
    trustedRoot: Deno.readFileSync(CONFORMANCE.path(c.trustedRoot)),
    artifact: Deno.readFileSync(CONFORMANCE.path(c.artifact)),
    identity: { subject: c.identity!, issuer: c.issuer! },
  };
}

/**
 * What a verified bundle vouches for: the signed content and the signer's certificate or key.
 * Sigstore bundles are protobuf JSON, whose readers ignore unknown fields; so does this.
 */
function bundleMeaning(bytes: Uint8Array): string | undefined {
  try {
    const bundle = JSON.parse(new TextDecoder().decode(bytes));
    const material = bundle.verificationMaterial ?? {};
    const dsse = bundle.dsseEnvelope;
    const message = bundle.messageSignature;
    return canonicalize({
      dsse: dsse === undefined ? null : {
        payloadType: dsse.payloadType,
        payload: dsse.payload,
        sigs: (dsse.signatures ?? []).map((s: { sig?: string }) => s.sig ?? null),
      },
      // The artifact itself is the operator's; `messageDigest` is an optional restatement of it.
      message: message === undefined ? null : { signature: message.signature ?? null },
      signer: material.certificate?.rawBytes ??
        material.x509CertificateChain?.certificates?.[0]?.rawBytes ??
        material.publicKey?.hint ?? null,
    });
  } catch {
    return undefined;
  }
}

/** A Sigstore bundle (sigstore-conformance happy path, read in place). */
function bundleFamily(seed: ConformanceSeed | undefined): Family {
  return {
    name: "sigstore-bundle",
    operator: false,
    json: true,
    cliExtension: ".sigstore.json",
    cliArgs: (path) => [
      "forensic",
      "verify",
      path,
      "--trusted-root",
      seed!.paths.trustedRoot,
      "--certificate-identity",
      seed!.identity.subject,
      "--certificate-oidc-issuer",
      seed!.identity.issuer,
      "--artifact",
      seed!.paths.artifact,
      "--now",
      "2026-03-01T12:00:00Z",
    ],
    seeds: seed === undefined ? [] : [seed.bundle],
    ...(seed === undefined ? { missing: CONFORMANCE.dir } : {}),
    async evaluate(input) {
      const report = await verifyBundle(
        input,
        ...splitTrust({
          trustedRoot: seed!.trustedRoot,
          identity: seed!.identity,
          artifact: seed!.artifact,
          now: NOW,
        }),
      );
      return { verified: report.verified, code: report.code, meaning: bundleMeaning(input) };
    },
  };
}

/** The trusted root (operator input) deciding over the same bundle. */
function trustedRootFamily(seed: ConformanceSeed | undefined): Family {
  return {
    name: "trusted-root",
    operator: true,
    json: true,
    seeds: seed === undefined ? [] : [seed.trustedRoot],
    ...(seed === undefined ? { missing: CONFORMANCE.dir } : {}),
    async evaluate(input) {
      const report = await verifyBundle(
        seed!.bundle,
        ...splitTrust({
          trustedRoot: input,
          identity: seed!.identity,
          artifact: seed!.artifact,
          now: NOW,
        }),
      );
      return { verified: report.verified, code: report.code };
    },
  };
}

/** RFC 3161 tokens from the deterministic test-only fixture TSA (Ed25519, same bytes every run). */
function timestampFamily(): Family {
  const tsa = fixtureTsa();
  const root = decodePem(tsa.rootPem).bytes;
  const data = encodeUtf8("the DSSE signature bytes");
  return {
    name: "rfc3161-token",
    operator: false,
    json: false,
    seeds: [tsa.stamp(data, "2026-02-10T09:01:00Z"), tsa.stamp(data, "2026-03-01T00:00:00Z")],
    async evaluate(input) {
      const result = await verifyTimestamp(input, { data, roots: [root] });
      return {
        verified: result.verified,
        code: result.checks.find((check) => !check.ok)?.code,
        meaning: result.verified ? String(result.genTime) : undefined,
      };
    },
  };
}

/** An offline kit in memory; mutations hit one file's bytes, or add or drop a file. */
async function kitFamily(): Promise<Family> {
  const key = importKeyPem(
    readText("fixtures/negative/keys/test-only-ed25519-a.pem"),
  ) as PrivateKey;
  const kit = await buildKit([
    { path: "stella.js", bytes: encodeUtf8("console.log('stella');\n") },
    { path: "docs/README.md", bytes: encodeUtf8("# kit\n") },
  ], { signers: [createSigner(key)], sourceDate: 0 });
  const keys = [trustedKeyFromPem(exportPublicKeyPem(key))];
  const encodeKit = (files: { path: string; bytes: Uint8Array }[]) =>
    encodeUtf8(canonicalize(files.map((f) => ({ path: f.path, bytes: f.bytes.toBase64() }))));
  const decodeKit = (input: Uint8Array) => {
    const list = JSON.parse(new TextDecoder().decode(input)) as { path: string; bytes: string }[];
    if (!Array.isArray(list)) throw new TypeError("not a list");
    return new Map(list.map((f) => {
      if (typeof f?.path !== "string" || typeof f.bytes !== "string") throw new TypeError("entry");
      return [f.path, Uint8Array.fromBase64(f.bytes)];
    }));
  };
  const seed = [...kit].map((f) => ({ path: f.path, bytes: f.bytes }));
  const meaningOf = (files: Map<string, Uint8Array>) =>
    canonicalize([...files].map(([path, bytes]) => [path, bytes.toHex()]).sort());
  return {
    name: "kit",
    operator: false,
    json: true,
    seeds: [encodeKit(seed)],
    // Edit one file (JSON-aware for .json), or drop, add or rename one; rarely the container.
    mutate(rng, input) {
      let files: Map<string, Uint8Array>;
      try {
        files = decodeKit(input);
      } catch {
        return mutate(rng, input, true);
      }
      const paths = [...files.keys()];
      const path = rng.pick(paths);
      switch (rng.below(6)) {
        case 0:
          files.delete(path);
          break;
        case 1:
          files.set(`${path}.extra`, files.get(path)!);
          break;
        case 2:
          files.set(rng.pick(["../escape", "/abs", "a//b", "a/./b", ".hidden"]), files.get(path)!);
          break;
        case 3:
          return mutate(rng, input, true);
        default:
          files.set(path, mutate(rng, files.get(path)!, path.endsWith(".json")));
      }
      return encodeKit([...files].map(([p, bytes]) => ({ path: p, bytes })));
    },
    async evaluate(input) {
      let files: Map<string, Uint8Array>;
      try {
        files = decodeKit(input);
      } catch {
        // The fuzz container (not a kit input) broke; count it as a rejected kit.
        return { verified: false, code: "FUZZ_CONTAINER" };
      }
      const report = await verifyKit(files, { keys, now: NOW });
      return { verified: report.verified, code: report.code, meaning: meaningOf(files) };
    },
  };
}

/** A hash-chained audit log of five records, checked against its trusted head. */
async function auditLogFamily(): Promise<Family> {
  const log = new MemoryAuditLog();
  for (let i = 0; i < 5; i++) {
    await log.append({
      time: `2026-01-01T00:0${i}:00Z`,
      keyid: "k1",
      algorithm: "ed25519",
      payloadType: "application/vnd.in-toto+json",
      payloadSha256: String(i).repeat(64),
      subjects: [`registry.example/app@sha256:${"ab".repeat(32)}`],
      actor: "ci",
    });
  }
  const seed = log.bytes();
  const head = verifyAuditLog(seed).head!;
  return {
    name: "audit-log",
    operator: false,
    json: false,
    seeds: [seed],
    // deno-lint-ignore require-await
    async evaluate(input) {
      const report = verifyAuditLog(input, { trustedHead: head });
      // Complete records only: a torn tail (no final newline) is reported, not vouched for.
      const text = new TextDecoder().decode(input);
      const complete = text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((l) =>
        l !== ""
      );
      const meaning = report.ok ? canonicalize(complete.map((l) => JSON.parse(l))) : undefined;
      return { verified: report.ok, code: report.code ?? undefined, meaning };
    },
  };
}

/** Every family, seeds built (Sigstore families are empty, with `missing`, without the vectors). */
export async function fuzzFamilies(): Promise<Family[]> {
  const seed = conformanceSeed();
  return [
    envelopeFamily(),
    trustFamily(),
    timelineFamily(),
    bundleFamily(seed),
    trustedRootFamily(seed),
    timestampFamily(),
    await kitFamily(),
    await auditLogFamily(),
  ];
}
