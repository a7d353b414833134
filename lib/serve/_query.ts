/**
 * Query parameters of the verification routes: the CLI's flag names, parsed strictly (unknown,
 * repeated or malformed parameters are a 400 problem naming the parameter).
 *
 * @module
 */

import { parseDuration, parseRfc3339 } from "../encoding/time.ts";
import { Problem } from "./_http.ts";
import type { VerifyQuery } from "./_verify.ts";

/** Query parameters of each verification route: name → repeatable. */
export const VERIFY_PARAMS: Readonly<Record<string, boolean>> = {
  "now": false,
  "signed-at": false,
  "not-after": false,
  "skew": false,
  "max-signatures": false,
  "merkle-root": false,
  "artifact-digest": true,
  "image": false,
  "subject-name": false,
  "predicate-type": true,
  "allow-empty": false,
  "certificate-identity": false,
  "certificate-oidc-issuer": false,
  "tlog-threshold": false,
  "timestamp-threshold": false,
  "sct-threshold": false,
};
export const TIMELINE_PARAMS: Readonly<Record<string, boolean>> = {
  "now": false,
  "not-after": false,
  "skew": false,
  "merkle-root": false,
  "expect-head": false,
  "expect-entries": false,
  "allow-unbound-custodians": false,
};

/** Parses the query: unknown, repeated (unless repeatable) or malformed parameters are 400. */
export function parseQuery(
  params: URLSearchParams,
  allowed: Readonly<Record<string, boolean>>,
): Partial<VerifyQuery> {
  const seen = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (!Object.hasOwn(allowed, name)) {
      throw new Problem(
        "QUERY_INVALID",
        `Unknown query parameter "${name}"; known: ${Object.keys(allowed).join(", ")}`,
      );
    }
    const values = seen.get(name) ?? [];
    if (values.length > 0 && !allowed[name]) {
      throw new Problem("QUERY_INVALID", `Give the query parameter "${name}" once`);
    }
    values.push(value);
    seen.set(name, values);
  }
  const one = (name: string) => seen.get(name)?.[0];
  const bad = (name: string, value: string, use: string) =>
    new Problem("QUERY_INVALID", `Cannot parse query parameter ${name}="${value}": use ${use}`);
  const time = (name: string) => {
    const value = one(name);
    if (value === undefined) return undefined;
    try {
      return parseRfc3339(value, name);
    } catch {
      throw bad(name, value, "an RFC 3339 time such as 2026-01-01T00:00:00Z");
    }
  };
  const integer = (name: string, min: number) => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
      throw bad(name, value, `a whole number ≥ ${min}`);
    }
    return Number(value);
  };
  const flag = (name: string) => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (value === "" || value === "true") return true;
    if (value === "false") return false;
    throw bad(name, value, "true or false");
  };
  const text = (name: string, pattern: RegExp, use: string) => {
    const value = one(name);
    if (value !== undefined && !pattern.test(value)) throw bad(name, value, use);
    return value;
  };
  const q: Partial<VerifyQuery> = {};
  const set = <K extends keyof VerifyQuery>(key: K, value: VerifyQuery[K] | undefined) => {
    if (value !== undefined) q[key] = value;
  };
  set("now", time("now"));
  set("signedAt", time("signed-at"));
  set("notAfter", time("not-after"));
  const skew = one("skew");
  if (skew !== undefined) {
    try {
      q.skew = parseDuration(skew, "skew");
    } catch {
      throw bad("skew", skew, "a duration such as 0, 30s, 5m, 24h or 1d");
    }
  }
  set("maxSignatures", integer("max-signatures", 1));
  const digestUse = "sha256:<64 hex> (64 hex digits also do)";
  set("merkleRoot", text("merkle-root", /^(sha256:)?[0-9a-fA-F]{64}$/, digestUse));
  const digests = seen.get("artifact-digest");
  for (const value of digests ?? []) {
    if (!/^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.test(value)) {
      throw bad("artifact-digest", value, "sha256:<64 lowercase hex> (or sha384:, sha512:)");
    }
  }
  set("artifactDigest", digests);
  set("image", text("image", /^[^@\s]+@sha256:[0-9a-f]{64}$/, "NAME@sha256:<64 lowercase hex>"));
  set("subjectName", text("subject-name", /./, "a subject name"));
  const types = seen.get("predicate-type");
  if (types?.some((t) => t === "")) throw bad("predicate-type", "", "a predicate type URI");
  set("predicateType", types);
  set("allowEmpty", flag("allow-empty"));
  set("certificateIdentity", text("certificate-identity", /./, "the expected SAN"));
  set("certificateOidcIssuer", text("certificate-oidc-issuer", /./, "the expected issuer URL"));
  set("tlogThreshold", integer("tlog-threshold", 0));
  set("timestampThreshold", integer("timestamp-threshold", 0));
  set("sctThreshold", integer("sct-threshold", 0));
  set("expectHead", text("expect-head", /^(sha256:)?[0-9a-fA-F]{64}$/, digestUse));
  set("expectEntries", integer("expect-entries", 1));
  set("allowUnboundCustodians", flag("allow-unbound-custodians"));
  return q;
}
