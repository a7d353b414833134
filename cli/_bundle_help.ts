/**
 * Usage text and flags of the Sigstore-bundle form of `stella forensic verify`, apart from its adapter
 * (`_bundle.ts`) so that `stella forensic verify --help` and the envelope path never load the
 * Sigstore verification code (cold start, issue 15).
 *
 * @module
 */

import { HELP_FLAG } from "./_args.ts";
import { OUTPUT_FLAGS } from "./_report_output.ts";

/** Flags of the bundle form of `stella forensic verify` (its parser and its help). */
export const BUNDLE_FLAGS = {
  ...HELP_FLAG,
  "trusted-root": { type: "string" },
  key: { type: "string" },
  "certificate-identity": { type: "string" },
  "certificate-identity-regexp": { type: "string" },
  "certificate-oidc-issuer": { type: "string" },
  "certificate-oidc-issuer-regexp": { type: "string" },
  "github-repo": { type: "string" },
  "github-workflow": { type: "string" },
  "tlog-threshold": { type: "string" },
  "timestamp-threshold": { type: "string" },
  "sct-threshold": { type: "string" },
  artifact: { type: "string" },
  "artifact-digest": { type: "string" },
  "not-after": { type: "string" },
  skew: { type: "string" },
  now: { type: "string" },
  json: { type: "boolean", default: false },
  ...OUTPUT_FLAGS,
} as const;

/** Usage text of the bundle form of `stella forensic verify`. */
export const BUNDLE_HELP =
  `Usage: stella forensic verify <bundle.sigstore.json> --trusted-root trusted_root.json
       (--key PEM | --certificate-identity ID --certificate-oidc-issuer URL
        | --github-repo OWNER/REPO [--github-workflow PATH[@REF]])
       [--artifact FILE | --artifact-digest sha256:HEX] [--tlog-threshold N]
       [--timestamp-threshold N] [--sct-threshold N] [--not-after T] [--skew D] [--now T] [--json]
       [--verbose | --quiet] [--out FILE]

Verifies a Sigstore bundle (v0.1-v0.3) offline against a Sigstore trusted root: Fulcio chain,
SCT, identity, transparency-log entry, inclusion proof, checkpoint, SET, RFC 3161 timestamps.
Each certificate chains within one certificate-authority entry valid at the signing time, each
timestamp within one TSA entry valid at its time (see docs/sigstore.md).

Flags:
  --trusted-root FILE                 Sigstore trusted_root.json (required; read locally, no TUF)
  --key PEM                           Verify a key-signed bundle with this public key
  --certificate-identity ID           Expected certificate SAN (exact)
  --certificate-identity-regexp RE    Expected certificate SAN (regular expression)
  --certificate-oidc-issuer URL       Expected OIDC issuer (exact)
  --certificate-oidc-issuer-regexp RE Expected OIDC issuer (regular expression; a certificate
                                      without issuer extension has the issuer "")
  --github-repo OWNER/REPO            GitHub Actions attestation of this repository: SAN under
                                      https://github.com/OWNER/REPO/, GitHub Actions issuer, source
                                      repository and owner extensions (gh attestation verify --repo)
  --github-workflow PATH[@REF]        The signing workflow: .github/workflows/FILE of the repository,
                                      or OWNER/REPO/.github/workflows/FILE (reusable); needs
                                      --github-repo (gh attestation verify --signer-workflow)
  --tlog-threshold N                  Transparency-log entries required (default: 1 if the trusted
                                      root lists a log, else 0)
  --timestamp-threshold N             RFC 3161 timestamps required (default: 1 if the root lists a
                                      TSA and no tlog entry is required, else 0)
  --sct-threshold N                   SCTs required (default: 1 if the root lists a CT log, else 0)
  --artifact FILE                     The signed artifact (or a subject of the DSSE statement);
                                      past 32 MiB it is hashed as a stream (ECDSA and DSSE
                                      bundles; an Ed25519 or RSA message signature needs the
                                      bytes, so a larger artifact fails SIGNATURE_INVALID)
  --artifact-digest sha256:HEX        The artifact's digest instead of the file
  --not-after T                       Reject bundles signed after T
  --skew D                            Tolerance for time comparisons (default 5m)
  --now T                             Evaluation time (default: the clock)
  --json                              Print the VerificationReport as RFC 8785 canonical JSON
  --verbose                           Also list every check that passed
  --quiet                             Print the summary only (text output)
  --out FILE                          Write the report to FILE (replaced atomically) instead of
                                      standard output

Exit status: 0 verified; 1 evaluated and not verified; 2 could not run.
`;
