/**
 * Container image references, `NAME[:TAG]@sha256:HEX` (the distribution/reference grammar of
 * `docker/distribution`, pinned to a sha256 digest), as promotion attestations take them.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";

/**
 * An image reference split into its parts by {@link parseImageReference}.
 *
 * @example Usage
 * ```ts
 * import { type ImageReference } from "@stellaops/provenance/model";
 * import { parseImageReference } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const ref: ImageReference = parseImageReference(`registry.example/app@sha256:${hex}`);
 * assert.deepEqual(ref, { name: "registry.example/app", sha256: hex });
 * assert.equal(ref.tag, undefined);
 * ```
 */
export interface ImageReference {
  /** Repository name, registry host included. */
  name: string;
  /** Tag, when the reference had one. */
  tag?: string;
  /** Manifest digest, 64 lowercase hex digits. */
  sha256: string;
}

// Image references (OCI distribution `reference` grammar, simplified): an optional registry host
// (with port), lowercase path components separated by `/`, an optional tag, and the digest.
const HOST =
  "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)";
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";

const IMAGE_RE = new RegExp(
  `^(?<name>${HOST}?${COMPONENT}(?:/${COMPONENT})*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?` +
    "@sha256:(?<hex>[0-9a-f]{64})$",
);

/**
 * Splits an image reference `NAME[:TAG]@sha256:HEX` into repository name, tag and digest.
 *
 * @param reference The reference, e.g. `registry.example:5000/team/app:2.3.0@sha256:<64 hex>`.
 * @param name Name of the input for the message (e.g. `--image`).
 * @returns The parts.
 * @throws {ParseError} `IMAGE_REFERENCE_INVALID` when the reference has no `@sha256:` digest of
 *   64 lowercase hex digits or the name is not a valid repository name.
 *
 * @example Usage
 * ```ts
 * import { parseImageReference } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * assert.deepEqual(parseImageReference(`localhost:5000/team/app:2.3.0@sha256:${hex}`), {
 *   name: "localhost:5000/team/app",
 *   tag: "2.3.0",
 *   sha256: hex,
 * });
 * assert.throws(() => parseImageReference("app:latest"), { code: "IMAGE_REFERENCE_INVALID" });
 * ```
 */
export function parseImageReference(reference: string, name?: string): ImageReference {
  const label = name === undefined ? "image reference" : `${name}`;
  if (typeof reference !== "string") {
    throw new ParseError("IMAGE_REFERENCE_INVALID", `Cannot parse ${label}: expected a string`);
  }
  const match = IMAGE_RE.exec(reference);
  if (match === null) {
    const at = reference.lastIndexOf("@");
    const why = at < 0
      ? "it has no digest; pin the image as NAME@sha256:HEX"
      : !/^sha256:[0-9a-f]{64}$/.test(reference.slice(at + 1))
      ? "the digest must be sha256: followed by 64 lowercase hex digits"
      : "the name is not a repository name (lowercase path components, optional registry host and :tag)";
    throw new ParseError(
      "IMAGE_REFERENCE_INVALID",
      `Cannot parse ${label} ${JSON.stringify(reference.slice(0, 200))}: ${why}`,
      Math.max(at, 0),
    );
  }
  const groups = match.groups!;
  const out: ImageReference = { name: groups["name"]!, sha256: groups["hex"]! };
  if (groups["tag"] !== undefined) out.tag = groups["tag"];
  return out;
}
