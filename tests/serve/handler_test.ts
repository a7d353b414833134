import assert from "node:assert/strict";
import { loadTrustMaterial, type VerifyHandlerLogEntry } from "../../mod.ts";
import { createVerifyHandler } from "../../mod.ts";
import { runCli } from "../cli/_io.ts";
import {
  controlledBody,
  fixture,
  fixturePath,
  fixtureText,
  NOW,
  NOW_MS,
  post,
  rawRequest,
  serveHandler,
  waitInFlight,
} from "./_server.ts";

const KEY_A = await fixtureText("negative/keys/test-only-ed25519-a.pub.pem");
const TRUST_A = loadTrustMaterial({
  keys: [{ pem: KEY_A, options: { name: "a", signatureEncoding: "any" } }],
});
const VALID = await fixture("negative/valid.ed25519.dsse.json");
const TAMPERED = await fixture("negative/tampered-payload.dsse.json");
const MALFORMED = await fixture("negative/malformed-json.dsse.json");
const clock = () => NOW_MS;

Deno.test("POST /v1/verify over HTTP: the bytes of `stella forensic verify --json` for valid, tampered and malformed envelopes", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  for (
    const [file, verified, code] of [
      ["valid.ed25519.dsse.json", true, undefined],
      ["tampered-payload.dsse.json", false, "SIGNATURE_INVALID"],
      ["malformed-json.dsse.json", false, "ENVELOPE_MALFORMED"],
    ] as const
  ) {
    const response = await post(`${server.url}/v1/verify`, await fixture(`negative/${file}`));
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.match(response.headers.get("x-request-id") ?? "", /^\d+$/);
    const body = await response.text();
    const report = JSON.parse(body);
    assert.deepEqual([report.verified, report.code], [verified, code], file);
    const cli = await runCli([
      "forensic",
      "verify",
      fixturePath(`negative/${file}`),
      "--key",
      fixturePath("negative/keys/test-only-ed25519-a.pub.pem"),
      "--now",
      NOW,
      "--json",
    ]);
    // The CLI names the input by its path; the service calls it "body".
    assert.equal(body, cli.stdout.replaceAll(fixturePath(`negative/${file}`), "body"), file);
  }
});

Deno.test("POST /v1/verify: query parameters are the CLI's subject, predicate-type and time flags", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  const digest = "sha256:f49ae8ae6c0426c376799c3846db3e0affd1e857d55bc58a782bf2ea5d993d1d";
  const cases: [string, boolean, string | undefined][] = [
    [`artifact-digest=${digest}`, true, undefined],
    [`artifact-digest=sha256:${"c0".repeat(32)}`, false, "SUBJECT_MISMATCH"],
    ["predicate-type=https://slsa.dev/provenance/v1", false, "PREDICATE_TYPE_NOT_ALLOWED"],
    [
      "predicate-type=https://slsa.dev/provenance/v1&predicate-type=stella.ops/promotion@v1",
      true,
      undefined,
    ],
    ["not-after=2026-02-20T00:00:00Z", false, "SIGNED_AFTER_NOT_AFTER"],
    ["signed-at=2026-02-20T00:05:00Z&not-after=2026-02-20T00:00:00Z", true, undefined],
    [
      "signed-at=2026-02-20T00:00:31Z&not-after=2026-02-20T00:00:00Z&skew=30s",
      false,
      "SIGNED_AFTER_NOT_AFTER",
    ],
    ["now=2026-03-01T12:00:00Z&signed-at=2026-03-01T12:05:01Z", false, "SIGNED_IN_FUTURE"],
  ];
  for (const [query, verified, code] of cases) {
    const report = await (await post(`${server.url}/v1/verify?${query}`, VALID)).json();
    assert.deepEqual([report.verified, report.code], [verified, code], query);
  }
});

Deno.test("POST /v1/verify with a trust policy: threshold and allowed predicate types decide as in the CLI", async () => {
  const policy = JSON.parse(await fixtureText("negative/trust/threshold-2.json"));
  await using server = serveHandler({
    trust: loadTrustMaterial({ trustPolicy: policy }),
    now: clock,
  });
  const report = await (await post(`${server.url}/v1/verify`, VALID)).json();
  assert.deepEqual([report.verified, report.code], [false, "THRESHOLD_NOT_MET"]);
});

Deno.test("POST /v1/verify with JSON Lines: the CLI's batch object, lines named body:N", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  const line = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  const body = `${line(VALID)}\n\n${line(TAMPERED)}\n${line(VALID)}\n`;
  const response = await post(`${server.url}/v1/verify`, body, "application/jsonl");
  assert.equal(response.status, 200);
  const batch = await response.json();
  assert.deepEqual(batch.summary, {
    total: 3,
    verified: 2,
    failed: 1,
    codes: { SIGNATURE_INVALID: 1 },
  });
  assert.equal(batch.verified, false);
  assert.deepEqual(batch.reports.map((r: { file: string }) => r.file), [
    "body:1",
    "body:3",
    "body:4",
  ]);
  // Same bytes as the CLI over the same lines in a file (named by the file's path there).
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/batch.jsonl`, body);
    const cli = await runCli([
      "forensic",
      "verify",
      `${dir}/batch.jsonl`,
      "--key",
      fixturePath("negative/keys/test-only-ed25519-a.pub.pem"),
      "--now",
      NOW,
      "--json",
    ]);
    const served = await (await post(`${server.url}/v1/verify`, body, "application/x-ndjson"))
      .text();
    assert.equal(served, cli.stdout.replaceAll(`${dir}/batch.jsonl:`, "body:"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const empty = await (await post(`${server.url}/v1/verify`, "", "application/jsonl")).json();
  assert.deepEqual([empty.verified, empty.code], [false, "NO_INPUT"]);
  const allowed = await (await post(`${server.url}/v1/verify?allow-empty`, "", "application/jsonl"))
    .json();
  assert.deepEqual([allowed.verified, allowed.code], [true, undefined]);
});

Deno.test("POST /v1/verify/timeline: the CLI's --timeline --json report", async () => {
  const policy = JSON.parse(await fixtureText("timeline/trust.json"));
  await using server = serveHandler({
    trust: loadTrustMaterial({ trustPolicy: policy }),
    now: clock,
  });
  const body = await fixture("timeline/valid.jsonl");
  const head = (await fixtureText("timeline/valid.head.txt")).trim();
  const response = await post(
    `${server.url}/v1/verify/timeline?expect-head=${head}`,
    body,
    "application/jsonl",
  );
  assert.equal(response.status, 200);
  const served = await response.text();
  const report = JSON.parse(served);
  assert.deepEqual([report.verified, report.anchored], [true, true]);
  const cli = await runCli([
    "forensic",
    "verify",
    "--timeline",
    fixturePath("timeline/valid.jsonl"),
    "--trust",
    fixturePath("timeline/trust.json"),
    "--expect-head",
    head,
    "--now",
    NOW,
    "--json",
  ]);
  assert.equal(served, cli.stdout.replaceAll(`${fixturePath("timeline/valid.jsonl")}:`, "body:"));
  const single = await post(`${server.url}/v1/verify/timeline`, body, "application/json");
  assert.equal(single.status, 415);
  assert.equal(
    single.headers.get("accept-post"),
    "application/jsonl, application/x-ndjson, application/x-jsonlines",
  );
});

Deno.test("status codes: 400 names the parameter, 404, 405 with Allow, 415 with Accept-Post", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  const problem = async (response: Response) => {
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const body = await response.json();
    assert.equal(body.status, response.status);
    assert.equal(body.requestId, response.headers.get("x-request-id"));
    return body;
  };
  const bad = await post(`${server.url}/v1/verify?not-after=yesterday`, VALID);
  assert.equal(bad.status, 400);
  const badBody = await problem(bad);
  assert.equal(badBody.code, "QUERY_INVALID");
  assert.match(badBody.detail, /not-after="yesterday"/);
  const unknown = await problem(await post(`${server.url}/v1/verify?keys=x`, VALID));
  assert.match(unknown.detail, /Unknown query parameter "keys"/);
  const twice = await problem(await post(`${server.url}/v1/verify?now=${NOW}&now=${NOW}`, VALID));
  assert.match(twice.detail, /"now" once/);
  const image = await problem(await post(`${server.url}/v1/verify?image=app:latest`, VALID));
  assert.match(image.detail, /^Cannot parse query parameter image="app:latest"/);

  const missing = await fetch(`${server.url}/v2/verify`);
  assert.equal(missing.status, 404);
  assert.equal((await problem(missing)).code, "ROUTE_NOT_FOUND");
  const method = await fetch(`${server.url}/v1/verify`);
  assert.equal(method.status, 405);
  assert.equal(method.headers.get("allow"), "POST");
  assert.equal((await problem(method)).code, "METHOD_NOT_ALLOWED");
  const trustPost = await fetch(`${server.url}/v1/trust`, { method: "POST", body: "" });
  assert.deepEqual([trustPost.status, trustPost.headers.get("allow")], [405, "GET"]);
  await trustPost.body?.cancel();

  for (const type of ["text/plain", "application/jsonx", undefined]) {
    const wrong = await fetch(`${server.url}/v1/verify`, {
      method: "POST",
      headers: type === undefined ? {} : { "content-type": type },
      body: VALID,
    });
    assert.equal(wrong.status, 415, type);
    assert.equal((await problem(wrong)).code, "MEDIA_TYPE_UNSUPPORTED");
  }
  const bundleType = await post(
    `${server.url}/v1/verify`,
    VALID,
    "application/vnd.dev.sigstore.bundle.v0.3+json",
  );
  assert.equal(bundleType.status, 200); // any application/*+json is one JSON document
  await bundleType.body?.cancel();
});

Deno.test("413: a body over the limit is refused, by Content-Length or while streaming, without reading the rest", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock, limits: { maxBodyBytes: 1024 } });
  const declared = await post(`${server.url}/v1/verify`, new Uint8Array(4096));
  assert.equal(declared.status, 413);
  assert.equal((await declared.json()).code, "BODY_TOO_LARGE");
  // Chunked (no Content-Length), body never ended: the server answers as soon as the limit is
  // passed, without waiting for the rest.
  const streamed = await rawRequest(
    server.url,
    "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
    [new Uint8Array(600), new Uint8Array(600)],
  );
  assert.equal(streamed.status, 413);
  assert.equal(JSON.parse(streamed.body).code, "BODY_TOO_LARGE");
  // Exactly the limit, chunked: read to its end and evaluated.
  const under = rawRequest(
    server.url,
    "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
    [new Uint8Array(1024).fill(0x20)],
    true,
  );
  assert.equal((await under).status, 200);
  // Exactly the limit is fine.
  const exact = new Uint8Array(1024).fill(0x20);
  const atLimit = await post(`${server.url}/v1/verify`, exact);
  assert.equal(atLimit.status, 200);
  assert.equal((await atLimit.json()).code, "ENVELOPE_MALFORMED");
});

Deno.test("503 with Retry-After when the in-flight limit is reached; the request in flight still completes", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock, limits: { concurrency: 1 } });
  const slow = controlledBody();
  const first = fetch(`${server.url}/v1/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: slow.stream,
  });
  slow.push(VALID.subarray(0, 10));
  await waitInFlight(server.url, 1);
  const busy = await post(`${server.url}/v1/verify`, VALID);
  assert.equal(busy.status, 503);
  assert.equal(busy.headers.get("retry-after"), "1");
  assert.equal((await busy.json()).code, "SERVER_BUSY");
  // Health, trust and metrics are not verifications: they still answer.
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  slow.push(VALID.subarray(10));
  slow.close();
  const done = await first;
  assert.equal(done.status, 200);
  assert.equal((await done.json()).verified, true);
  await waitInFlight(server.url, 0);
  assert.equal((await post(`${server.url}/v1/verify`, VALID)).status, 200);
});

Deno.test("a slow client does not hold up other requests; its own request completes", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  const slow = controlledBody();
  const pending = fetch(`${server.url}/v1/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: slow.stream,
  });
  for (let i = 0; i < 40; i++) {
    slow.push(VALID.subarray(i * 16, i * 16 + 16));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // Meanwhile, other clients are served in full.
  const other = await (await post(`${server.url}/v1/verify`, TAMPERED)).json();
  assert.equal(other.code, "SIGNATURE_INVALID");
  slow.push(VALID.subarray(640));
  slow.close();
  const response = await pending;
  assert.equal((await response.json()).verified, true);
});

Deno.test("without a clock, a verification needs the now parameter (400 names it)", async () => {
  await using server = serveHandler({ trust: TRUST_A });
  const missing = await post(`${server.url}/v1/verify`, VALID);
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).detail, /now parameter/);
  const given = await (await post(`${server.url}/v1/verify?now=${NOW}`, VALID)).json();
  assert.equal(given.verified, true);
  assert.deepEqual(given.time, { value: NOW, source: "clock" });
});

Deno.test("an internal error is logged with its request id and answered 500 with that id only", async () => {
  const log: VerifyHandlerLogEntry[] = [];
  const handler = createVerifyHandler({
    trust: () => {
      throw new Error("secret detail at /etc/trust.json");
    },
    now: clock,
    requestId: () => "req-7",
    log: (entry) => void log.push(entry),
  });
  const response = await handler(
    new Request("http://x/v1/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: VALID,
    }),
  );
  assert.equal(response.status, 500);
  const text = await response.text();
  assert.equal(
    text,
    '{"code":"INTERNAL_ERROR","detail":"Internal error; the server log has the details under request id req-7","requestId":"req-7","status":500,"title":"Internal Server Error"}\n',
  );
  assert.equal(log.length, 2);
  assert.equal(log[0]!.type, "error");
  assert.equal(log[0]!.requestId, "req-7");
  assert.equal(log[0]!.message, "secret detail at /etc/trust.json");
  assert.match(log[0]!.stack ?? "", /handler_test\.ts/);
  assert.deepEqual(log[1], {
    type: "access",
    requestId: "req-7",
    method: "POST",
    route: "/v1/verify",
    status: 500,
    code: "INTERNAL_ERROR",
  });
});

Deno.test("access log: request id, route, status, code, duration; never the payload", async () => {
  const log: VerifyHandlerLogEntry[] = [];
  let tick = 0;
  const handler = createVerifyHandler({
    trust: TRUST_A,
    now: clock,
    monotonic: () => (tick += 2.5),
    log: (entry) => void log.push(entry),
  });
  const request = (body: Uint8Array<ArrayBuffer>) =>
    handler(
      new Request("http://x/v1/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
  await (await request(VALID)).body?.cancel();
  await (await request(TAMPERED)).body?.cancel();
  const lines = [VALID, TAMPERED].map((b) => new TextDecoder().decode(b).trim()).join("\n");
  await (await handler(
    new Request("http://x/v1/verify", {
      method: "POST",
      headers: { "content-type": "application/jsonl" },
      body: lines,
    }),
  )).body?.cancel();
  assert.deepEqual(log, [
    {
      type: "access",
      requestId: "1",
      method: "POST",
      route: "/v1/verify",
      status: 200,
      verified: true,
      durationMs: 2.5,
    },
    {
      type: "access",
      requestId: "2",
      method: "POST",
      route: "/v1/verify",
      status: 200,
      verified: false,
      code: "SIGNATURE_INVALID",
      durationMs: 2.5,
    },
    {
      type: "access",
      requestId: "3",
      method: "POST",
      route: "/v1/verify",
      status: 200,
      verified: false,
      code: "SIGNATURE_INVALID", // the first failing line's
      durationMs: 2.5,
    },
  ]);
});

Deno.test("GET /metrics: requests by route and status, verdicts by code, latency histogram, in flight", async () => {
  let tick = 0;
  await using server = serveHandler({
    trust: TRUST_A,
    now: clock,
    monotonic: () => (tick += 30),
  });
  await (await post(`${server.url}/v1/verify`, VALID)).body?.cancel();
  await (await post(`${server.url}/v1/verify`, TAMPERED)).body?.cancel();
  await (await post(`${server.url}/v1/verify`, MALFORMED)).body?.cancel();
  await (await fetch(`${server.url}/nope`)).body?.cancel();
  // A batch counts each of its lines.
  const lines = [VALID, TAMPERED, VALID].map((b) => new TextDecoder().decode(b).trim()).join("\n");
  await (await post(`${server.url}/v1/verify`, lines, "application/jsonl")).body?.cancel();
  const response = await fetch(`${server.url}/metrics`);
  assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await response.text();
  for (
    const line of [
      'stella_http_requests_total{route="/v1/verify",status="200"} 4',
      'stella_http_requests_total{route="other",status="404"} 1',
      'stella_verdicts_total{verified="true",code=""} 3',
      'stella_verdicts_total{verified="false",code="ENVELOPE_MALFORMED"} 1',
      'stella_verdicts_total{verified="false",code="SIGNATURE_INVALID"} 2',
      'stella_http_request_duration_seconds_bucket{le="0.025"} 0',
      'stella_http_request_duration_seconds_bucket{le="0.05"} 5',
      'stella_http_request_duration_seconds_bucket{le="+Inf"} 5',
      "stella_http_request_duration_seconds_count 5",
      "stella_http_requests_in_flight 0",
      "# TYPE stella_http_request_duration_seconds histogram",
    ]
  ) {
    assert.ok(text.includes(line + "\n"), line);
  }
});

Deno.test("GET /v1/trust: digest and summary; a trust function reloads atomically", async () => {
  let trust = TRUST_A;
  await using server = serveHandler({ trust: () => trust, now: clock });
  const before = await (await fetch(`${server.url}/v1/trust`)).json();
  assert.match(before.digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(before.summary.keys[0].keyid, /^[0-9a-f]{64}$/); // sha256 of the SPKI
  assert.deepEqual(before.summary, {
    keys: [{ keyid: before.summary.keys[0].keyid, name: "a" }],
    requiredClaims: 0,
    threshold: 1,
    tsaRoots: 0,
  });
  assert.equal((await (await post(`${server.url}/v1/verify`, VALID)).json()).verified, true);
  trust = loadTrustMaterial({
    trustPolicy: await fixtureText("negative/trust/ed25519-a.revoked.json"),
  });
  const after = await (await fetch(`${server.url}/v1/trust`)).json();
  assert.notEqual(after.digest, before.digest);
  assert.equal(after.summary.keys[0].revokedAt, "2026-02-15T00:00:00Z");
  const revoked = await (await post(`${server.url}/v1/verify`, VALID)).json();
  assert.equal(revoked.code, "KEY_REVOKED");
});

Deno.test("createVerifyHandler() rejects unusable limits and bad trust up front", async () => {
  assert.throws(
    () => createVerifyHandler({ trust: loadTrustMaterial(), limits: { concurrency: 0 } }),
    RangeError,
  );
  // Trust material edited after loading no longer matches its digest.
  assert.throws(() => createVerifyHandler({ trust: { ...TRUST_A, threshold: 2 } }), TypeError);
  const badRoot = loadTrustMaterial({ trustedRoot: '{"mediaType":"application/json"}' });
  assert.throws(() => createVerifyHandler({ trust: badRoot }), { name: "ParseError" });
  const handler = createVerifyHandler({ trust: loadTrustMaterial(), now: clock });
  const health = await handler(new Request("http://x/healthz"));
  assert.equal(await health.text(), '{"status":"ok"}\n');
});

Deno.test("a parameter the input's kind does not check is 400, never silently ignored", async () => {
  await using server = serveHandler({ trust: TRUST_A, now: clock });
  const bundle = JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: {},
    messageSignature: { signature: "AAEC" },
  });
  const image = `image=registry.example/app@sha256:${"ab".repeat(32)}`;
  const onBundle = await post(`${server.url}/v1/verify?${image}&predicate-type=x`, bundle);
  assert.equal(onBundle.status, 400);
  assert.equal(
    (await onBundle.json()).detail,
    'Cannot use the query parameters: image, predicate-type does not apply to a Sigstore bundle ("body")',
  );
  const onEnvelope = await post(`${server.url}/v1/verify?tlog-threshold=1`, VALID);
  assert.equal(onEnvelope.status, 400);
  assert.match(
    (await onEnvelope.json()).detail,
    /tlog-threshold does not apply to a DSSE envelope/,
  );
  const lines = `${new TextDecoder().decode(VALID).trim()}\n${bundle}\n`;
  const mixed = await post(`${server.url}/v1/verify?${image}`, lines, "application/jsonl");
  assert.equal(mixed.status, 400);
  assert.match(
    (await mixed.json()).detail,
    /image does not apply to a Sigstore bundle \("body:2"\)/,
  );
  // Without them, a server with no trusted root refuses to judge a bundle (the CLI needs
  // --trusted-root too): never a verdict it has no trust for.
  const noRoot = await post(`${server.url}/v1/verify`, bundle);
  assert.equal(noRoot.status, 400);
  assert.equal(
    (await noRoot.json()).detail,
    'Cannot use the query parameters: Cannot verify the Sigstore bundle "body": this server has ' +
      "no trusted root (stella serve --trusted-root)",
  );
});

Deno.test("a key-signed bundle is judged by the trust's one key: several keys or none is 400", async () => {
  const trustedRoot = '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}';
  const bundle = JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: { publicKey: { hint: "k" } },
    messageSignature: { signature: "AAEC" },
  });
  const keyB = await fixtureText("negative/keys/test-only-ed25519-b.pub.pem");
  const two = loadTrustMaterial({ keys: [{ pem: KEY_A }, { pem: keyB }], trustedRoot });
  await using several = serveHandler({ trust: two, now: clock });
  const refused = await post(`${several.url}/v1/verify`, bundle);
  assert.equal(refused.status, 400);
  assert.equal(
    (await refused.json()).detail,
    "Cannot use the query parameters: Name the bundle's signer with certificate-identity and " +
      "certificate-oidc-issuer (a key-signed bundle is judged by exactly one trusted key; the " +
      "trust holds 2)",
  );
  const lines = await post(`${several.url}/v1/verify`, `${bundle}\n`, "application/jsonl");
  assert.equal(lines.status, 400);
  await using none = serveHandler({ trust: loadTrustMaterial({ trustedRoot }), now: clock });
  const noKey = await post(`${none.url}/v1/verify`, bundle);
  assert.equal(noKey.status, 400);
  assert.match((await noKey.json()).detail, /\(no trusted key is loaded\)$/);
  // One key: evaluated (and not verified: the signature is not the key's).
  await using one = serveHandler({
    trust: loadTrustMaterial({ keys: [{ pem: KEY_A }], trustedRoot }),
    now: clock,
  });
  const judged = await post(`${one.url}/v1/verify`, bundle);
  assert.equal(judged.status, 200);
  assert.equal((await judged.json()).verified, false);
});
