/**
 * Internal: recovers `payloadType` and the payload from DSSE PAE bytes, so that signer wrappers
 * (policy, audit log) that only see the bytes handed to `Signer.sign` can inspect what they sign.
 * Not re-exported.
 *
 * Implements the inverse of DSSE protocol.md "Signature Definition":
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN in ASCII decimal without leading zeros.
 * The parse is exact: the result re-encodes to the same bytes, otherwise it is rejected.
 *
 * @module
 */

import { decodeUtf8, equalBytes } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { INTOTO_PAYLOAD_TYPE, preAuthEncoding } from "../model/dsse.ts";

/** The payload a PAE covers. */
export interface PaeContent {
  payloadType: string;
  payload: Uint8Array<ArrayBuffer>;
}

const PREFIX = [0x44, 0x53, 0x53, 0x45, 0x76, 0x31, 0x20]; // "DSSEv1 "

function readLength(bytes: Uint8Array, start: number): [number, number] | null {
  let end = start;
  while (end < bytes.length && end - start < 16) {
    const b = bytes[end]!;
    if (b < 0x30 || b > 0x39) break;
    end++;
  }
  if (end === start || bytes[end] !== 0x20) return null;
  if (bytes[start] === 0x30 && end - start > 1) return null;
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (bytes[i]! - 0x30);
  return [value, end + 1];
}

/**
 * Splits PAE bytes into payload type and payload, or returns `null` when `data` is not exactly
 * a DSSE v1 PAE.
 */
export function parsePae(data: Uint8Array): PaeContent | null {
  if (data.length < PREFIX.length) return null;
  for (let i = 0; i < PREFIX.length; i++) if (data[i] !== PREFIX[i]) return null;
  const typeLen = readLength(data, PREFIX.length);
  if (typeLen === null) return null;
  const [typeLength, typeStart] = typeLen;
  if (typeStart + typeLength >= data.length || data[typeStart + typeLength] !== 0x20) return null;
  const bodyLen = readLength(data, typeStart + typeLength + 1);
  if (bodyLen === null) return null;
  const [bodyLength, bodyStart] = bodyLen;
  if (bodyStart + bodyLength !== data.length) return null;
  let payloadType: string;
  try {
    payloadType = decodeUtf8(data.subarray(typeStart, typeStart + typeLength));
  } catch {
    return null;
  }
  const payload = data.slice(bodyStart);
  if (!equalBytes(preAuthEncoding(payloadType, payload), data)) return null;
  return { payloadType, payload };
}

/** Whether a payload type carries an in-toto Statement. */
export function isInTotoPayloadType(payloadType: string): boolean {
  return payloadType === INTOTO_PAYLOAD_TYPE;
}

/** Parses a payload as strict JSON, or returns `undefined` when it is not JSON. */
export function parsePayloadJson(payload: Uint8Array): JsonValue | undefined {
  try {
    return parseJson(payload, { name: "payload" });
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}
