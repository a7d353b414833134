/**
 * `stella attest provenance`: builds and signs a SLSA Provenance v1 attestation. Adapter over
 * {@link attestProvenance}; flags are its option names (`--builder-id` ⇔ `builderId`, repeatable
 * `--subject` ⇔ `subject`).
 *
 * Decisions:
 * - Subjects come from `--subject NAME=ALG:HEX` (digest given) and `--subject-file FILE`
 *   (digested here, SHA-256, streamed, recorded by base name); every subject needs a sha256.
 * - `--external-parameters` / `--internal-parameters` are JSON object files (strict JSON).
 * - Times are optional inputs (no clock is read), normalized to UTC.
 * - Missing required flags are usage errors (exit 2); invalid values and policy refusals are
 *   rejections (exit 1) naming every problem.
 *
 * @module
 */

import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import type { JsonObject } from "../lib/encoding/json_value.ts";
import type { ProvenancePredicate } from "../lib/model/slsa_provenance.ts";
import { type Attestation, attestProvenance } from "../lib/sign/attest.ts";
import { HELP_FLAG, parseStrict } from "./_args.ts";
import {
  buildSigner,
  openDocuments,
  readJsonObject,
  reject,
  SIGNING_FLAGS,
  SIGNING_HELP,
  utcTimeFlag,
  writeEnvelope,
} from "./_attest.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  subject: { type: "string", multiple: true },
  "subject-file": { type: "string", multiple: true },
  "build-type": { type: "string" },
  "builder-id": { type: "string" },
  "builder-version": { type: "string", multiple: true },
  "external-parameters": { type: "string" },
  "internal-parameters": { type: "string" },
  "resolved-dependency": { type: "string", multiple: true },
  "invocation-id": { type: "string" },
  "started-on": { type: "string" },
  "finished-on": { type: "string" },
  ...SIGNING_FLAGS,
} as const;

/** `stella attest provenance (--subject NAME=ALG:HEX | --subject-file FILE)... ...`. */
export const attestProvenanceCommand: Command = {
  path: ["attest", "provenance"],
  summary: "Build and sign a SLSA Provenance v1 attestation",
  flags: FLAGS,
  help: `Usage: stella attest provenance (--subject NAME=ALG:HEX | --subject-file FILE)...
       --build-type URI --builder-id URI --external-parameters FILE --key KEY
       [--builder-version COMPONENT=VERSION]... [--internal-parameters FILE]
       [--resolved-dependency URI[=ALG:HEX]]... [--invocation-id ID]
       [--started-on RFC3339] [--finished-on RFC3339] [--policy P] [--audit-log L] [--out FILE]

Builds an in-toto Statement with a SLSA Provenance v1 predicate
(https://slsa.dev/provenance/v1) and signs its RFC 8785 canonical JSON as a DSSE envelope,
printed as canonical JSON plus one newline. Ed25519 and ECDSA (RFC 6979) signatures are
deterministic: the same inputs and key give a byte-identical envelope.

Flags:
  --subject NAME=ALG:HEX       A build output and its digest, e.g. app.tar=sha256:<64 hex>;
                               repeatable (every subject needs a sha256)
  --subject-file FILE          A build output file, digested here (SHA-256) and recorded by
                               its base name; repeatable
  --build-type URI             TypeURI of the build template
  --builder-id URI             TypeURI of the build platform
  --builder-version C=V        Version of a platform component; repeatable
  --external-parameters FILE   JSON object: parameters under external control (required,
                               non-empty)
  --internal-parameters FILE   JSON object: parameters under the builder's control
  --resolved-dependency DEP    URI or URI=ALG:HEX of a build-time dependency, e.g.
                               git+https://host/repo@refs/tags/v1=gitCommit:<hex>; repeatable
  --invocation-id ID           Identifier of this build invocation
  --started-on T               When the build started (RFC 3339; normalized to UTC)
  --finished-on T              When the build finished (not before --started-on)
${SIGNING_HELP}

Exit status: 0 signed; 1 an input was rejected (malformed subject or digest, times out of
order, parameters not a JSON object, or a policy claim is missing or mismatched; every problem
is named); 2 could not run (missing flag or file, unusable key or policy, audit record not
written).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    if (positionals.length > 0) throw new CliError(`Unexpected argument "${positionals[0]}"`);
    const subject = values.subject ?? [];
    const subjectFile = values["subject-file"] ?? [];
    if (subject.length === 0 && subjectFile.length === 0) {
      throw new CliError(
        "Missing --subject NAME=ALG:HEX or --subject-file FILE: the build outputs",
      );
    }
    const buildType = values["build-type"];
    if (buildType === undefined) throw new CliError("Missing --build-type URI");
    const builderId = values["builder-id"];
    if (builderId === undefined) throw new CliError("Missing --builder-id URI");
    const externalPath = values["external-parameters"];
    if (externalPath === undefined) {
      throw new CliError("Missing --external-parameters FILE: a JSON object");
    }
    const builderVersion = parseVersions(values["builder-version"] ?? []);
    const startedOn = utcTimeFlag("--started-on", values["started-on"]);
    const finishedOn = utcTimeFlag("--finished-on", values["finished-on"]);
    await refuseOverwritingInput(io, "--out", values.out, [
      ...subjectFile,
      externalPath,
      values["internal-parameters"],
      values.key,
      values.policy,
      values["audit-log"],
    ]);
    const { signer, policy } = await buildSigner(io, values);
    const internalPath = values["internal-parameters"];

    let attestation: Attestation<ProvenancePredicate>;
    try {
      const externalParameters = await readJsonObject(io, "--external-parameters", externalPath);
      const internalParameters = internalPath === undefined
        ? undefined
        : await readJsonObject(io, "--internal-parameters", internalPath);
      attestation = await attestProvenance({
        subject,
        subjectFile: openDocuments(io, subjectFile),
        buildType,
        builderId,
        builderVersion,
        externalParameters: externalParameters as JsonObject,
        internalParameters: internalParameters as JsonObject | undefined,
        resolvedDependency: values["resolved-dependency"],
        invocationId: values["invocation-id"],
        startedOn,
        finishedOn,
      }, [signer]);
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ParseError) {
        const refused = policy !== undefined && error instanceof ValidationError &&
          error.problems.some((p) => p.code === "CLAIM_MISSING" || p.code === "CLAIM_MISMATCH");
        return reject(
          io,
          refused
            ? `Cannot attest provenance: policy "${values.policy}" refuses it`
            : error instanceof ParseError
            ? "Cannot attest provenance: invalid parameters file"
            : "Cannot attest provenance: invalid input",
          error,
        );
      }
      throw error;
    }
    await writeEnvelope(io, attestation.envelope, values.out);
    return 0;
  },
};

function parseVersions(entries: readonly string[]): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const versions: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) {
      throw new CliError(`Cannot parse --builder-version "${entry}": use COMPONENT=VERSION`);
    }
    const component = entry.slice(0, eq);
    if (Object.hasOwn(versions, component)) {
      throw new CliError(`Cannot use --builder-version "${entry}": ${component} is given twice`);
    }
    // defineProperty: a component named "__proto__" stays an own data property.
    Object.defineProperty(versions, component, {
      value: entry.slice(eq + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return versions;
}
