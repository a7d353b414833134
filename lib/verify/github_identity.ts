/**
 * The certificate identity policy of GitHub Actions attestations, as `gh attestation verify`
 * (cli/cli `pkg/cmd/attestation/verify/policy.go` and `verification/extensions.go`) applies it for
 * `--repo OWNER/REPO` and `--signer-workflow`:
 *
 * - the SAN starts with `https://github.com/OWNER/REPO/` (ASCII case-insensitive), or, with a
 *   workflow, is that workflow's URI `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`
 *   (any ref, or exactly the one given);
 * - the OIDC issuer is GitHub Actions' (`https://token.actions.githubusercontent.com`);
 * - the source repository URI (Fulcio extension 1.3.6.1.4.1.57264.1.12) is
 *   `https://github.com/OWNER/REPO` and the source repository owner URI (.1.16)
 *   `https://github.com/OWNER` (case-insensitive), so a workflow run from another repository (a
 *   fork, or any caller of a reusable workflow) does not pass for this one.
 *
 * Only github.com is supported (not GitHub Enterprise Server or ghe.com tenants).
 *
 * @module
 */

import type { CertificateIdentityPolicy } from "./options.ts";

/** The OIDC issuer of GitHub Actions tokens. */
const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const WORKFLOW_FILE = /^[A-Za-z0-9._-]+\.ya?ml$/;

/** Options of {@link githubIdentityPolicy}. */
export interface GithubIdentityOptions {
  /** The repository the workflow ran in, `OWNER/REPO`. */
  repo: string;
  /**
   * The workflow that signed: `.github/workflows/FILE[@REF]` in `repo`, or
   * `[github.com/]OWNER/REPO/.github/workflows/FILE[@REF]` for a reusable workflow of another
   * repository. Without `@REF` any ref matches.
   */
  workflow?: string | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function splitRepo(value: string, what: string): [string, string] {
  const parts = value.split("/");
  const [owner, repo] = parts;
  if (
    parts.length !== 2 || owner === undefined || repo === undefined || !OWNER.test(owner) ||
    !REPO.test(repo) || repo === "." || repo === ".."
  ) {
    throw new RangeError(`Cannot use ${what} "${value}": write it as OWNER/REPO`);
  }
  return [owner, repo];
}

/**
 * Expands a GitHub repository (and optionally the workflow that signed) to the certificate
 * identity policy `gh attestation verify --repo/--signer-workflow` applies (see the module
 * documentation).
 *
 * @param options The repository and the workflow.
 * @returns The policy for the `identity` option of `verifyBundle`.
 * @throws {RangeError} When the repository is not `OWNER/REPO`, or the workflow is not a
 *   `.github/workflows/*.yml|yaml` file (of github.com) with an optional non-empty `@REF`.
 *
 * @example Usage
 * ```ts
 * import { githubIdentityPolicy } from "@stellaops/provenance/verify";
 * import assert from "node:assert/strict";
 * const policy = githubIdentityPolicy({ repo: "octo-org/app", workflow: ".github/workflows/release.yml@refs/heads/main" });
 * assert.equal(policy.subject, "https://github.com/octo-org/app/.github/workflows/release.yml@refs/heads/main");
 * assert.equal(policy.issuer, "https://token.actions.githubusercontent.com");
 * assert.ok(policy.sourceRepositoryUri instanceof RegExp && policy.sourceRepositoryUri.test("https://github.com/Octo-Org/App"));
 * ```
 */
export function githubIdentityPolicy(options: GithubIdentityOptions): CertificateIdentityPolicy {
  if (typeof options !== "object" || options === null || typeof options.repo !== "string") {
    throw new TypeError("Pass the GitHub repository as `repo`");
  }
  const [owner, repo] = splitRepo(options.repo, "GitHub repository");
  const repoUri = `https://github.com/${owner}/${repo}`;
  let subject: string | RegExp = new RegExp(`^${escapeRegExp(repoUri + "/")}`, "i");
  if (options.workflow !== undefined) {
    if (typeof options.workflow !== "string") throw new TypeError("Pass `workflow` as a string");
    subject = workflowSubject(options.workflow, owner, repo);
  }
  return {
    subject,
    issuer: GITHUB_ACTIONS_ISSUER,
    sourceRepositoryUri: new RegExp(`^${escapeRegExp(repoUri)}$`, "i"),
    sourceRepositoryOwnerUri: new RegExp(`^${escapeRegExp(`https://github.com/${owner}`)}$`, "i"),
  };
}

function workflowSubject(value: string, owner: string, repo: string): string | RegExp {
  const bad = (why: string): RangeError =>
    new RangeError(`Cannot use GitHub workflow "${value}": ${why}`);
  let rest = value;
  const firstSegment = rest.split("/")[0] ?? "";
  if (firstSegment.includes(".") && !rest.startsWith(".github/")) {
    if (firstSegment !== "github.com") throw bad("only github.com workflows are supported");
    rest = rest.slice("github.com/".length);
  }
  const at = rest.indexOf("@");
  const path = at === -1 ? rest : rest.slice(0, at);
  const ref = at === -1 ? undefined : rest.slice(at + 1);
  if (ref !== undefined && (ref === "" || /[\s@]/.test(ref))) {
    throw bad("the ref after @ must be non-empty, without spaces");
  }
  let base: string;
  const marker = ".github/workflows/";
  if (path.startsWith(marker)) {
    base = `${owner}/${repo}/${path}`;
  } else {
    const parts = path.split("/");
    if (parts.length < 2) throw bad("write it as .github/workflows/FILE or OWNER/REPO/...");
    splitRepo(`${parts[0]}/${parts[1]}`, "the workflow's repository");
    base = path;
  }
  const file = base.split("/").slice(2).join("/");
  if (!file.startsWith(marker) || !WORKFLOW_FILE.test(file.slice(marker.length))) {
    throw bad("it must name a .github/workflows/*.yml or *.yaml file");
  }
  const uri = `https://github.com/${base}`;
  return ref === undefined ? new RegExp(`^${escapeRegExp(uri)}@`) : `${uri}@${ref}`;
}
