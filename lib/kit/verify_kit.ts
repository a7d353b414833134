/**
 * Verifying an offline kit as `buildKit` (`build_kit.ts`) writes it.
 *
 * {@link verifyKit} runs three checks, in this order, and reports each file by name:
 * 1. `kit.manifest`: `manifest.dsse.json` is present (`KIT_FILE_MISSING`), its signature verifies
 *    with a trusted key (the envelope codes of `verifyEnvelope`) and its payload is a valid kit
 *    manifest (`KIT_MANIFEST_INVALID`).
 * 2. `kit.files`: one failed check per file that is missing (`KIT_FILE_MISSING`), altered
 *    (`KIT_FILE_ALTERED`: digest or size differs), extra (`KIT_FILE_EXTRA`: not listed) or not a
 *    regular file (`KIT_FILE_NOT_REGULAR`: a symbolic link, device, pipe or socket, named by the
 *    source's `notRegular` and never read; listed or not). Files are
 *    judged against the verified manifest; `SHA256SUMS` must be exactly the checksums the manifest
 *    implies, and `manifest.dsse.json` must be exactly its canonical form (RFC 8785 JSON plus a
 *    newline, as written), so a rewritten manifest is blamed, not `SHA256SUMS`. When the manifest
 *    cannot be trusted, files are judged against `SHA256SUMS` (as `sha256sum -c` does) so the
 *    report still names what changed, and `manifest.dsse.json` itself is altered when its digest
 *    differs from its `SHA256SUMS` line.
 * 3. `kit.provenance`: `provenance.dsse.json` is present, verifies with a trusted key, is SLSA
 *    Provenance v1, and its subjects are exactly the manifest's artifacts with the kit's digests
 *    (`KIT_PROVENANCE_INVALID`).
 *
 * Bounded reading: the manifest is read and verified first; every file a verified manifest lists
 * is then hashed with its listed size as `maxBytes`, so a source may stop one byte past it (a
 * file that grew, or never ends, is altered without being read to its end).
 *
 * @module
 */

import { encodeHex } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { sha256 } from "../digest/digest.ts";
import { parseEnvelope } from "../model/dsse.ts";
import { SLSA_PROVENANCE_V1, validateProvenanceStatement } from "../model/slsa_provenance.ts";
import type { Statement } from "../model/statement.ts";
import { type Check, fail, pass } from "../verify/report.ts";
import { verifyEnvelopeWith } from "../verify/verify_envelope.ts";
import { trustOfKeys } from "../verify/trust_material.ts";
import { type ChecksumEntry, formatChecksums, parseChecksums } from "./checksums.ts";
import { KIT_FILE_NAMES, type KitManifestPredicate, validateKitManifest } from "./manifest.ts";
import { envelopeBytes, type KitFile } from "./build_kit.ts";
import { compareUtf16 } from "./_path.ts";
import { type KitSource, toSource } from "./kit_source.ts";
import type {
  KitFileResult,
  KitFileStatus,
  KitVerificationReport,
  VerifyKitOptions,
} from "./kit_report.ts";

/** What a file is expected to be, and by which list. */
interface Expectation {
  sha256: string;
  size?: number;
}

/**
 * Verifies a kit: every file against the signed manifest and `SHA256SUMS`, the manifest's and
 * the provenance's signatures, and the provenance's subjects (see the module doc). Never throws
 * for a broken kit; errors of the source's `read`/`digest` are passed on.
 *
 * @param kit The kit's files (as {@link buildKit} returns them), a map of path to bytes, or a
 *   {@link KitSource}.
 * @param options Trusted keys and the evaluation time.
 * @returns The report; extra, missing and altered files are named in `files` and in `checks`.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `now` is not an integer time.
 *
 * @example Usage
 * ```ts
 * import { buildKit, createSigner, generateKeyPair, verifyKit } from "@stellaops/provenance";
 * import { exportPublicKeyPem } from "@stellaops/provenance";
 * import { trustedKeyFromPem } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const kit = await buildKit([{ path: "stella.js", bytes: new Uint8Array([1, 2, 3]) }], {
 *   signers: [createSigner(key)],
 * });
 * const files = new Map(kit.map((f) => [f.path, f.bytes]));
 * files.set("stella.js", new Uint8Array([1, 2, 4]));
 * const report = await verifyKit(files, {
 *   keys: [trustedKeyFromPem(exportPublicKeyPem(key))],
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(report.verified, false);
 * assert.equal(report.code, "KIT_FILE_ALTERED");
 * assert.deepEqual(report.files.filter((f) => f.status !== "ok").map((f) => f.path), ["stella.js"]);
 * ```
 */
export async function verifyKit(
  kit: readonly KitFile[] | ReadonlyMap<string, Uint8Array> | KitSource,
  options: VerifyKitOptions,
): Promise<KitVerificationReport> {
  if (typeof options !== "object" || options === null || !Array.isArray(options.keys)) {
    throw new TypeError("Pass verifyKit options with keys (an array) and now");
  }
  const time = formatRfc3339(options.now);
  const source = toSource(kit);
  const special = new Set(source.notRegular ?? []);
  const paths = [...new Set(source.paths)].filter((p) => !special.has(p)).sort(compareUtf16);
  const present = new Set(paths);
  const found = new Map<string, { sha256: string; size: number }>();
  /** Files hashed no further than their listed size: path → listed size. */
  const stopped = new Map<string, number>();
  const keyids = new Set<string>();
  const M = KIT_FILE_NAMES.manifest;
  const S = KIT_FILE_NAMES.checksums;

  // 1. The manifest: signature, then content.
  let manifestCheck: Check;
  let manifest: KitManifestPredicate | undefined;
  let manifestTrusted = false;
  /** sha256 of the manifest as `buildKit` writes it (canonical JSON + newline), when trusted. */
  let manifestCanonical: string | undefined;
  if (special.has(M)) {
    manifestCheck = fail("kit.manifest", "KIT_FILE_NOT_REGULAR", notRegularMessage(M));
  } else if (!present.has(M)) {
    manifestCheck = fail("kit.manifest", "KIT_FILE_MISSING", `Kit file "${M}" is missing`);
  } else {
    const bytes = await source.read(M);
    const { report } = await verifyEnvelopeWith(bytes, trustOfKeys(options.keys), {
      now: options.now,
      name: M,
    });
    const statement = decodeStatement(bytes);
    const problems = statement === undefined ? undefined : validateKitManifest(statement);
    if (statement !== undefined && problems?.length === 0) {
      manifest = (statement as unknown as Statement<KitManifestPredicate>).predicate;
    }
    if (!report.verified) {
      manifestCheck = fail(
        "kit.manifest",
        report.code!,
        `Cannot verify ${M}: ${firstFailure(report.checks)}`,
      );
    } else if (manifest === undefined) {
      const first = problems?.[0];
      manifestCheck = fail(
        "kit.manifest",
        "KIT_MANIFEST_INVALID",
        first === undefined
          ? `Cannot use ${M}: its payload is not a kit manifest`
          : `Cannot use ${M}: ${
            first.path === "" ? "(root)" : first.path
          }: ${first.code}: ${first.message}${
            problems!.length > 1 ? ` (and ${problems!.length - 1} more)` : ""
          }`,
      );
    } else {
      manifestCheck = pass("kit.manifest");
      manifestTrusted = true;
      manifestCanonical = encodeHex(sha256(envelopeBytes(parseEnvelope(bytes))));
      for (const keyid of report.keyids) keyids.add(keyid);
    }
  }

  // Every regular file, hashed once; a file the verified manifest lists no further than its size.
  const listedSizes = new Map(
    manifestTrusted && manifest !== undefined ? manifest.files.map((f) => [f.path, f.size]) : [],
  );
  for (const path of paths) {
    const maxBytes = listedSizes.get(path);
    const digest = await source.digest(path, maxBytes === undefined ? undefined : { maxBytes });
    if (maxBytes !== undefined && digest.size > maxBytes) stopped.set(path, maxBytes);
    else found.set(path, digest);
  }

  // 2. SHA256SUMS, parsed strictly.
  let sums: ChecksumEntry[] | undefined;
  let sumsText = "";
  let sumsProblem: string | undefined;
  if (present.has(S)) {
    const bytes = await source.read(S);
    try {
      sums = parseChecksums(bytes, S);
      sumsText = new TextDecoder().decode(bytes);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      sumsProblem = error.message;
    }
  }
  const sumsByPath = new Map((sums ?? []).map((entry) => [entry.path, entry.sha256]));

  // 3. Every file against the trusted manifest, else against SHA256SUMS, else the untrusted list.
  const expected = new Map<string, Expectation>();
  let listName: string;
  if (manifestTrusted && manifest !== undefined) {
    listName = "the manifest";
    for (const file of manifest.files) expected.set(file.path, file);
  } else if (sums !== undefined) {
    listName = S;
    for (const entry of sums) {
      if (entry.path !== M && entry.path !== S) expected.set(entry.path, entry);
    }
  } else if (manifest !== undefined) {
    listName = "the manifest";
    for (const file of manifest.files) expected.set(file.path, file);
  } else {
    listName = "";
  }
  const results = new Map<string, { status: KitFileStatus; detail?: string }>();
  for (const [path, expectation] of expected) {
    const actual = found.get(path);
    const listed = stopped.get(path);
    if (special.has(path)) {
      results.set(path, { status: "not-regular" });
    } else if (listed !== undefined) {
      results.set(path, {
        status: "altered",
        detail: `larger than the ${listed} bytes ${listName} lists (reading stopped after ${
          listed + 1
        } bytes)`,
      });
    } else if (actual === undefined) {
      results.set(path, { status: "missing" });
    } else if (
      actual.sha256 !== expectation.sha256 ||
      (expectation.size !== undefined && actual.size !== expectation.size)
    ) {
      results.set(path, {
        status: "altered",
        detail:
          `sha256 ${actual.sha256} (${actual.size} bytes), ${listName} says ${expectation.sha256}${
            expectation.size === undefined ? "" : ` (${expectation.size} bytes)`
          }`,
      });
    } else {
      results.set(path, { status: "ok" });
    }
  }
  // The manifest, when it cannot be trusted: altered when its digest is not the one SHA256SUMS
  // lists or, without such a line, when it is malformed or its signature is invalid. (A manifest
  // that matches SHA256SUMS but is signed by an untrusted key is intact: kit.manifest says why it
  // does not count.)
  if (special.has(M)) {
    results.set(M, { status: "not-regular" });
  } else if (!present.has(M)) {
    results.set(M, { status: "missing" });
  } else if (manifestTrusted) {
    // Signed content intact, but the bytes must be exactly what buildKit wrote, else the file
    // was rewritten (whitespace, key order) and SHA256SUMS cannot match it.
    const actual = found.get(M)!.sha256;
    results.set(
      M,
      actual === manifestCanonical ? { status: "ok" } : {
        status: "altered",
        detail:
          `sha256 ${actual}, not its canonical form (RFC 8785 JSON plus a newline), ${manifestCanonical}`,
      },
    );
  } else {
    const listed = sumsByPath.get(M);
    const actual = found.get(M)!.sha256;
    if (listed !== undefined && listed !== actual) {
      results.set(M, { status: "altered", detail: `sha256 ${actual}, ${S} says ${listed}` });
    } else if (
      listed === undefined &&
      (manifestCheck.code === "ENVELOPE_MALFORMED" || manifestCheck.code === "SIGNATURE_INVALID")
    ) {
      results.set(M, { status: "altered", detail: `${manifestCheck.code}` });
    } else {
      results.set(M, { status: "ok" });
    }
  }
  // SHA256SUMS: well-formed, and exactly what the trusted manifest implies.
  if (special.has(S)) {
    results.set(S, { status: "not-regular" });
  } else if (!present.has(S)) {
    results.set(S, { status: "missing" });
  } else if (sumsProblem !== undefined) {
    results.set(S, { status: "altered", detail: sumsProblem });
  } else if (manifestTrusted && manifest !== undefined) {
    const implied = formatChecksums([
      ...manifest.files,
      { path: M, sha256: manifestCanonical! },
    ]);
    results.set(
      S,
      implied === sumsText ? { status: "ok" } : {
        status: "altered",
        detail: `its lines differ from the manifest${describeSumsDifference(implied, sumsText)}`,
      },
    );
  } else {
    results.set(S, { status: "ok" });
  }
  for (const path of paths) {
    if (!results.has(path)) {
      results.set(path, listName === "" ? { status: "unchecked" } : { status: "extra" });
    }
  }
  for (const path of special) results.set(path, { status: "not-regular" });

  const files: KitFileResult[] = [...results.keys()].sort(compareUtf16).map((path) => {
    const actual = found.get(path);
    const result: KitFileResult = { path, status: results.get(path)!.status };
    if (actual !== undefined) {
      result.sha256 = actual.sha256;
      result.size = actual.size;
    }
    return result;
  });
  const fileChecks: Check[] = [];
  for (const file of files) {
    const detail = results.get(file.path)!.detail;
    if (file.status === "missing") {
      fileChecks.push(fail("kit.files", "KIT_FILE_MISSING", `Kit file "${file.path}" is missing`));
    } else if (file.status === "altered") {
      fileChecks.push(
        fail(
          "kit.files",
          "KIT_FILE_ALTERED",
          `Kit file "${file.path}" is altered${detail === undefined ? "" : `: ${detail}`}`,
        ),
      );
    } else if (file.status === "extra") {
      fileChecks.push(
        fail("kit.files", "KIT_FILE_EXTRA", `Kit file "${file.path}" is not listed in ${listName}`),
      );
    } else if (file.status === "not-regular") {
      fileChecks.push(fail("kit.files", "KIT_FILE_NOT_REGULAR", notRegularMessage(file.path)));
    }
  }
  if (fileChecks.length === 0) {
    fileChecks.push(
      listName === ""
        ? fail(
          "kit.files",
          "KIT_MANIFEST_INVALID",
          `Cannot check the files: no usable ${M} or ${S}`,
        )
        : pass("kit.files"),
    );
  }

  // 4. The provenance: signature, SLSA v1, subjects = the artifacts as found.
  const provenanceCheck = await checkProvenance(
    source,
    present,
    special,
    new Set([...special, ...stopped.keys()]),
    found,
    manifestTrusted ? manifest : undefined,
    options,
    keyids,
  );

  const checks = [manifestCheck, ...fileChecks, provenanceCheck];
  const failed = checks.find((check) => !check.ok);
  const report: KitVerificationReport = {
    verified: failed === undefined,
    checks,
    files,
    keyids: [...keyids].sort(compareUtf16),
    time: { value: time, source: "clock" },
  };
  if (failed?.code !== undefined) report.code = failed.code;
  if (manifest !== undefined) {
    report.kit = {
      name: manifest.kit.name,
      version: manifest.kit.version,
      created: manifest.created,
    };
  }
  return report;
}

async function checkProvenance(
  source: KitSource,
  present: ReadonlySet<string>,
  special: ReadonlySet<string>,
  unhashed: ReadonlySet<string>,
  found: ReadonlyMap<string, { sha256: string; size: number }>,
  manifest: KitManifestPredicate | undefined,
  options: VerifyKitOptions,
  keyids: Set<string>,
): Promise<Check> {
  const P = KIT_FILE_NAMES.provenance;
  if (special.has(P)) return fail("kit.provenance", "KIT_FILE_NOT_REGULAR", notRegularMessage(P));
  if (!present.has(P)) {
    return fail("kit.provenance", "KIT_FILE_MISSING", `Kit file "${P}" is missing`);
  }
  const bytes = await source.read(P);
  const { report } = await verifyEnvelopeWith(bytes, trustOfKeys(options.keys), {
    now: options.now,
    name: P,
  });
  if (!report.verified) {
    return fail(
      "kit.provenance",
      report.code!,
      `Cannot verify ${P}: ${firstFailure(report.checks)}`,
    );
  }
  for (const keyid of report.keyids) keyids.add(keyid);
  const statement = decodeStatement(bytes);
  const problems = validateProvenanceStatement(statement);
  if (problems.length > 0 || statement === undefined) {
    const first = problems[0];
    return fail(
      "kit.provenance",
      "KIT_PROVENANCE_INVALID",
      `Cannot use ${P}: it is not SLSA Provenance v1 (${SLSA_PROVENANCE_V1})${
        first === undefined ? "" : `: ${first.path === "" ? "(root)" : first.path}: ${first.code}`
      }`,
    );
  }
  const subjects = (statement as unknown as Statement).subject;
  const named = new Set<string>();
  for (const subject of subjects) {
    const name = subject.name ?? "";
    named.add(name);
    const actual = found.get(name);
    if (actual === undefined) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        unhashed.has(name)
          ? `Cannot match ${P}: its subject "${name}" was not hashed (not a regular file, or larger than the manifest lists)`
          : `Cannot match ${P}: its subject "${name}" is not in the kit`,
      );
    }
    if (subject.digest?.["sha256"] !== actual.sha256) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        `Cannot match ${P}: its subject "${name}" has another sha256 than the kit's file`,
      );
    }
  }
  for (const file of manifest?.files ?? []) {
    if (file.role === "artifact" && !named.has(file.path)) {
      return fail(
        "kit.provenance",
        "KIT_PROVENANCE_INVALID",
        `Cannot match ${P}: the artifact "${file.path}" is not one of its subjects`,
      );
    }
  }
  return pass("kit.provenance");
}

function notRegularMessage(path: string): string {
  return `Kit file "${path}" is not a regular file (a symbolic link, device, pipe or socket): it was not read`;
}

/** The envelope's payload as JSON, or `undefined` when the envelope or payload does not parse. */
function decodeStatement(bytes: Uint8Array): JsonObject | undefined {
  try {
    const value = parseJson(parseEnvelope(bytes).payloadBytes);
    return isObject(value) ? value : undefined;
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

function firstFailure(checks: readonly Check[]): string {
  const failed = checks.find((check) => !check.ok);
  return failed === undefined ? "not verified" : `${failed.id}: ${failed.message ?? failed.code}`;
}

function describeSumsDifference(implied: string, actual: string): string {
  const want = implied.split("\n");
  const got = actual.split("\n");
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return ` (first difference on line ${i + 1})`;
  }
  return "";
}
