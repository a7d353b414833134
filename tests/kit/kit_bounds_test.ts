/**
 * Issue 13 item 7 for offline kits in the library: an entry that is not a regular file is
 * `KIT_FILE_NOT_REGULAR` and never read, and a file listed in a trusted manifest is hashed only up
 * to its listed size (the source is told the bound and may stop past it).
 */

import assert from "node:assert/strict";
import {
  buildKit,
  createSigner,
  importKey,
  type KitFile,
  type KitSource,
  verifyKit,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeHex } from "../../lib/encoding/mod.ts";
import { trustedKeyFromPem } from "../../lib/verify/mod.ts";

const KEYS = new URL("../../fixtures/keys/", import.meta.url);
const NOW = Date.UTC(2026, 2, 1, 12);
const KEY = await importKey(await Deno.readFile(new URL("test-only-ed25519.pem", KEYS)));
if (KEY.kind === "public") throw new Error("expected a private key");
const TRUSTED = trustedKeyFromPem(
  await Deno.readTextFile(new URL("test-only-ed25519.pub.pem", KEYS)),
);
const KIT = await buildKit([
  { path: "stella.js", bytes: new TextEncoder().encode("console.log('stella');\n") },
  { path: "bin/stella", bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]) },
], { signers: [createSigner(KEY)], sourceDate: 0 });

interface Recorded {
  source: KitSource;
  reads: string[];
  digests: [string, number | undefined][];
}

/**
 * A KitSource over `files`; `special` are entries that are not regular files; `grown` are files
 * whose content is longer than what `files` holds (a source that honours `maxBytes` stops there).
 */
function source(
  files: readonly KitFile[],
  special: string[] = [],
  grown: Record<string, number> = {},
): Recorded {
  const map = new Map(files.map((f) => [f.path, f.bytes]));
  const reads: string[] = [];
  const digests: [string, number | undefined][] = [];
  return {
    reads,
    digests,
    source: {
      paths: [...map.keys()].filter((p) => !special.includes(p)),
      notRegular: special,
      read(path) {
        reads.push(path);
        return Promise.resolve(map.get(path)!);
      },
      digest(path, options) {
        const maxBytes = options?.maxBytes;
        digests.push([path, maxBytes]);
        const bytes = map.get(path)!;
        const size = grown[path] ?? bytes.length;
        if (maxBytes !== undefined && size > maxBytes) {
          // Stopped after maxBytes + 1 bytes: what was read is all the source knows.
          return Promise.resolve({ sha256: "f".repeat(64), size: maxBytes + 1 });
        }
        return Promise.resolve({ sha256: encodeHex(sha256(bytes)), size });
      },
    },
  };
}

function failedCodes(report: Awaited<ReturnType<typeof verifyKit>>): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `${c.id} ${c.code}`);
}

Deno.test("verifyKit() names an entry that is not a regular file KIT_FILE_NOT_REGULAR and never reads it", async () => {
  const s = source(KIT, ["stella.js"]);
  const report = await verifyKit(s.source, { keys: [TRUSTED], now: NOW });
  assert.equal(report.verified, false);
  assert.equal(report.code, "KIT_FILE_NOT_REGULAR");
  assert.deepEqual(
    report.files.filter((f) => f.status !== "ok").map((f) => [f.path, f.status]),
    [["stella.js", "not-regular"]],
  );
  const file = report.files.find((f) => f.path === "stella.js")!;
  assert.equal(file.sha256, undefined);
  assert.equal(file.size, undefined);
  assert.deepEqual(failedCodes(report), [
    "kit.files KIT_FILE_NOT_REGULAR",
    "kit.provenance KIT_PROVENANCE_INVALID",
  ]);
  assert.equal(
    report.checks.find((c) => c.code === "KIT_FILE_NOT_REGULAR")!.message,
    'Kit file "stella.js" is not a regular file (a symbolic link, device, pipe or socket): it was not read',
  );
  assert.ok(!s.reads.includes("stella.js"));
  assert.ok(!s.digests.some(([path]) => path === "stella.js"));
  // Not listed anywhere: still not regular, never "extra".
  const extra = source([...KIT, { path: "link", bytes: new Uint8Array() }], ["link"]);
  const extraReport = await verifyKit(extra.source, { keys: [TRUSTED], now: NOW });
  assert.deepEqual(failedCodes(extraReport), ["kit.files KIT_FILE_NOT_REGULAR"]);
});

Deno.test("verifyKit() a manifest, SHA256SUMS or provenance that is not a regular file is not read", async () => {
  const expected: Record<string, string[]> = {
    "manifest.dsse.json": [
      "kit.manifest KIT_FILE_NOT_REGULAR",
      "kit.files KIT_FILE_NOT_REGULAR",
      // Judged by SHA256SUMS instead, the provenance still verifies.
    ],
    "SHA256SUMS": ["kit.files KIT_FILE_NOT_REGULAR"],
    "provenance.dsse.json": [
      "kit.files KIT_FILE_NOT_REGULAR",
      "kit.provenance KIT_FILE_NOT_REGULAR",
    ],
  };
  for (const [path, failed] of Object.entries(expected)) {
    const s = source(KIT, [path]);
    const report = await verifyKit(s.source, { keys: [TRUSTED], now: NOW });
    assert.equal(report.code, "KIT_FILE_NOT_REGULAR", path);
    assert.deepEqual(failedCodes(report), failed, path);
    assert.ok(!s.reads.includes(path), path);
  }
});

Deno.test("verifyKit() hashes a listed file only up to its listed size; a grown file is altered", async () => {
  const s = source(KIT);
  const ok = await verifyKit(s.source, { keys: [TRUSTED], now: NOW });
  assert.equal(ok.verified, true, JSON.stringify(ok.checks));
  // Every file the signed manifest lists is hashed with its listed size as the bound.
  const sizes = new Map(KIT.map((f) => [f.path, f.bytes.length]));
  assert.deepEqual(
    s.digests,
    [...s.digests].map(([path]) => [
      path,
      path === "manifest.dsse.json" || path === "SHA256SUMS" ? undefined : sizes.get(path),
    ]),
  );
  assert.equal(s.digests.length, KIT.length);

  const grown = source(KIT, [], { "bin/stella": 8 * 1024 * 1024 * 1024 });
  const report = await verifyKit(grown.source, { keys: [TRUSTED], now: NOW });
  assert.equal(report.code, "KIT_FILE_ALTERED");
  const file = report.files.find((f) => f.path === "bin/stella")!;
  assert.deepEqual(file, { path: "bin/stella", status: "altered" });
  assert.equal(
    report.checks.find((c) => c.code === "KIT_FILE_ALTERED")!.message,
    'Kit file "bin/stella" is altered: larger than the 5 bytes the manifest lists (reading stopped after 6 bytes)',
  );
});
