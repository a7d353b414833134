/**
 * The signing certificate and the timestamp authorities of a Sigstore bundle (internal to
 * `verifyBundle`, as sigstore-js's `key/certificate` and `timestamp/` do it): each RFC 3161 token
 * chained within one TSA entry of the trusted root valid at its `genTime`; the Fulcio chain within
 * one CA entry valid at every verified time, its SCTs and its identity.
 *
 * @module
 */

import { equalBytes } from "../encoding/bytes.ts";
import { formatRfc3339 } from "../encoding/time.ts";
import { type Certificate, KEY_PURPOSES } from "../keys/x509.ts";
import { evaluateEmbeddedScts, type FulcioIdentity, fulcioIdentity } from "./fulcio.ts";
import { type Check, fail, type IdentityMatcher, type IdentityReport, pass } from "./report.ts";
import { verifyTimestamp } from "./timestamp.ts";
import { isValidAt, type TrustedAuthority, type TrustedRoot } from "./trusted_root.ts";
import type { CertificateIdentityPolicy } from "./options.ts";
import { validateChain } from "./x509_chain.ts";
import type { ObservedTime } from "./_bundle_signature.ts";

export async function checkTimestamp(
  token: Uint8Array,
  signature: Uint8Array,
  root: TrustedRoot,
  now: number,
  skew: number,
  index: number,
): Promise<{ check: Check; time?: number }> {
  const id = "bundle.timestamp";
  let best: Check | undefined;
  for (const tsa of root.timestampAuthorities) {
    const chain = tsa.chain;
    const result = await verifyTimestamp(token, {
      data: signature,
      roots: [chain[chain.length - 1]!],
      intermediates: chain.slice(0, -1),
      useEmbeddedCertificates: false,
      at: now,
      skew,
      name: `timestamp ${index}`,
    });
    const failed = result.checks.find((c) => !c.ok);
    if (result.verified && result.genTime !== undefined) {
      if (isValidAt(tsa, result.genTime)) return { check: pass(id), time: result.genTime };
      best ??= fail(
        id,
        "TSA_UNTRUSTED",
        `Reject timestamp ${index}: its time ${
          formatRfc3339(result.genTime)
        } is outside the TSA's validity in the trusted root`,
      );
    } else if (failed !== undefined) {
      // Prefer a failure beyond "unknown signer": it names the real problem with this TSA.
      if (
        best === undefined || (best.code === "TSA_UNTRUSTED" && failed.code !== "TSA_UNTRUSTED")
      ) {
        best = fail(
          id,
          failed.code ?? "TSA_UNTRUSTED",
          failed.message ?? "timestamp does not verify",
        );
      }
    }
  }
  return {
    check: best ??
      fail(
        id,
        "TSA_UNTRUSTED",
        `Reject timestamp ${index}: the trusted root has no timestamp authority`,
      ),
  };
}

/** The certificate checks, the SCTs that verified and the identity report. */
interface CertificateOutcome {
  checks: Check[];
  scts: number;
  identity: IdentityReport;
}

export async function checkCertificate(
  leaf: Certificate,
  root: TrustedRoot,
  times: readonly ObservedTime[],
  identity: CertificateIdentityPolicy,
  sctThreshold: number,
): Promise<CertificateOutcome> {
  const checks: Check[] = [];
  let chainProblem: string | undefined;
  let issuer: Certificate | undefined;
  if (times.length === 0) {
    chainProblem = "no verified time to check the certificate at";
  }
  for (const t of times) {
    const result = await chainWithinOneAuthority(leaf, root.certificateAuthorities, t.time);
    if (!result.ok) {
      chainProblem = result.message;
      break;
    }
    issuer = result.chain[1];
  }
  checks.push(
    chainProblem === undefined
      ? pass("cert.chain")
      : fail("cert.chain", "CERTIFICATE_CHAIN_INVALID", chainProblem),
  );
  // Without a validated chain, the SCT is still checked against the named issuer's key.
  issuer ??= root.certificateAuthorities.flatMap((ca) => ca.chain).find((c) =>
    equalBytes(c.subject.der, leaf.issuer.der)
  );
  let scts = 0;
  if (issuer !== undefined) {
    const evaluation = await evaluateEmbeddedScts(leaf, {
      issuer,
      ctlogs: root.ctlogs,
      threshold: sctThreshold,
    });
    checks.push(evaluation.check);
    scts = evaluation.verified;
  } else if (sctThreshold > 0) {
    checks.push(
      fail("cert.sct", "SCT_INVALID", "Cannot check the SCT: the certificate's issuer is unknown"),
    );
  } else {
    checks.push({ id: "cert.sct", ok: true, message: "Not required: the issuer is unknown" });
  }
  const found = fulcioIdentity(leaf);
  const problems: string[] = [];
  const expect = (
    field: string,
    expected: string | RegExp | undefined,
    actual: string | undefined,
  ): void => {
    if (expected === undefined) return;
    // A missing extension reads as "": a regular expression may accept it, an exact value not.
    const ok = typeof expected === "string"
      ? actual !== undefined && expected === actual
      : testRegExp(expected, actual ?? "");
    if (!ok) problems.push(`its ${field} ${actual ?? "(none)"} is not ${String(expected)}`);
  };
  if (
    identity.subject !== undefined &&
    !found.subjects.some((s) =>
      typeof identity.subject === "string"
        ? identity.subject === s
        : testRegExp(identity.subject!, s)
    )
  ) {
    problems.push(
      `its subject ${JSON.stringify(found.subjects)} is not ${String(identity.subject)}`,
    );
  }
  expect("issuer", identity.issuer, found.issuer);
  expect("source repository", identity.sourceRepositoryUri, found.sourceRepositoryUri);
  expect(
    "source repository owner",
    identity.sourceRepositoryOwnerUri,
    found.sourceRepositoryOwnerUri,
  );
  checks.push(
    problems.length === 0 ? pass("cert.identity") : fail(
      "cert.identity",
      "CERTIFICATE_IDENTITY_MISMATCH",
      `Reject certificate: ${problems.join("; ")}`,
    ),
  );
  return { checks, scts, identity: identityReport(identity, found) };
}

/** Tests a caller's regular expression without the statefulness of `g`/`y` flags. */
function testRegExp(expected: RegExp, actual: string): boolean {
  expected.lastIndex = 0;
  const ok = expected.test(actual);
  expected.lastIndex = 0;
  return ok;
}

function identityReport(policy: CertificateIdentityPolicy, found: FulcioIdentity): IdentityReport {
  const matcher = (value: string | RegExp): IdentityMatcher =>
    typeof value === "string"
      ? { equals: value }
      : value.flags === ""
      ? { pattern: value.source }
      : { pattern: value.source, flags: value.flags };
  const expected: IdentityReport["expected"] = {};
  if (policy.subject !== undefined) expected.subject = matcher(policy.subject);
  if (policy.issuer !== undefined) expected.issuer = matcher(policy.issuer);
  if (policy.sourceRepositoryUri !== undefined) {
    expected.sourceRepositoryUri = matcher(policy.sourceRepositoryUri);
  }
  if (policy.sourceRepositoryOwnerUri !== undefined) {
    expected.sourceRepositoryOwnerUri = matcher(policy.sourceRepositoryOwnerUri);
  }
  const certificate: IdentityReport["certificate"] = { subjects: [...found.subjects] };
  if (found.issuer !== undefined) certificate.issuer = found.issuer;
  if (found.sourceRepositoryUri !== undefined) {
    certificate.sourceRepositoryUri = found.sourceRepositoryUri;
  }
  if (found.sourceRepositoryOwnerUri !== undefined) {
    certificate.sourceRepositoryOwnerUri = found.sourceRepositoryOwnerUri;
  }
  return { expected, certificate };
}

/**
 * Validates `leaf` at `at` within one certificate-authority entry of the trusted root: that
 * entry's `validFor` covers `at` and the path uses only that entry's certificates (sigstore-go's
 * `FulcioCertificateAuthority.Verify`). Certificates from other entries or from the bundle are
 * never borrowed, so a retired intermediate is not rescued by a current entry sharing its root.
 */
async function chainWithinOneAuthority(
  leaf: Certificate,
  authorities: readonly TrustedAuthority[],
  at: number,
): Promise<{ ok: true; chain: Certificate[] } | { ok: false; message: string }> {
  const within = (ca: TrustedAuthority) =>
    validateChain(leaf, {
      roots: [ca.chain[ca.chain.length - 1]!],
      intermediates: ca.chain.slice(0, -1),
      at,
      requireEku: KEY_PURPOSES.codeSigning,
    });
  let failure: { code: string; message: string } | undefined;
  const inactive: TrustedAuthority[] = [];
  for (const ca of authorities) {
    if (!isValidAt(ca, at)) {
      inactive.push(ca);
      continue;
    }
    const result = await within(ca);
    if (result.ok) return result;
    // A path that exists but fails (time, EKU, CA constraints) says more than "no path".
    if (
      failure === undefined || (failure.code === "CHAIN_UNTRUSTED" && result.code !== failure.code)
    ) {
      failure = result;
    }
  }
  if (failure === undefined || failure.code === "CHAIN_UNTRUSTED") {
    for (const ca of inactive) {
      if ((await within(ca)).ok) {
        return {
          ok: false,
          message:
            `Cannot trust certificate "${leaf.subject.text}": it chains only to certificate ` +
            `authority "${ca.uri}" of the trusted root, which is not valid at ${
              formatRfc3339(at)
            } ` +
            `(valid from ${formatRfc3339(ca.validFrom)}${
              ca.validUntil === undefined ? "" : ` to ${formatRfc3339(ca.validUntil)}`
            })`,
        };
      }
    }
  }
  return {
    ok: false,
    message: failure?.message ??
      `Cannot trust certificate "${leaf.subject.text}": no certificate authority of the trusted root is valid at ${
        formatRfc3339(at)
      }`,
  };
}
