// detectDocumentType(): small realistic documents of each kind (written for this test), each
// recognised with its media type and refused in the other role; empty, random, non-JSON and
// unrecognised JSON refused with exact codes and messages.
import assert from "node:assert/strict";
import { detectDocumentType, type DocumentRole } from "../../lib/model/mod.ts";
import { encodeUtf8 } from "../../lib/encoding/mod.ts";
import { CSAF_VEX, CYCLONEDX, CYCLONEDX_VEX, OPENVEX, SPDX2, SPDX3 } from "./_documents.ts";

const bytes = (value: unknown) => encodeUtf8(JSON.stringify(value, null, 2));

Deno.test("detectDocumentType() recognises CycloneDX, SPDX 2.x and 3, OpenVEX and CSAF VEX with their media types", () => {
  const cases: [unknown, DocumentRole, string, string, string][] = [
    [CYCLONEDX, "sbom", "cyclonedx", "application/vnd.cyclonedx+json", "1.6"],
    [SPDX2, "sbom", "spdx", "application/spdx+json", "SPDX-2.3"],
    [SPDX3, "sbom", "spdx", "application/spdx+json", "3.0.1"],
    [OPENVEX, "vex", "openvex", "application/openvex+json", "https://openvex.dev/ns/v0.2.0"],
    [CSAF_VEX, "vex", "csaf-vex", "application/csaf+json", "2.0"],
    [CYCLONEDX_VEX, "vex", "cyclonedx", "application/vnd.cyclonedx+json", "1.5"],
  ];
  for (const [doc, role, kind, mediaType, version] of cases) {
    assert.deepEqual(detectDocumentType(bytes(doc), { role }), { kind, mediaType, version });
    assert.deepEqual(detectDocumentType(bytes(doc)), { kind, mediaType, version });
  }
  // SPDX 3 with an array @context.
  assert.equal(
    detectDocumentType(bytes({ ...SPDX3, "@context": [SPDX3["@context"], { x: "y" }] })).kind,
    "spdx",
  );
});

Deno.test("detectDocumentType() refuses a document of the other role, naming both", () => {
  const cases: [unknown, DocumentRole, string][] = [
    [OPENVEX, "sbom", "it is an OpenVEX document; expected CycloneDX JSON or SPDX 2.x/3 JSON"],
    [CSAF_VEX, "sbom", "it is a CSAF VEX document; expected CycloneDX JSON or SPDX 2.x/3 JSON"],
    [SPDX2, "vex", "it is an SPDX document; expected OpenVEX, CSAF VEX or CycloneDX VEX JSON"],
    [
      CYCLONEDX,
      "vex",
      "it is a CycloneDX BOM without a vulnerabilities array; expected OpenVEX, CSAF VEX or CycloneDX VEX JSON",
    ],
  ];
  for (const [doc, role, tail] of cases) {
    assert.throws(() => detectDocumentType(bytes(doc), { role, name: "d.json" }), {
      name: "ParseError",
      code: "DOCUMENT_ROLE_MISMATCH",
      message: `Cannot use ${role === "sbom" ? "SBOM" : "VEX document"} "d.json": ${tail}`,
    });
  }
});

Deno.test("detectDocumentType() refuses empty, random, non-JSON and unrecognised input with exact codes", () => {
  const random = new Uint8Array(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24; // fixed, not JSON
  const sbom = { role: "sbom" as const, name: "s.json" };
  const expected = "expected CycloneDX JSON or SPDX 2.x/3 JSON";
  assert.throws(() => detectDocumentType(new Uint8Array(), sbom), {
    code: "DOCUMENT_EMPTY",
    message: `Cannot use SBOM "s.json": the file is empty; ${expected}`,
  });
  assert.throws(() => detectDocumentType(encodeUtf8(" \n\t"), sbom), { code: "DOCUMENT_EMPTY" });
  assert.throws(() => detectDocumentType(random, sbom), (error: Error & { code?: string }) => {
    assert.equal(error.code, "DOCUMENT_NOT_JSON");
    assert.match(error.message, /^Cannot use SBOM "s\.json": it is not (JSON|UTF-8 text) \(/);
    assert.ok(error.message.endsWith(`; ${expected}`));
    return true;
  });
  assert.throws(() => detectDocumentType(encodeUtf8('{"a":1,"a":2}'), sbom), {
    code: "DOCUMENT_NOT_JSON",
  });
  assert.throws(() => detectDocumentType(encodeUtf8("<bom/>"), sbom), {
    code: "DOCUMENT_NOT_JSON",
  });
  const unrecognised: [string, string][] = [
    ["[]", "it is JSON but not an object"],
    ['"CycloneDX"', "it is JSON but not an object"],
    ["{}", "it is JSON but none of these formats"],
    ['{"name":"app","version":"1.0"}', "it is JSON but none of these formats"],
    ['{"bomFormat":"CycloneDX"}', 'it says bomFormat "CycloneDX" but has no specVersion "1.N"'],
    ['{"spdxVersion":"SPDX-1.2"}', 'spdxVersion "SPDX-1.2" is not SPDX-2.N'],
    [
      '{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}',
      "it names the SPDX 3 context but has no @graph array",
    ],
    [
      '{"@context":"https://openvex.dev/ns/v0.2.0"}',
      "it names the OpenVEX context but has no statements array",
    ],
  ];
  for (const [text, reason] of unrecognised) {
    assert.throws(() => detectDocumentType(encodeUtf8(text), sbom), {
      code: "DOCUMENT_UNRECOGNIZED",
      message: `Cannot use SBOM "s.json": ${reason}; ${expected}`,
    }, text);
  }
  const advisory = { ...CSAF_VEX, document: { ...CSAF_VEX.document, category: "csaf_base" } };
  assert.throws(() => detectDocumentType(bytes(advisory), { role: "vex" }), {
    code: "DOCUMENT_UNRECOGNIZED",
    message:
      'Cannot use VEX document: it is a CSAF document of category "csaf_base", not "csaf_vex"; expected OpenVEX, CSAF VEX or CycloneDX VEX JSON',
  });
  assert.throws(() => detectDocumentType(bytes(CYCLONEDX), { maxBytes: 10 }), {
    code: "DOCUMENT_NOT_JSON",
  });
});
