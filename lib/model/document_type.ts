/**
 * Recognises the SBOM and VEX documents a promotion records as materials, from their bytes alone:
 *
 * | kind        | recognised by (top-level JSON object)                                                    | media type                        |
 * | ----------- | ---------------------------------------------------------------------------------------- | --------------------------------- |
 * | `cyclonedx` | `bomFormat: "CycloneDX"`, `specVersion: "1.N"` (CycloneDX JSON 1.x)                       | `application/vnd.cyclonedx+json`  |
 * | `spdx`      | `spdxVersion: "SPDX-2.N"` (SPDX 2.x JSON), or an SPDX 3 JSON-LD document: `@context` naming `https://spdx.org/rdf/3.…/spdx-context.jsonld` and a `@graph` array | `application/spdx+json` |
 * | `openvex`   | `@context` starting `https://openvex.dev/ns` and a `statements` array (OpenVEX 0.x)     | `application/openvex+json`        |
 * | `csaf-vex`  | `document.category: "csaf_vex"` and `document.csaf_version` (CSAF 2.x VEX profile)       | `application/csaf+json`           |
 *
 * An SBOM must be CycloneDX or SPDX; a VEX document must be OpenVEX, CSAF VEX, or CycloneDX with a
 * `vulnerabilities` array (CycloneDX VEX). The input is parsed as strict JSON (RFC 8259; duplicate
 * keys refused). Empty input, input that is not JSON, JSON that is none of these, and a document
 * of the other role are refused with a `ParseError` naming the input and what was expected.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { isObject } from "../encoding/json_value.ts";

/** Document kinds {@link detectDocumentType} recognises. */
export const DOCUMENT_KINDS = ["cyclonedx", "spdx", "openvex", "csaf-vex"] as const;

/** One of {@link DOCUMENT_KINDS}. */
export type DocumentKind = typeof DOCUMENT_KINDS[number];

/** The media type recorded for each {@link DocumentKind}. */
export const DOCUMENT_MEDIA_TYPES: Readonly<Record<DocumentKind, string>> = {
  cyclonedx: "application/vnd.cyclonedx+json",
  spdx: "application/spdx+json",
  openvex: "application/openvex+json",
  "csaf-vex": "application/csaf+json",
};

/** Roles a document plays in a promotion. */
export type DocumentRole = "sbom" | "vex";

/** What {@link detectDocumentType} found. */
export interface DocumentType {
  /** The kind of document. */
  kind: DocumentKind;
  /** Its media type (from {@link DOCUMENT_MEDIA_TYPES}). */
  mediaType: string;
  /** The format's own version field, e.g. `1.6`, `SPDX-2.3`, `3.0.1`, `2.0`, or the OpenVEX context. */
  version: string;
}

/** Options of {@link detectDocumentType}. */
export interface DetectDocumentTypeOptions {
  /** Input name for messages, e.g. a file name. */
  name?: string | undefined;
  /** The role the document must fit (`sbom` or `vex`); unset accepts any recognised kind. */
  role?: DocumentRole | undefined;
  /** Largest accepted input in bytes (default 256 MiB). */
  maxBytes?: number | undefined;
}

const EXPECTED: Readonly<Record<DocumentRole | "any", string>> = {
  sbom: "CycloneDX JSON or SPDX 2.x/3 JSON",
  vex: "OpenVEX, CSAF VEX or CycloneDX VEX JSON",
  any: "CycloneDX, SPDX 2.x/3, OpenVEX or CSAF VEX JSON",
};
const WHAT: Readonly<Record<DocumentRole | "any", string>> = {
  sbom: "SBOM",
  vex: "VEX document",
  any: "document",
};
const KIND_NAMES: Readonly<Record<DocumentKind, string>> = {
  cyclonedx: "a CycloneDX BOM",
  spdx: "an SPDX document",
  openvex: "an OpenVEX document",
  "csaf-vex": "a CSAF VEX document",
};

function spdx3Version(context: unknown): string | undefined {
  const entries = Array.isArray(context) ? context : [context];
  for (const entry of entries) {
    if (typeof entry !== "string") continue;
    const match = /^https:\/\/spdx\.org\/rdf\/(3\.\d+(?:\.\d+)?)\/spdx-context\.jsonld$/.exec(
      entry,
    );
    if (match !== null) return match[1]!;
  }
  return undefined;
}

function classify(
  doc: { [key: string]: unknown },
): { kind: DocumentKind; version: string } | string {
  if (doc["bomFormat"] === "CycloneDX") {
    const v = doc["specVersion"];
    if (typeof v === "string" && /^1\.\d+$/.test(v)) return { kind: "cyclonedx", version: v };
    return 'it says bomFormat "CycloneDX" but has no specVersion "1.N"';
  }
  const spdxVersion = doc["spdxVersion"];
  if (spdxVersion !== undefined) {
    if (typeof spdxVersion === "string" && /^SPDX-2\.\d+$/.test(spdxVersion)) {
      return { kind: "spdx", version: spdxVersion };
    }
    return `spdxVersion ${JSON.stringify(spdxVersion)} is not SPDX-2.N`;
  }
  const context = doc["@context"];
  const spdx3 = spdx3Version(context);
  if (spdx3 !== undefined) {
    if (Array.isArray(doc["@graph"])) return { kind: "spdx", version: spdx3 };
    return "it names the SPDX 3 context but has no @graph array";
  }
  if (typeof context === "string" && context.startsWith("https://openvex.dev/ns")) {
    if (Array.isArray(doc["statements"])) return { kind: "openvex", version: context };
    return "it names the OpenVEX context but has no statements array";
  }
  const document = doc["document"];
  if (isObject(document) && document["csaf_version"] !== undefined) {
    const version = document["csaf_version"];
    if (typeof version !== "string" || !/^2\.\d+$/.test(version)) {
      return `csaf_version ${JSON.stringify(version)} is not 2.N`;
    }
    if (document["category"] === "csaf_vex") return { kind: "csaf-vex", version };
    return `it is a CSAF document of category ${
      JSON.stringify(document["category"])
    }, not "csaf_vex"`;
  }
  return "it is JSON but none of these formats";
}

function fits(role: DocumentRole, kind: DocumentKind, doc: { [key: string]: unknown }): boolean {
  if (role === "sbom") return kind === "cyclonedx" || kind === "spdx";
  return kind === "openvex" || kind === "csaf-vex" ||
    (kind === "cyclonedx" && Array.isArray(doc["vulnerabilities"]));
}

/**
 * Detects the kind and media type of an SBOM or VEX document.
 *
 * @param bytes The document's bytes.
 * @param options Input name, the role it must fit, size limit.
 * @returns The kind, media type and version.
 * @throws {ParseError} `DOCUMENT_EMPTY` (no bytes, or only whitespace), `DOCUMENT_NOT_JSON`
 *   (not strict JSON, or too large), `DOCUMENT_UNRECOGNIZED` (JSON that is none of the formats),
 *   `DOCUMENT_ROLE_MISMATCH` (e.g. an OpenVEX document given as an SBOM); each message names the
 *   input and what was expected.
 *
 * @example Usage
 * ```ts
 * import { detectDocumentType } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const bom = new TextEncoder().encode('{"bomFormat":"CycloneDX","specVersion":"1.6"}');
 * assert.deepEqual(detectDocumentType(bom, { role: "sbom" }), {
 *   kind: "cyclonedx",
 *   mediaType: "application/vnd.cyclonedx+json",
 *   version: "1.6",
 * });
 * assert.throws(() => detectDocumentType(bom, { name: "bom.json", role: "vex" }), {
 *   code: "DOCUMENT_ROLE_MISMATCH",
 * });
 * assert.throws(() => detectDocumentType(new Uint8Array(), { name: "e.json" }), {
 *   code: "DOCUMENT_EMPTY",
 * });
 * ```
 */
export function detectDocumentType(
  bytes: Uint8Array,
  options: DetectDocumentTypeOptions = {},
): DocumentType {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the document as a Uint8Array");
  const role = options.role ?? "any";
  const subject = `${WHAT[role]}${options.name === undefined ? "" : ` "${options.name}"`}`;
  const expected = `expected ${EXPECTED[role]}`;
  if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
    throw new ParseError("DOCUMENT_EMPTY", `Cannot use ${subject}: the file is empty; ${expected}`);
  }
  let doc: unknown;
  try {
    doc = parseJson(bytes, { name: options.name, maxBytes: options.maxBytes ?? 256 * 1024 * 1024 });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const reason = error.code === "JSON_TOO_LARGE"
      ? "it is larger than the limit"
      : error.code === "JSON_INVALID_UTF8"
      ? "it is not UTF-8 text"
      : "it is not JSON";
    throw new ParseError(
      "DOCUMENT_NOT_JSON",
      `Cannot use ${subject}: ${reason} (${error.message}); ${expected}`,
      error.offset,
    );
  }
  if (!isObject(doc)) {
    throw new ParseError(
      "DOCUMENT_UNRECOGNIZED",
      `Cannot use ${subject}: it is JSON but not an object; ${expected}`,
    );
  }
  const found = classify(doc);
  if (typeof found === "string") {
    throw new ParseError("DOCUMENT_UNRECOGNIZED", `Cannot use ${subject}: ${found}; ${expected}`);
  }
  if (role !== "any" && !fits(role, found.kind, doc)) {
    const what = found.kind === "cyclonedx" && role === "vex"
      ? "a CycloneDX BOM without a vulnerabilities array"
      : KIND_NAMES[found.kind];
    throw new ParseError(
      "DOCUMENT_ROLE_MISMATCH",
      `Cannot use ${subject}: it is ${what}; ${expected}`,
    );
  }
  return { kind: found.kind, mediaType: DOCUMENT_MEDIA_TYPES[found.kind], version: found.version };
}
