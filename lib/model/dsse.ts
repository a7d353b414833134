/**
 * DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1.0.2): the JSON envelope and the
 * pre-authentication encoding (PAE) that signatures cover.
 *
 * Implements:
 * - protocol.md "Signature Definition": `PAE(type, body)` ({@link preAuthEncoding}).
 * - envelope.md "Standard JSON envelope" and "Parsing rules" ({@link parseEnvelope},
 *   {@link serializeEnvelope}, {@link createEnvelope}).
 *
 * Parsing decisions (tested in `tests/model/dsse_test.ts`):
 * - The JSON text is parsed strictly (`parseJson`): duplicate keys, lone surrogates, invalid UTF-8,
 *   trailing data, excessive depth or size fail with the JSON layer's own `JSON_*` code, passed
 *   through unchanged so callers can tell a broken file from a malformed envelope.
 * - Every envelope-level failure (not an object, a required field missing or of the wrong type, an
 *   empty `signatures` array, `payload` or a `sig` that is not base64) is a {@link ParseError} with
 *   code `ENVELOPE_MALFORMED` and a message naming the field (e.g. `signatures[1].sig`).
 * - `payload` and each `sig` may use standard or URL-safe base64 (protocol.md: verifiers MUST
 *   accept either); the decoded bytes are returned next to the original strings.
 * - Unrecognised fields (top level and inside signatures) are ignored, as envelope.md requires
 *   ("Consumers MUST ignore unrecognized fields"); they are not carried into the result.
 * - `signatures` must hold at least one signature: an unsigned envelope can never verify, so it
 *   is rejected as malformed (envelope.md only requires the field to be present).
 * - `payloadType`, `payload` and `sig` may be empty strings (envelope.md: "MUST be set, even if
 *   empty"); `keyid` is kept exactly as given (absent stays absent).
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { isObject, type JsonValue } from "../encoding/json_value.ts";
import { concatBytes, decodeBase64Any, encodeBase64, encodeUtf8 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";

/** The ASCII tag PAE starts with (protocol.md: `"DSSEv1"`). */
export const PAE_PREFIX = "DSSEv1";

/**
 * DSSE `payloadType` of in-toto Statements (in-toto attestation spec v1, envelope.md).
 *
 * @example Usage
 * ```ts
 * import { INTOTO_PAYLOAD_TYPE } from "@stellaops/provenance/model";
 * import { createEnvelope } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const payload = new TextEncoder().encode("{}");
 * const envelope = createEnvelope(INTOTO_PAYLOAD_TYPE, payload, [{ keyid: "k", sig: new Uint8Array(64) }]);
 * assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
 * ```
 */
export const INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** Default upper bound on the size of an envelope accepted by {@link parseEnvelope}: 32 MiB. */
export const DEFAULT_ENVELOPE_MAX_BYTES: number = 32 * 1024 * 1024;

/**
 * One signature of a DSSE JSON envelope, as it appears on the wire.
 *
 * @example Usage
 * ```ts
 * import { type DsseSignature, parseEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signature: DsseSignature = { keyid: "k1", sig: "AAEC" };
 * const envelope = { payloadType: "text/plain", payload: "aGk=", signatures: [signature] };
 * const parsed = parseEnvelope(JSON.stringify(envelope));
 * assert.equal(parsed.signatures[0]?.keyid, "k1");
 * assert.deepEqual(parsed.signatures[0]?.sigBytes, new Uint8Array([0, 1, 2]));
 * ```
 */
export interface DsseSignature {
  /** Optional, unauthenticated hint naming the key; never used for security decisions. */
  keyid?: string;
  /** Base64 (standard or URL-safe) of the signature bytes. */
  sig: string;
}

/**
 * The DSSE JSON envelope (envelope.md), as it appears on the wire.
 *
 * @example Usage
 * ```ts
 * import { type DsseEnvelope, serializeEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const envelope: DsseEnvelope = {
 *   payloadType: "text/plain",
 *   payload: "aGk=",
 *   signatures: [{ sig: "AAEC" }],
 * };
 * assert.equal(
 *   serializeEnvelope(envelope),
 *   '{"payload":"aGk=","payloadType":"text/plain","signatures":[{"sig":"AAEC"}]}',
 * );
 * ```
 */
export interface DsseEnvelope {
  /** Media type or URI identifying how to interpret the payload. */
  payloadType: string;
  /** Base64 (standard or URL-safe) of the serialized body. */
  payload: string;
  /** One or more signatures over `PAE(payloadType, payload bytes)`. */
  signatures: DsseSignature[];
}

/**
 * A signature of a parsed envelope: the wire fields plus the decoded signature bytes.
 *
 * @example Usage
 * ```ts
 * import { parseEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const parsed = parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"AAEC"}]}');
 * assert.deepEqual(parsed.signatures[0]?.sigBytes, new Uint8Array([0, 1, 2]));
 * ```
 */
export interface ParsedSignature extends DsseSignature {
  /** The decoded signature bytes. */
  sigBytes: Uint8Array<ArrayBuffer>;
}

/**
 * A strictly parsed envelope: the wire fields plus the decoded payload and signature bytes.
 *
 * Verifiers must use `payloadBytes` (the exact bytes that were verified) and never re-decode
 * `payload` (envelope.md "Security considerations").
 *
 * @example Usage
 * ```ts
 * import { parseEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const parsed = parseEnvelope('{"payloadType":"t","payload":"aGk=","signatures":[{"sig":""}]}');
 * assert.equal(new TextDecoder().decode(parsed.payloadBytes), "hi");
 * ```
 */
export interface ParsedEnvelope extends DsseEnvelope {
  /** The decoded payload bytes (SERIALIZED_BODY). */
  payloadBytes: Uint8Array<ArrayBuffer>;
  /** The signatures in envelope order, each with its decoded bytes. */
  signatures: ParsedSignature[];
}

/**
 * Options of {@link parseEnvelope}.
 *
 * @example Usage
 * ```ts
 * import { parseEnvelope, type ParseEnvelopeOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: ParseEnvelopeOptions = { name: "a.dsse.json", maxBytes: 16 };
 * assert.throws(
 *   () => parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":""}]}', options),
 *   { code: "JSON_TOO_LARGE", message: /a\.dsse\.json/ },
 * );
 * assert.throws(() => parseEnvelope('{"payload":""}', options), {
 *   code: "ENVELOPE_MALFORMED",
 *   message: 'Cannot parse envelope "a.dsse.json": field "payloadType" is missing',
 * });
 * ```
 */
export interface ParseEnvelopeOptions {
  /** Name of the input (e.g. a file name), used in error messages. */
  name?: string | undefined;
  /** Largest accepted input in bytes (default {@link DEFAULT_ENVELOPE_MAX_BYTES}). */
  maxBytes?: number | undefined;
}

/**
 * A signature to place in a new envelope: the raw signature bytes and an optional key id.
 *
 * @example Usage
 * ```ts
 * import { type EnvelopeSignatureInput } from "@stellaops/provenance/model";
 * import { createEnvelope } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const input: EnvelopeSignatureInput = { keyid: "k1", sig: new Uint8Array([1, 2, 3]) };
 * const envelope = createEnvelope("text/plain", new TextEncoder().encode("hi"), [input]);
 * assert.deepEqual(envelope.signatures, [{ keyid: "k1", sig: "AQID" }]);
 * ```
 */
export interface EnvelopeSignatureInput {
  /** Key id hint; omitted from the envelope when unset. */
  keyid?: string | undefined;
  /** Raw signature bytes (encoded as standard padded base64). */
  sig: Uint8Array;
}

const SP = 0x20;

/**
 * Computes the DSSE pre-authentication encoding (PAE) that signatures cover.
 *
 * @param payloadType Media type of the payload, e.g. `application/vnd.in-toto+json`.
 * @param payload Payload bytes (decoded, not base64).
 * @returns `"DSSEv1" SP len(type) SP type SP len(body) SP body` as bytes.
 *
 * @example Usage
 * ```ts
 * import { preAuthEncoding } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const pae = preAuthEncoding("text/plain", new TextEncoder().encode("hi"));
 * assert.equal(new TextDecoder().decode(pae), "DSSEv1 10 text/plain 2 hi");
 * ```
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof payloadType !== "string") throw new TypeError("Pass payloadType as a string");
  if (!(payload instanceof Uint8Array)) throw new TypeError("Pass payload as a Uint8Array");
  const type = encodeUtf8(payloadType);
  const head = encodeUtf8(`${PAE_PREFIX} ${type.length} `);
  const middle = encodeUtf8(` ${payload.length}`);
  return concatBytes(head, type, middle, new Uint8Array([SP]), payload);
}

/**
 * Parses a DSSE JSON envelope strictly and decodes its payload and signatures.
 *
 * @param input The envelope as UTF-8 bytes or text.
 * @param options Input name for messages and the size limit.
 * @returns The envelope's wire fields plus `payloadBytes` and each signature's `sigBytes`.
 * @throws {ParseError} `JSON_*` when the text is not strict JSON (passed through from the JSON
 * parser, including `JSON_TOO_LARGE` above `maxBytes`); `ENVELOPE_MALFORMED` when the JSON is not
 * a DSSE envelope (missing or mistyped field, no signatures, bad base64).
 * @throws {RangeError} When `maxBytes` is not a positive safe integer.
 *
 * @example Usage
 * ```ts
 * import { parseEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const parsed = parseEnvelope(
 *   '{"payloadType":"text/plain","payload":"aGk=","signatures":[{"keyid":"k1","sig":"-_8"}]}',
 * );
 * assert.equal(new TextDecoder().decode(parsed.payloadBytes), "hi");
 * assert.deepEqual(parsed.signatures[0]?.sigBytes, new Uint8Array([251, 255]));
 * assert.throws(() => parseEnvelope('{"payloadType":"t","payload":"","signatures":[]}'), {
 *   code: "ENVELOPE_MALFORMED",
 * });
 * ```
 */
export function parseEnvelope(
  input: Uint8Array | string,
  options: ParseEnvelopeOptions = {},
): ParsedEnvelope {
  const maxBytes = options.maxBytes ?? DEFAULT_ENVELOPE_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`Pass maxBytes as a positive integer: got ${maxBytes}`);
  }
  const name = options.name;
  const value = parseJson(input, { name, maxBytes });
  function fail(detail: string): never {
    throw new ParseError("ENVELOPE_MALFORMED", `Cannot parse envelope${label(name)}: ${detail}`);
  }

  if (!isObject(value)) fail(`expected a JSON object, got ${describe(value)}`);
  const payloadType = value["payloadType"];
  if (payloadType === undefined) fail('field "payloadType" is missing');
  if (typeof payloadType !== "string") {
    fail(`field "payloadType" must be a string, got ${describe(payloadType)}`);
  }
  const payload = value["payload"];
  if (payload === undefined) fail('field "payload" is missing');
  if (typeof payload !== "string") {
    fail(`field "payload" must be a base64 string, got ${describe(payload)}`);
  }
  const payloadBytes = decodeField(payload, "payload", fail);

  const list = value["signatures"];
  if (list === undefined) fail('field "signatures" is missing');
  if (!Array.isArray(list)) fail(`field "signatures" must be an array, got ${describe(list)}`);
  if (list.length === 0) fail('field "signatures" is empty: at least one signature is required');

  const signatures: ParsedSignature[] = [];
  for (const [i, entry] of list.entries()) {
    const where = `signatures[${i}]`;
    if (!isObject(entry)) fail(`${where} must be an object, got ${describe(entry)}`);
    const sig = entry["sig"];
    if (sig === undefined) fail(`field "${where}.sig" is missing`);
    if (typeof sig !== "string") {
      fail(`field "${where}.sig" must be a base64 string, got ${describe(sig)}`);
    }
    const keyid = entry["keyid"];
    if (keyid !== undefined && typeof keyid !== "string") {
      fail(`field "${where}.keyid" must be a string, got ${describe(keyid)}`);
    }
    const sigBytes = decodeField(sig, `${where}.sig`, fail);
    signatures.push(keyid === undefined ? { sig, sigBytes } : { keyid, sig, sigBytes });
  }

  return { payloadType, payload, payloadBytes, signatures };
}

/**
 * Serializes an envelope as RFC 8785 canonical JSON, keeping only the DSSE fields.
 *
 * Extra properties (such as `payloadBytes` of a {@link ParsedEnvelope}) are dropped, so a parsed
 * envelope serializes to the same text as the wire object it came from (modulo key order).
 * The result has no trailing newline; files written by this toolkit add one `\n`.
 *
 * @param envelope The envelope to serialize.
 * @returns Canonical JSON text of `{payload, payloadType, signatures[{keyid?, sig}]}`.
 * @throws {TypeError} When a field has the wrong type.
 *
 * @example Usage
 * ```ts
 * import { serializeEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const text = serializeEnvelope({ payloadType: "t", payload: "aGk=", signatures: [{ sig: "AA==" }] });
 * assert.equal(text, '{"payload":"aGk=","payloadType":"t","signatures":[{"sig":"AA=="}]}');
 * ```
 */
export function serializeEnvelope(envelope: DsseEnvelope): string {
  if (typeof envelope !== "object" || envelope === null) {
    throw new TypeError("Pass the envelope as an object");
  }
  if (typeof envelope.payloadType !== "string") {
    throw new TypeError("Pass envelope.payloadType as a string");
  }
  if (typeof envelope.payload !== "string") {
    throw new TypeError("Pass envelope.payload as a base64 string");
  }
  if (!Array.isArray(envelope.signatures)) {
    throw new TypeError("Pass envelope.signatures as an array");
  }
  const signatures = envelope.signatures.map((signature, i) => {
    if (typeof signature !== "object" || signature === null || typeof signature.sig !== "string") {
      throw new TypeError(`Pass envelope.signatures[${i}].sig as a base64 string`);
    }
    if (signature.keyid === undefined) return { sig: signature.sig };
    if (typeof signature.keyid !== "string") {
      throw new TypeError(`Pass envelope.signatures[${i}].keyid as a string`);
    }
    return { keyid: signature.keyid, sig: signature.sig };
  });
  return canonicalize({
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signatures,
  });
}

/**
 * Builds an envelope from a payload and its signatures, encoding both as standard padded base64.
 *
 * @param payloadType Media type of the payload, e.g. {@link INTOTO_PAYLOAD_TYPE}.
 * @param payload Payload bytes (SERIALIZED_BODY).
 * @param signatures Signatures over `preAuthEncoding(payloadType, payload)`, in order.
 * @returns The wire envelope.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `signatures` is empty.
 *
 * @example Usage
 * ```ts
 * import { serializeEnvelope } from "@stellaops/provenance";
 * import { createEnvelope } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const envelope = createEnvelope("text/plain", new TextEncoder().encode("hi"), [
 *   { keyid: "k1", sig: new Uint8Array([251, 255]) },
 * ]);
 * assert.equal(
 *   serializeEnvelope(envelope),
 *   '{"payload":"aGk=","payloadType":"text/plain","signatures":[{"keyid":"k1","sig":"+/8="}]}',
 * );
 * ```
 */
export function createEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signatures: readonly EnvelopeSignatureInput[],
): DsseEnvelope {
  if (typeof payloadType !== "string") throw new TypeError("Pass payloadType as a string");
  if (!(payload instanceof Uint8Array)) throw new TypeError("Pass payload as a Uint8Array");
  if (!Array.isArray(signatures)) throw new TypeError("Pass signatures as an array");
  if (signatures.length === 0) {
    throw new RangeError("Pass at least one signature: an unsigned envelope cannot be verified");
  }
  return {
    payloadType,
    payload: encodeBase64(payload),
    signatures: signatures.map((signature, i) => {
      if (!(signature?.sig instanceof Uint8Array)) {
        throw new TypeError(`Pass signatures[${i}].sig as a Uint8Array`);
      }
      if (signature.keyid === undefined) return { sig: encodeBase64(signature.sig) };
      if (typeof signature.keyid !== "string") {
        throw new TypeError(`Pass signatures[${i}].keyid as a string`);
      }
      return { keyid: signature.keyid, sig: encodeBase64(signature.sig) };
    }),
  };
}

function decodeField(
  text: string,
  field: string,
  fail: (detail: string) => never,
): Uint8Array<ArrayBuffer> {
  try {
    return decodeBase64Any(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return fail(`field "${field}" is not standard or URL-safe base64`);
  }
}

function describe(value: JsonValue | undefined): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}
