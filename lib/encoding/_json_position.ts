/**
 * Where strict JSON parsing failed, for its messages: UTF-8 byte offsets of UTF-16 positions,
 * the first invalid UTF-8 sequence, line and column, and a quoted excerpt. Internal to
 * `strict_json.ts`.
 *
 * @module
 */

/** UTF-8 length of `text.slice(0, end)` (lone surrogates count as 3 bytes, as U+FFFD). */
export function utf8Length(text: string, end: number = text.length): number {
  let length = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    } else length += 3;
  }
  return length;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629 §4). */
export function findInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // overlong
      if (b === 0xed) max = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90; // overlong
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1]!;
    if (second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let at = text.indexOf("\n"); at !== -1 && at < end; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Describes the character at `offset` for a message: `'x'`, `U+0007` or `end of input`. */
export function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return "end of input";
  const c = text.codePointAt(offset)!;
  if (c > 0x20 && c < 0x7f) return c === 39 ? `"'"` : `'${String.fromCharCode(c)}'`;
  return "U+" + c.toString(16).toUpperCase().padStart(4, "0");
}

/** Quotes a member name for a message, shortened to 64 characters. */
export function quoteKey(key: string): string {
  const shown = key.length > 64 ? key.slice(0, 64) + "…" : key;
  return JSON.stringify(shown);
}
