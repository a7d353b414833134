/**
 * `stella keys rotate --ring ring.json --key NEW`: adds NEW to a key ring as the active key from
 * `--at` (default: the clock), retires the previously active key(s) after `--overlap`, rewrites
 * the ring atomically (or writes `--out`) and prints the new active key id. Adapter over
 * {@link rotateKeyRing}.
 *
 * @module
 */

import { ParseError } from "../lib/encoding/errors.ts";
import { exportPublicKeyPem } from "../lib/keys/key_pem.ts";
import type { Key } from "../lib/keys/key.ts";
import { formatKeyRing, type KeyRing, parseKeyRing } from "../lib/sign/key_ring.ts";
import { rotateKeyRing } from "../lib/sign/rotate_key_ring.ts";
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from "../lib/keys/key.ts";
import {
  expectPositionals,
  HELP_FLAG,
  parseDuration,
  parseStrict,
  parseTimeFlag,
} from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import { DEFAULT_PASSWORD_ENV, loadKey } from "./_keys.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  ring: { type: "string" },
  key: { type: "string" },
  at: { type: "string" },
  overlap: { type: "string" },
  algorithm: { type: "string" },
  "password-env": { type: "string", default: DEFAULT_PASSWORD_ENV },
  out: { type: "string" },
} as const;

/** `stella keys rotate --ring ring.json --key NEW [--at T] [--overlap D] [--out F]`. */
export const keysRotateCommand: Command = {
  path: ["keys", "rotate"],
  summary: "Rotate a key ring to a new key and print the new active key id",
  flags: FLAGS,
  help: `Usage: stella keys rotate --ring ring.json --key NEW [--at RFC3339] [--overlap DURATION]
       [--out F] [--algorithm ALG] [--password-env NAME]

Adds NEW (a public or private key file; only its public key is stored) to the key ring as the
active key from --at, and retires every active key with validUntil = --at + --overlap. The
ring is rewritten atomically as RFC 8785 canonical JSON (or written to --out), and the new
active key id is printed.

Flags:
  --ring FILE          The key ring ({"keys": [...]}); start from {"keys":[]} for a new ring
  --key NEW            The new key (PEM, JWK, DER or cosign encrypted key; not HMAC)
  --at T               Rotation instant (default: the clock)
  --overlap D          How long the retired key stays valid after --at (default 0; e.g. 30s,
                       5m, 24h, 1d), so that signatures in flight still verify
  --algorithm ALG      Signature algorithm recorded for NEW (default the key's; RSA keys:
                       rsa-pss-sha256 or rsa-pkcs1-sha256)
  --password-env NAME  Variable holding the password of an encrypted key (cosign or PKCS#8)
                       (default ${DEFAULT_PASSWORD_ENV})
  --out F              Write the new ring to F instead of rewriting --ring

Exit status: 0 rotated; 1 the ring is malformed; 2 could not run (missing file, bad flag,
unusable key, key already in the ring, --at before the active key's validFrom).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "", { min: 0, max: 0 });
    if (values.ring === undefined) throw new CliError("Missing --ring: the key ring file");
    if (values.key === undefined) throw new CliError("Missing --key: the new key file");
    const algorithm = values.algorithm as SignatureAlgorithm | undefined;
    if (algorithm !== undefined && !SIGNATURE_ALGORITHMS.includes(algorithm)) {
      throw new CliError(
        `Unknown --algorithm "${values.algorithm}": use one of ${SIGNATURE_ALGORITHMS.join(", ")}`,
      );
    }
    const at = parseTimeFlag("--at", values.at) ?? io.now();
    const overlap = values.overlap === undefined
      ? undefined
      : parseDuration("--overlap", values.overlap);
    // --out may be the ring itself (updated in place), never the new key's file.
    await refuseOverwritingInput(io, "--out", values.out, [values.key]);
    const ringBytes = await io.readFile(values.ring);
    let ring: KeyRing;
    try {
      ring = parseKeyRing(ringBytes, { name: values.ring });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      io.stderr(`stella: ${error.message}\n`);
      return 1;
    }
    const key = await readKey(io, values.key, values["password-env"]);
    if (key.kind === "secret") {
      throw new CliError(
        `Cannot add "${values.key}" to a key ring: HMAC secrets have no public key`,
      );
    }
    const keyid = key.keyid;
    const next = rotateKeyRing(
      ring,
      { keyid, algorithm: algorithm ?? key.algorithm, publicKey: exportPublicKeyPem(key) },
      at,
      { overlap },
    );
    await io.writeFile(values.out ?? values.ring, formatKeyRing(next));
    io.stdout(keyid + "\n");
    return 0;
  },
};

async function readKey(io: Io, path: string, passwordEnv: string): Promise<Key> {
  try {
    return await loadKey(io, path, { passwordEnv });
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    throw error;
  }
}
