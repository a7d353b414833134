/**
 * `stella attest promotion`: builds and signs a `stella.ops/promotion@v1` attestation for an
 * image. Adapter over {@link attestPromotion}; flags are its option names
 * (`--promoted-at` ⇔ `promotedAt`, repeatable `--approver` ⇔ `approver`).
 *
 * Decisions:
 * - `--promoted-at` defaults to `SOURCE_DATE_EPOCH` (seconds) when set, else the clock to the
 *   second; any offset is normalized to UTC. Same inputs, key and time ⇒ byte-identical envelope.
 * - SBOM and VEX files are recorded by base name, never by path, with the media type detected
 *   from their content (`cli/_documents.ts`: CycloneDX, SPDX 2.x/3, OpenVEX, CSAF VEX); a file
 *   that is none of these is refused (exit 2) unless `--sbom-media-type` / `--vex-media-type`
 *   names the type, in which case the files are streamed (constant memory) without parsing.
 * - Missing required flags are usage errors (exit 2); invalid values (image reference, times,
 *   approvers, Rekor proof) and policy refusals are rejections (exit 1) naming every problem.
 *
 * @module
 */

import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { POLICY_DECISIONS, type PolicyDecisionValue } from "../lib/model/promotion.ts";
import { parseRekorProof, type RekorProof } from "../lib/model/rekor_proof.ts";
import { type Attestation, attestPromotion } from "../lib/sign/attest.ts";
import type { PromotionPredicate } from "../lib/model/promotion.ts";
import { HELP_FLAG, parseStrict } from "./_args.ts";
import {
  buildSigner,
  eventTime,
  reject,
  SIGNING_FLAGS,
  SIGNING_HELP,
  writeEnvelope,
} from "./_attest.ts";
import { loadDocuments } from "./_documents.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  image: { type: "string" },
  sbom: { type: "string", multiple: true },
  vex: { type: "string", multiple: true },
  "sbom-media-type": { type: "string" },
  "vex-media-type": { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  approver: { type: "string", multiple: true },
  "promoted-by": { type: "string" },
  "promoted-at": { type: "string" },
  ticket: { type: "string" },
  "policy-decision": { type: "string" },
  "rekor-proof": { type: "string" },
  ...SIGNING_FLAGS,
} as const;

/** `stella attest promotion --image NAME@sha256:HEX --sbom F --vex F --from E --to E ...`. */
export const attestPromotionCommand: Command = {
  path: ["attest", "promotion"],
  summary: "Build and sign a stella.ops/promotion@v1 attestation for an image",
  flags: FLAGS,
  help: `Usage: stella attest promotion --image NAME[:TAG]@sha256:HEX --sbom FILE... --vex FILE...
       --from ENV --to ENV --approver ID... --key KEY [--promoted-by ID] [--promoted-at RFC3339]
       [--ticket T] [--policy-decision ${POLICY_DECISIONS.join("|")}] [--rekor-proof FILE]
       [--sbom-media-type T] [--vex-media-type T] [--policy P] [--audit-log L] [--out FILE]

Checks the SBOM and VEX files and records each by base name, SHA-256 digest and the media type
detected from its content, builds the in-toto Statement
(predicateType stella.ops/promotion@v1, subject the image) and signs its RFC 8785 canonical
JSON as a DSSE envelope, printed as canonical JSON plus one newline. Ed25519 and ECDSA
(RFC 6979) signatures are deterministic: the same inputs, key and --promoted-at give a
byte-identical envelope.

Flags:
  --image REF          The promoted image, pinned by digest: NAME[:TAG]@sha256:<64 hex>
  --sbom FILE          SBOM document: CycloneDX JSON (application/vnd.cyclonedx+json) or SPDX
                       2.x/3 JSON (application/spdx+json); repeatable, at least one
  --vex FILE           VEX document: OpenVEX (application/openvex+json), CSAF VEX
                       (application/csaf+json) or CycloneDX VEX; repeatable, at least one
  --sbom-media-type T  Record every --sbom file with media type T without checking its content
                       (for other SBOM formats); the files are then streamed
  --vex-media-type T   The same for --vex files
  --from ENV           Environment the image leaves, e.g. staging
  --to ENV             Environment the image enters, e.g. production
  --approver ID        Who approved; repeatable, at least one, each once
  --promoted-by ID     Who (or what automation) promoted the image
  --promoted-at T      Time of the promotion (default $SOURCE_DATE_EPOCH when set, else the
                       clock); normalized to UTC
  --ticket T           Change ticket or request id
  --policy-decision D  Outcome of the gating policy: ${POLICY_DECISIONS.join(", ")}
  --rekor-proof FILE   Rekor proof to embed: {logId, logIndex, integratedTime, inclusionProof,
                       signedEntryTimestamp}, a Rekor API log entry or a Sigstore bundle tlog entry
${SIGNING_HELP}

Exit status: 0 signed; 1 an input was rejected (invalid image reference, time, approver or
Rekor proof, or a policy claim is missing or mismatched; every problem is named); 2 could not
run (missing flag or file; an SBOM or VEX file that is empty, not JSON, not a recognised format
or of the other role, without --sbom-media-type / --vex-media-type; unusable key or policy;
audit record not written).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    if (positionals.length > 0) throw new CliError(`Unexpected argument "${positionals[0]}"`);
    const image = required(values.image, "--image NAME@sha256:HEX: the image to attest");
    const from = required(values.from, "--from ENV: the environment the image leaves");
    const to = required(values.to, "--to ENV: the environment the image enters");
    const sbom = values.sbom ?? [];
    const vex = values.vex ?? [];
    const approver = values.approver ?? [];
    if (sbom.length === 0) throw new CliError("Missing --sbom FILE: the image's SBOM");
    if (vex.length === 0) throw new CliError("Missing --vex FILE: the image's VEX document");
    if (approver.length === 0) throw new CliError("Missing --approver ID: who approved");
    const decision = values["policy-decision"];
    if (decision !== undefined && !(POLICY_DECISIONS as readonly string[]).includes(decision)) {
      throw new CliError(
        `Unknown --policy-decision "${decision}": use one of ${POLICY_DECISIONS.join(", ")}`,
      );
    }
    const promotedAt = eventTime(io, "--promoted-at", values["promoted-at"]);
    await refuseOverwritingInput(io, "--out", values.out, [
      ...sbom,
      ...vex,
      values.key,
      values.policy,
      values["audit-log"],
      values["rekor-proof"],
    ]);
    const sbomDocuments = await loadDocuments(io, sbom, "sbom", values["sbom-media-type"]);
    const vexDocuments = await loadDocuments(io, vex, "vex", values["vex-media-type"]);
    const { signer, policy } = await buildSigner(io, values);
    const rekorPath = values["rekor-proof"];
    const rekorBytes = rekorPath === undefined ? undefined : await io.readFile(rekorPath);

    let attestation: Attestation<PromotionPredicate>;
    try {
      let rekorProof: RekorProof | undefined;
      if (rekorBytes !== undefined) rekorProof = parseRekorProof(rekorBytes, { name: rekorPath });
      attestation = await attestPromotion({
        image,
        sbom: sbomDocuments,
        vex: vexDocuments,
        from,
        to,
        approver,
        promotedAt,
        promotedBy: values["promoted-by"],
        ticket: values.ticket,
        policyDecision: decision as PolicyDecisionValue | undefined,
        rekorProof,
      }, [signer]);
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ParseError) {
        const refused = policy !== undefined && error instanceof ValidationError &&
          error.problems.some((p) => p.code === "CLAIM_MISSING" || p.code === "CLAIM_MISMATCH");
        return reject(
          io,
          refused
            ? `Cannot attest promotion of "${image}": policy "${values.policy}" refuses it`
            : `Cannot attest promotion of "${image}": ${
              error instanceof ParseError ? "invalid Rekor proof" : "invalid input"
            }`,
          error,
        );
      }
      throw error;
    }
    await writeEnvelope(io, attestation.envelope, values.out);
    return 0;
  },
};

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new CliError(`Missing ${what}`);
  return value;
}
