/**
 * What a bundle was built from. In a checkout these are placeholders; `deno task bundle`
 * (`scripts/build_bundle.ts`, {@link BUILD_PLACEHOLDERS}) replaces each quoted placeholder in
 * `dist/stella.js` with the commit (`STELLA_SOURCE_COMMIT`) and `SOURCE_DATE_EPOCH` of the build,
 * so the same inputs give the same bundle bytes. `stella version` prints them.
 *
 * @module
 */

/** The commit the bundle was built from, or a placeholder outside a bundle. */
export const BUILD_COMMIT: string = "@@STELLA_BUILD_COMMIT@@";
/** The `SOURCE_DATE_EPOCH` the bundle was built with, or a placeholder outside a bundle. */
export const BUILD_SOURCE_DATE_EPOCH: string = "@@STELLA_BUILD_SOURCE_DATE_EPOCH@@";

/** The placeholders, as the bundle script finds them (each exactly once, with its quotes). */
export const BUILD_PLACEHOLDERS = {
  commit: ["@@STELLA_BUILD", "COMMIT@@"].join("_"),
  sourceDateEpoch: ["@@STELLA_BUILD", "SOURCE_DATE_EPOCH@@"].join("_"),
} as const;

/** What the running code was built from: set in a bundle, `undefined` in a checkout. */
export function buildInfo(): { commit: string; sourceDateEpoch: string } | undefined {
  if (BUILD_COMMIT === BUILD_PLACEHOLDERS.commit) return undefined;
  return { commit: BUILD_COMMIT, sourceDateEpoch: BUILD_SOURCE_DATE_EPOCH };
}
