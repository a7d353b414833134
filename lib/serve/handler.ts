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
import { json, mediaKind, Problem, problem, readBody } from "./_http.ts";
import { LATENCY_BUCKETS, type Metrics, renderMetrics } from "./_metrics.ts";
import { parseQuery, TIMELINE_PARAMS, VERIFY_PARAMS } from "./_query.ts";

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

const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/v1/verify": ["POST"],
  "/v1/verify/timeline": ["POST"],
  "/v1/trust": ["GET"],
  "/healthz": ["GET"],
  "/metrics": ["GET"],
  "/openapi.json": ["GET"],
};

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
        entry.code = error.code;
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
        entry.code = "INTERNAL_ERROR";
      }
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
