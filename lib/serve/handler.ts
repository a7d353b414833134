/**
 * Verification as a service: a Fetch API handler (`(request: Request) => Promise<Response>`) that
 * runs under `Deno.serve` or any Fetch-based framework and gives the verdicts of
 * `stella forensic verify` over HTTP. Routes (OpenAPI 3.1: `docs/openapi.json`, also served at
 * `GET /openapi.json`):
 *
 * - `POST /v1/verify`: a DSSE envelope or a Sigstore bundle (`application/json` or any
 *   `application/*+json`), or JSON Lines of either (`application/jsonl`, `application/x-ndjson`);
 *   query parameters named as the CLI flags (`now`, `signed-at`, `not-after`, `skew`,
 *   `max-signatures`, `merkle-root`, `artifact-digest`, `image`, `subject-name`, `predicate-type`,
 *   `allow-empty`, `certificate-identity`, `certificate-oidc-issuer`, `tlog-threshold`,
 *   `timestamp-threshold`, `sct-threshold`). 200 with the `VerificationReport` the CLI prints with
 *   `--json` (JSON Lines: the CLI's batch object), verified or not. A bundle without
 *   `certificate-identity` is judged by the trust's one key, as the CLI's `--key` form: trust
 *   with several keys or none, or without a trusted root, makes that request a 400.
 * - `POST /v1/verify/timeline`: a JSON Lines custody timeline (`now`, `not-after`, `skew`,
 *   `merkle-root`, `expect-head`, `expect-entries`, `allow-unbound-custodians`): 200 with the
 *   `TimelineReport`.
 * - `GET /v1/trust` (digest and summary of the trust material), `GET /healthz`, `GET /metrics`
 *   (Prometheus text format 0.0.4), `GET /openapi.json`.
 *
 * Errors are `application/problem+json` objects `{code, detail, requestId, status, title}` (RFC
 * 9457 members plus a stable code of `SERVE_PROBLEM_CODES`): 400 `QUERY_INVALID` (the detail
 * names the parameter) or `BODY_UNREADABLE`, 404 `ROUTE_NOT_FOUND`, 405 `METHOD_NOT_ALLOWED`
 * (with `Allow`), 413 `BODY_TOO_LARGE` (the body is read as a stream and reading stops as soon
 * as the limit is passed), 415 `MEDIA_TYPE_UNSUPPORTED` (with `Accept-Post`), 503 `SERVER_BUSY`
 * (with `Retry-After`) when `limits.concurrency` verifications are in flight, 500
 * `INTERNAL_ERROR` with the request id only (the error itself goes to `log`).
 *
 * The handler reads no clock, file or environment: the evaluation time is `now()` from the
 * options (the CLI passes the real clock) or the request's `now` parameter; latency is measured
 * only with an injected `monotonic` clock. It holds no state beyond counters, so any number of
 * instances can run behind a load balancer.
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { parseRfc3339 } from "../encoding/time.ts";
import type { ServeProblemCode } from "../encoding/error_codes.ts";
import type { TrustMaterial } from "../verify/trust_material.ts";
import {
  type PreparedTrust,
  prepareTrust,
  verifyDocument,
  verifyLines,
  type VerifyQuery,
  verifyTimelineLines,
} from "./_verify.ts";
import { OPENAPI_DOCUMENT } from "./_openapi.ts";

/**
 * Limits of a handler.
 *
 * @example Usage
 * ```ts
 * import {
 *   createVerifyHandler,
 *   loadTrustMaterial,
 *   type VerifyHandlerLimits,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const limits: VerifyHandlerLimits = { maxBodyBytes: 4 };
 * const trust = loadTrustMaterial();
 * const handler = createVerifyHandler({ trust, limits, now: () => Date.UTC(2026, 0, 1) });
 * const response = await handler(new Request("http://localhost/v1/verify", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: "{}    ",
 * }));
 * assert.equal(response.status, 413);
 * assert.equal((await response.json()).code, "BODY_TOO_LARGE");
 * ```
 */
export interface VerifyHandlerLimits {
  /** Largest request body in bytes (default 32 MiB); more is 413. */
  maxBodyBytes?: number | undefined;
  /** Verifications in flight at once (default 64); one more is 503 with `Retry-After`. */
  concurrency?: number | undefined;
  /** Seconds a 503 asks the client to wait (`Retry-After`, default 1). */
  retryAfterSeconds?: number | undefined;
}

/**
 * One structured log event of a handler: an access line per request (never a payload), or an
 * internal error with its stack, under the request id the client was given.
 *
 * @example Usage
 * ```ts
 * import {
 *   createVerifyHandler,
 *   loadTrustMaterial,
 *   type VerifyHandlerLogEntry,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const log: VerifyHandlerLogEntry[] = [];
 * const handler = createVerifyHandler({
 *   trust: loadTrustMaterial(),
 *   now: () => Date.UTC(2026, 0, 1),
 *   requestId: () => "req-1",
 *   log: (entry) => void log.push(entry),
 * });
 * await handler(new Request("http://localhost/nowhere"));
 * assert.deepEqual(log, [{
 *   type: "access",
 *   requestId: "req-1",
 *   method: "GET",
 *   route: "other",
 *   status: 404,
 *   code: "ROUTE_NOT_FOUND",
 * }]);
 * ```
 */
export interface VerifyHandlerLogEntry {
  /** `access`: one per request; `error`: an internal error (answered 500). */
  type: "access" | "error";
  /** The request id, also sent as `X-Request-Id`. */
  requestId: string;
  /** HTTP method. */
  method: string;
  /** The route matched (`/v1/verify`, …), or `other`. */
  route: string;
  /** HTTP status of the response. */
  status?: number;
  /** The report's code (not verified) or the problem's code. */
  code?: string;
  /** Whether the evaluated input verified (verification routes, status 200). */
  verified?: boolean;
  /** Duration in milliseconds, when a `monotonic` clock was given. */
  durationMs?: number;
  /** `error` only: the error's message and stack (never sent to the client). */
  message?: string;
  /** `error` only: the stack trace. */
  stack?: string;
}

/**
 * Options of {@link createVerifyHandler}.
 *
 * @example Usage
 * ```ts
 * import {
 *   createVerifyHandler,
 *   loadTrustMaterial,
 *   type VerifyHandlerOptions,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * let ticks = 0;
 * let trust = loadTrustMaterial();
 * const options: VerifyHandlerOptions = {
 *   trust: () => trust, // read on every request: assign another to reload
 *   limits: { concurrency: 8 },
 *   now: () => Date.UTC(2026, 0, 1),
 *   monotonic: () => (ticks += 5), // each request takes 5 ms
 * };
 * const handler = createVerifyHandler(options);
 * assert.equal((await handler(new Request("http://localhost/healthz"))).status, 200);
 * const metrics = await (await handler(new Request("http://localhost/metrics"))).text();
 * assert.match(metrics, /stella_http_requests_total\{route="\/healthz",status="200"\} 1/);
 * ```
 */
export interface VerifyHandlerOptions {
  /**
   * The trust material (`loadTrustMaterial` of the operator's files), or a function that returns
   * it: read once per request, so replacing what it returns reloads the trust atomically
   * (requests in flight finish with the old one).
   */
  trust: TrustMaterial | (() => TrustMaterial);
  /** Body size and concurrency limits. */
  limits?: VerifyHandlerLimits | undefined;
  /**
   * The clock (epoch ms) that sets the evaluation time when a request has no `now` parameter.
   * Without it (lib/ reads no clock), every verification request must carry `now=RFC3339`, or
   * it is answered 400 naming `now`.
   */
  now?: (() => number) | undefined;
  /** A monotonic clock in ms (e.g. `performance.now`) for latencies; without it none is measured. */
  monotonic?: (() => number) | undefined;
  /** Makes a request id (default: a counter, `1`, `2`, …). */
  requestId?: (() => string) | undefined;
  /** Receives one access entry per request and each internal error. */
  log?: ((entry: VerifyHandlerLogEntry) => void) | undefined;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 64;

/** Histogram buckets of request latency, seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/v1/verify": ["POST"],
  "/v1/verify/timeline": ["POST"],
  "/v1/trust": ["GET"],
  "/healthz": ["GET"],
  "/metrics": ["GET"],
  "/openapi.json": ["GET"],
};

const JSON_LINES_TYPES = ["application/jsonl", "application/x-ndjson", "application/x-jsonlines"];
const JSON_TYPES = ["application/json", "application/*+json"];

const TITLES: Readonly<Record<ServeProblemCode, [number, string]>> = {
  QUERY_INVALID: [400, "Bad Request"],
  BODY_UNREADABLE: [400, "Bad Request"],
  ROUTE_NOT_FOUND: [404, "Not Found"],
  METHOD_NOT_ALLOWED: [405, "Method Not Allowed"],
  BODY_TOO_LARGE: [413, "Content Too Large"],
  MEDIA_TYPE_UNSUPPORTED: [415, "Unsupported Media Type"],
  SERVER_BUSY: [503, "Service Unavailable"],
  INTERNAL_ERROR: [500, "Internal Server Error"],
};

/** A request that cannot be evaluated: answered as a problem object. */
class Problem extends Error {
  constructor(
    readonly code: ServeProblemCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Query parameters of each verification route: name → repeatable. */
const VERIFY_PARAMS: Readonly<Record<string, boolean>> = {
  "now": false,
  "signed-at": false,
  "not-after": false,
  "skew": false,
  "max-signatures": false,
  "merkle-root": false,
  "artifact-digest": true,
  "image": false,
  "subject-name": false,
  "predicate-type": true,
  "allow-empty": false,
  "certificate-identity": false,
  "certificate-oidc-issuer": false,
  "tlog-threshold": false,
  "timestamp-threshold": false,
  "sct-threshold": false,
};
const TIMELINE_PARAMS: Readonly<Record<string, boolean>> = {
  "now": false,
  "not-after": false,
  "skew": false,
  "merkle-root": false,
  "expect-head": false,
  "expect-entries": false,
  "allow-unbound-custodians": false,
};

interface Metrics {
  requests: Map<string, number>;
  /** Evaluated inputs by verdict: `""` verified, else the failure code. */
  verdicts: Map<string, number>;
  buckets: number[];
  latencyCount: number;
  latencySum: number;
  inFlight: number;
}

/**
 * Creates the HTTP verification handler (see the module documentation for routes, parameters
 * and status codes).
 *
 * @param options Trust material, limits, clocks and log sink.
 * @returns A Fetch API handler; it never rejects (an internal error is a 500 with a request id).
 * @throws {ParseError} When `trust` is a value and its trusted root is malformed.
 * @throws {TypeError} When `trust` is a value but not trust material from `loadTrustMaterial`.
 * @throws {RangeError} When a limit is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   createVerifyHandler,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   serializeEnvelope,
 *   signEnvelope,
 * } from "@stellaops/provenance";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const envelope = await signEnvelope({ payloadType: "text/plain", payload: encodeUtf8("hi") }, [
 *   createSigner(key),
 * ]);
 * const handler = createVerifyHandler({
 *   trust: loadTrustMaterial({ keys: [{ pem: exportPublicKeyPem(key) }] }),
 *   now: () => Date.UTC(2026, 0, 1),
 * });
 * const verify = (body: string) =>
 *   handler(new Request("http://localhost/v1/verify", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body,
 *   }));
 * const ok = await verify(serializeEnvelope(envelope));
 * assert.equal(ok.status, 200);
 * assert.equal((await ok.json()).verified, true);
 * const tampered = await verify(serializeEnvelope({ ...envelope, payload: btoa("ho") }));
 * assert.equal(tampered.status, 200); // evaluated: the report says it did not verify
 * const report = await tampered.json();
 * assert.deepEqual([report.verified, report.code], [false, "SIGNATURE_INVALID"]);
 * const wrongType = await handler(new Request("http://localhost/v1/verify", { method: "POST", body: "x" }));
 * assert.equal(wrongType.status, 415);
 * ```
 */
export function createVerifyHandler(
  options: VerifyHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBody = positive("limits.maxBodyBytes", options.limits?.maxBodyBytes) ??
    DEFAULT_MAX_BODY_BYTES;
  const concurrency = positive("limits.concurrency", options.limits?.concurrency) ??
    DEFAULT_CONCURRENCY;
  const retryAfter = positive("limits.retryAfterSeconds", options.limits?.retryAfterSeconds) ?? 1;
  const given = options.trust;
  const trustOf = typeof given === "function" ? given : () => given;
  if (typeof given !== "function") preparedTrust(given); // fail fast
  let counter = 0;
  const nextId = options.requestId ?? (() => String(++counter));
  const metrics: Metrics = {
    requests: new Map(),
    verdicts: new Map([["", 0]]),
    buckets: LATENCY_BUCKETS.map(() => 0),
    latencyCount: 0,
    latencySum: 0,
    inFlight: 0,
  };

  return async (request: Request): Promise<Response> => {
    const started = options.monotonic?.();
    const requestId = nextId();
    const url = new URL(request.url);
    const route = Object.hasOwn(ROUTES, url.pathname) ? url.pathname : "other";
    const entry: VerifyHandlerLogEntry = {
      type: "access",
      requestId,
      method: request.method,
      route,
    };
    let response: Response;
    try {
      response = await dispatch(request, url, route, entry);
    } catch (error) {
      if (error instanceof Problem) {
        response = problem(error.code, error.message, requestId, error.headers);
      } else {
        const failure = error instanceof Error ? error : new Error(String(error));
        options.log?.({
          type: "error",
          requestId,
          method: request.method,
          route,
          message: failure.message,
          ...(failure.stack === undefined ? {} : { stack: failure.stack }),
        });
        response = problem(
          "INTERNAL_ERROR",
          `Internal error; the server log has the details under request id ${requestId}`,
          requestId,
        );
      }
      entry.code = (await response.clone().json()).code;
    }
    response.headers.set("x-request-id", requestId);
    entry.status = response.status;
    const key = `${route}\u0000${response.status}`;
    metrics.requests.set(key, (metrics.requests.get(key) ?? 0) + 1);
    if (started !== undefined) {
      const ms = options.monotonic!() - started;
      entry.durationMs = Math.round(ms * 1000) / 1000;
      const seconds = ms / 1000;
      LATENCY_BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) metrics.buckets[i]!++;
      });
      metrics.latencyCount++;
      metrics.latencySum += seconds;
    }
    options.log?.(entry);
    return response;
  };

  async function dispatch(
    request: Request,
    url: URL,
    route: string,
    entry: VerifyHandlerLogEntry,
  ): Promise<Response> {
    const methods = ROUTES[route];
    if (methods === undefined) {
      throw new Problem("ROUTE_NOT_FOUND", `Cannot find ${url.pathname}: see GET /openapi.json`);
    }
    if (!methods.includes(request.method)) {
      throw new Problem(
        "METHOD_NOT_ALLOWED",
        `Use ${methods.join(", ")} for ${route}, not ${request.method}`,
        { allow: methods.join(", ") },
      );
    }
    switch (route) {
      case "/healthz":
        return json({ status: "ok" });
      case "/openapi.json":
        return json(OPENAPI_DOCUMENT);
      case "/v1/trust": {
        const trust = preparedTrust(trustOf());
        return json({ digest: trust.digest, summary: trust.summary });
      }
      case "/metrics":
        return new Response(renderMetrics(metrics), {
          headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
        });
    }
    const timeline = route === "/v1/verify/timeline";
    const lines = mediaKind(request.headers.get("content-type"), timeline);
    const query = parseQuery(url.searchParams, timeline ? TIMELINE_PARAMS : VERIFY_PARAMS);
    if (metrics.inFlight >= concurrency) {
      throw new Problem(
        "SERVER_BUSY",
        `Retry later: ${concurrency} verifications are in flight`,
        { "retry-after": String(retryAfter) },
      );
    }
    metrics.inFlight++;
    try {
      // Read once: a reload during this request does not change the trust it is judged by.
      const trust = preparedTrust(trustOf());
      const body = await readBody(request, maxBody);
      query.now ??= clock();
      const { result, code, verdicts } = await evaluate(
        body,
        trust,
        query as VerifyQuery,
        timeline,
        lines,
      );
      entry.verified = result.verified;
      if (code !== undefined) entry.code = code;
      for (const [verdict, count] of verdicts) {
        metrics.verdicts.set(verdict, (metrics.verdicts.get(verdict) ?? 0) + count);
      }
      return json(result);
    } finally {
      metrics.inFlight--;
    }
  }

  function clock(): number {
    if (options.now === undefined) {
      throw new Problem(
        "QUERY_INVALID",
        "Pass the evaluation time as the now parameter (RFC 3339): this server has no clock",
      );
    }
    return options.now();
  }
}

async function evaluate(
  body: Uint8Array,
  trust: PreparedTrust,
  query: VerifyQuery,
  timeline: boolean,
  lines: boolean,
): Promise<{
  result: { verified: boolean };
  /** The first failure's code when not verified (a batch: its first failing input's). */
  code: string | undefined;
  /** Evaluated inputs by verdict (`""`: verified, else the failure code). */
  verdicts: [string, number][];
}> {
  try {
    if (lines && !timeline) {
      const batch = await verifyLines(body, trust, query);
      const verdicts: [string, number][] = [["", batch.summary.verified]];
      for (const [code, count] of Object.entries(batch.summary.codes)) {
        verdicts.push([code, count!]);
      }
      const code = batch.verified
        ? undefined
        : batch.code ?? batch.reports.find((r) => !r.verified)?.code ?? "NO_INPUT";
      return { result: batch, code, verdicts };
    }
    const report = timeline
      ? await verifyTimelineLines(body, trust, query)
      : await verifyDocument(body, "body", trust, query);
    const code = report.verified ? undefined : report.code ?? "UNKNOWN";
    return { result: report, code, verdicts: [[code ?? "", 1]] };
  } catch (error) {
    // The verifiers throw these only for options they cannot use: the request's parameters.
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new Problem("QUERY_INVALID", `Cannot use the query parameters: ${error.message}`);
    }
    throw error;
  }
}

const preparedCache = new WeakMap<TrustMaterial, PreparedTrust>();

/**
 * Internal (not re-exported by `mod.ts`; `stella serve` checks a reloaded trust with it before
 * swapping it in): the checked form of trust material with its summary, made once per object (a
 * reload passes a new object).
 *
 * @param trust The trust material.
 * @returns Its prepared form.
 * @throws {ParseError} When the trusted root is malformed.
 * @throws {TypeError} When the value is not trust material from `loadTrustMaterial`.
 */
export function preparedTrust(trust: TrustMaterial): PreparedTrust {
  let prepared = preparedCache.get(trust);
  if (prepared === undefined) {
    prepared = prepareTrust(trust);
    preparedCache.set(trust, prepared);
  }
  return prepared;
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Pass ${name} as an integer ≥ 1, not ${value}`);
  }
  return value;
}

/** Whether the content type is JSON Lines (true) or one JSON document (false); 415 otherwise. */
function mediaKind(header: string | null, timeline: boolean): boolean {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  if (JSON_LINES_TYPES.includes(type)) return true;
  const isJson = type === "application/json" ||
    (type.startsWith("application/") && type.endsWith("+json"));
  if (isJson && !timeline) return false;
  const accepted = timeline ? JSON_LINES_TYPES : [...JSON_TYPES, ...JSON_LINES_TYPES];
  throw new Problem(
    "MEDIA_TYPE_UNSUPPORTED",
    `Send ${
      timeline ? "the timeline as JSON Lines" : "an envelope or bundle as JSON, or JSON Lines"
    } ` +
      `(Content-Type ${accepted.join(", ")}), not ${
        header === null ? "no Content-Type" : `"${type}"`
      }`,
    { "accept-post": accepted.join(", ") },
  );
}

/** Reads the body as a stream, stopping as soon as it passes `limit` bytes (413). */
async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new Problem("BODY_TOO_LARGE", `Send at most ${limit} bytes: the body is larger`);
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem(
      "BODY_UNREADABLE",
      `Cannot read the request body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Parses the query: unknown, repeated (unless repeatable) or malformed parameters are 400. */
function parseQuery(
  params: URLSearchParams,
  allowed: Readonly<Record<string, boolean>>,
): Partial<VerifyQuery> {
  const seen = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (!Object.hasOwn(allowed, name)) {
      throw new Problem(
        "QUERY_INVALID",
        `Unknown query parameter "${name}"; known: ${Object.keys(allowed).join(", ")}`,
      );
    }
    const values = seen.get(name) ?? [];
    if (values.length > 0 && !allowed[name]) {
      throw new Problem("QUERY_INVALID", `Give the query parameter "${name}" once`);
    }
    values.push(value);
    seen.set(name, values);
  }
  const one = (name: string) => seen.get(name)?.[0];
  const bad = (name: string, value: string, use: string) =>
    new Problem("QUERY_INVALID", `Cannot parse query parameter ${name}="${value}": use ${use}`);
  const time = (name: string) => {
    const value = one(name);
    if (value === undefined) return undefined;
    try {
      return parseRfc3339(value, name);
    } catch {
      throw bad(name, value, "an RFC 3339 time such as 2026-01-01T00:00:00Z");
    }
  };
  const integer = (name: string, min: number) => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
      throw bad(name, value, `a whole number ≥ ${min}`);
    }
    return Number(value);
  };
  const flag = (name: string) => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (value === "" || value === "true") return true;
    if (value === "false") return false;
    throw bad(name, value, "true or false");
  };
  const text = (name: string, pattern: RegExp, use: string) => {
    const value = one(name);
    if (value !== undefined && !pattern.test(value)) throw bad(name, value, use);
    return value;
  };
  const q: Partial<VerifyQuery> = {};
  const set = <K extends keyof VerifyQuery>(key: K, value: VerifyQuery[K] | undefined) => {
    if (value !== undefined) q[key] = value;
  };
  set("now", time("now"));
  set("signedAt", time("signed-at"));
  set("notAfter", time("not-after"));
  const skew = one("skew");
  if (skew !== undefined) {
    const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(skew);
    if (match === null || (match[2] === undefined && match[1] !== "0")) {
      throw bad("skew", skew, "a duration such as 0, 30s, 5m, 24h or 1d");
    }
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "ms"]!;
    q.skew = Number(match[1]) * unit;
  }
  set("maxSignatures", integer("max-signatures", 1));
  const digestUse = "sha256:<64 hex> (64 hex digits also do)";
  set("merkleRoot", text("merkle-root", /^(sha256:)?[0-9a-fA-F]{64}$/, digestUse));
  const digests = seen.get("artifact-digest");
  for (const value of digests ?? []) {
    if (!/^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.test(value)) {
      throw bad("artifact-digest", value, "sha256:<64 lowercase hex> (or sha384:, sha512:)");
    }
  }
  set("artifactDigest", digests);
  set("image", text("image", /^[^@\s]+@sha256:[0-9a-f]{64}$/, "NAME@sha256:<64 lowercase hex>"));
  set("subjectName", text("subject-name", /./, "a subject name"));
  const types = seen.get("predicate-type");
  if (types?.some((t) => t === "")) throw bad("predicate-type", "", "a predicate type URI");
  set("predicateType", types);
  set("allowEmpty", flag("allow-empty"));
  set("certificateIdentity", text("certificate-identity", /./, "the expected SAN"));
  set("certificateOidcIssuer", text("certificate-oidc-issuer", /./, "the expected issuer URL"));
  set("tlogThreshold", integer("tlog-threshold", 0));
  set("timestampThreshold", integer("timestamp-threshold", 0));
  set("sctThreshold", integer("sct-threshold", 0));
  set("expectHead", text("expect-head", /^(sha256:)?[0-9a-fA-F]{64}$/, digestUse));
  set("expectEntries", integer("expect-entries", 1));
  set("allowUnboundCustodians", flag("allow-unbound-custodians"));
  return q;
}

function json(value: unknown): Response {
  return new Response(canonicalize(value) + "\n", {
    headers: { "content-type": "application/json" },
  });
}

function problem(
  code: ServeProblemCode,
  detail: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const [status, title] = TITLES[code];
  return new Response(canonicalize({ code, detail, requestId, status, title }) + "\n", {
    status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

function renderMetrics(m: Metrics): string {
  const lines: string[] = [];
  const label = (value: string) =>
    value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
  lines.push(
    "# HELP stella_http_requests_total HTTP requests by route and status.",
    "# TYPE stella_http_requests_total counter",
  );
  for (const key of [...m.requests.keys()].sort()) {
    const [route, status] = key.split("\u0000");
    lines.push(
      `stella_http_requests_total{route="${label(route!)}",status="${status}"} ${
        m.requests.get(key)
      }`,
    );
  }
  lines.push(
    "# HELP stella_verdicts_total Evaluated inputs (each line of a batch) by verdict and code.",
    "# TYPE stella_verdicts_total counter",
  );
  for (const code of [...m.verdicts.keys()].sort()) {
    const verified = code === "" ? "true" : "false";
    lines.push(
      `stella_verdicts_total{verified="${verified}",code="${label(code)}"} ${m.verdicts.get(code)}`,
    );
  }
  lines.push(
    "# HELP stella_http_request_duration_seconds Request latency.",
    "# TYPE stella_http_request_duration_seconds histogram",
  );
  LATENCY_BUCKETS.forEach((bound, i) => {
    lines.push(`stella_http_request_duration_seconds_bucket{le="${bound}"} ${m.buckets[i]}`);
  });
  lines.push(
    `stella_http_request_duration_seconds_bucket{le="+Inf"} ${m.latencyCount}`,
    `stella_http_request_duration_seconds_sum ${m.latencySum}`,
    `stella_http_request_duration_seconds_count ${m.latencyCount}`,
    "# HELP stella_http_requests_in_flight Verification requests being evaluated.",
    "# TYPE stella_http_requests_in_flight gauge",
    `stella_http_requests_in_flight ${m.inFlight}`,
  );
  return lines.join("\n") + "\n";
}
