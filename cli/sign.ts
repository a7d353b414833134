/**
 * `stella sign FILE --payload-type T --key KEY`: signs FILE's exact bytes as a DSSE payload and
 * prints the envelope as RFC 8785 canonical JSON plus a newline (or writes it atomically with
 * `--out`). Adapter over {@link signEnvelope}; the signer is the one every signing command builds
 * (`buildSigner` in `_attest.ts`): a local signer, wrapped in a `PolicySigner` with `--policy` and
 * an `AuditedSigner` writing to a `FileAuditLog` with `--audit-log`.
 *
 * Decisions:
 * - The payload is FILE's bytes as they are (not re-serialized): what is signed is what is on
 *   disk. Run `stella canonicalize` first for canonical JSON payloads.
 * - With the in-toto payload type the payload must parse as a valid in-toto Statement; every
 *   problem is named and the exit status is 1.
 * - A policy refusal is exit 1 naming every failing claim; nothing is signed, and with
 *   `--audit-log` the refusal is recorded (`refused`: the failing codes).
 * - An audit record that cannot be written (unwritable file, malformed last record) is exit 2
 *   ("could not run": the payload was not rejected, the operation failed) and no envelope is
 *   printed or written. The record is written before the envelope, so a failure writing `--out`
 *   afterwards leaves a record of a signature that was made but not delivered.
 * - Key problems (malformed key, wrong password, public key, unset password variable) are exit 2:
 *   the key is configuration, not the artifact under evaluation.
 *
 * @module
 */

import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { type DsseEnvelope, INTOTO_PAYLOAD_TYPE } from "../lib/model/dsse.ts";
import { parseStatement } from "../lib/model/statement.ts";
import { KEY_FORMATS } from "../lib/keys/import_key.ts";
import { signEnvelope } from "../lib/sign/envelope.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import { DEFAULT_PASSWORD_ENV } from "./_keys.ts";
import { buildSigner, reject, SIGNING_FLAGS, writeEnvelope } from "./_attest.ts";
import type { Command } from "./commands.ts";

const FLAGS = { ...HELP_FLAG, "payload-type": { type: "string" }, ...SIGNING_FLAGS } as const;

/** `stella sign FILE --payload-type T --key KEY [...]`. */
export const signCommand: Command = {
  path: ["sign"],
  summary: "Sign a file as a DSSE envelope (optional policy and audit log)",
  flags: FLAGS,
  help: `Usage: stella sign FILE --payload-type T --key KEY [--policy P] [--audit-log L]
       [--actor ID] [--signed-at RFC3339] [--out F] [--algorithm ALG]
       [--key-format ${KEY_FORMATS.join("|")}] [--password-env NAME]

Signs the exact bytes of FILE as the payload of a DSSE envelope (signature over the DSSE PAE)
and prints the envelope as RFC 8785 canonical JSON plus one newline. Ed25519, ECDSA (RFC 6979)
and HMAC signatures are deterministic: the same inputs give byte-identical envelopes.
With --payload-type ${INTOTO_PAYLOAD_TYPE}, FILE must be a valid in-toto Statement.

Flags:
  --payload-type T     DSSE payload type, e.g. ${INTOTO_PAYLOAD_TYPE}
  --key KEY            Private key or HMAC secret file (PEM, JWK, DER, cosign encrypted key)
  --key-format F       Format of KEY: ${KEY_FORMATS.join(", ")} (default auto; raw HMAC
                       secrets need hmac)
  --password-env NAME  Variable holding the password of an encrypted key (cosign or PKCS#8)
                       (default ${DEFAULT_PASSWORD_ENV})
  --algorithm ALG      Signature algorithm (default the key's; RSA keys: rsa-pss-sha256, or
                       rsa-pkcs1-sha256 for PKCS#1 v1.5)
  --policy P           Required-claims policy (JSON); signing is refused when a claim fails
  --audit-log L        Append a hash-chained record of the attempt (signed or refused) to this
                       JSON Lines log before returning (created with mode 0600 when missing)
  --actor ID           Who signs, recorded in the audit log (default $USER, else "unknown")
  --signed-at T        Time recorded in the audit log (default: the clock)
  --out F              Write the envelope to F atomically instead of stdout

Exit status: 0 signed; 1 FILE was rejected (not a valid in-toto Statement, or a policy claim
is missing or mismatched); 2 could not run (missing file, bad flag, unusable key or policy,
audit record not written; no envelope is produced).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "FILE: the payload file to sign", { min: 1, max: 1 });
    const path = positionals[0]!;
    const payloadType = values["payload-type"];
    if (payloadType === undefined) {
      throw new CliError(`Missing --payload-type, e.g. ${INTOTO_PAYLOAD_TYPE}`);
    }
    await refuseOverwritingInput(io, "--out", values.out, [
      path,
      values.key,
      values.policy,
      values["audit-log"],
    ]);
    const payload = await io.readFile(path);
    if (payloadType === INTOTO_PAYLOAD_TYPE) {
      try {
        parseStatement(payload, { name: path });
      } catch (error) {
        if (error instanceof ValidationError) {
          return reject(io, `Cannot sign "${path}": it is not a valid in-toto Statement`, error);
        }
        if (error instanceof ParseError) {
          io.stderr(
            `stella: Cannot sign "${path}": it is not a valid in-toto Statement: ${error.message}\n`,
          );
          return 1;
        }
        throw error;
      }
    }
    const { signer, policy } = await buildSigner(io, values);
    let envelope: DsseEnvelope;
    try {
      envelope = await signEnvelope({ payloadType, payload }, [signer]);
    } catch (error) {
      if (error instanceof ValidationError && policy !== undefined) {
        return reject(io, `Cannot sign "${path}": policy "${values.policy}" refuses it`, error);
      }
      throw error;
    }
    await writeEnvelope(io, envelope, values.out);
    return 0;
  },
};
