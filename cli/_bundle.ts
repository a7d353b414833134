/**
 * `stella forensic verify BUNDLE --trusted-root trusted_root.json (--key PUB |
 * --certificate-identity ID --certificate-oidc-issuer URL | --github-repo OWNER/REPO)
 * [--artifact FILE | --artifact-digest sha256:HEX] [--json]`: adapter over {@link verifyBundle}
 * (and {@link githubIdentityPolicy} for `--github-repo`/`--github-workflow`). Same exit codes and `--json` canonical
 * output as `stella forensic verify` for envelopes: 0 verified, 1 evaluated and not verified,
 * 2 could not run (unknown flag, missing file, unreadable trusted root or key).
 *
 * @module
 */

import { ParseError } from "../lib/encoding/errors.ts";
import { parseSigstoreBundle } from "../lib/model/sigstore_bundle.ts";
import { digestArtifact } from "../lib/verify/subject_check.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../lib/model/dsse.ts";
import type { VerificationReport } from "../lib/verify/report.ts";
import type { CertificateIdentityPolicy, VerifyOptions } from "../lib/verify/options.ts";
import { verifyBundle } from "../lib/verify/verify_bundle.ts";
import { readTrust, timeOptions } from "./_verify_options.ts";
import { githubIdentityPolicy } from "../lib/verify/github_identity.ts";
import { expectPositionals, parseCountFlag, parseStrict } from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import { BUNDLE_FLAGS, BUNDLE_HELP } from "./_bundle_help.ts";
import { createReportOutput, outputFlags, summarizeOne } from "./_report_output.ts";

const FLAGS = BUNDLE_FLAGS;

function regexp(flag: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new CliError(`Cannot parse ${flag} "${source}": not a regular expression`);
  }
}

/**
 * Runs the bundle form of `stella forensic verify`.
 *
 * @param args The arguments after `forensic verify`.
 * @param io The CLI's I/O.
 * @returns The exit status: 0 verified, 1 not verified, 2 could not run.
 */
export async function verifyBundleCommand(args: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    if (values.help) {
      io.stdout(BUNDLE_HELP);
      return 0;
    }
    expectPositionals(positionals, "the bundle file to verify", { min: 1, max: 1 });
    const output = outputFlags(values);
    const bundlePath = positionals[0]!;
    if (values["trusted-root"] === undefined) {
      throw new CliError("Name the trusted root with --trusted-root FILE");
    }
    const subject = values["certificate-identity"] ??
      (values["certificate-identity-regexp"] === undefined
        ? undefined
        : regexp("--certificate-identity-regexp", values["certificate-identity-regexp"]));
    const issuer = values["certificate-oidc-issuer"] ??
      (values["certificate-oidc-issuer-regexp"] === undefined
        ? undefined
        : regexp("--certificate-oidc-issuer-regexp", values["certificate-oidc-issuer-regexp"]));
    const githubRepo = values["github-repo"];
    const githubWorkflow = values["github-workflow"];
    if (githubWorkflow !== undefined && githubRepo === undefined) {
      throw new CliError(
        "Name the repository the workflow ran for with --github-repo OWNER/REPO (--github-workflow needs it)",
      );
    }
    if (values.key !== undefined && githubRepo !== undefined) {
      throw new CliError("Use either --key or --github-repo, not both");
    }
    if (githubWorkflow !== undefined && subject !== undefined) {
      throw new CliError(
        "Use either --github-workflow or --certificate-identity(-regexp), not both",
      );
    }
    if (
      values.key === undefined && githubRepo === undefined &&
      (subject === undefined || issuer === undefined)
    ) {
      throw new CliError(
        "Name the signer with --key PEM, with --certificate-identity and --certificate-oidc-issuer, or with --github-repo OWNER/REPO",
      );
    }
    if (values.key !== undefined && (subject !== undefined || issuer !== undefined)) {
      throw new CliError(
        "Use either --key or --certificate-identity/--certificate-oidc-issuer, not both",
      );
    }
    let identity: CertificateIdentityPolicy | undefined;
    if (githubRepo !== undefined) {
      try {
        identity = githubIdentityPolicy({ repo: githubRepo, workflow: githubWorkflow });
      } catch (error) {
        if (error instanceof RangeError) {
          const flag = /^Cannot use (GitHub workflow|the workflow's)/.test(error.message)
            ? "--github-workflow"
            : "--github-repo";
          throw new CliError(`${error.message} (${flag})`);
        }
        throw error;
      }
      // As with gh: an explicit SAN or issuer replaces the expanded one.
      if (subject !== undefined) identity.subject = subject;
      if (issuer !== undefined) identity.issuer = issuer;
    } else if (values.key === undefined) {
      identity = { subject, issuer };
    }
    const tlogThreshold = parseCountFlag("--tlog-threshold", values["tlog-threshold"], 0, 999_999);
    const timestampThreshold = parseCountFlag(
      "--timestamp-threshold",
      values["timestamp-threshold"],
      0,
      999_999,
    );
    const sctThreshold = parseCountFlag("--sct-threshold", values["sct-threshold"], 0, 999_999);
    if (values.artifact !== undefined && values["artifact-digest"] !== undefined) {
      throw new CliError("Use either --artifact or --artifact-digest, not both");
    }
    const digest = values["artifact-digest"];
    if (
      digest !== undefined &&
      !/^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.test(digest)
    ) {
      throw new CliError(
        `Cannot parse --artifact-digest "${digest}": use sha256:<64 lowercase hex digits> (or sha384:/sha512:)`,
      );
    }
    await refuseOverwritingInput(io, "--out", output.out, [
      bundlePath,
      values["trusted-root"],
      values.key,
      values.artifact,
    ]);
    // An unreadable trusted root is a usage error (exit 2), not a verdict (readTrust).
    const trust = await readTrust(io, { key: values.key, trustedRoot: values["trusted-root"] });
    const bundleBytes = await io.readFile(bundlePath);
    const artifact = values.artifact === undefined
      ? undefined
      : await readArtifact(io, values.artifact, bundleBytes);
    const options: VerifyOptions = {
      ...timeOptions(io, values),
      identity,
      tlogThreshold,
      timestampThreshold,
      sctThreshold,
      artifact: artifact instanceof Uint8Array ? artifact : undefined,
      artifactDigest: artifact !== undefined && !(artifact instanceof Uint8Array)
        ? [artifact.digest]
        : digest === undefined
        ? undefined
        : [digest],
      name: bundlePath,
    };
    let report: VerificationReport;
    try {
      report = await verifyBundle(bundleBytes, trust, options);
    } catch (error) {
      if (error instanceof ParseError) {
        throw new CliError(`Cannot load --key "${values.key}": ${error.message}`);
      }
      throw error;
    }
    const sink = createReportOutput(io, { json: values.json, single: true, ...output });
    sink.report(bundlePath, report);
    await sink.finish(summarizeOne(report), false);
    return report.verified ? 0 : 1;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`stella: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * The artifact's bytes when it is at most `limit` bytes (default 32 MiB: a message signature of
 * some key types covers the bytes themselves), else its digest hashed as a stream, under the
 * algorithm the bundle's message digest names (SHA-384 for P-384 keys, SHA-512 for P-521;
 * otherwise SHA-256): memory stays bounded whatever the artifact's size.
 *
 * @param io The CLI's I/O.
 * @param path The artifact file.
 * @param bundle The bundle's bytes (only its message digest algorithm is read; untrusted).
 * @param limit Largest artifact read whole.
 * @returns The bytes, or `{ digest: "alg:hex" }`.
 */
export async function readArtifact(
  io: Io,
  path: string,
  bundle: Uint8Array,
  limit: number = DEFAULT_ENVELOPE_MAX_BYTES,
): Promise<Uint8Array | { digest: string }> {
  const head = await io.readFile(path, { maxBytes: limit });
  if (head.length <= limit) return head;
  const digests = await digestArtifact(await io.openFile(path, { reuseBuffers: true }));
  let algorithm: keyof typeof digests = "sha256";
  try {
    const content = parseSigstoreBundle(bundle).content;
    const named = content.kind === "messageSignature"
      ? content.messageDigest?.algorithm
      : undefined;
    if (named === "SHA2_384") algorithm = "sha384";
    if (named === "SHA2_512") algorithm = "sha512";
  } catch {
    // A bundle that does not parse is reported by verifyBundle itself.
  }
  return { digest: `${algorithm}:${digests[algorithm]}` };
}
