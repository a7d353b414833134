/**
 * Transparency-log entries of a Sigstore bundle (internal to `verifyBundle`, as sigstore-js's
 * `tlog/` verifies them): the entry kinds each Rekor generation writes, whether an entry's body
 * describes this bundle (hashedrekord 0.0.1 / 0.0.2, dsse 0.0.1, intoto 0.0.2), its inclusion
 * proof and checkpoint, its signed entry timestamp and its integrated time.
 *
 * @module
 */

import { decodeBase64, encodeHex, equalBytes } from "../encoding/bytes.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { decodePem } from "../encoding/pem.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { describeTime } from "../encoding/time.ts";
import { type DigestAlgorithm, digestBytes, sha256 } from "../digest/digest.ts";
import { preAuthEncoding } from "../model/dsse.ts";
import type { SigstoreBundle } from "../model/sigstore_bundle.ts";
import { PROTO_HASH_NAMES } from "./_sigstore_algorithm.ts";
import { verifyRekorInclusion, verifyRekorSet } from "./rekor.ts";
import { type Check, fail, pass } from "./report.ts";
import { isValidAt, type TrustedRoot } from "./trusted_root.ts";
import type { ObservedTime, Signer } from "./_bundle_signature.ts";
import { isObject } from "../encoding/json_value.ts";

/**
 * Entry kinds each Rekor generation writes. Rekor v2 logs only hashedrekord 0.0.2: its spec (Rekor
 * v2 §6.1.4) removed dsse 0.0.2, and DSSE envelopes are logged as hashedrekord 0.0.2 over
 * Hash(PAE) (sigstore-go, sigstore-java, sigstore-python, sigstore-rust).
 */
const ENTRY_KINDS: Readonly<Record<string, "Rekor v1" | "Rekor v2">> = {
  "hashedrekord/0.0.1": "Rekor v1",
  "dsse/0.0.1": "Rekor v1",
  "intoto/0.0.2": "Rekor v1",
  "hashedrekord/0.0.2": "Rekor v2",
};

/** What one transparency-log entry is checked against. */
export interface TlogContext {
  bundle: SigstoreBundle;
  root: TrustedRoot;
  signer: Signer | undefined;
  digestHash: DigestAlgorithm;
  artifactDigest: Uint8Array | undefined;
  now: number;
  skew: number;
}

/**
 * Checks one transparency-log entry (step 3 of `verifyBundle`): its log is trusted, its kind is
 * one its Rekor generation writes and its body describes this bundle, its inclusion proof and
 * checkpoint, its SET, its integrated time. Returns the checks and, when the SET verified, the
 * integrated time as an observed signing time.
 */
export async function checkTlogEntry(
  entry: SigstoreBundle["verificationMaterial"]["tlogEntries"][number],
  index: number,
  context: TlogContext,
): Promise<{ checks: Check[]; time: ObservedTime | undefined }> {
  const checks: Check[] = [];
  let observed: ObservedTime | undefined;
  const logId = encodeHex(entry.logId);
  const log = context.root.tlogs.find((k) => k.logId === logId);
  if (log === undefined) {
    checks.push(fail(
      "tlog.log",
      "LOG_KEY_UNTRUSTED",
      `Reject tlog entry ${index}: its log ${logId} is not in the trusted root`,
    ));
  } else {
    checks.push(pass("tlog.log"));
  }
  const kv = `${entry.kindVersion.kind}/${entry.kindVersion.version}`;
  if (!Object.hasOwn(ENTRY_KINDS, kv)) {
    checks.push(fail(
      "tlog.body",
      "TLOG_ENTRY_KIND_UNSUPPORTED",
      `Reject tlog entry ${index}: ${entry.kindVersion.kind} ${entry.kindVersion.version} is not an entry kind a Rekor log writes ` +
        (kv === "dsse/0.0.2"
          ? "(Rekor v2 logs DSSE envelopes as hashedrekord 0.0.2 over the envelope's PAE; dsse 0.0.2 was removed from its spec)"
          : "(Rekor v1: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2; Rekor v2: hashedrekord 0.0.2)"),
    ));
  } else if (context.signer !== undefined) {
    const signer = context.signer;
    const bodyProblem = checkBody(
      entry.canonicalizedBody,
      entry.kindVersion,
      context.bundle,
      signer,
      context.digestHash,
      context.artifactDigest,
    );
    checks.push(
      bodyProblem === undefined
        ? pass("tlog.body")
        : fail("tlog.body", "TLOG_ENTRY_MISMATCH", `Reject tlog entry ${index}: ${bodyProblem}`),
    );
  }
  if (entry.inclusionProof !== undefined) {
    const proof = entry.inclusionProof;
    const inclusion = await verifyRekorInclusion({
      canonicalizedBody: entry.canonicalizedBody,
      logIndex: proof.logIndex,
      treeSize: proof.treeSize,
      rootHash: proof.rootHash,
      hashes: proof.hashes,
      checkpoint: proof.checkpoint,
    }, {
      logKeys: log === undefined ? [] : [log],
      expectedOrigin: log !== undefined && log.keyDetails === "PKIX_ED25519" ? log.name : undefined,
      name: `tlog entry ${index}`,
    });
    if (proof.checkpoint === undefined && context.bundle.version !== "0.1") {
      inclusion.push(fail(
        "tlog.checkpoint",
        "CHECKPOINT_MALFORMED",
        `Reject tlog entry ${index}: its inclusion proof has no checkpoint`,
      ));
    }
    checks.push(...inclusion);
  }
  let promised = false;
  if (entry.inclusionPromise !== undefined) {
    if (log === undefined) {
      checks.push(
        fail(
          "tlog.set",
          "LOG_KEY_UNTRUSTED",
          `Cannot verify the SET of tlog entry ${index}: untrusted log`,
        ),
      );
    } else {
      const set = await verifyRekorSet({
        body: entry.canonicalizedBodyBase64,
        integratedTime: entry.integratedTime,
        logIndex: entry.logIndex,
        logId: entry.logId,
        signedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
      }, log);
      checks.push(set);
      promised = set.ok;
    }
  }
  if (entry.integratedTime > 0n) {
    const time = Number(entry.integratedTime) * 1000;
    // describeTime: an integrated time past year 9999 is rejected here, not a RangeError.
    const problem = time > context.now + context.skew
      ? ["SIGNED_IN_FUTURE", `its integrated time ${describeTime(time)} is after now`] as const
      : log !== undefined && !isValidAt(log, time)
      ? [
        "LOG_KEY_UNTRUSTED",
        `its integrated time ${describeTime(time)} is outside the log key's validity`,
      ] as const
      : undefined;
    if (problem !== undefined) {
      checks.push(fail("tlog.time", problem[0], `Reject tlog entry ${index}: ${problem[1]}`));
    } else {
      checks.push(pass("tlog.time"));
      // Only the SET signs the integrated time; an inclusion proof does not (sigstore-python).
      if (promised) observed = { time, source: "rekor" };
    }
  }
  return { checks, time: observed };
}

/**
 * The digest algorithm the bundle names for its signature: the message digest's, else (message
 * signatures, and DSSE envelopes on a Rekor v2 log) the first hashedrekord entry's, as written
 * (`SHA2_384`, or `sha384` in a Rekor v1 body).
 */
export function namedHash(bundle: SigstoreBundle): string | undefined {
  const content = bundle.content;
  if (content.kind === "messageSignature" && content.messageDigest !== undefined) {
    return content.messageDigest.algorithm;
  }
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const { kind, version } = entry.kindVersion;
    if (kind !== "hashedrekord") continue;
    if (version === "0.0.1" && content.kind === "dsseEnvelope") continue;
    let body: JsonValue;
    try {
      body = parseJson(entry.canonicalizedBody);
    } catch {
      continue;
    }
    const spec = isObject(body) && isObject(body.spec) ? body.spec : undefined;
    const data = version === "0.0.1"
      ? (isObject(spec?.data) && isObject(spec.data.hash) ? spec.data.hash : undefined)
      : (isObject(spec?.hashedRekordV002) && isObject(spec.hashedRekordV002.data)
        ? spec.hashedRekordV002.data
        : undefined);
    const name = data?.algorithm;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/** Why the entry body does not describe this bundle, if it does not. */
function checkBody(
  bodyBytes: Uint8Array,
  kindVersion: { kind: string; version: string },
  bundle: SigstoreBundle,
  signer: Signer,
  digestHash: DigestAlgorithm,
  artifactDigest: Uint8Array | undefined,
): string | undefined {
  let body: JsonValue;
  try {
    body = parseJson(bodyBytes);
  } catch {
    return "its body is not JSON";
  }
  if (!isObject(body) || !isObject(body.spec)) return "its body has no spec";
  if (body.kind !== kindVersion.kind || body.apiVersion !== kindVersion.version) {
    return `its body is ${String(body.kind)} ${
      String(body.apiVersion)
    }, not the ${kindVersion.kind} ${kindVersion.version} the bundle names`;
  }
  const spec = body.spec;
  const content = bundle.content;
  const kv = `${kindVersion.kind}/${kindVersion.version}`;
  const sig = content.kind === "messageSignature"
    ? content.signature
    : content.envelope.signatures[0]!.sigBytes;
  const verifierMatches = (pemB64: JsonValue | undefined): boolean => {
    if (typeof pemB64 !== "string") return false;
    try {
      const pem = new TextDecoder().decode(decodeBase64(pemB64));
      const block = decodePem(pem);
      return signer.leaf !== undefined
        ? block.label === "CERTIFICATE" && equalBytes(block.bytes, signer.leaf.der)
        : block.label === "PUBLIC KEY" && equalBytes(block.bytes, signer.signing.spki);
    } catch {
      return false;
    }
  };
  const v2VerifierMatches = (verifier: JsonValue | undefined): boolean => {
    if (!isObject(verifier)) return false;
    const cert = verifier.x509Certificate;
    const key = verifier.publicKey;
    const raw = (o: JsonValue | undefined): Uint8Array | undefined => {
      if (!isObject(o) || typeof o.rawBytes !== "string") return undefined;
      try {
        return decodeBase64(o.rawBytes);
      } catch {
        return undefined;
      }
    };
    if (signer.leaf !== undefined) {
      const der = raw(cert);
      return der !== undefined && equalBytes(der, signer.leaf.der);
    }
    const spki = raw(key);
    return spki !== undefined && equalBytes(spki, signer.signing.spki);
  };
  const b64Equals = (value: JsonValue | undefined, bytes: Uint8Array): boolean => {
    if (typeof value !== "string") return false;
    try {
      return equalBytes(decodeBase64(value), bytes);
    } catch {
      return false;
    }
  };

  if (kv === "hashedrekord/0.0.1") {
    if (content.kind !== "messageSignature") {
      return "a hashedrekord 0.0.1 entry cannot log a DSSE envelope";
    }
    const data = spec.data;
    const hash = isObject(data) && isObject(data.hash) ? data.hash : undefined;
    if (hash === undefined || hash.algorithm !== digestHash || typeof hash.value !== "string") {
      return `its hashedrekord data hash is not ${digestHash}, the signature's digest`;
    }
    const digest = artifactDigest ?? content.messageDigest?.digest;
    if (digest === undefined || hash.value !== encodeHex(digest)) {
      return "its artifact digest is not the artifact's";
    }
    const signature = isObject(spec.signature) ? spec.signature : undefined;
    if (signature === undefined || !b64Equals(signature.content, sig)) {
      return "its signature is not the bundle's";
    }
    const pk = isObject(signature.publicKey) ? signature.publicKey : undefined;
    if (pk === undefined || !verifierMatches(pk.content)) {
      return "its public key or certificate is not the bundle's";
    }
    return undefined;
  }
  if (kv === "hashedrekord/0.0.2") {
    const v = isObject(spec.hashedRekordV002) ? spec.hashedRekordV002 : undefined;
    if (v === undefined) return "its body has no hashedRekordV002";
    const data = isObject(v.data) ? v.data : undefined;
    if (data === undefined || data.algorithm !== PROTO_HASH_NAMES[digestHash]) {
      return `its data digest is not ${PROTO_HASH_NAMES[digestHash]}, the signature's digest`;
    }
    const digest = content.kind === "dsseEnvelope"
      ? digestBytes(
        digestHash,
        preAuthEncoding(content.envelope.payloadType, content.envelope.payloadBytes),
      )
      : artifactDigest ?? content.messageDigest?.digest;
    if (digest === undefined || !b64Equals(data.digest, digest)) {
      return content.kind === "dsseEnvelope"
        ? `its digest is not the ${PROTO_HASH_NAMES[digestHash]} of the envelope's PAE`
        : "its artifact digest is not the artifact's";
    }
    const signature = isObject(v.signature) ? v.signature : undefined;
    if (signature === undefined || !b64Equals(signature.content, sig)) {
      return "its signature is not the bundle's";
    }
    if (!v2VerifierMatches(signature.verifier)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  if (content.kind !== "dsseEnvelope") return `a ${kv} entry cannot log a message signature`;
  const envelope = content.envelope;
  const payloadHash = encodeHex(sha256(envelope.payloadBytes));
  if (kv === "dsse/0.0.1") {
    const ph = isObject(spec.payloadHash) ? spec.payloadHash : undefined;
    if (ph === undefined || ph.algorithm !== "sha256" || ph.value !== payloadHash) {
      return "its payload hash is not the envelope payload's";
    }
    const sigs = spec.signatures;
    if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0])) {
      return "it does not hold exactly one signature";
    }
    if (!b64Equals(sigs[0].signature, sig)) return "its signature is not the envelope's";
    if (!verifierMatches(sigs[0].verifier)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  if (kv === "intoto/0.0.2") {
    const c = isObject(spec.content) ? spec.content : undefined;
    if (c === undefined) return "its body has no content";
    const ph = isObject(c.payloadHash) ? c.payloadHash : undefined;
    if (ph === undefined || ph.algorithm !== "sha256" || ph.value !== payloadHash) {
      return "its payload hash is not the envelope payload's";
    }
    const env = isObject(c.envelope) ? c.envelope : undefined;
    if (env === undefined || env.payloadType !== envelope.payloadType) {
      return "its payload type is not the envelope's";
    }
    if (env.payload !== undefined) {
      const doubled = typeof env.payload === "string" ? tryDecode(env.payload) : undefined;
      const inner = doubled === undefined
        ? undefined
        : tryDecode(new TextDecoder().decode(doubled));
      if (inner === undefined || !equalBytes(inner, envelope.payloadBytes)) {
        return "its payload is not the envelope's";
      }
    }
    const sigs = env.signatures;
    if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0])) {
      return "it does not hold exactly one signature";
    }
    const outer = typeof sigs[0].sig === "string" ? tryDecode(sigs[0].sig) : undefined;
    const innerSig = outer === undefined ? undefined : tryDecode(new TextDecoder().decode(outer));
    if (innerSig === undefined || !equalBytes(innerSig, sig)) {
      return "its signature is not the envelope's";
    }
    if (!verifierMatches(sigs[0].publicKey)) {
      return "its verifier is not the bundle's certificate or key";
    }
    return undefined;
  }
  return `its kind ${kv} is not supported`;
}

function tryDecode(text: string): Uint8Array | undefined {
  try {
    return decodeBase64(text);
  } catch {
    return undefined;
  }
}
