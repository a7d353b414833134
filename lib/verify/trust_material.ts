/**
 * Trust material: everything the operator trusts, in one plain value that every verifier takes
 * (docs/architecture.md "Trust policy and trusted time"). One loader, {@link loadTrustMaterial},
 * builds it from the operator's files: `trust.json` (keys with windows, revocation, custodians,
 * threshold, content rules, TSA roots, transparency-log keys), each `--key` PEM,
 * `trusted_root.json` (Sigstore) and TSA root certificates.
 *
 * The material is plain JSON data (it survives `JSON.stringify` and `structuredClone`, so it can
 * be sent to a worker or a service) and carries `digest`: `sha256:HEX` over the RFC 8785
 * canonical form of every other field, the name a report or a log can give the trust it used.
 * Verifiers compile it once into their fast form (imported keys, parsed certificates) and keep
 * that per material object, so a batch pays for key import once.
 *
 * Validation happens at load: a bad PEM, an invalid `trust.json`, a trusted root that is not
 * strict JSON throws there, naming the input. The trusted root's content (certificates, log keys)
 * is read when a bundle is verified (`root.parse`), so that envelope verification never loads
 * the X.509 code.
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { decodeBase64, encodeBase64, encodeHex, encodeUtf8 } from "../encoding/bytes.ts";
import { ParseError, ValidationError } from "../encoding/errors.ts";
import type { JsonValue } from "../encoding/json_value.ts";
import { decodePemAll } from "../encoding/pem.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { sha256 } from "../digest/digest.ts";
import type { RequiredClaim } from "../model/claim_policy.ts";
import {
  parseTrustPolicy,
  type TrustedKey,
  trustedKeyFromPem,
  type TrustedKeyOptions,
  type TrustPolicyDocument,
  type TrustPolicyKeyEntry,
  validateTrustPolicy,
} from "./trust_policy.ts";

/**
 * Everything a verifier trusts, as plain data with its digest (see the module documentation).
 * Build it with {@link loadTrustMaterial}; do not edit it afterwards (the digest would no longer
 * match, and verifiers reject it).
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, type TrustMaterial } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
 * const trust: TrustMaterial = loadTrustMaterial({ keys: [{ pem }] });
 * assert.deepEqual(trust.keys, [{ publicKey: pem }]);
 * assert.match(trust.digest, /^sha256:[0-9a-f]{64}$/);
 * // Plain data: a copy is the same trust, with the same digest.
 * assert.deepEqual(structuredClone(trust), trust);
 * ```
 */
export interface TrustMaterial {
  /** Trusted keys: the `trust.json` entries first, then each extra key (`--key`), in order. */
  keys: TrustPolicyKeyEntry[];
  /** Distinct trusted keys that must sign an envelope (default 1). */
  threshold?: number;
  /** When set, a statement's predicate type must be one of these. */
  allowedPredicateTypes?: string[];
  /** When set, a statement must carry these claims. */
  requiredClaims?: RequiredClaim[];
  /** Trusted RFC 3161 TSA root certificates, base64 DER, one certificate each. */
  tsaRoots?: string[];
  /** Trusted transparency-log keys of `trust.json` (PEM SPKI and checkpoint origin). */
  transparencyLogs?: { publicKey: string; origin?: string }[];
  /** Sigstore `trusted_root.json`, as its JSON value (strictly parsed). */
  trustedRoot?: JsonValue;
  /** `sha256:HEX` over the RFC 8785 canonical JSON of every other field. */
  digest: string;
}

/**
 * The inputs of {@link loadTrustMaterial}: the operator's trust files, as bytes or text.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial, type TrustSources } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const sources: TrustSources = {
 *   trustPolicy: '{"version":1,"keys":[],"threshold":2}',
 *   trustPolicyName: "trust.json",
 * };
 * assert.equal(loadTrustMaterial(sources).threshold, 2);
 * assert.throws(() => loadTrustMaterial({ ...sources, trustPolicy: '{"keys":1}' }), {
 *   name: "ValidationError",
 *   message: /^Cannot load trust policy "trust\.json": /,
 * });
 * ```
 */
export interface TrustSources {
  /** `trust.json`: its bytes or text, or a parsed document. */
  trustPolicy?: Uint8Array | string | TrustPolicyDocument | undefined;
  /** Name of the trust policy input (the file name), for messages. */
  trustPolicyName?: string | undefined;
  /**
   * Extra trusted keys (each CLI `--key` is one): PEM SubjectPublicKeyInfo plus the options of a
   * `trust.json` key entry (the CLI passes `{ name: path, signatureEncoding: "any" }`).
   */
  keys?: readonly { pem: string; options?: TrustedKeyOptions | undefined }[] | undefined;
  /** Sigstore `trusted_root.json` bytes or text. */
  trustedRoot?: Uint8Array | string | undefined;
  /** Name of the trusted root input, for messages. */
  trustedRootName?: string | undefined;
  /** Trusted TSA root certificates: DER bytes, or PEM text holding one or more certificates. */
  tsaRoots?: readonly (Uint8Array | string)[] | undefined;
  /** Name of the TSA roots input, for messages. */
  tsaRootsName?: string | undefined;
}

/**
 * Builds the one {@link TrustMaterial} from the operator's trust files: reads `trust.json`
 * strictly, imports every key once to check it (naming the entry or file that fails), reads the
 * trusted root and the TSA roots, and computes the digest.
 *
 * @param sources The trust files; every field is optional (no field: trust nothing).
 * @returns The trust material.
 * @throws {ParseError} When a key, trusted root or certificate is malformed (the message names
 *   the input: `Cannot import key "key.pub": …`, `Cannot load trusted root "root.json": …`).
 * @throws {ValidationError} When `trust.json` is well-formed JSON but invalid (every problem).
 * @throws {TypeError} When a key's pinned algorithm does not fit the key.
 *
 * @example Usage
 * ```ts
 * import { loadTrustMaterial } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
 * const a = loadTrustMaterial({ keys: [{ pem, options: { name: "key.pub" } }] });
 * const b = loadTrustMaterial({ trustPolicy: { keys: [{ publicKey: pem, name: "key.pub" }] } });
 * assert.equal(a.digest, b.digest); // the same trust, whichever file it came from
 * assert.throws(() => loadTrustMaterial({ keys: [{ pem: "nope", options: { name: "k.pem" } }] }), {
 *   name: "ParseError",
 *   message: /^Cannot decode PEM "k\.pem": /,
 * });
 * ```
 */
export function loadTrustMaterial(sources: TrustSources = {}): TrustMaterial {
  const doc = sources.trustPolicy === undefined ? undefined : readPolicy(sources);
  const keys: TrustPolicyKeyEntry[] = [];
  const compiled: TrustedKey[] = [];
  for (const [i, entry] of (doc?.keys ?? []).entries()) {
    const clean = cleanEntry(entry);
    keys.push(clean);
    try {
      compiled.push(importEntry(clean, `/keys/${i}`));
    } catch (error) {
      throw withSource(error, "trust policy", sources.trustPolicyName);
    }
  }
  for (const { pem, options = {} } of sources.keys ?? []) {
    const clean = cleanEntry({ ...options, publicKey: pem });
    keys.push(clean);
    compiled.push(trustedKeyFromPem(pem, options));
  }
  const body: Omit<TrustMaterial, "digest"> = { keys };
  if (doc?.threshold !== undefined) body.threshold = doc.threshold;
  if (doc?.allowedPredicateTypes !== undefined) {
    body.allowedPredicateTypes = [...doc.allowedPredicateTypes];
  }
  if (doc?.requiredClaims !== undefined) {
    body.requiredClaims = structuredClone(doc.requiredClaims);
  }
  const tsaRoots: Uint8Array[] = [];
  try {
    (doc?.tsaRoots ?? []).forEach((pem, i) =>
      tsaRoots.push(...certificates(pem, `/tsaRoots/${i}`))
    );
  } catch (error) {
    throw withSource(error, "trust policy", sources.trustPolicyName);
  }
  for (const root of sources.tsaRoots ?? []) {
    tsaRoots.push(...certificates(root, sources.tsaRootsName));
  }
  if (doc?.tsaRoots !== undefined || sources.tsaRoots !== undefined) {
    body.tsaRoots = tsaRoots.map((der) => encodeBase64(der));
  }
  if (doc?.transparencyLogs !== undefined) {
    body.transparencyLogs = doc.transparencyLogs.map((log) =>
      log.origin === undefined
        ? { publicKey: log.publicKey }
        : { publicKey: log.publicKey, origin: log.origin }
    );
  }
  if (sources.trustedRoot !== undefined) {
    const name = sources.trustedRootName;
    try {
      body.trustedRoot = parseJson(sources.trustedRoot);
    } catch (error) {
      throw withSource(error, "trusted root", name);
    }
  }
  const material: TrustMaterial = { ...body, digest: digestOf(body) };
  const tsa = material.tsaRoots === undefined ? undefined : tsaRoots;
  COMPILED.set(material, freeze({ material, keys: compiled, tsaRoots: tsa }));
  return material;
}

/**
 * Trust material compiled for verification (internal to `lib/verify`; kits build one from
 * their keys): imported keys with their verifiers, parsed TSA roots and trusted root.
 */
export interface CompiledTrust {
  /** The keys, ready to verify. */
  readonly keys: readonly TrustedKey[];
  /** The keys as written (PEM and entry options), in the same order. */
  readonly keyEntries: readonly TrustPolicyKeyEntry[];
  /** Distinct keys that must sign (unset: 1). */
  readonly threshold: number | undefined;
  /** Allowed predicate types, when the trust constrains them. */
  readonly allowedPredicateTypes: readonly string[] | undefined;
  /** Required claims, when the trust requires some. */
  readonly requiredClaims: readonly RequiredClaim[] | undefined;
  /** TSA roots (DER), or undefined when none were given. */
  readonly tsaRoots: readonly Uint8Array[] | undefined;
  /**
   * The Sigstore trusted root's JSON, when given (read by `verifyBundle`, which loads the X.509
   * code only when a bundle is verified).
   */
  readonly trustedRoot: JsonValue | undefined;
  /** The digest of the material. */
  readonly digest: string;
}

const COMPILED = new WeakMap<object, CompiledTrust>();

function freeze(parts: {
  material: TrustMaterial;
  keys: TrustedKey[];
  tsaRoots: Uint8Array[] | undefined;
}): CompiledTrust {
  const { material } = parts;
  return {
    keys: parts.keys,
    keyEntries: material.keys,
    threshold: material.threshold,
    allowedPredicateTypes: material.allowedPredicateTypes,
    requiredClaims: material.requiredClaims,
    tsaRoots: parts.tsaRoots,
    trustedRoot: material.trustedRoot,
    digest: material.digest,
  };
}

/**
 * Compiles trust material into its fast form, once per material object (internal: every verifier
 * calls it; material that crossed a worker or a service boundary is compiled there once).
 *
 * @param material Trust material from {@link loadTrustMaterial} (or a copy of one).
 * @returns The compiled trust.
 * @throws {TypeError} When `material` is not trust material or its digest does not match it.
 */
export function compileTrust(material: TrustMaterial): CompiledTrust {
  if (typeof material !== "object" || material === null || !Array.isArray(material.keys)) {
    throw new TypeError("Pass trust material from loadTrustMaterial() as `trust`");
  }
  const cached = COMPILED.get(material);
  if (cached !== undefined) return cached;
  const { digest, ...body } = material;
  if (digestOf(body) !== digest) {
    throw new TypeError(
      "Pass trust material as loadTrustMaterial() made it: its digest does not match its content",
    );
  }
  const problems = validateTrustPolicy({
    keys: material.keys,
    ...(material.threshold === undefined ? {} : { threshold: material.threshold }),
  });
  if (problems.length > 0) throw new ValidationError("Invalid trust material", problems);
  const keys = material.keys.map((entry, i) => importEntry(entry, `/keys/${i}`));
  const tsaRoots = material.tsaRoots?.map((b64) => decodeBase64(b64));
  const compiled = freeze({ material, keys, tsaRoots });
  COMPILED.set(material, compiled);
  return compiled;
}

/**
 * Compiled trust made directly from keys that are already imported (internal: `lib/kit`
 * verifies its manifest and provenance with the caller's {@link TrustedKey}s).
 *
 * @param keys Trusted keys with their verifiers.
 * @returns Compiled trust with these keys and no other rule.
 */
export function trustOfKeys(keys: readonly TrustedKey[]): CompiledTrust {
  return {
    keys,
    keyEntries: [],
    threshold: undefined,
    allowedPredicateTypes: undefined,
    requiredClaims: undefined,
    tsaRoots: undefined,
    trustedRoot: undefined,
    digest: "",
  };
}

function readPolicy(sources: TrustSources): TrustPolicyDocument {
  const input = sources.trustPolicy!;
  const name = sources.trustPolicyName;
  try {
    // Unnamed here: withSource names the file once, before what is wrong with it.
    if (typeof input === "string" || input instanceof Uint8Array) return parseTrustPolicy(input);
    const problems = validateTrustPolicy(input);
    if (problems.length > 0) throw new ValidationError("Invalid trust policy", problems);
    return input;
  } catch (error) {
    throw withSource(error, "trust policy", name);
  }
}

/** A key entry without unset fields (so that the digest does not depend on `undefined`s). */
function cleanEntry(entry: TrustPolicyKeyEntry): TrustPolicyKeyEntry {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(entry).sort()) {
    const value = (entry as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = Array.isArray(value) ? [...value] : value;
  }
  return out as unknown as TrustPolicyKeyEntry;
}

function importEntry(entry: TrustPolicyKeyEntry, path: string): TrustedKey {
  const { publicKey, ...options } = entry;
  const name = options.name === undefined ? path : `${path} (${options.name})`;
  return trustedKeyFromPem(publicKey, { ...options, name });
}

function certificates(input: Uint8Array | string, name: string | undefined): Uint8Array[] {
  if (input instanceof Uint8Array) return [input];
  const blocks = decodePemAll(input, { label: "CERTIFICATE", name });
  if (blocks.length === 0) {
    throw new ParseError(
      "PEM_NOT_FOUND",
      `Cannot read TSA roots${name === undefined ? "" : ` "${name}"`}: no CERTIFICATE block`,
    );
  }
  return blocks.map((b) => b.bytes);
}

function digestOf(body: Omit<TrustMaterial, "digest">): string {
  return `sha256:${encodeHex(sha256(encodeUtf8(canonicalize(body))))}`;
}

/** Rethrows a load error with the input it came from named first. */
function withSource(error: unknown, what: string, name: string | undefined): unknown {
  if (error instanceof SyntaxError || error instanceof TypeError) {
    error.message = `Cannot load ${what}${
      name === undefined ? "" : ` "${name}"`
    }: ${error.message}`;
  }
  return error;
}
