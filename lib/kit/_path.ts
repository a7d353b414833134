/**
 * Kit paths: relative, `/`-separated, no empty, `.` or `..` segments, no backslashes and no
 * control characters, so that every path is written to `SHA256SUMS` verbatim (coreutils escapes
 * only names with a backslash or newline) and cannot leave the kit directory.
 *
 * @module
 */

/** Longest accepted kit path, in UTF-16 code units. */
const MAX_PATH_LENGTH = 1024;

/** Whether `path` is a plain relative kit path (see the module doc). */
export function isKitPath(path: unknown): path is string {
  if (typeof path !== "string" || path.length === 0 || path.length > MAX_PATH_LENGTH) return false;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Orders strings by UTF-16 code units (the order of every list the kit writes). */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
