/**
 * Deterministic, seeded mutation of inputs for the fuzz suite: byte-level edits (bit flips,
 * interesting bytes, deletions, insertions, duplications, truncation) and JSON-aware edits (drop,
 * retype, duplicate or reorder keys and elements; edit the bytes inside base64 strings; wrap in
 * whitespace). The same seed gives the same mutations on every machine.
 */

/** A small, fast, seedable PRNG (SplitMix32 over a 32-bit state). */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Next 32-bit unsigned integer. */
  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x0a, 0x30, 0x41];
const INTERESTING_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e300,
  99999999999999,
  2 ** 53 + 2,
  "",
  "\u0000",
  "sha256:" + "0".repeat(64),
  "2026-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "AAAA",
  [],
  {},
];

/** A byte-level mutation of `input` (never returns the same array object). */
export function mutateBytes(rng: Rng, input: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(input);
  const n = bytes.length;
  switch (rng.below(7)) {
    case 0: { // flip one bit
      if (n === 0) return new Uint8Array([rng.below(256)]);
      const at = rng.below(n);
      bytes[at]! ^= 1 << rng.below(8);
      return bytes;
    }
    case 1: { // set one byte to an interesting value
      if (n === 0) return new Uint8Array([rng.pick(INTERESTING_BYTES)]);
      bytes[rng.below(n)] = rng.pick(INTERESTING_BYTES);
      return bytes;
    }
    case 2: { // delete a range
      const at = rng.below(n);
      const len = 1 + rng.below(Math.max(1, Math.min(64, n - at)));
      return concat(bytes.subarray(0, at), bytes.subarray(at + len));
    }
    case 3: { // insert random bytes
      const at = rng.below(n + 1);
      const extra = new Uint8Array(1 + rng.below(8)).map(() => rng.below(256));
      return concat(bytes.subarray(0, at), extra, bytes.subarray(at));
    }
    case 4: { // duplicate a range in place
      const at = rng.below(n);
      const len = 1 + rng.below(Math.max(1, Math.min(64, n - at)));
      return concat(
        bytes.subarray(0, at + len),
        bytes.subarray(at, at + len),
        bytes.subarray(at + len),
      );
    }
    case 5: // truncate
      return bytes.slice(0, rng.below(n));
    default: { // append garbage after the end
      const extra = new Uint8Array(1 + rng.below(4)).map(() => rng.pick(INTERESTING_BYTES));
      return concat(bytes, extra);
    }
  }
}

/** A JSON-aware mutation of a JSON text; falls back to a byte mutation when it does not parse. */
export function mutateJsonText(rng: Rng, input: Uint8Array): Uint8Array<ArrayBuffer> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input));
  } catch {
    return mutateBytes(rng, input);
  }
  const encode = (text: string) => new TextEncoder().encode(text);
  switch (rng.below(4)) {
    case 0: // duplicate a key of some object in the text (strict parsers must reject)
      return encode(duplicateKeyText(rng, value) ?? JSON.stringify(mutateValue(rng, value)));
    case 1: // surrounding whitespace and re-indentation (semantically neutral for JSON readers)
      return encode(
        rng.below(2) === 0 ? JSON.stringify(value, null, 2) : ` ${JSON.stringify(value)}\n`,
      );
    default:
      return encode(JSON.stringify(mutateValue(rng, value)));
  }
}

/** Either kind of mutation, chosen by the RNG. */
export function mutate(rng: Rng, input: Uint8Array, json: boolean): Uint8Array<ArrayBuffer> {
  return json && rng.below(3) !== 0 ? mutateJsonText(rng, input) : mutateBytes(rng, input);
}

/** Applies one structural edit at a random node of a parsed JSON value (returns a new value). */
export function mutateValue(rng: Rng, value: unknown): unknown {
  const copy = structuredClone(value);
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        nodes.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        nodes.push({ parent: node as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  walk(copy);
  if (nodes.length === 0) return rng.pick(INTERESTING_VALUES);
  const { parent, key } = rng.pick(nodes);
  const current = (parent as Record<string | number, unknown>)[key];
  const set = (v: unknown) => void ((parent as Record<string | number, unknown>)[key] = v);
  switch (rng.below(6)) {
    case 0: // remove
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 1: // replace with an interesting value
      set(structuredClone(rng.pick(INTERESTING_VALUES)));
      break;
    case 2: // edit the bytes inside a base64 or hex string, or the string itself
      if (typeof current === "string") set(mutateString(rng, current));
      else set(structuredClone(rng.pick(INTERESTING_VALUES)));
      break;
    case 3: // copy an element or add a key
      if (Array.isArray(parent)) parent.push(structuredClone(current));
      else parent[`${key}x`] = structuredClone(current);
      break;
    case 4: // swap with another node of the same parent
      if (Array.isArray(parent) && parent.length > 1) {
        const other = rng.below(parent.length);
        [parent[key as number], parent[other]] = [parent[other], parent[key as number]];
      } else set(structuredClone(current));
      break;
    default: // numbers: off by one, huge, negative; other values: wrap in an array
      if (typeof current === "number") {
        set(rng.pick([current + 1, current - 1, -current, current * 1e6]));
      } else set([current]);
  }
  return copy;
}

function mutateString(rng: Rng, text: string): string {
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 && text.length >= 8) {
    try {
      const bytes = Uint8Array.fromBase64(text);
      return mutateBytes(rng, bytes).toBase64();
    } catch {
      // not base64 after all
    }
  }
  if (/^[0-9a-f]+$/.test(text) && text.length % 2 === 0) {
    return mutateBytes(rng, Uint8Array.fromHex(text)).toHex();
  }
  return new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(text)));
}

function duplicateKeyText(rng: Rng, value: unknown): string | undefined {
  const objects: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      if (Object.keys(node).length > 0) objects.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(value);
  if (objects.length === 0) return undefined;
  const target = rng.pick(objects);
  const key = rng.pick(Object.keys(target));
  const marker = `"__dup_${rng.next()}__"`;
  const original = target[key];
  target[key] = marker; // placeholder, replaced in the text below
  const text = JSON.stringify(value);
  target[key] = original;
  const replacement = rng.pick([JSON.stringify(original), JSON.stringify(INTERESTING_VALUES[9])]);
  // `"key":<original>,"key":<replacement>` : which one a lax parser keeps is the attack.
  return text.replace(
    `${JSON.stringify(key)}:${JSON.stringify(marker)}`,
    `${JSON.stringify(key)}:${JSON.stringify(original)},${JSON.stringify(key)}:${replacement}`,
  );
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
