/**
 * The signature of a Sigstore bundle and what it is over (internal to `verifyBundle`, as
 * sigstore-js's `signature` step does it): the message signature over the artifact or its digest,
 * or the DSSE signature over PAE, and the artifact digest against the message digest or a DSSE
 * statement's subjects. Also the types the bundle steps share.
 *
 * @module
 */

import { encodeHex, equalBytes } from "../encoding/bytes.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import type { DigestAlgorithm } from "../digest/digest.ts";
import { preAuthEncoding } from "../model/dsse.ts";
import type { SigstoreBundle } from "../model/sigstore_bundle.ts";
import type { Certificate } from "../keys/x509.ts";
import {
  hashFromName,
  PROTO_HASH_NAMES,
  type SigningKey,
  type SigstoreAlgorithm,
  verifySigstoreSignature,
} from "./_sigstore_algorithm.ts";
import { type Check, fail, pass, type TimeSource } from "./report.ts";
import type { ArtifactDigests } from "./subject_check.ts";
import { isObject } from "../encoding/json_value.ts";

export interface Signer {
  signing: SigningKey;
  leaf?: Certificate;
  extra: Certificate[];
}

export interface ObservedTime {
  time: number;
  source: TimeSource;
}

export interface ArtifactDigest {
  algorithm: DigestAlgorithm;
  digest: Uint8Array;
}

export function resolveArtifactDigest(
  artifact: Uint8Array | { digest: string } | { digests: ArtifactDigests } | undefined,
): ArtifactDigest | { bytes: Uint8Array } | { digests: ArtifactDigests } | undefined | string {
  if (artifact === undefined) return undefined;
  if (artifact instanceof Uint8Array) return { bytes: artifact };
  if ("digests" in artifact) return artifact;
  if (typeof artifact === "object" && artifact !== null && typeof artifact.digest === "string") {
    const m = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.exec(
      artifact.digest,
    );
    if (m === null) return "Pass the artifact digest as sha256:<64 lowercase hex digits>";
    const [algorithm, hex] = artifact.digest.split(":") as [ArtifactDigest["algorithm"], string];
    return { algorithm, digest: Uint8Array.fromHex(hex) };
  }
  return 'Pass the artifact as bytes or { digest: "sha256:HEX" }';
}

export async function checkSignature(
  bundle: SigstoreBundle,
  signer: Signer,
  algorithm: SigstoreAlgorithm | string,
  given: ArtifactDigest | { bytes: Uint8Array } | undefined,
  artifactDigest: Uint8Array | undefined,
  digestHash: DigestAlgorithm,
): Promise<Check> {
  const id = "bundle.signature";
  const content = bundle.content;
  const bad = (why: string): Check =>
    fail(id, "SIGNATURE_INVALID", `Reject bundle signature: ${why}`);
  if (typeof algorithm === "string") return bad(algorithm);
  const signing = signer.signing;
  if (content.kind === "dsseEnvelope") {
    const env = content.envelope;
    const pae = preAuthEncoding(env.payloadType, env.payloadBytes);
    return await verifySigstoreSignature(
        signing,
        algorithm,
        { message: pae },
        env.signatures[0]!.sigBytes,
      )
      ? pass(id)
      : bad(`the DSSE signature does not verify with the signing key (${algorithm.details})`);
  }
  if (given !== undefined && "bytes" in given) {
    return await verifySigstoreSignature(
        signing,
        algorithm,
        { message: given.bytes },
        content.signature,
      )
      ? pass(id)
      : bad(
        `the signature does not verify over the artifact with the signing key (${algorithm.details})`,
      );
  }
  if (algorithm.hash === undefined) {
    return bad(`a ${algorithm.details} signature needs the artifact bytes, not only its digest`);
  }
  const md = content.messageDigest;
  const digest = artifactDigest ??
    (md !== undefined && hashFromName(md.algorithm) === digestHash ? md.digest : undefined);
  if (digest === undefined) {
    return bad(`neither the artifact nor its ${PROTO_HASH_NAMES[digestHash]} digest is known`);
  }
  return await verifySigstoreSignature(signing, algorithm, { digest }, content.signature)
    ? pass(id)
    : bad(
      `the signature does not verify over the artifact digest with the signing key (${algorithm.details})`,
    );
}

export function checkArtifact(
  bundle: SigstoreBundle,
  artifact: ArtifactDigest | undefined,
  digestHash: DigestAlgorithm,
): Check | undefined {
  if (artifact === undefined) return undefined;
  const digest = artifact.digest;
  const content = bundle.content;
  if (content.kind === "messageSignature") {
    if (artifact.algorithm !== digestHash) {
      return fail(
        "bundle.artifact",
        "ARTIFACT_MISMATCH",
        `Reject artifact: this message signature is over its ${digestHash} digest, not ${artifact.algorithm}`,
      );
    }
    const md = content.messageDigest;
    if (md === undefined) return pass("bundle.artifact");
    if (hashFromName(md.algorithm) !== digestHash || !equalBytes(md.digest, digest)) {
      return fail(
        "bundle.artifact",
        "ARTIFACT_MISMATCH",
        `Reject artifact: its ${digestHash} digest is not the bundle's message digest`,
      );
    }
    return pass("bundle.artifact");
  }
  const subjects = statementSubjects(content.envelope.payloadBytes);
  if (subjects === undefined) {
    return fail(
      "bundle.artifact",
      "ARTIFACT_MISMATCH",
      "Reject artifact: the DSSE payload is not an in-toto statement with subjects",
    );
  }
  const hex = encodeHex(digest);
  return subjects.some((s) => s.digest[artifact.algorithm]?.toLowerCase() === hex)
    ? pass("bundle.artifact")
    : fail(
      "bundle.artifact",
      "ARTIFACT_MISMATCH",
      `Reject artifact: ${artifact.algorithm}:${hex} is not a subject of the statement`,
    );
}

export function statementSubjects(
  payload: Uint8Array,
): { name: string; digest: Record<string, string> }[] | undefined {
  let value: JsonValue;
  try {
    value = parseJson(payload);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !Array.isArray(value.subject)) return undefined;
  const out: { name: string; digest: Record<string, string> }[] = [];
  for (const s of value.subject) {
    if (!isObject(s) || !isObject(s.digest)) continue;
    const digest: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.digest)) if (typeof v === "string") digest[k] = v;
    out.push({ name: typeof s.name === "string" ? s.name : "", digest });
  }
  return out;
}

export function parseStatementSummary(
  payload: Uint8Array,
): { type: string; predicateType: string } | undefined {
  try {
    const value = parseJson(payload);
    if (!isObject(value) || typeof value._type !== "string") return undefined;
    return {
      type: value._type,
      predicateType: typeof value.predicateType === "string" ? value.predicateType : "",
    };
  } catch {
    return undefined;
  }
}
