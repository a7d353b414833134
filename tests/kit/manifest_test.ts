import assert from "node:assert/strict";
import {
  KIT_FILE_NAMES,
  KIT_MANIFEST_PREDICATE_TYPE,
  validateKitManifest,
} from "../../lib/kit/mod.ts";

const SHA = "ab".repeat(32);

function manifest(): {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: {
    kit: { name: string; version: string };
    created: string;
    files: { path: string; sha256: string; size: number; role: string }[];
  };
} {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [
      { name: "OFFLINE.md", digest: { sha256: SHA } },
      { name: "stella.js", digest: { sha256: SHA } },
    ],
    predicateType: KIT_MANIFEST_PREDICATE_TYPE,
    predicate: {
      kit: { name: "stella-offline-kit", version: "0.1.0" },
      created: "2025-01-31T12:00:00Z",
      files: [
        { path: "OFFLINE.md", sha256: SHA, size: 10, role: "guide" },
        { path: "stella.js", sha256: SHA, size: 0, role: "artifact" },
      ],
    },
  };
}

function codes(value: unknown): [string, string][] {
  return validateKitManifest(value).map((p) => [p.path, p.code]);
}

Deno.test("validateKitManifest() accepts a well-formed manifest", () => {
  assert.deepEqual(validateKitManifest(manifest()), []);
  assert.equal(KIT_MANIFEST_PREDICATE_TYPE, "stella.ops/kit-manifest@v1");
  assert.deepEqual(Object.values(KIT_FILE_NAMES), [
    "SHA256SUMS",
    "manifest.dsse.json",
    "provenance.dsse.json",
    "OFFLINE.md",
  ]);
});

Deno.test("validateKitManifest() names the predicate type, kit, time and file problems", () => {
  const m = manifest();
  m.predicateType = "https://slsa.dev/provenance/v1";
  m.predicate.kit.version = "";
  m.predicate.created = "2025-01-31T12:00:00+01:00";
  m.predicate.files[0]!.sha256 = SHA.toUpperCase();
  m.predicate.files[0]!.size = -1;
  m.predicate.files[1]!.role = "binary";
  assert.deepEqual(codes(m), [
    ["/predicateType", "PREDICATE_TYPE_MISMATCH"],
    ["/predicate/kit/version", "KIT_FIELD_INVALID"],
    ["/predicate/created", "KIT_FIELD_INVALID"],
    ["/predicate/files/0/sha256", "KIT_FIELD_INVALID"],
    ["/predicate/files/0/size", "KIT_FIELD_INVALID"],
    ["/predicate/files/1/role", "KIT_FIELD_INVALID"],
    ["/subject", "KIT_SUBJECT_MISMATCH"],
  ]);
});

Deno.test("validateKitManifest() rejects unsafe, reserved and duplicate paths", () => {
  for (
    const [path, code] of [
      ["../stella.js", "KIT_PATH_INVALID"],
      ["a\\b", "KIT_PATH_INVALID"],
      ["SHA256SUMS", "KIT_PATH_RESERVED"],
      ["manifest.dsse.json", "KIT_PATH_RESERVED"],
      ["OFFLINE.md", "KIT_PATH_DUPLICATE"],
    ] as const
  ) {
    const m = manifest();
    m.predicate.files[1]!.path = path;
    m.subject[1]!.name = path;
    assert.deepEqual(codes(m), [["/predicate/files/1/path", code]], path);
  }
});

Deno.test("validateKitManifest() requires the subjects to be exactly the files", () => {
  const missing = manifest();
  missing.subject.pop();
  assert.deepEqual(codes(missing), [["/subject", "KIT_SUBJECT_MISMATCH"]]);
  const other = manifest();
  other.subject[1]!.digest.sha256 = "cd".repeat(32);
  assert.deepEqual(codes(other), [["/subject", "KIT_SUBJECT_MISMATCH"]]);
});

Deno.test("validateKitManifest() reports wrong shapes without throwing", () => {
  assert.deepEqual(codes([]).map((c) => c[1]), ["TYPE_MISMATCH"]);
  const noFiles = manifest() as unknown as { predicate: { files: unknown } };
  noFiles.predicate.files = {};
  assert.deepEqual(codes(noFiles), [["/predicate/files", "TYPE_MISMATCH"]]);
  const empty = manifest();
  empty.predicate.files = [];
  empty.subject = [];
  assert.ok(
    codes(empty).some(([path, code]) =>
      path === "/predicate/files" && code === "KIT_FIELD_INVALID"
    ),
  );
  const noKit = manifest() as unknown as { predicate: { kit: unknown } };
  noKit.predicate.kit = "stella";
  assert.deepEqual(codes(noKit), [["/predicate/kit", "TYPE_MISMATCH"]]);
});
