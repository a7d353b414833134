/**
 * HTTP plumbing of the verification handler: problem objects (RFC 9457 shape) and their status
 * codes, canonical JSON responses, the accepted media types and a body reader bounded by a limit.
 *
 * @module
 */

import { concatBytes } from "../encoding/bytes.ts";
import { canonicalize } from "../encoding/canonical_json.ts";
import type { ServeProblemCode } from "../encoding/error_codes.ts";

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
export class Problem extends Error {
  constructor(
    readonly code: ServeProblemCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Whether the content type is JSON Lines (true) or one JSON document (false); 415 otherwise. */
export function mediaKind(header: string | null, timeline: boolean): boolean {
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
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
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
  return chunks.length === 1 ? chunks[0]! : concatBytes(...chunks);
}

/** A 200 response carrying `value` as RFC 8785 canonical JSON. */
export function json(value: unknown): Response {
  return new Response(canonicalize(value) + "\n", {
    headers: { "content-type": "application/json" },
  });
}

/** A problem response: the code's status and title, the detail and the request id. */
export function problem(
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
