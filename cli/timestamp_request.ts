/**
 * `stella timestamp request ENVELOPE --out req.tsq [--signature N] [--nonce] [--json]`: writes the
 * RFC 3161 `TimeStampReq` (DER) for one signature of a DSSE envelope: SHA-256 over the decoded
 * signature bytes, certReq true, a nonce only with `--nonce`. Adapter over
 * {@link createTimestampRequest}; docs/timestamps.md shows how to send it to a TSA and verify the
 * token with `stella forensic verify --timestamp`.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import { createTimestampRequest, type TimestampRequest } from "../lib/sign/timestamp_request.ts";
import { expectPositionals, HELP_FLAG, parseCountFlag, parseStrict } from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";

const FLAGS = {
  ...HELP_FLAG,
  out: { type: "string" },
  signature: { type: "string" },
  nonce: { type: "boolean", default: false },
  force: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
} as const;

/** `stella timestamp request`. */
export const timestampRequestCommand: Command = {
  path: ["timestamp", "request"],
  flags: FLAGS,
  summary: "Write the RFC 3161 time-stamp request (.tsq) for an envelope's signature",
  help: `Usage: stella timestamp request ENVELOPE --out req.tsq [--signature N] [--nonce] [--force]
       [--json]

Writes the RFC 3161 TimeStampReq (DER, as openssl ts -query writes it) for one signature of the
DSSE envelope ENVELOPE: the message imprint is SHA-256 of the DECODED signature bytes (the
base64 "sig" value decoded), certReq is true (the TSA includes its certificate), no policy is
requested, and a nonce is included only with --nonce. Send it to a time-stamping authority:
  curl -sS -H "Content-Type: application/timestamp-query" --data-binary @req.tsq \\
    https://tsa.example/tsr -o token.tsr
then verify with: stella forensic verify ENVELOPE --key PUB --timestamp token.tsr
--tsa-roots tsa-root.pem. docs/timestamps.md has the details and an openssl ts example.

Prints "OUT: sha256:<imprint> (signature N[, keyid K])"; with --json a canonical JSON object
{"keyid"?, "nonce"?, "out", "sha256", "signature"}.

Flags:
  --out FILE       Where to write the request (conventionally .tsq); required
  --signature N    Which signature to time-stamp, 0-based (default 0)
  --nonce          Include a random 64-bit nonce (the TSA echoes it in the token; the
                   request is then not reproducible)
  --force          Overwrite an existing --out file
  --json           Print the result as RFC 8785 canonical JSON

Exit status: 0 written; 1 ENVELOPE is not a DSSE envelope (malformed); 2 could not run
(missing file, no such signature, --out exists without --force, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "ENVELOPE: the DSSE envelope whose signature to time-stamp", {
      min: 1,
      max: 1,
    });
    const path = positionals[0]!;
    const out = values.out;
    if (out === undefined || out === "") {
      throw new CliError("Missing --out FILE: where to write the time-stamp request (.tsq)");
    }
    const signature = parseCountFlag("--signature", values.signature, 0, 999_999);
    await refuseOverwritingInput(io, "--out", out, [path]);
    if (!values.force && (await io.stat(out)) !== undefined) {
      throw new CliError(`Refusing to overwrite "${out}": it exists (pass --force)`);
    }
    const bytes = await io.readFile(path, { maxBytes: DEFAULT_ENVELOPE_MAX_BYTES });
    let request: TimestampRequest;
    try {
      request = createTimestampRequest(bytes, {
        name: path,
        signature,
        nonce: values.nonce ? randomNonce() : undefined,
      });
    } catch (error) {
      if (error instanceof ParseError) {
        io.stderr(`stella: ${error.message}\n`);
        return 1;
      }
      if (error instanceof RangeError) throw new CliError(error.message);
      throw error;
    }
    await io.writeFile(out, request.der);
    if (values.json) {
      const { der: _der, ...result } = request;
      io.stdout(canonicalize({ ...result, out }) + "\n");
    } else {
      const keyid = request.keyid === undefined ? "" : `, keyid ${request.keyid}`;
      io.stdout(`${out}: sha256:${request.sha256} (signature ${request.signature}${keyid})\n`);
    }
    return 0;
  },
};

/** 64 random bits with the top bit set, so the nonce always has 8 bytes and is positive. */
function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  bytes[0] = bytes[0]! | 0x80;
  return BigInt(`0x${bytes.toHex()}`);
}
