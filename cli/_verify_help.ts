/**
 * The help text of `stella forensic verify` (envelopes, batches, timelines; the bundle form's
 * is `BUNDLE_HELP`).
 *
 * @module
 */

import { BUNDLE_HELP } from "./_bundle_help.ts";
import { OUTPUT_HELP } from "./_report_output.ts";

/** `stella forensic verify --help`. */
export const VERIFY_HELP: string =
  `Usage: stella forensic verify <envelope.json|envelopes.jsonl|dir> [--key PEM]... [--trust trust.json]
       [--signed-at RFC3339] [--not-after RFC3339] [--skew 5m] [--now RFC3339]
       [--timestamp token.tsr --tsa-roots roots.pem] [--merkle-root HEX] [--timeline] [--json]
       [--expect-head sha256:HEX] [--expect-entries N] [--allow-unbound-custodians]
       [--artifact FILE] [--artifact-digest ALG:HEX]... [--image NAME@sha256:HEX]
       [--subject-name NAME] [--predicate-type URI]... [--max-signatures N] [--allow-empty]
       [--verbose | --quiet] [--out FILE]

Verifies DSSE envelopes with nothing but local files. A directory is verified file by file in
name order (files ending in .jsonl hold one envelope per line); a .jsonl file likewise. Nothing
to verify (an empty directory or .jsonl file, no path) is not success: exit 1, code NO_INPUT.

Flags:
  --key PEM          Trust this public key (PEM, or DER or JWK: Ed25519, ECDSA P-256/P-384
                     with DER or P1363 signatures, RSA PSS or PKCS#1 v1.5); repeatable
  --trust FILE       Trust policy (keys with validity windows, threshold, allowed predicate
                     types, required claims); --key adds to it
  --signed-at T      Claimed signing time (default: --now); key validity is checked at it
  --not-after T      Reject signatures made after T
  --skew D           Tolerance for every time comparison (default 5m; e.g. 0, 30s, 5m, 1h)
  --now T            Evaluation time (default: the clock)
  --timestamp TSR    RFC 3161 timestamp token over an envelope signature (DER TimeStampResp or
                     TimeStampToken, as openssl ts -reply writes it); when it verifies over a
                     signature that verifies under a trusted key, its genTime is that
                     signature's time (source rfc3161); over any other signature it is
                     ignored; repeatable
  --tsa-roots PEM    Trusted TSA root certificates for --timestamp (and, with --timeline, for
                     the entries' .tsr tokens; without roots those are ignored)
  --merkle-root R    The statement must commit to this build-metadata Merkle root
                     (sha256:<hex>; export subjects carry it as their merkleSha256 digest);
                     with --timeline, the RFC 9162 root of the entries' sha256 digests
  --timeline         The envelopes (files in order, one .jsonl file, or a directory in name
                     order) are one stella.ops/custody@v1 timeline, oldest first: sequence,
                     hash links, time order and subject are checked; each entry's key must be
                     valid and unrevoked at the entry's trusted time (its RFC 3161 token, read
                     from ENTRY.tsr or TIMELINE.jsonl.N.tsr, else now; never event.at) and
                     bound to its event.actor ("custodians" in the trust policy)
  --expect-head H    With --timeline: anchor, the sha256 of the last entry's exact bytes
                     (sha256:HEX, as stella timeline append prints it)
  --expect-entries N With --timeline: anchor, the number of entries
  --allow-unbound-custodians
                     With --timeline: keys whose trust entry lists no custodians may sign for
                     any actor (default: CUSTODY_ACTOR_UNBOUND)
  --json             Print the VerificationReport as RFC 8785 canonical JSON (for several
                     artifacts: {"reports": [...], "summary": {...}, "verified"})

Binding the statement to what you hold (without these, any statement a trusted key signed
verifies, whatever it is about; the report says "subject not checked"):
  --artifact FILE    A subject must carry FILE's digest (hashed as a stream); it matches by
                     every one of sha256, sha384, sha512 the subject carries
  --artifact-digest ALG:HEX
                     A subject must carry this digest (sha256, sha384 or sha512; lowercase
                     hex); repeatable, each must be carried
  --image NAME@sha256:HEX
                     A subject must be named exactly NAME and carry this sha256
  --subject-name N   The rules above apply to the subject named N; alone, a subject is named N
  --predicate-type URI
                     Allowed predicate type (repeatable); also checks legacy in-toto, which has none
  Mismatches exit 1: SUBJECT_MISMATCH, PREDICATE_TYPE_NOT_ALLOWED.

Limits:
  --max-signatures N Most signatures per envelope (default 64; more is TOO_MANY_SIGNATURES)
  --allow-empty      Nothing to verify is success (exit 0) instead of NO_INPUT (exit 1)

Text output: one input prints VERIFIED NAME or FAILED NAME: CODE message and its details
(who signed, what was signed, the signing time and its source, the verification time; what no
verified signature vouches for is marked "(unverified)"); several inputs print one such line
each and a summary.

` + OUTPUT_HELP + `
Exit status: 0 verified; 1 evaluated and not verified (bad signature, tampered or malformed
artifact, untrusted key, time window violated, policy failed); 2 could not run (unknown
flag, missing file, unreadable trust policy or key).

Ctrl-C stops a long run cleanly: a partial summary is printed (--out FILE is not written)
and the exit status is 130.
A progress line is drawn on stderr when it is a terminal (never with --json).

` + BUNDLE_HELP;
