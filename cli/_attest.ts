/**
 * Shared parts of the commands that sign (`stella sign`, `stella attest *`, `stella timeline
 * append`): the signing flags and the one signer they build from them (key, policy, audit log),
 * opening input documents as streams, writing the envelope, and reporting rejected inputs
 * (exit 1).
 *
 * The signer's order, for every command: the policy is checked first (a {@link PolicySigner}
 * around the local signer), then one audit record is written for the attempt (an
 * {@link AuditedSigner} around that): the signature's, or the refusal's with its codes. Only
 * then is the signature released or the refusal reported (exit 1). A record that cannot be
 * written is exit 2 and nothing is printed or written.
 *
 * @module
 */

import { ParseError, type Problem, ValidationError } from "../lib/encoding/errors.ts";
import { parseJson } from "../lib/encoding/strict_json.ts";
import { formatRfc3339 } from "../lib/encoding/time.ts";
import { type DsseEnvelope, serializeEnvelope } from "../lib/model/dsse.ts";
import { KEY_FORMATS, type KeyFormat } from "../lib/keys/import_key.ts";
import { AuditedSigner, type AuditSink } from "../lib/sign/audit_log.ts";
import { FileAuditLog } from "../lib/sign/audit_log_file.ts";
import { type ClaimPolicy, parsePolicy, PolicySigner } from "../lib/sign/policy.ts";
import type { Signer } from "../lib/crypto/signer.ts";
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from "../lib/keys/key.ts";
import type { AttestDocument } from "../lib/sign/attest.ts";
import { parseTimeFlag } from "./_args.ts";
import { CliError, describeError, type Io } from "./_io.ts";
import { DEFAULT_PASSWORD_ENV, loadSigner } from "./_keys.ts";
import { isObject } from "../lib/encoding/json_value.ts";

/** The signing flags every `attest` command takes (as `stella sign` does). */
export const SIGNING_FLAGS = {
  key: { type: "string" },
  "key-format": { type: "string", default: "auto" },
  "password-env": { type: "string", default: DEFAULT_PASSWORD_ENV },
  algorithm: { type: "string" },
  policy: { type: "string" },
  "audit-log": { type: "string" },
  actor: { type: "string" },
  "signed-at": { type: "string" },
  out: { type: "string" },
} as const;

/** Help lines for {@link SIGNING_FLAGS}. */
export const SIGNING_HELP =
  `  --key KEY            Private key file (PEM, JWK, DER, cosign encrypted key)
  --key-format F       Format of KEY: ${KEY_FORMATS.join(", ")} (default auto)
  --password-env NAME  Variable holding the password of an encrypted key (cosign or PKCS#8)
                       (default ${DEFAULT_PASSWORD_ENV})
  --algorithm ALG      Signature algorithm (default the key's; RSA keys: rsa-pss-sha256, or
                       rsa-pkcs1-sha256, which is deterministic)
  --policy P           Required-claims policy (JSON); signing is refused when a claim fails
  --audit-log L        Append a hash-chained record of the attempt (signed or refused) to this
                       JSON Lines log
  --actor ID           Who signs, recorded in the audit log (default $USER, else "unknown")
  --signed-at T        Time recorded in the audit log (default: the clock)
  --out F              Write the envelope to F atomically instead of stdout`;

/** The parsed values of {@link SIGNING_FLAGS}. */
export interface SigningValues {
  key?: string | undefined;
  "key-format"?: string | undefined;
  "password-env"?: string | undefined;
  algorithm?: string | undefined;
  policy?: string | undefined;
  "audit-log"?: string | undefined;
  actor?: string | undefined;
  "signed-at"?: string | undefined;
  out?: string | undefined;
}

/** The signer of a signing command and whether a policy wraps it. */
export interface CliSigner {
  signer: Signer;
  policy: ClaimPolicy | undefined;
}

/**
 * Builds the signer from the signing flags: a local signer for `--key`, inside a
 * {@link PolicySigner} with `--policy`, inside an {@link AuditedSigner} with `--audit-log` (so
 * every attempt is recorded, a refused statement as refused). Problems with the key, policy or
 * flags are configuration errors (CliError, exit 2).
 */
export async function buildSigner(io: Io, values: SigningValues): Promise<CliSigner> {
  if (values.key === undefined) throw new CliError("Missing --key: the private key file");
  const format = (values["key-format"] ?? "auto") as KeyFormat;
  if (!KEY_FORMATS.includes(format)) {
    throw new CliError(
      `Unknown --key-format "${values["key-format"]}": use one of ${KEY_FORMATS.join(", ")}`,
    );
  }
  const algorithm = values.algorithm as SignatureAlgorithm | undefined;
  if (algorithm !== undefined && !SIGNATURE_ALGORITHMS.includes(algorithm)) {
    throw new CliError(
      `Unknown --algorithm "${values.algorithm}": use one of ${SIGNATURE_ALGORITHMS.join(", ")}`,
    );
  }
  const auditLog = values["audit-log"];
  if (auditLog === undefined) {
    for (const flag of ["actor", "signed-at"] as const) {
      if (values[flag] !== undefined) {
        throw new CliError(`--${flag} is recorded in the audit log: pass --audit-log too`);
      }
    }
  }
  const signedAt = parseTimeFlag("--signed-at", values["signed-at"]);
  const policy = values.policy === undefined ? undefined : await readPolicy(io, values.policy);
  let signer = await loadSigner(io, values.key, {
    passwordEnv: values["password-env"],
    format,
    algorithm,
  });
  if (policy !== undefined) signer = new PolicySigner(signer, policy);
  if (auditLog !== undefined) {
    signer = new AuditedSigner(signer, fileSink(auditLog), {
      actor: values.actor ?? io.env("USER") ?? io.env("LOGNAME") ?? "unknown",
      time: formatRfc3339(signedAt ?? io.now()),
    });
  }
  return { signer, policy };
}

/**
 * Describes each file as a document: recorded under its base name, content streamed. A file is
 * opened only when its stream is first read (so nothing stays open when an earlier input fails);
 * a missing file then surfaces as the CliError of `io.openFile` (exit 2).
 */
export function openDocuments(io: Io, paths: readonly string[]): AttestDocument[] {
  return paths.map((path) => ({ name: baseName(path), content: lazyFileStream(io, path) }));
}

function lazyFileStream(io: Io, path: string): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await io.openFile(path)).getReader();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** Reads a JSON object input (e.g. `--external-parameters`); not an object is a rejection. */
export async function readJsonObject(
  io: Io,
  flag: string,
  path: string,
): Promise<{ [key: string]: unknown }> {
  const value = parseJson(await io.readFile(path), { name: path });
  if (!isObject(value)) {
    throw new ValidationError(`Cannot use ${flag} "${path}"`, [{
      path: "",
      code: "TYPE_MISMATCH",
      message: "Give a JSON object",
    }]);
  }
  return value;
}

/** Prints the envelope as canonical JSON plus a newline, or writes it atomically to `out`. */
export async function writeEnvelope(
  io: Io,
  envelope: DsseEnvelope,
  out: string | undefined,
): Promise<void> {
  const text = serializeEnvelope(envelope) + "\n";
  if (out === undefined) io.stdout(text);
  else await io.writeFile(out, text);
}

/**
 * Reports an input the command evaluated and rejected (exit 1): a summary line, then one line
 * per problem with its path and code.
 */
export function reject(io: Io, summary: string, error: ValidationError | ParseError): number {
  if (error instanceof ParseError) {
    io.stderr(`stella: ${summary}: ${error.message}\n`);
    return 1;
  }
  const lines = error.problems.map((p: Problem) =>
    `  ${p.path === "" ? "(root)" : p.path}: ${p.code}: ${p.message}\n`
  );
  io.stderr(`stella: ${summary}\n${lines.join("")}`);
  return 1;
}

/** The last path segment: documents are recorded by name, never by local path. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[/\\]+$/, "");
  return trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\")) + 1);
}

/** Normalizes a time flag to canonical UTC RFC 3339 (`Z`), or `undefined` when unset. */
export function utcTimeFlag(flag: string, value: string | undefined): string | undefined {
  const ms = parseTimeFlag(flag, value);
  return ms === undefined ? undefined : formatTime(flag, ms);
}

/**
 * The time of an event the command records: the flag when given; else `SOURCE_DATE_EPOCH`
 * (seconds, reproducible builds) when set; else the clock, to the second.
 */
export function eventTime(io: Io, flag: string, value: string | undefined): string {
  const given = utcTimeFlag(flag, value);
  if (given !== undefined) return given;
  const epoch = io.env("SOURCE_DATE_EPOCH");
  if (epoch !== undefined && epoch !== "") {
    if (!/^[0-9]{1,12}$/.test(epoch)) {
      throw new CliError(
        `Cannot use SOURCE_DATE_EPOCH "${epoch.slice(0, 40)}": give whole seconds since 1970`,
      );
    }
    return formatTime("SOURCE_DATE_EPOCH", Number(epoch) * 1000);
  }
  return formatTime("the clock", Math.floor(io.now() / 1000) * 1000);
}

function formatTime(what: string, ms: number): string {
  try {
    return formatRfc3339(ms);
  } catch {
    throw new CliError(`Cannot use ${what}: the time is outside years 0000-9999`);
  }
}

/** Reads a required-claims policy file; a malformed one is a CliError (exit 2). */
export async function readPolicy(io: Io, path: string): Promise<ClaimPolicy> {
  const bytes = await io.readFile(path);
  try {
    return parsePolicy(bytes, { name: path });
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    throw error;
  }
}

/** A file audit sink whose failures name the log file (exit 2). */
export function fileSink(path: string): AuditSink {
  const log = new FileAuditLog(path);
  return {
    async append(entry) {
      try {
        return await log.append(entry);
      } catch (error) {
        throw new CliError(`Cannot append to audit log "${path}": ${describe(error)}`);
      }
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof ParseError) {
    return error.message.replace(/^Cannot append to audit log: /, "");
  }
  return describeError(error);
}
