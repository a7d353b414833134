// docs/openapi.json is the document the handler serves, and real responses of every route and
// status validate against it (ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1).
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import { OPENAPI_DOCUMENT } from "../../lib/serve/_openapi.ts";
import { loadTrustMaterial } from "../../mod.ts";
import { createVerifyHandler } from "../../mod.ts";
import {
  controlledBody,
  fixture,
  fixtureText,
  NOW_MS,
  post,
  serveHandler,
  waitInFlight,
} from "./_server.ts";

const FILE = JSON.parse(
  await Deno.readTextFile(new URL("../../docs/openapi.json", import.meta.url)),
);

// The document is not itself a schema: its unknown keywords (openapi, paths) are ignored; each
// component schema is checked against the 2020-12 meta-schema below.
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(FILE, "openapi.json");

type Doc = {
  paths: Record<
    string,
    Record<string, {
      responses: Record<
        string,
        {
          headers?: Record<string, unknown>;
          content?: Record<string, { schema: unknown }>;
        }
      >;
    }>
  >;
};
const DOC = FILE as Doc;

/** Checks a real response against the document: status listed, media type, schema, headers. */
async function conforms(path: string, method: string, response: Response): Promise<unknown> {
  const operation = DOC.paths[path]?.[method.toLowerCase()];
  if (operation === undefined) {
    // A method the document does not list for the path: 405 with Allow, as a Problem.
    assert.equal(response.status, 405, `${method} ${path}`);
    assert.ok(response.headers.has("allow"));
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const body = await response.json();
    assert.ok(ajv.validate({ $ref: "openapi.json#/components/schemas/Problem" }, body));
    return body;
  }
  const documented = operation.responses[String(response.status)];
  assert.ok(documented, `${method} ${path} documents status ${response.status}`);
  for (const header of Object.keys(documented.headers ?? {})) {
    assert.ok(response.headers.has(header), `${response.status} carries ${header}`);
  }
  const type = response.headers.get("content-type")!.split(";")[0]!;
  const media = documented.content?.[type];
  assert.ok(media, `${method} ${path} ${response.status} documents ${type}`);
  const text = await response.text();
  if (!type.endsWith("json")) return text;
  const body = JSON.parse(text);
  const validate = ajv.compile({ $ref: "openapi.json#" + pointerTo(path, method, response, type) });
  assert.ok(
    validate(body),
    `${method} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`,
  );
  return body;
}

function pointerTo(path: string, method: string, response: Response, type: string): string {
  const escape = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");
  return `/paths/${escape(path)}/${method.toLowerCase()}/responses/${response.status}/content/${
    escape(type)
  }/schema`;
}

const KEY_A = await fixtureText("negative/keys/test-only-ed25519-a.pub.pem");
// An empty trusted root: bundles are evaluated against it (and fail closed).
const TRUST_A = loadTrustMaterial({
  keys: [{ pem: KEY_A, options: { signatureEncoding: "any" } }],
  trustedRoot: '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}',
});
const now = () => NOW_MS;

// A bundle with a Fulcio-style test leaf and no signing time (the VerificationReport example of
// lib/verify/report.ts): it fails, and its report carries evidence and identity.
const LEAF =
  "MIIBQTCB9KADAgECAgEBMAUGAytlcDAyMRcwFQYDVQQKDA5TdGVsbGFPcHMgVGVzdDEXMBUGA1UEAwwORXhhbXBsZS" +
  "BGdWxjaW8wHhcNMjYwMTAxMDAwMDAwWhcNMjYwMTAxMDAxMDAwWjAAMCowBQYDK2VwAyEANahQ+6pi/EFduF8sruGp" +
  "nH8Yqkuu7b2eZpbLBhCPmrKjYTBfMA4GA1UdDwEB/wQEAwIHgDAfBgNVHREBAf8EFTATgRFhbGljZUBleGFtcGxlLm" +
  "NvbTAsBgorBgEEAYO/MAEIBB4MHGh0dHBzOi8vYWNjb3VudHMuZXhhbXBsZS5jb20wBQYDK2VwA0EAfbhaXJsYa4k2" +
  "o2QlgLUeEirnOKsWDJ9D9lo29tAmBer+uq4kahzyUSHBSv0dHd2UnGkI1yomzm52l+cVpd2AAQ==";
const BUNDLE = JSON.stringify({
  mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
  verificationMaterial: { certificate: { rawBytes: LEAF } },
  messageSignature: { signature: "AAEC" },
});

Deno.test("docs/openapi.json is the document GET /openapi.json serves (deno task openapi)", async () => {
  assert.deepEqual(FILE, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  await using server = serveHandler({ trust: loadTrustMaterial(), now });
  const served = await conforms("/openapi.json", "GET", await fetch(`${server.url}/openapi.json`));
  assert.deepEqual(served, FILE);
});

Deno.test("docs/openapi.json: an OpenAPI 3.1 document whose schemas are valid JSON Schema 2020-12", () => {
  assert.equal(FILE.openapi, "3.1.0");
  const strict = new Ajv2020({ strict: true, allErrors: true });
  for (const [name, schema] of Object.entries(FILE.components.schemas)) {
    assert.ok(strict.validateSchema(schema as object), `${name}: ${strict.errorsText()}`);
  }
  for (const [path, methods] of Object.entries(DOC.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const media of Object.values(response.content ?? {})) {
          assert.ok(
            strict.validateSchema(media.schema as object),
            `${method} ${path} ${status}: ${strict.errorsText()}`,
          );
        }
      }
    }
  }
});

Deno.test("real responses of every route and status validate against docs/openapi.json", async () => {
  await using server = serveHandler({
    trust: TRUST_A,
    now,
    limits: { maxBodyBytes: 64 * 1024, concurrency: 1 },
  });
  const u = server.url;
  const verify = "/v1/verify";
  for (
    const file of [
      "valid.ed25519.dsse.json",
      "tampered-payload.dsse.json",
      "malformed-json.dsse.json",
    ]
  ) {
    const report = await conforms(
      verify,
      "POST",
      await post(u + verify, await fixture(`negative/${file}`)),
    );
    assert.equal((report as { verified: boolean }).verified, file.startsWith("valid"));
  }
  const bundle = await conforms(
    verify,
    "POST",
    await post(
      `${u}${verify}?certificate-identity=alice@example.com&certificate-oidc-issuer=https://accounts.example.com&now=2026-01-01T00:05:00Z`,
      BUNDLE,
    ),
  ) as { verified: boolean; identity?: unknown; evidence?: unknown };
  assert.equal(bundle.verified, false);
  assert.ok(bundle.identity !== undefined && bundle.evidence !== undefined);
  const valid = new TextDecoder().decode(await fixture("negative/valid.ed25519.dsse.json")).trim();
  await conforms(
    verify,
    "POST",
    await post(u + verify, `${valid}\n${valid}\n`, "application/jsonl"),
  );
  await conforms(verify, "POST", await post(u + verify, "", "application/jsonl"));
  const timeline = "/v1/verify/timeline";
  const policy = JSON.parse(await fixtureText("timeline/trust.json"));
  await using timelines = serveHandler({ trust: loadTrustMaterial({ trustPolicy: policy }), now });
  for (const file of ["valid.jsonl", "negative/actor-impersonated.jsonl"]) {
    await conforms(
      timeline,
      "POST",
      await post(timelines.url + timeline, await fixture(`timeline/${file}`), "application/jsonl"),
    );
  }
  await conforms("/v1/trust", "GET", await fetch(`${u}/v1/trust`));
  await conforms("/healthz", "GET", await fetch(`${u}/healthz`));
  await conforms("/metrics", "GET", await fetch(`${u}/metrics`));
  // Problems.
  await conforms(verify, "POST", await post(`${u}${verify}?skew=soon`, valid));
  await conforms(
    timeline,
    "POST",
    await post(`${u}${timeline}?expect-entries=0`, "", "application/jsonl"),
  );
  await conforms(verify, "GET", await fetch(u + verify));
  await conforms("/healthz", "POST", await fetch(`${u}/healthz`, { method: "POST", body: "" }));
  await conforms(verify, "POST", await post(u + verify, new Uint8Array(64 * 1024 + 1)));
  await conforms(verify, "POST", await post(u + verify, valid, "text/plain"));
  const slow = controlledBody();
  const first = fetch(u + verify, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: slow.stream,
  });
  slow.push("{");
  await waitInFlight(u, 1);
  await conforms(verify, "POST", await post(u + verify, valid));
  slow.close();
  await conforms(verify, "POST", await first);
  const missing = await fetch(`${u}/nowhere`);
  assert.equal(missing.status, 404);
  const problem = await missing.json();
  assert.ok(ajv.validate({ $ref: "openapi.json#/components/schemas/Problem" }, problem));
  const failing = createVerifyHandler({
    trust: () => {
      throw new Error("boom");
    },
    now,
  });
  await conforms(
    verify,
    "POST",
    await failing(
      new Request("http://x/v1/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: valid,
      }),
    ),
  );
});
