/**
 * `stella keys id FILE`: prints the key id of a public or private key file (PEM, JWK, DER, a
 * cosign encrypted key, or with `--format hmac` a raw HMAC secret). Adapter over
 * {@link importKey} (via `cli/_keys.ts`); the key id is the imported key's `keyid`.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { KEY_FORMATS, type KeyFormat } from "../lib/keys/import_key.ts";
import { expectPositionals, HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import { DEFAULT_PASSWORD_ENV, loadKey } from "./_keys.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  "password-env": { type: "string", default: DEFAULT_PASSWORD_ENV },
  format: { type: "string", default: "auto" },
  json: { type: "boolean", default: false },
} as const;

/** `stella keys id FILE [--password-env NAME] [--format F]`. */
export const keysIdCommand: Command = {
  path: ["keys", "id"],
  summary: "Print the key id of a public or private key file",
  flags: FLAGS,
  help: `Usage: stella keys id FILE [--password-env NAME] [--format ${
    KEY_FORMATS.join("|")
  }] [--json]

Prints the key id of FILE: the lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (private
keys report their public key's id), or for an HMAC secret the keyed digest
HMAC-SHA256(secret, "stellaops/hmac-keyid/v1"). FILE may be PEM (PUBLIC KEY, PRIVATE KEY,
EC PRIVATE KEY, RSA PUBLIC/PRIVATE KEY), a JWK, DER (SPKI or PKCS#8), a cosign encrypted key
(ENCRYPTED SIGSTORE PRIVATE KEY), an encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY, as
openssl genpkey -aes-256-cbc writes), or with --format hmac a raw HMAC secret.

Flags:
  --password-env NAME  Environment variable holding the password of an encrypted key
                       (default ${DEFAULT_PASSWORD_ENV}; when unset and standard input is a
                       terminal, it is asked for without echo); never taken from argv
  --format F           ${KEY_FORMATS.join(", ")} (default auto: PEM, JWK or DER; raw HMAC
                       secrets need hmac)
  --json               Print {"algorithm", "file", "keyid", "kind"} as RFC 8785 canonical JSON
                       (kind: public, private or secret; algorithm: the key's default
                       signature algorithm)

Exit status: 0 printed; 1 FILE is not a usable key (malformed, unsupported); 2 could not run
(missing file, no password or a wrong one, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "FILE: the key file", { min: 1, max: 1 });
    const format = values.format as KeyFormat;
    if (!KEY_FORMATS.includes(format)) {
      throw new CliError(
        `Unknown --format "${values.format}": use one of ${KEY_FORMATS.join(", ")}`,
      );
    }
    const path = positionals[0]!;
    try {
      const key = await loadKey(io, path, { passwordEnv: values["password-env"], format });
      io.stdout(
        values.json
          ? canonicalize({
            algorithm: key.algorithm,
            file: path,
            keyid: key.keyid,
            kind: key.kind,
          }) +
            "\n"
          : key.keyid + "\n",
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      io.stderr(`stella: ${error.message}\n`);
      return 1;
    }
  },
};
