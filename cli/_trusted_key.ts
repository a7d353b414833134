/**
 * A verifier's `--key` file read as PEM (`forensic verify`, `kit verify`, `serve`).
 *
 * @module
 */

import { decodeUtf8 } from "../lib/encoding/bytes.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import type { Key } from "../lib/keys/key.ts";
import { exportPublicKeyPem } from "../lib/keys/key_pem.ts";
import { CliError, type Io } from "./_io.ts";

/**
 * Reads a verifier's `--key` file as PEM text: PEM as written (its problems are reported by the
 * trust loader, naming the file); a key in DER or JWK (as `trust init` and `keys id` read them)
 * as its public key's PEM. Anything else, such as an HMAC secret, is a CliError naming the file:
 * a verifier trusts public keys only.
 */
export async function readTrustedKeyPem(io: Io, path: string): Promise<string> {
  const bytes = await io.readFile(path);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first === 0x30 /* DER SEQUENCE */ || first === 0x7b /* "{": JWK */) {
    // Loaded only for a key that is not PEM: `forensic verify ENVELOPE --key PEM` starts
    // without the key importers (tests/cli/cold_start_test.ts).
    const { importKey } = await import("../lib/keys/import_key.ts");
    let key: Key | undefined;
    try {
      key = await importKey(bytes, { name: path, format: first === 0x30 ? "der" : "jwk" });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
    if (key?.kind === "secret") throw notPublicKey(path);
    if (key !== undefined) return exportPublicKeyPem(key.kind === "private" ? key.publicKey : key);
  }
  try {
    return decodeUtf8(bytes, path);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw notPublicKey(path);
  }
}

function notPublicKey(path: string): CliError {
  return new CliError(
    `Cannot trust "${path}": it is not a public key in PEM, DER or JWK (a verifier trusts ` +
      "public keys; an HMAC secret cannot be one)",
  );
}
