/**
 * The OpenAPI 3.1 document of the verification handler, served at `GET /openapi.json`.
 * `docs/openapi.json` is this object as JSON (`deno task openapi` writes it;
 * `tests/serve/openapi_test.ts` keeps the two equal and validates real responses against it).
 *
 * @module
 */

import { SERVE_PROBLEM_CODES } from "../encoding/error_codes.ts";

const timeParam = (name: string, description: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: { type: "string", format: "date-time" },
});
const stringParam = (name: string, description: string, pattern?: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: pattern === undefined ? { type: "string", minLength: 1 } : { type: "string", pattern },
});
const intParam = (name: string, description: string, minimum: number) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: { type: "integer", minimum },
});
const boolParam = (name: string, description: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: { type: "string", enum: ["", "true", "false"] },
});
const arrayParam = (name: string, description: string, pattern: string) => ({
  name,
  in: "query",
  required: false,
  description: description + " Repeatable.",
  explode: true,
  schema: { type: "array", items: { type: "string", pattern } },
});

const DIGEST = "^(sha256:)?[0-9a-fA-F]{64}$";
const NOW = timeParam(
  "now",
  "Evaluation time (`--now`); default: the server's clock (a server without one requires it).",
);
const SKEW = stringParam(
  "skew",
  "Tolerance for every time comparison (`--skew`), e.g. 0, 30s, 5m, 1h; default 5m.",
  "^\\d{1,12}(ms|s|m|h|d)?$",
);
const NOT_AFTER = timeParam("not-after", "Reject signatures made after this time (`--not-after`).");
const MERKLE_ROOT = stringParam(
  "merkle-root",
  "The statement must commit to this build-metadata Merkle root (timelines: the RFC 9162 root " +
    "of the entries).",
  DIGEST,
);

const problem = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const COMMON_ERRORS = {
  "400": problem("A query parameter is unknown, repeated or malformed (the detail names it)."),
  "405": problem("Wrong method.", {
    Allow: { schema: { type: "string" }, description: "The allowed methods." },
  }),
  "413": problem("The body is larger than the server's limit (default 32 MiB)."),
  "415": problem("Wrong Content-Type.", {
    "Accept-Post": { schema: { type: "string" }, description: "The accepted media types." },
  }),
  "500": problem("Internal error: only the request id is given; the server log has the rest."),
  "503": problem("Too many verifications in flight.", {
    "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." },
  }),
};

const CHECK = {
  type: "object",
  required: ["id", "ok"],
  properties: {
    id: { type: "string", pattern: "^[a-z0-9]+(\\.[a-z0-9-]+)*$" },
    ok: { type: "boolean" },
    code: { $ref: "#/components/schemas/FailureCode" },
    message: { type: "string" },
  },
  additionalProperties: false,
};
const TIME = {
  type: "object",
  required: ["value", "source"],
  properties: {
    value: { type: "string" },
    source: { enum: ["rfc3161", "rekor", "signed-at", "clock"] },
  },
  additionalProperties: false,
};
const COUNT = {
  type: "object",
  required: ["required", "verified"],
  properties: { required: { type: "integer" }, verified: { type: "integer" } },
  additionalProperties: false,
};
const MATCHER = {
  oneOf: [
    {
      type: "object",
      required: ["equals"],
      properties: { equals: { type: "string" } },
      additionalProperties: false,
    },
    {
      type: "object",
      required: ["pattern"],
      properties: { pattern: { type: "string" }, flags: { type: "string" } },
      additionalProperties: false,
    },
  ],
};

/** The OpenAPI 3.1 document (plain data; JSON Schema 2020-12 schemas). */
export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "StellaOps Provenance verification service",
    version: "1",
    description: "Offline verification of DSSE envelopes, Sigstore bundles and custody " +
      "timelines over HTTP (`stella serve`, `createVerifyHandler`): the verdicts, codes and " +
      "report bytes of `stella forensic verify --json`. An evaluated input is always 200; " +
      "`verified` says whether it verified.",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
  },
  paths: {
    "/v1/verify": {
      post: {
        operationId: "verify",
        summary: "Verify a DSSE envelope, a Sigstore bundle, or JSON Lines of either",
        parameters: [
          NOW,
          timeParam("signed-at", "Claimed signing time (`--signed-at`); default: now."),
          NOT_AFTER,
          SKEW,
          intParam("max-signatures", "Most signatures per envelope (default 64).", 1),
          MERKLE_ROOT,
          arrayParam(
            "artifact-digest",
            "A subject must carry this digest (`--artifact-digest`); bundles: the artifact digest.",
            "^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$",
          ),
          stringParam(
            "image",
            "A subject must be named NAME and carry this sha256 (`--image`).",
            "^[^@\\s]+@sha256:[0-9a-f]{64}$",
          ),
          stringParam("subject-name", "The subject rules apply to the subject named so."),
          arrayParam("predicate-type", "Allowed predicate type (`--predicate-type`).", "^.+$"),
          boolParam("allow-empty", "JSON Lines: an empty body verifies (default: NO_INPUT)."),
          stringParam("certificate-identity", "Bundles: the expected certificate SAN."),
          stringParam("certificate-oidc-issuer", "Bundles: the expected OIDC issuer."),
          intParam("tlog-threshold", "Bundles: transparency-log entries required.", 0),
          intParam("timestamp-threshold", "Bundles: RFC 3161 timestamps required.", 0),
          intParam("sct-threshold", "Bundles: SCTs required.", 0),
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object" },
              description: "One DSSE envelope, or one Sigstore bundle (by its mediaType).",
            },
            "application/jsonl": {
              schema: { type: "string" },
              description: "JSON Lines: one envelope or bundle per line (also " +
                "application/x-ndjson); blank lines are skipped, line N is named body:N.",
            },
          },
        },
        responses: {
          "200": {
            description: "Evaluated (verified or not). One document: its VerificationReport; " +
              "JSON Lines: the batch object of `stella forensic verify --json`.",
            headers: { "X-Request-Id": { schema: { type: "string" } } },
            content: {
              "application/json": {
                schema: {
                  oneOf: [
                    { $ref: "#/components/schemas/VerificationReport" },
                    { $ref: "#/components/schemas/Batch" },
                  ],
                },
              },
            },
          },
          ...COMMON_ERRORS,
        },
      },
    },
    "/v1/verify/timeline": {
      post: {
        operationId: "verifyTimeline",
        summary: "Verify a stella.ops/custody@v1 timeline given as JSON Lines, oldest first",
        parameters: [
          NOW,
          NOT_AFTER,
          SKEW,
          MERKLE_ROOT,
          stringParam("expect-head", "Anchor: sha256 of the last entry's bytes.", DIGEST),
          intParam("expect-entries", "Anchor: the number of entries.", 1),
          boolParam(
            "allow-unbound-custodians",
            "Keys without custodians may sign for any actor.",
          ),
        ],
        requestBody: {
          required: true,
          content: { "application/jsonl": { schema: { type: "string" } } },
        },
        responses: {
          "200": {
            description: "Evaluated: the TimelineReport of `stella forensic verify --timeline " +
              "--json`.",
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/TimelineReport" } },
            },
          },
          ...COMMON_ERRORS,
        },
      },
    },
    "/v1/trust": {
      get: {
        operationId: "trust",
        summary: "The loaded trust material: its digest and a summary (no key material)",
        responses: {
          "200": {
            description: "Digest and summary.",
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/Trust" } },
            },
          },
          "405": COMMON_ERRORS["405"],
          "500": COMMON_ERRORS["500"],
        },
      },
    },
    "/healthz": {
      get: {
        operationId: "health",
        summary: "Liveness and readiness",
        responses: {
          "200": {
            description: "Serving.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["status"],
                  properties: { status: { const: "ok" } },
                  additionalProperties: false,
                },
              },
            },
          },
          "405": COMMON_ERRORS["405"],
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "metrics",
        summary: "Prometheus metrics (text format 0.0.4)",
        responses: {
          "200": {
            description: "stella_http_requests_total{route,status}, stella_verdicts_total" +
              "{verified,code}, stella_http_request_duration_seconds (histogram), " +
              "stella_http_requests_in_flight.",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          "405": COMMON_ERRORS["405"],
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openapi",
        summary: "This document",
        responses: {
          "200": {
            description: "OpenAPI 3.1.",
            content: { "application/json": { schema: { type: "object" } } },
          },
          "405": COMMON_ERRORS["405"],
        },
      },
    },
  },
  components: {
    schemas: {
      FailureCode: { type: "string", pattern: "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$" },
      Check: CHECK,
      VerificationReport: {
        allOf: [{ $ref: "#/components/schemas/ReportFields" }],
        unevaluatedProperties: false,
      },
      ReportFields: {
        type: "object",
        required: ["verified", "checks", "keyids", "time"],
        properties: {
          verified: { type: "boolean" },
          code: { $ref: "#/components/schemas/FailureCode" },
          checks: { type: "array", items: { $ref: "#/components/schemas/Check" } },
          payload: {
            type: "object",
            required: ["type", "sha256"],
            properties: { type: { type: "string" }, sha256: { type: "string" } },
            additionalProperties: false,
          },
          signatures: {
            type: "array",
            items: {
              type: "object",
              required: ["index", "keyidHint"],
              properties: {
                index: { type: "integer" },
                keyidHint: { type: "string" },
                verifiedBy: { type: "string" },
                code: { $ref: "#/components/schemas/FailureCode" },
              },
              additionalProperties: false,
            },
          },
          statement: {
            type: "object",
            required: ["type", "predicateType", "subjects"],
            properties: {
              type: { type: "string" },
              predicateType: { type: "string" },
              subjects: {
                type: "array",
                items: {
                  type: "object",
                  required: ["name", "digest"],
                  properties: {
                    name: { type: "string" },
                    digest: { type: "object", additionalProperties: { type: "string" } },
                  },
                  additionalProperties: false,
                },
              },
            },
            additionalProperties: false,
          },
          keyids: { type: "array", items: { type: "string" } },
          time: TIME,
          evaluatedAt: {
            type: "string",
            format: "date-time",
            description:
              "When the verification ran (the request's now), apart from the signing time.",
          },
          evidence: {
            type: "object",
            required: ["tlogEntries", "timestamps", "scts", "signingTimes"],
            properties: {
              tlogEntries: COUNT,
              timestamps: COUNT,
              scts: COUNT,
              signingTimes: COUNT,
            },
            additionalProperties: false,
          },
          identity: {
            type: "object",
            required: ["expected", "certificate"],
            properties: {
              expected: {
                type: "object",
                properties: {
                  subject: MATCHER,
                  issuer: MATCHER,
                  sourceRepositoryUri: MATCHER,
                  sourceRepositoryOwnerUri: MATCHER,
                },
                additionalProperties: false,
              },
              certificate: {
                type: "object",
                required: ["subjects"],
                properties: {
                  subjects: { type: "array", items: { type: "string" } },
                  issuer: { type: "string" },
                  sourceRepositoryUri: { type: "string" },
                  sourceRepositoryOwnerUri: { type: "string" },
                },
                additionalProperties: false,
              },
            },
            additionalProperties: false,
          },
          subjectChecked: { type: "boolean" },
        },
      },
      Batch: {
        type: "object",
        required: ["reports", "summary", "verified"],
        properties: {
          code: { const: "NO_INPUT" },
          reports: {
            type: "array",
            items: {
              allOf: [{ $ref: "#/components/schemas/ReportFields" }],
              required: ["file"],
              properties: { file: { type: "string", pattern: "^body:[1-9][0-9]*$" } },
              unevaluatedProperties: false,
            },
          },
          summary: {
            type: "object",
            required: ["total", "verified", "failed", "codes"],
            properties: {
              total: { type: "integer" },
              verified: { type: "integer" },
              failed: { type: "integer" },
              codes: { type: "object", additionalProperties: { type: "integer" } },
            },
            additionalProperties: false,
          },
          verified: { type: "boolean" },
        },
        additionalProperties: false,
      },
      TimelineReport: {
        type: "object",
        required: ["verified", "checks", "entries", "merkleRoot", "anchored", "keyids", "time"],
        properties: {
          verified: { type: "boolean" },
          code: { $ref: "#/components/schemas/FailureCode" },
          firstFailure: {
            type: "object",
            required: ["index", "code"],
            properties: {
              index: { type: "integer" },
              code: { $ref: "#/components/schemas/FailureCode" },
            },
            additionalProperties: false,
          },
          checks: { type: "array", items: { $ref: "#/components/schemas/Check" } },
          entries: {
            type: "array",
            items: {
              type: "object",
              required: ["index", "verified", "sha256", "report"],
              properties: {
                index: { type: "integer" },
                verified: { type: "boolean" },
                code: { $ref: "#/components/schemas/FailureCode" },
                sha256: { type: "string" },
                sequence: { type: "integer" },
                eventType: { type: "string" },
                eventAt: { type: "string" },
                report: { $ref: "#/components/schemas/VerificationReport" },
              },
              additionalProperties: false,
            },
          },
          subject: {
            type: "object",
            required: ["name", "digest"],
            properties: {
              name: { type: "string" },
              digest: { type: "object", additionalProperties: { type: "string" } },
            },
          },
          merkleRoot: { type: "string" },
          head: { type: "string" },
          anchored: { type: "boolean" },
          keyids: { type: "array", items: { type: "string" } },
          time: TIME,
          evaluatedAt: {
            type: "string",
            format: "date-time",
            description:
              "When the verification ran (the request's now), apart from the signing time.",
          },
        },
        additionalProperties: false,
      },
      Trust: {
        type: "object",
        required: ["digest", "summary"],
        properties: {
          digest: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
          summary: {
            type: "object",
            required: ["keys", "threshold", "requiredClaims", "tsaRoots"],
            properties: {
              keys: {
                type: "array",
                items: {
                  type: "object",
                  required: ["keyid"],
                  properties: {
                    keyid: { type: "string" },
                    name: { type: "string" },
                    validFrom: { type: "string" },
                    validUntil: { type: "string" },
                    revokedAt: { type: "string" },
                    custodians: { type: "array", items: { type: "string" } },
                  },
                  additionalProperties: false,
                },
              },
              threshold: { type: "integer" },
              allowedPredicateTypes: { type: "array", items: { type: "string" } },
              requiredClaims: { type: "integer" },
              tsaRoots: { type: "integer" },
              trustedRoot: {
                type: "object",
                properties: {
                  certificateAuthorities: { type: "integer" },
                  tlogs: { type: "integer" },
                  ctlogs: { type: "integer" },
                  timestampAuthorities: { type: "integer" },
                },
                additionalProperties: false,
              },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
      Problem: {
        type: "object",
        required: ["code", "detail", "requestId", "status", "title"],
        properties: {
          code: { enum: [...SERVE_PROBLEM_CODES] },
          detail: { type: "string" },
          requestId: { type: "string" },
          status: { type: "integer" },
          title: { type: "string" },
        },
        additionalProperties: false,
      },
    },
  },
} as const;
