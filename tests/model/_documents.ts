// Small SBOM and VEX documents of each kind, written for the tests (not copied from any vector set).

/** CycloneDX 1.6 JSON SBOM. */
export const CYCLONEDX = {
  bomFormat: "CycloneDX",
  specVersion: "1.6",
  serialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  version: 1,
  metadata: {
    timestamp: "2026-03-01T10:00:00Z",
    component: { type: "container", name: "payments-api", version: "2.3.0" },
  },
  components: [{
    type: "library",
    name: "openssl",
    version: "3.0.19",
    purl: "pkg:deb/debian/openssl@3.0.19",
  }],
};
/** CycloneDX 1.5 VEX (a BOM with vulnerabilities). */
export const CYCLONEDX_VEX = {
  bomFormat: "CycloneDX",
  specVersion: "1.5",
  version: 1,
  vulnerabilities: [{
    id: "CVE-2025-0001",
    analysis: { state: "not_affected", justification: "code_not_reachable" },
    affects: [{ ref: "pkg:deb/debian/openssl@3.0.19" }],
  }],
};
/** SPDX 2.3 JSON. */
export const SPDX2 = {
  spdxVersion: "SPDX-2.3",
  dataLicense: "CC0-1.0",
  SPDXID: "SPDXRef-DOCUMENT",
  name: "payments-api-2.3.0",
  documentNamespace: "https://spdx.example/payments-api-2.3.0",
  creationInfo: { created: "2026-03-01T10:00:00Z", creators: ["Tool: example-sbom-1.0"] },
  packages: [{ SPDXID: "SPDXRef-Package-openssl", name: "openssl", versionInfo: "3.0.19" }],
};
/** SPDX 3.0.1 JSON-LD. */
export const SPDX3 = {
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {
      type: "CreationInfo",
      "@id": "_:creationinfo",
      specVersion: "3.0.1",
      created: "2026-03-01T10:00:00Z",
      createdBy: ["https://spdx.example/agent/build"],
    },
    {
      type: "software_Package",
      spdxId: "https://spdx.example/pkg/openssl",
      name: "openssl",
      software_packageVersion: "3.0.19",
      creationInfo: "_:creationinfo",
    },
  ],
};
/** OpenVEX 0.2.0. */
export const OPENVEX = {
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://vex.example/payments-api/0001",
  author: "Security Team",
  timestamp: "2026-03-01T10:00:00Z",
  version: 1,
  statements: [{
    vulnerability: { name: "CVE-2025-0001" },
    products: [{ "@id": "pkg:oci/payments-api@sha256:abcd" }],
    status: "not_affected",
    justification: "vulnerable_code_not_in_execute_path",
  }],
};
/** CSAF 2.0 VEX profile. */
export const CSAF_VEX = {
  document: {
    category: "csaf_vex",
    csaf_version: "2.0",
    publisher: { category: "vendor", name: "Example", namespace: "https://example.com" },
    title: "payments-api VEX",
    tracking: {
      id: "EX-VEX-0001",
      status: "final",
      version: "1",
      initial_release_date: "2026-03-01T10:00:00Z",
      current_release_date: "2026-03-01T10:00:00Z",
      revision_history: [{ date: "2026-03-01T10:00:00Z", number: "1", summary: "Initial" }],
    },
  },
  "product_tree": { full_product_names: [{ name: "payments-api 2.3.0", product_id: "P1" }] },
  vulnerabilities: [{ cve: "CVE-2025-0001", product_status: { known_not_affected: ["P1"] } }],
};
