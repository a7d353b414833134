// Deterministic random JSON values for the canonical JSON and strict parser tests.

/** Seeded PRNG (mulberry32): the same seed always yields the same sequence. */
export function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Member names that stress sorting, escaping and JavaScript's own key ordering. */
export const KEY_POOL: readonly string[] = [
  "",
  "a",
  "b",
  "aa",
  "ab",
  "B",
  "Z",
  "_type",
  "1",
  "9",
  "10",
  "01",
  "4294967295",
  "4294967294",
  "$",
  "-1",
  "__proto__",
  "constructor",
  "toString",
  "é",
  "€",
  "\u{1F600}",
  "\uFB01",
  "\u0000",
  "\n",
  'a"b',
  "\\",
  "</script>",
  "\u00e9t\u00e9",
];

/** Strings that stress escaping (controls, quotes, backslashes, non-ASCII, surrogate pairs). */
export const STRING_POOL: readonly string[] = [
  "",
  "plain",
  "sha256:0123abcd",
  '"quoted"',
  "back\\slash",
  "\\ud800 is text, not a surrogate",
  "\\\\ud800",
  "\b\f\n\r\t",
  "\u0000\u0001\u001f\u007f",
  "/slash/",
  "\u2028\u2029",
  "€ 😀 \u{10FFFF}",
  "A\u030A",
  "\uFEFF",
];

/** Numbers with short, long, tiny, huge, negative and integer forms. */
export function randomNumber(random: () => number): number {
  switch (Math.floor(random() * 8)) {
    case 0:
      return Math.floor(random() * 1000) - 500;
    case 1:
      return (random() - 0.5) * 1e6;
    case 2:
      return random() * 1e-300;
    case 3:
      return (random() - 0.5) * 1e300;
    case 4:
      return Number.MAX_SAFE_INTEGER - Math.floor(random() * 10);
    case 5:
      return -0;
    case 6:
      return Math.round(random() * 1e4) / 100;
    default:
      return new Float64Array(
        new BigUint64Array([
          BigInt(Math.floor(random() * 2 ** 32)) << 32n | BigInt(Math.floor(random() * 2 ** 32)),
        ]).buffer,
      )[0]! || 0.5;
  }
}

/** Options of {@link randomJson}. */
export interface RandomJsonOptions {
  /** Let objects hold members whose value is `undefined` (omitted when serialized). */
  undefinedMembers?: boolean;
}

/** A random JSON value of at most `depth` levels (finite numbers, valid strings). */
export function randomJson(
  random: () => number,
  depth: number,
  options: RandomJsonOptions = {},
): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const kind = depth <= 0 ? Math.floor(random() * 4) : Math.floor(random() * 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2: {
      const n = randomNumber(random);
      return Number.isFinite(n) ? n : 1;
    }
    case 3:
      return random() < 0.7 ? pick(STRING_POOL) : pick(KEY_POOL) + pick(STRING_POOL);
    case 4: {
      const length = Math.floor(random() * 5);
      return Array.from({ length }, () => randomJson(random, depth - 1, options));
    }
    default: {
      const object: Record<string, unknown> = {};
      const size = Math.floor(random() * 7);
      for (let i = 0; i < size; i++) {
        const key = random() < 0.8 ? pick(KEY_POOL) : pick(KEY_POOL) + pick(KEY_POOL);
        const value = options.undefinedMembers === true && random() < 0.1
          ? undefined
          : randomJson(random, depth - 1, options);
        Object.defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** A plain recursive RFC 8785 serializer used as an independent oracle. */
export function referenceCanonicalize(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(referenceCanonicalize).join(",") + "]";
  const object = value as Record<string, unknown>;
  return "{" +
    Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => JSON.stringify(key) + ":" + referenceCanonicalize(object[key]))
      .join(",") +
    "}";
}
