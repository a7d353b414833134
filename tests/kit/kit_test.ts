import assert from "node:assert/strict";
import {
  buildKit,
  createSigner,
  importKey,
  type KitFile,
  type KitSource,
  type KitVerificationReport,
  parseEnvelope,
  parseJson,
  type Signer,
  verifyKit,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeHex } from "../../lib/encoding/mod.ts";
import {
  formatChecksums,
  KIT_BUILD_TYPE,
  KIT_FILE_NAMES,
  KIT_MANIFEST_PREDICATE_TYPE,
  OFFLINE_GUIDE,
  validateKitManifest,
} from "../../lib/kit/mod.ts";
import { trustedKeyFromPem } from "../../lib/verify/mod.ts";

const KEYS = new URL("../../fixtures/keys/", import.meta.url);
const NEG_KEYS = new URL("../../fixtures/negative/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const SOURCE_DATE = 1_738_326_900_000; // 2025-01-31T12:35:00Z
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const LOCK = "4c".repeat(32);
const encoder = new TextEncoder();

async function signer(file: string, dir = KEYS): Promise<Signer> {
  const key = await importKey(await Deno.readFile(new URL(file, dir)));
  if (key.kind === "public") throw new Error(`${file} is a public key`);
  return createSigner(key);
}

async function trusted(file: string, dir = KEYS) {
  return trustedKeyFromPem(await Deno.readTextFile(new URL(file, dir)), { name: file });
}

const ED25519 = await signer("test-only-ed25519.pem");
const ED25519_PUB = await trusted("test-only-ed25519.pub.pem");
const OTHER_PUB = await trusted("test-only-ed25519-a.pub.pem", NEG_KEYS);

const ARTIFACTS: KitFile[] = [
  { path: "stella.js", bytes: encoder.encode("// stella bundle\nconsole.log('stella');\n") },
  { path: "stella-x86_64-unknown-linux-gnu", bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]) },
];

function build(artifacts: readonly KitFile[] = ARTIFACTS, sign: Signer = ED25519) {
  return buildKit(artifacts, {
    signers: [sign],
    sourceCommit: COMMIT,
    lockfileDigest: LOCK,
    denoVersion: "2.9.6",
    sourceDate: SOURCE_DATE,
    version: "0.1.0",
  });
}

const KIT = await build();
const PATHS = [
  "OFFLINE.md",
  "SHA256SUMS",
  "manifest.dsse.json",
  "provenance.dsse.json",
  "stella-x86_64-unknown-linux-gnu",
  "stella.js",
];

function asMap(kit: readonly KitFile[]): Map<string, Uint8Array> {
  return new Map(kit.map((file) => [file.path, file.bytes]));
}

function verify(files: ReadonlyMap<string, Uint8Array> | readonly KitFile[], keys = [ED25519_PUB]) {
  return verifyKit(files, { keys, now: NOW });
}

function notOk(report: KitVerificationReport): [string, string][] {
  return report.files.filter((f) => f.status !== "ok").map((f) => [f.path, f.status]);
}

function failedCodes(report: KitVerificationReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id} ${c.code}`);
}

function payload(file: string, kit: readonly KitFile[] = KIT): Record<string, unknown> {
  const bytes = kit.find((f) => f.path === file)!.bytes;
  return parseJson(parseEnvelope(bytes).payloadBytes) as Record<string, unknown>;
}

Deno.test("buildKit() is deterministic: the same inputs and key give byte-identical files", async () => {
  const again = await build([...ARTIFACTS].reverse());
  assert.deepEqual(again.map((f) => f.path), PATHS);
  for (const [i, file] of KIT.entries()) {
    assert.equal(again[i]!.path, file.path);
    assert.deepEqual(again[i]!.bytes, file.bytes, file.path);
  }
  const ecdsa = await signer("test-only-ecdsa-p256.pem");
  const [a, b] = [await build(ARTIFACTS, ecdsa), await build(ARTIFACTS, ecdsa)];
  assert.deepEqual(a, b);
});

Deno.test("buildKit() writes SHA256SUMS of every other file, sorted, coreutils format", () => {
  const sums = new TextDecoder().decode(KIT.find((f) => f.path === "SHA256SUMS")!.bytes);
  const expected = KIT.filter((f) => f.path !== "SHA256SUMS")
    .map((f) => `${encodeHex(sha256(f.bytes))}  ${f.path}\n`)
    .join("");
  assert.equal(sums, expected);
  assert.equal(
    sums,
    formatChecksums(
      KIT.filter((f) => f.path !== "SHA256SUMS").map((f) => ({
        path: f.path,
        sha256: encodeHex(sha256(f.bytes)),
      })),
    ),
  );
});

Deno.test("buildKit() signs a manifest listing every file but itself and SHA256SUMS", () => {
  const statement = payload("manifest.dsse.json");
  assert.deepEqual(validateKitManifest(statement), []);
  assert.equal(statement.predicateType, KIT_MANIFEST_PREDICATE_TYPE);
  const predicate = statement.predicate as {
    kit: unknown;
    created: string;
    files: { path: string; sha256: string; size: number; role: string }[];
  };
  assert.deepEqual(predicate.kit, { name: "stella-offline-kit", version: "0.1.0" });
  assert.equal(predicate.created, "2025-01-31T12:35:00Z");
  assert.deepEqual(
    predicate.files.map((f) => [f.path, f.role, f.size]),
    [
      ["OFFLINE.md", "guide", encoder.encode(OFFLINE_GUIDE).length],
      ["provenance.dsse.json", "provenance", KIT[3]!.bytes.length],
      ["stella-x86_64-unknown-linux-gnu", "artifact", 5],
      ["stella.js", "artifact", ARTIFACTS[0]!.bytes.length],
    ],
  );
  for (const file of predicate.files) {
    assert.equal(file.sha256, encodeHex(sha256(KIT.find((f) => f.path === file.path)!.bytes)));
  }
  assert.equal(
    new TextDecoder().decode(KIT.find((f) => f.path === KIT_FILE_NAMES.guide)!.bytes),
    OFFLINE_GUIDE,
  );
});

Deno.test("buildKit() signs SLSA provenance of the artifacts: builder, commit, lockfile, Deno", () => {
  const statement = payload("provenance.dsse.json");
  assert.equal(statement.predicateType, "https://slsa.dev/provenance/v1");
  assert.deepEqual(statement.subject, [
    {
      name: "stella-x86_64-unknown-linux-gnu",
      digest: { sha256: encodeHex(sha256(ARTIFACTS[1]!.bytes)) },
    },
    { name: "stella.js", digest: { sha256: encodeHex(sha256(ARTIFACTS[0]!.bytes)) } },
  ]);
  assert.deepEqual(statement.predicate, {
    buildDefinition: {
      buildType: KIT_BUILD_TYPE,
      externalParameters: {
        source: { commit: COMMIT },
        kit: { name: "stella-offline-kit", version: "0.1.0" },
      },
      internalParameters: { sourceDateEpoch: 1_738_326_900 },
      resolvedDependencies: [
        { name: "source", digest: { gitCommit: COMMIT } },
        { name: "deno.lock", digest: { sha256: LOCK } },
      ],
    },
    runDetails: {
      builder: {
        id: "https://stella-ops.org/builders/stella-kit-build@v1",
        version: { stella: "0.1.0", deno: "2.9.6" },
        builderDependencies: [{ name: "deno", uri: "pkg:generic/deno@2.9.6" }],
      },
      metadata: { startedOn: "2025-01-31T12:35:00Z", finishedOn: "2025-01-31T12:35:00Z" },
    },
  });
});

Deno.test("buildKit() defaults: unknown commit, epoch 0, no lockfile or Deno facts", async () => {
  const kit = await buildKit([ARTIFACTS[0]!], { signers: [ED25519] });
  const provenance = payload("provenance.dsse.json", kit);
  const predicate = provenance.predicate as {
    buildDefinition: Record<string, unknown>;
    runDetails: { builder: Record<string, unknown>; metadata: unknown };
  };
  assert.deepEqual(predicate.buildDefinition.externalParameters, {
    source: { commit: "unknown" },
    kit: { name: "stella-offline-kit", version: "unknown" },
  });
  assert.equal(predicate.buildDefinition.resolvedDependencies, undefined);
  assert.deepEqual(predicate.runDetails.builder.version, { stella: "unknown" });
  assert.deepEqual(predicate.runDetails.metadata, {
    startedOn: "1970-01-01T00:00:00Z",
    finishedOn: "1970-01-01T00:00:00Z",
  });
  assert.equal((await verify(kit)).verified, true);
});

Deno.test("buildKit() rejects misuse with RangeError or TypeError", async () => {
  const one = [ARTIFACTS[0]!];
  const options = { signers: [ED25519] };
  for (
    const path of ["", "/abs", "../x", "a//b", "a\\b", "a\nb", ...Object.values(KIT_FILE_NAMES)]
  ) {
    await assert.rejects(buildKit([{ path, bytes: new Uint8Array() }], options), RangeError, path);
  }
  await assert.rejects(buildKit([...one, ...one], options), RangeError);
  await assert.rejects(buildKit([], options), RangeError);
  await assert.rejects(buildKit(one, { signers: [] }), RangeError);
  await assert.rejects(buildKit(one, { ...options, lockfileDigest: "AB".repeat(32) }), RangeError);
  await assert.rejects(buildKit(one, { ...options, sourceCommit: "" }), RangeError);
  await assert.rejects(buildKit(one, { ...options, sourceDate: 0.5 }), RangeError);
  await assert.rejects(
    buildKit([{ path: "x", bytes: "text" as unknown as Uint8Array }], options),
    TypeError,
  );
});

Deno.test("verifyKit() verifies an intact kit and lists every file as ok", async () => {
  const report = await verify(KIT);
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.equal(report.code, undefined);
  assert.deepEqual(report.checks, [
    { id: "kit.manifest", ok: true },
    { id: "kit.files", ok: true },
    { id: "kit.provenance", ok: true },
  ]);
  assert.deepEqual(report.files.map((f) => [f.path, f.status]), PATHS.map((p) => [p, "ok"]));
  assert.deepEqual(
    report.files.map((f) => [f.sha256, f.size]),
    KIT.map((f) => [encodeHex(sha256(f.bytes)), f.bytes.length]),
  );
  assert.deepEqual(report.keyids, [ED25519.keyid]);
  assert.deepEqual(report.kit, {
    name: "stella-offline-kit",
    version: "0.1.0",
    created: "2025-01-31T12:35:00Z",
  });
  assert.deepEqual(report.time, { value: "2026-03-01T12:00:00Z", source: "clock" });
});

/** The top-level code and failed checks expected when one file is altered. */
const ALTERED: Record<string, { code: string; failed: string[] }> = {
  "OFFLINE.md": { code: "KIT_FILE_ALTERED", failed: ["kit.files KIT_FILE_ALTERED"] },
  "SHA256SUMS": { code: "KIT_FILE_ALTERED", failed: ["kit.files KIT_FILE_ALTERED"] },
  "manifest.dsse.json": {
    code: "SIGNATURE_INVALID",
    failed: ["kit.manifest SIGNATURE_INVALID", "kit.files KIT_FILE_ALTERED"],
  },
  "provenance.dsse.json": {
    code: "KIT_FILE_ALTERED",
    failed: ["kit.files KIT_FILE_ALTERED", "kit.provenance SIGNATURE_INVALID"],
  },
  "stella-x86_64-unknown-linux-gnu": {
    code: "KIT_FILE_ALTERED",
    failed: ["kit.files KIT_FILE_ALTERED", "kit.provenance KIT_PROVENANCE_INVALID"],
  },
  "stella.js": {
    code: "KIT_FILE_ALTERED",
    failed: ["kit.files KIT_FILE_ALTERED", "kit.provenance KIT_PROVENANCE_INVALID"],
  },
};

/** Flips one bit in a spot that keeps JSON files well-formed (inside a base64 string). */
function alter(path: string, bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  if (path.endsWith(".dsse.json")) {
    const text = new TextDecoder().decode(copy);
    const at = text.indexOf('"payload":"') + 40;
    copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  } else if (path === "SHA256SUMS") {
    copy[0] = copy[0] === 0x30 ? 0x31 : 0x30;
  } else {
    copy[copy.length - 1]! ^= 1;
  }
  return copy;
}

for (const path of PATHS) {
  Deno.test(`verifyKit() names "${path}" when it is altered`, async () => {
    const files = asMap(KIT);
    files.set(path, alter(path, files.get(path)!));
    const report = await verify(files);
    assert.equal(report.verified, false);
    assert.deepEqual(notOk(report), [[path, "altered"]]);
    assert.equal(report.code, ALTERED[path]!.code);
    assert.deepEqual(failedCodes(report), ALTERED[path]!.failed);
    const fileCheck = report.checks.find((c) => c.id === "kit.files" && !c.ok)!;
    assert.match(
      fileCheck.message!,
      new RegExp(`^Kit file "${path.replaceAll(".", "\\.")}" is altered`),
    );
  });

  Deno.test(`verifyKit() names "${path}" when it is removed`, async () => {
    const files = asMap(KIT);
    files.delete(path);
    const report = await verify(files);
    assert.equal(report.verified, false);
    assert.deepEqual(notOk(report), [[path, "missing"]]);
    assert.equal(report.code, "KIT_FILE_MISSING");
    const failed = failedCodes(report);
    assert.ok(failed.includes("kit.files KIT_FILE_MISSING"), failed.join());
    assert.ok(
      report.checks.some((c) => c.message === `Kit file "${path}" is missing`),
      JSON.stringify(report.checks),
    );
  });
}

Deno.test("verifyKit() names every extra file, hidden and nested ones too", async () => {
  const files = asMap(KIT);
  files.set(".DS_Store", new Uint8Array([0]));
  files.set("notes/readme.txt", encoder.encode("hi\n"));
  const report = await verify(files);
  assert.equal(report.verified, false);
  assert.equal(report.code, "KIT_FILE_EXTRA");
  assert.deepEqual(notOk(report), [[".DS_Store", "extra"], ["notes/readme.txt", "extra"]]);
  assert.deepEqual(failedCodes(report), ["kit.files KIT_FILE_EXTRA", "kit.files KIT_FILE_EXTRA"]);
  assert.equal(report.checks[1]!.message, 'Kit file ".DS_Store" is not listed in the manifest');
});

Deno.test("verifyKit() with the wrong key: KEY_UNTRUSTED, files judged by SHA256SUMS", async () => {
  const report = await verify(KIT, [OTHER_PUB]);
  assert.equal(report.verified, false);
  assert.equal(report.code, "KEY_UNTRUSTED");
  assert.deepEqual(failedCodes(report), [
    "kit.manifest KEY_UNTRUSTED",
    "kit.provenance KEY_UNTRUSTED",
  ]);
  assert.deepEqual(notOk(report), []);
  assert.deepEqual(report.keyids, []);
});

Deno.test("verifyKit() catches a file and SHA256SUMS altered together (the manifest is signed)", async () => {
  const files = asMap(KIT);
  const js = encoder.encode("console.log('evil');\n");
  files.set("stella.js", js);
  const sums = new TextDecoder().decode(files.get("SHA256SUMS")!).replace(
    encodeHex(sha256(ARTIFACTS[0]!.bytes)),
    encodeHex(sha256(js)),
  );
  files.set("SHA256SUMS", encoder.encode(sums));
  const report = await verify(files);
  assert.equal(report.code, "KIT_FILE_ALTERED");
  assert.deepEqual(notOk(report), [["SHA256SUMS", "altered"], ["stella.js", "altered"]]);
});

Deno.test("verifyKit() blames a rewritten (non-canonical) manifest, not SHA256SUMS", async () => {
  const files = asMap(KIT);
  const text = new TextDecoder().decode(files.get("manifest.dsse.json")!);
  files.set("manifest.dsse.json", encoder.encode(JSON.stringify(JSON.parse(text), null, 2) + "\n"));
  const report = await verify(files);
  assert.equal(report.code, "KIT_FILE_ALTERED");
  assert.deepEqual(notOk(report), [["manifest.dsse.json", "altered"]]);
  assert.deepEqual(failedCodes(report), ["kit.files KIT_FILE_ALTERED"]);
  assert.match(report.checks[1]!.message!, /not its canonical form/);
});

Deno.test("verifyKit() catches a provenance from another build", async () => {
  const other = await build([{ path: "stella.js", bytes: encoder.encode("other\n") }]);
  const files = asMap(KIT);
  files.set("provenance.dsse.json", asMap(other).get("provenance.dsse.json")!);
  const report = await verify(files);
  assert.deepEqual(notOk(report), [["provenance.dsse.json", "altered"]]);
  assert.deepEqual(failedCodes(report), [
    "kit.files KIT_FILE_ALTERED",
    "kit.provenance KIT_PROVENANCE_INVALID",
  ]);
});

Deno.test("verifyKit() blames a tampered manifest when SHA256SUMS is gone too", async () => {
  const files = asMap(KIT);
  files.delete("SHA256SUMS");
  files.set("manifest.dsse.json", alter("manifest.dsse.json", files.get("manifest.dsse.json")!));
  const report = await verify(files);
  assert.equal(report.code, "SIGNATURE_INVALID");
  // The flipped payload byte also breaks the payload's JSON: no list is left to judge the others.
  assert.deepEqual(notOk(report), [
    ["OFFLINE.md", "unchecked"],
    ["SHA256SUMS", "missing"],
    ["manifest.dsse.json", "altered"],
    ["provenance.dsse.json", "unchecked"],
    ["stella-x86_64-unknown-linux-gnu", "unchecked"],
    ["stella.js", "unchecked"],
  ]);
});

Deno.test("verifyKit() with no usable list marks files unchecked", async () => {
  const files = asMap(KIT);
  files.delete("SHA256SUMS");
  files.delete("manifest.dsse.json");
  const report = await verify(files);
  assert.equal(report.code, "KIT_FILE_MISSING");
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status]),
    [
      ["OFFLINE.md", "unchecked"],
      ["SHA256SUMS", "missing"],
      ["manifest.dsse.json", "missing"],
      ["provenance.dsse.json", "unchecked"],
      ["stella-x86_64-unknown-linux-gnu", "unchecked"],
      ["stella.js", "unchecked"],
    ],
  );
});

Deno.test("verifyKit() reads a KitSource and hashes each file once", async () => {
  const files = asMap(KIT);
  const digests: string[] = [];
  const reads: string[] = [];
  const source: KitSource = {
    paths: [...files.keys()].reverse(),
    read: (path) => {
      reads.push(path);
      return Promise.resolve(files.get(path)!);
    },
    digest: (path) => {
      digests.push(path);
      const bytes = files.get(path)!;
      return Promise.resolve({ sha256: encodeHex(sha256(bytes)), size: bytes.length });
    },
  };
  const report = await verifyKit(source, { keys: [ED25519_PUB], now: NOW });
  assert.equal(report.verified, true);
  assert.deepEqual(digests, PATHS);
  assert.deepEqual(reads.sort(), ["SHA256SUMS", "manifest.dsse.json", "provenance.dsse.json"]);
});

Deno.test("verifyKit() rejects misuse with TypeError or RangeError", async () => {
  await assert.rejects(verifyKit("kit" as unknown as KitFile[], { keys: [], now: NOW }), TypeError);
  await assert.rejects(verifyKit(KIT, { keys: "k" as unknown as [], now: NOW }), TypeError);
  await assert.rejects(verifyKit(KIT, { keys: [], now: 1.5 }), RangeError);
});

const SHA256SUM = await hasSha256sum();

Deno.test({
  name: `sha256sum -c SHA256SUMS (GNU coreutils) passes inside a written kit${
    SHA256SUM ? "" : " (NOT RUN: GNU coreutils sha256sum is not on PATH)"
  }`,
  ignore: !SHA256SUM,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "stella-kit-" });
  try {
    for (const file of KIT) await Deno.writeFile(`${dir}/${file.path}`, file.bytes);
    const ok = await new Deno.Command("sha256sum", {
      args: ["--strict", "-c", "SHA256SUMS"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
    assert.equal(
      new TextDecoder().decode(ok.stdout),
      PATHS.filter((p) => p !== "SHA256SUMS").map((p) => `${p}: OK\n`).join(""),
    );
    await Deno.writeFile(`${dir}/stella.js`, encoder.encode("tampered\n"));
    const bad = await new Deno.Command("sha256sum", {
      args: ["-c", "SHA256SUMS"],
      cwd: dir,
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.equal(bad.code, 1);
    assert.match(new TextDecoder().decode(bad.stdout), /^stella\.js: FAILED$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function hasSha256sum(): Promise<boolean> {
  try {
    const out = await new Deno.Command("sha256sum", { args: ["--version"], stdout: "piped" })
      .output();
    return new TextDecoder().decode(out.stdout).includes("coreutils");
  } catch {
    return false;
  }
}
