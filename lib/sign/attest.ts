/**
 * Attestation builders that sign: from documents and metadata to a signed DSSE envelope over an
 * in-toto Statement v1 (in-toto attestation `spec/v1/statement.md`, DSSE `protocol.md`).
 *
 * - {@link attestPromotion}: digests the SBOM and VEX documents itself (streaming SHA-256, constant
 *   memory), builds the `stella.ops/promotion@v1` statement (`buildPromotionStatement`) and signs
 *   it.
 * - {@link attestProvenance}: digests subject files, builds a SLSA Provenance v1 statement
 *   (`buildProvenance`, `https://slsa.dev/provenance/v1`) and signs it.
 *
 * Signing: the statement is serialized as RFC 8785 canonical JSON; those exact bytes are parsed
 * back and their `predicateType` must be exactly the builder's (so what is signed is what was
 * checked), then `signEnvelope` has every signer sign the PAE bytes, in order. Signers may be
 * wrappers (`PolicySigner`, `AuditedSigner`): a refusal rejects the whole call and no envelope is
 * returned. With deterministic signers (Ed25519; ECDSA per RFC 6979) the same inputs give a
 * byte-identical envelope.
 *
 * Option names are the CLI flags in camelCase (`stella attest promotion --promoted-at` ⇔
 * `promotedAt`); a repeatable flag is an array named like the flag (`--approver` ⇔ `approver`).
 * Nothing here reads files, the clock or the environment: documents come in as bytes or streams.
 *
 * @module
 */

import { canonicalBytes } from "../encoding/canonical_json.ts";
import type { Problem } from "../encoding/errors.ts";
import { sortProblems, ValidationError } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { digestStream, sha256 } from "../digest/digest.ts";
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE } from "../model/dsse.ts";
import { buildPromotionStatement } from "../model/build_promotion.ts";
import {
  type MaterialRole,
  type PolicyDecision,
  type PolicyDecisionValue,
  PROMOTION_PREDICATE_TYPE,
  type PromotionApproval,
  type PromotionPredicate,
} from "../model/promotion.ts";
import type { RekorProof } from "../model/rekor_proof.ts";
import { buildProvenance } from "../model/build_provenance.ts";
import { type ProvenancePredicate, SLSA_PROVENANCE_V1 } from "../model/slsa_provenance.ts";
import type { ResourceDescriptor, Statement } from "../model/statement.ts";
import { signEnvelope } from "./envelope.ts";
import type { Signer } from "../crypto/signer.ts";

/**
 * A document to digest: its name as recorded (a file name, not a local path), an optional media
 * type and its content as bytes or a byte stream (read to the end, in constant memory).
 *
 * @example Usage
 * ```ts
 * import {
 *   type AttestDocument,
 *   attestPromotion,
 *   createSigner,
 *   generateKeyPair,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder();
 * const sbom: AttestDocument = { name: "sbom.spdx.json", content: text.encode("{}") };
 * const vex: AttestDocument = {
 *   name: "vex.json",
 *   mediaType: "application/csaf+json",
 *   content: ReadableStream.from([text.encode("{"), text.encode("}")]),
 * };
 * const { statement } = await attestPromotion({
 *   image: `registry.example/app@sha256:${"ab".repeat(32)}`,
 *   sbom: [sbom],
 *   vex: [vex],
 *   from: "staging",
 *   to: "production",
 *   approver: ["alice"],
 *   promotedAt: "2025-01-31T13:05:00Z",
 * }, [createSigner(await generateKeyPair("ed25519"))]);
 * const sha256OfBraces = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
 * assert.deepEqual(statement.predicate.materials, [
 *   {
 *     name: "sbom.spdx.json",
 *     digest: { sha256: sha256OfBraces },
 *     mediaType: "application/spdx+json",
 *     annotations: { role: "sbom" },
 *   },
 *   {
 *     name: "vex.json",
 *     digest: { sha256: sha256OfBraces },
 *     mediaType: "application/csaf+json",
 *     annotations: { role: "vex" },
 *   },
 * ]);
 * ```
 */
export interface AttestDocument {
  /** Name recorded in the statement, e.g. `sbom.cdx.json`. */
  name: string;
  /** Media type; default from the role and the name (see {@link attestPromotion}). */
  mediaType?: string | undefined;
  /** The exact bytes, or a stream of them. */
  content: ReadableStream<Uint8Array> | Uint8Array;
}

/**
 * A signed attestation: the statement that was signed and its DSSE envelope.
 *
 * @example Usage
 * ```ts
 * import {
 *   type Attestation,
 *   attestProvenance,
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   loadTrustMaterial,
 *   parseStatement,
 *   type ProvenancePredicate,
 *   serializeEnvelope,
 *   verifyEnvelope,
 * } from "@stellaops/provenance";
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const attestation: Attestation<ProvenancePredicate> = await attestProvenance({
 *   subject: [`app.tar=sha256:${"ab".repeat(32)}`],
 *   buildType: "https://example.com/build-types/make/v1",
 *   builderId: "https://example.com/builders/ci@v1",
 *   externalParameters: { target: "release" },
 * }, [createSigner(key)]);
 * assert.equal(attestation.envelope.payloadType, "application/vnd.in-toto+json");
 * assert.deepEqual(parseStatement(decodeBase64(attestation.envelope.payload)), attestation.statement);
 * const trust = loadTrustMaterial({ keys: [{ pem: exportPublicKeyPem(key) }] });
 * const report = await verifyEnvelope(serializeEnvelope(attestation.envelope), trust, {
 *   now: Date.UTC(2026, 0, 1),
 * });
 * assert.equal(report.verified, true);
 * ```
 */
export interface Attestation<P> {
  /** The statement, as built (its canonical JSON is the envelope's payload). */
  statement: Statement<P>;
  /** The signed envelope (payloadType `application/vnd.in-toto+json`). */
  envelope: DsseEnvelope;
}

/**
 * Inputs of {@link attestPromotion}: the options of `stella attest promotion`, by flag name.
 *
 * @example Usage
 * ```ts
 * import {
 *   attestPromotion,
 *   type AttestPromotionOptions,
 *   createSigner,
 *   generateKeyPair,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signers = [createSigner(await generateKeyPair("ed25519"))];
 * const options: AttestPromotionOptions = {
 *   image: `registry.example/app@sha256:${"ab".repeat(32)}`,
 *   sbom: [{ name: "sbom.cdx.json", content: new Uint8Array() }],
 *   vex: [{ name: "vex.openvex.json", content: new Uint8Array() }],
 *   from: "staging",
 *   to: "production",
 *   approver: ["alice"],
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   ticket: "CHG-1234",
 * };
 * const { statement } = await attestPromotion(options, signers);
 * assert.deepEqual(statement.predicate.promotion, {
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: [{ approver: "alice" }],
 *   ticket: "CHG-1234",
 * });
 * await assert.rejects(attestPromotion({ ...options, approver: [] }, signers), {
 *   name: "ValidationError",
 *   message: "Cannot attest promotion: /predicate/promotion/approvals: Add at least one approval",
 * });
 * ```
 */
export interface AttestPromotionOptions {
  /** `--image`: the image as `NAME[:TAG]@sha256:HEX`. */
  image: string;
  /** `--sbom`: SBOM documents (at least one). */
  sbom: readonly AttestDocument[];
  /** `--vex`: VEX documents (at least one). */
  vex: readonly AttestDocument[];
  /** `--from`: environment the image leaves. */
  from: string;
  /** `--to`: environment the image enters. */
  to: string;
  /** `--approver`: approver ids (or approvals with their time); at least one. */
  approver: readonly (string | PromotionApproval)[];
  /** `--promoted-at`: RFC 3339 UTC time of the promotion (an input: no clock is read). */
  promotedAt: string;
  /** `--promoted-by`: who promoted the image. */
  promotedBy?: string | undefined;
  /** `--ticket`: change ticket or request id. */
  ticket?: string | undefined;
  /** `--policy-decision`: the gating policy's outcome, or the whole decision. */
  policyDecision?: PolicyDecision | PolicyDecisionValue | undefined;
  /** `--rekor-proof`: a Rekor proof to embed (see `parseRekorProof`). */
  rekorProof?: RekorProof | undefined;
}

/**
 * Inputs of {@link attestProvenance}: the options of `stella attest provenance`, by flag name.
 *
 * @example Usage
 * ```ts
 * import {
 *   attestProvenance,
 *   type AttestProvenanceOptions,
 *   createSigner,
 *   generateKeyPair,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signers = [createSigner(await generateKeyPair("ed25519"))];
 * const options: AttestProvenanceOptions = {
 *   subject: [`app.tar=sha256:${"ab".repeat(32)}`],
 *   buildType: "https://example.com/build-types/make/v1",
 *   builderId: "https://example.com/builders/ci@v1",
 *   externalParameters: { target: "release" },
 * };
 * const { statement } = await attestProvenance(options, signers);
 * assert.deepEqual(statement.subject, [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }]);
 * assert.deepEqual(statement.predicate.buildDefinition, {
 *   buildType: "https://example.com/build-types/make/v1",
 *   externalParameters: { target: "release" },
 * });
 * await assert.rejects(attestProvenance({ ...options, subject: ["app.tar=sha256"] }, signers), {
 *   name: "ValidationError",
 *   message: 'Cannot attest provenance: /subject/0: Write "app.tar=sha256" as NAME=ALG:HEX, ' +
 *     "e.g. app.tar=sha256:<64 hex>",
 * });
 * ```
 */
export interface AttestProvenanceOptions {
  /** `--subject`: subjects as `NAME=ALG:HEX` (e.g. `app.tar=sha256:…`) or descriptors. */
  subject?: readonly (string | ResourceDescriptor)[] | undefined;
  /** `--subject-file`: files to digest (SHA-256) as subjects, after `subject`. */
  subjectFile?: readonly AttestDocument[] | undefined;
  /** `--build-type`: TypeURI of the build template. */
  buildType: string;
  /** `--builder-id`: TypeURI of the build platform. */
  builderId: string;
  /** `--builder-version`: versions of the platform's components (component → version). */
  builderVersion?: Readonly<Record<string, string>> | undefined;
  /** `--external-parameters`: parameters under external control (a non-empty object). */
  externalParameters: JsonObject;
  /** `--internal-parameters`: parameters under the builder's control. */
  internalParameters?: JsonObject | undefined;
  /** `--resolved-dependency`: dependencies as `URI` or `URI=ALG:HEX`, or descriptors. */
  resolvedDependency?: readonly (string | ResourceDescriptor)[] | undefined;
  /** `--invocation-id`: identifies this build invocation. */
  invocationId?: string | undefined;
  /** `--started-on`: RFC 3339 UTC time the build started. */
  startedOn?: string | undefined;
  /** `--finished-on`: RFC 3339 UTC time the build finished. */
  finishedOn?: string | undefined;
  /** Byproducts (logs, …) as descriptors (library only). */
  byproducts?: readonly ResourceDescriptor[] | undefined;
}

const DESCRIPTOR_ARG_RE = /^(?<id>.+)=(?<alg>[A-Za-z][A-Za-z0-9_]*):(?<value>[^:=]+)$/s;

/**
 * Builds, checks and signs a `stella.ops/promotion@v1` attestation.
 *
 * Each SBOM and VEX document is digested (SHA-256, streaming) and recorded as a material
 * `{ name, digest: { sha256 }, mediaType, annotations: { role } }`, SBOMs first, in the given
 * order. Default media types: an SBOM named `*.spdx.json` is `application/spdx+json`, any other
 * SBOM `application/vnd.cyclonedx+json`; a VEX document named `*.cdx.json` or `*.cyclonedx.json`
 * is `application/vnd.cyclonedx+json` (CycloneDX VEX), any other `application/openvex+json`.
 *
 * @param options Image, documents and promotion metadata (the CLI flags).
 * @param signers Signers, in the order their signatures appear (any {@link Signer}, including
 *   policy and audit wrappers).
 * @returns The statement and its envelope.
 * @throws {ValidationError} Naming every invalid input (paths into the statement, e.g.
 *   `/predicate/image`), or from a `PolicySigner` naming every unmet claim.
 * @throws {TypeError} When an option or signer has the wrong shape.
 * @throws {RangeError} When `signers` is empty.
 *
 * @example Usage
 * ```ts
 * import { attestPromotion, createSigner, generateKeyPair } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signer = createSigner(await generateKeyPair("ed25519"));
 * const text = new TextEncoder();
 * const { statement, envelope } = await attestPromotion({
 *   image: `registry.example/app:2.3.0@sha256:${"ab".repeat(32)}`,
 *   sbom: [{ name: "sbom.cdx.json", content: text.encode('{"bomFormat":"CycloneDX"}') }],
 *   vex: [{ name: "vex.openvex.json", content: ReadableStream.from([text.encode("{}")]) }],
 *   from: "staging",
 *   to: "production",
 *   approver: ["alice@example.com"],
 *   promotedAt: "2025-01-31T13:05:00Z",
 * }, [signer]);
 * assert.equal(statement.predicateType, "stella.ops/promotion@v1");
 * assert.equal(statement.predicate.materials[1]?.digest.sha256,
 *   "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
 * assert.equal(envelope.signatures[0]?.keyid, signer.keyid);
 * ```
 */
export async function attestPromotion(
  options: AttestPromotionOptions,
  signers: readonly Signer[],
): Promise<Attestation<PromotionPredicate>> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass attestPromotion options as an object");
  }
  checkSigners(signers);
  const materials: ResourceDescriptor[] = [];
  for (const role of ["sbom", "vex"] as const) {
    const documents = options[role];
    if (documents === undefined) continue;
    if (!Array.isArray(documents)) throw new TypeError(`Pass options.${role} as an array`);
    for (const document of documents as readonly AttestDocument[]) {
      materials.push(await materialOf(document, role, `options.${role}`));
    }
  }
  let statement: Statement<PromotionPredicate>;
  try {
    statement = buildPromotionStatement({
      image: options.image,
      materials,
      from: options.from,
      to: options.to,
      promotedAt: options.promotedAt,
      promotedBy: options.promotedBy,
      approvals: options.approver ?? [],
      policyDecision: options.policyDecision,
      ticket: options.ticket,
      rekor: options.rekorProof,
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError("Cannot attest promotion", error.problems);
  }
  const envelope = await signStatement(statement, PROMOTION_PREDICATE_TYPE, signers);
  return { statement, envelope };
}

/**
 * Builds, checks and signs a SLSA Provenance v1 attestation.
 *
 * Subjects are the `subject` entries (strings `NAME=ALG:HEX` are parsed; ALG is any DigestSet
 * algorithm, but every subject needs a `sha256`) followed by one subject per `subjectFile`
 * (name as given, SHA-256 of the content). `resolvedDependency` strings are `URI` or
 * `URI=ALG:HEX` (e.g. `git+https://…@refs/tags/v1=gitCommit:<hex>`).
 *
 * @param options Subjects, build definition and run details (the CLI flags).
 * @param signers Signers, in the order their signatures appear.
 * @returns The statement and its envelope.
 * @throws {ValidationError} Naming every invalid input (a malformed `NAME=ALG:HEX` at
 *   `/subject/i` with `SUBJECT_ARGUMENT_INVALID`, and every problem `buildProvenance` names), or
 *   from a `PolicySigner` naming every unmet claim.
 * @throws {TypeError} When an option or signer has the wrong shape.
 * @throws {RangeError} When `signers` is empty.
 *
 * @example Usage
 * ```ts
 * import { attestProvenance, createSigner, generateKeyPair } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const signer = createSigner(await generateKeyPair("ecdsa-p256"));
 * const { statement, envelope } = await attestProvenance({
 *   subject: [`app.tar=sha256:${"ab".repeat(32)}`],
 *   subjectFile: [{ name: "app.sbom.json", content: new TextEncoder().encode("{}") }],
 *   buildType: "https://example.com/build-types/make/v1",
 *   builderId: "https://example.com/builders/ci@v1",
 *   externalParameters: { target: "release" },
 *   resolvedDependency: ["git+https://git.example/app@refs/tags/v1=gitCommit:" + "cd".repeat(20)],
 * }, [signer]);
 * assert.deepEqual(statement.subject.map((s) => s.name), ["app.tar", "app.sbom.json"]);
 * assert.equal(statement.predicate.buildDefinition.resolvedDependencies?.[0]?.digest?.gitCommit, "cd".repeat(20));
 * assert.equal(envelope.signatures.length, 1);
 * ```
 */
export async function attestProvenance(
  options: AttestProvenanceOptions,
  signers: readonly Signer[],
): Promise<Attestation<ProvenancePredicate>> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass attestProvenance options as an object");
  }
  checkSigners(signers);
  const problems: Problem[] = [];
  const subjects: ResourceDescriptor[] = [];
  for (const [i, entry] of arrayOption(options.subject, "subject").entries()) {
    subjects.push(
      descriptorOf(entry, "name", `/subject/${i}`, "SUBJECT_ARGUMENT_INVALID", problems),
    );
  }
  for (const document of arrayOption(options.subjectFile, "subjectFile")) {
    const { name, digest } = await materialOf(document, undefined, "options.subjectFile");
    subjects.push({ name: name!, digest: digest! });
  }
  const dependencies = options.resolvedDependency === undefined
    ? undefined
    : arrayOption(options.resolvedDependency, "resolvedDependency").map((entry, i) =>
      descriptorOf(
        entry,
        "uri",
        `/predicate/buildDefinition/resolvedDependencies/${i}`,
        "DEPENDENCY_ARGUMENT_INVALID",
        problems,
      )
    );
  let statement: Statement<ProvenancePredicate> | undefined;
  try {
    statement = buildProvenance({
      subjects,
      buildType: options.buildType,
      builder: options.builderVersion === undefined
        ? { id: options.builderId }
        : { id: options.builderId, version: { ...options.builderVersion } },
      externalParameters: options.externalParameters,
      internalParameters: options.internalParameters,
      resolvedDependencies: dependencies,
      invocationId: options.invocationId,
      startedOn: options.startedOn,
      finishedOn: options.finishedOn,
      byproducts: options.byproducts === undefined ? undefined : [...options.byproducts],
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // A malformed argument already explains the problems of the descriptor built from it.
    const named = problems.map((p) => p.path);
    problems.push(
      ...error.problems.filter((p) =>
        !named.some((n) => p.path === n || p.path.startsWith(`${n}/`))
      ),
    );
  }
  if (problems.length > 0 || statement === undefined) {
    throw new ValidationError("Cannot attest provenance", sortProblems(problems));
  }
  const envelope = await signStatement(statement, SLSA_PROVENANCE_V1, signers);
  return { statement, envelope };
}

/**
 * Serializes the statement canonically, re-reads those exact bytes, enforces the predicate type
 * and signs them as an in-toto payload.
 */
async function signStatement(
  statement: Statement<unknown>,
  predicateType: string,
  signers: readonly Signer[],
): Promise<DsseEnvelope> {
  const payload = canonicalBytes(statement);
  const signed = parseJson(payload);
  const actual = isObject(signed) ? signed["predicateType"] : undefined;
  if (actual !== predicateType) {
    throw new ValidationError("Cannot sign statement", [{
      path: "/predicateType",
      code: "PREDICATE_TYPE_MISMATCH",
      message: `Set predicateType to "${predicateType}": got ${JSON.stringify(actual)}`,
    }]);
  }
  return await signEnvelope({ payloadType: INTOTO_PAYLOAD_TYPE, payload }, signers);
}

function checkSigners(signers: readonly Signer[]): void {
  if (!Array.isArray(signers)) throw new TypeError("Pass signers as an array");
  if (signers.length === 0) throw new RangeError("Pass at least one signer");
}

function arrayOption<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`Pass options.${field} as an array`);
  return value;
}

/** Digests a document and describes it (role annotation and media type only with a role). */
async function materialOf(
  document: AttestDocument,
  role: MaterialRole | undefined,
  field: string,
): Promise<ResourceDescriptor> {
  if (typeof document !== "object" || document === null || typeof document.name !== "string") {
    throw new TypeError(`Pass each of ${field} as { name, content }`);
  }
  const content = document.content;
  let hash: Uint8Array;
  if (content instanceof Uint8Array) hash = sha256(content);
  else if (content instanceof ReadableStream) hash = await digestStream("sha256", content);
  else throw new TypeError(`Pass ${field} "${document.name}" content as bytes or a byte stream`);
  const descriptor: ResourceDescriptor = {
    name: document.name,
    digest: { sha256: hash.toHex() },
  };
  if (role !== undefined) {
    descriptor.mediaType = document.mediaType ?? defaultMediaType(role, document.name);
    descriptor.annotations = { role };
  }
  return descriptor;
}

function defaultMediaType(role: MaterialRole, name: string): string {
  const lower = name.toLowerCase();
  if (role === "sbom") {
    return lower.endsWith(".spdx.json")
      ? "application/spdx+json"
      : "application/vnd.cyclonedx+json";
  }
  return lower.endsWith(".cdx.json") || lower.endsWith(".cyclonedx.json")
    ? "application/vnd.cyclonedx+json"
    : "application/openvex+json";
}

/**
 * Turns a `NAME=ALG:HEX` / `URI[=ALG:HEX]` argument into a descriptor; descriptors pass through.
 * A malformed argument adds a problem and yields a placeholder.
 */
function descriptorOf(
  entry: string | ResourceDescriptor,
  key: "name" | "uri",
  path: string,
  code: string,
  problems: Problem[],
): ResourceDescriptor {
  if (typeof entry !== "string") return entry;
  const match = DESCRIPTOR_ARG_RE.exec(entry);
  if (match !== null) {
    const { id, alg, value } = match.groups!;
    return { [key]: id!, digest: { [alg!]: value! } };
  }
  // A URI may itself contain "=" (query strings): without a trailing =ALG:HEX it is all URI.
  if (key === "uri" && entry !== "") return { uri: entry };
  problems.push({
    path,
    code,
    message: `Write ${JSON.stringify(entry.slice(0, 200))} as ${
      key === "name" ? "NAME=ALG:HEX, e.g. app.tar=sha256:<64 hex>" : "URI or URI=ALG:HEX"
    }`,
  });
  return { [key]: entry };
}
