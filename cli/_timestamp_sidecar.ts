/**
 * Where a custody timeline entry's RFC 3161 token is stored, so that `stella forensic verify
 * --timeline` finds what `stella timeline append --timestamp` attached. The envelope itself stays
 * standard DSSE and its bytes (which the next entry's `previous` hashes) never change: the token
 * (DER, as `openssl ts -reply` writes it) lives in a sidecar file next to the entry.
 *
 * @module
 */

/**
 * The sidecar path of an entry's token: `FILE.tsr` for an envelope file, `TIMELINE.jsonl.N.tsr`
 * for the entry on line N+1 of a JSON Lines timeline (N is the 0-based line index: the entry's
 * sequence in a well-formed timeline).
 *
 * @param path The envelope file, or the JSON Lines file.
 * @param line For JSON Lines: the entry's 0-based line index.
 * @returns The sidecar path.
 */
export function timestampSidecar(path: string, line?: number): string {
  return line === undefined ? `${path}.tsr` : `${path}.${line}.tsr`;
}
