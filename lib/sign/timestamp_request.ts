/**
 * RFC 3161 time-stamp requests (§2.4.1 `TimeStampReq`) for a DSSE envelope's signature, to send to
 * a time-stamping authority (TSA) and get the token that `verifyEnvelope({ timestamps })` and
 * `stella forensic verify --timestamp` check (docs/timestamps.md):
 *
 * ```asn1
 * TimeStampReq ::= SEQUENCE {
 *   version        INTEGER { v1(1) },
 *   messageImprint MessageImprint,          -- SHA-256 of the DECODED signature bytes
 *   nonce          INTEGER OPTIONAL,        -- only when asked for
 *   certReq        BOOLEAN DEFAULT FALSE }  -- TRUE: the TSA includes its certificate
 * MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 * ```
 *
 * The imprint covers the signature's raw bytes (base64-decoded), Sigstore's convention, which is
 * what the verifier hashes. The hash algorithm identifier carries an explicit NULL parameter and
 * no policy is requested, so without a nonce the bytes equal those of
 * `openssl ts -query -data SIG.bin -sha256 -cert -no_nonce`.
 *
 * @module
 */

import {
  encodeDerBoolean,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
} from "../encoding/der.ts";
import { sha256 } from "../digest/digest.ts";
import { type DsseEnvelope, type ParsedEnvelope, parseEnvelope } from "../model/dsse.ts";

/** OID of SHA-256 (NIST CSOR, RFC 5754). */
const SHA256_OID = "2.16.840.1.101.3.4.2.1";
/** Largest nonce accepted: 160 bits, as RFC 3161 §2.4.1 suggests ("e.g. 64 bits"). */
const MAX_NONCE = (1n << 160n) - 1n;

/** Options of {@link createTimestampRequest}. */
export interface CreateTimestampRequestOptions {
  /** `--signature`: index of the envelope signature to time-stamp (default 0). */
  signature?: number | undefined;
  /**
   * A nonce (positive, at most 160 bits) the TSA echoes in its token; default none. The CLI draws
   * 64 random bits with `--nonce`. Offline verification does not check nonces.
   */
  nonce?: bigint | undefined;
  /** Input name for error messages. */
  name?: string | undefined;
}

/** What {@link createTimestampRequest} made. */
export interface TimestampRequest {
  /** The DER `TimeStampReq` (what `openssl ts -query` writes, `.tsq`). */
  der: Uint8Array<ArrayBuffer>;
  /** Index of the time-stamped signature. */
  signature: number;
  /** That signature's keyid hint, when it has one (unauthenticated). */
  keyid?: string;
  /** The imprint: SHA-256 of the decoded signature bytes, lowercase hex. */
  sha256: string;
  /** The nonce, when one was given, as lowercase hex. */
  nonce?: string;
}

/**
 * Builds the RFC 3161 request for one signature of a DSSE envelope.
 *
 * @param envelope The envelope: its JSON bytes or text (parsed strictly), or a parsed envelope.
 * @param options Signature index, nonce, input name.
 * @returns The DER request and what it covers.
 * @throws {ParseError} `ENVELOPE_MALFORMED` / `JSON_*` when the envelope does not parse.
 * @throws {RangeError} When the signature index or the nonce is out of range.
 *
 * @example Usage
 * ```ts
 * import { createTimestampRequest } from "@stellaops/provenance/sign";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const envelope = '{"payloadType":"t","payload":"","signatures":[{"keyid":"k","sig":"AQID"}]}';
 * const request = createTimestampRequest(envelope);
 * assert.equal(request.sha256, encodeHex(sha256(new Uint8Array([1, 2, 3]))));
 * assert.equal(request.keyid, "k");
 * assert.equal(request.der.length, 59);
 * assert.throws(() => createTimestampRequest(envelope, { signature: 1 }), RangeError);
 * ```
 */
export function createTimestampRequest(
  envelope: Uint8Array | string | ParsedEnvelope,
  options: CreateTimestampRequestOptions = {},
): TimestampRequest {
  const parsed: ParsedEnvelope = typeof envelope === "string" || envelope instanceof Uint8Array
    ? parseEnvelope(envelope, { name: options.name })
    : isParsed(envelope)
    ? envelope
    : parseEnvelope(JSON.stringify(envelope as DsseEnvelope), { name: options.name });
  const index = options.signature ?? 0;
  const count = parsed.signatures.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `Cannot time-stamp signature ${index}${
        options.name === undefined ? "" : ` of "${options.name}"`
      }: the envelope has ${count} signature${count === 1 ? "" : "s"} (0 to ${count - 1})`,
    );
  }
  const signature = parsed.signatures[index]!;
  const imprint = sha256(signature.sigBytes);
  const nonce = options.nonce;
  if (nonce !== undefined && (typeof nonce !== "bigint" || nonce < 1n || nonce > MAX_NONCE)) {
    throw new RangeError("Cannot use the nonce: use a positive integer of at most 160 bits");
  }
  const der = encodeDerSequence([
    encodeDerInteger(1),
    encodeDerSequence([
      encodeDerSequence([encodeDerOid(SHA256_OID), encodeDerNull()]),
      encodeDerOctetString(imprint),
    ]),
    ...(nonce === undefined ? [] : [encodeDerInteger(nonce)]),
    encodeDerBoolean(true),
  ]);
  const request: TimestampRequest = { der, signature: index, sha256: imprint.toHex() };
  if (signature.keyid !== undefined) request.keyid = signature.keyid;
  if (nonce !== undefined) {
    const hex = nonce.toString(16);
    request.nonce = hex.length % 2 === 0 ? hex : `0${hex}`;
  }
  return request;
}

function isParsed(value: unknown): value is ParsedEnvelope {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as ParsedEnvelope).signatures) &&
    (value as ParsedEnvelope).signatures.every((s) => s?.sigBytes instanceof Uint8Array);
}
