/**
 * Test vectors written by other projects are read in place, never copied into this repository.
 *
 * They live in `../shared/vectors/<set>/`, resolved from the repository root; the environment
 * variable `STELLA_VECTORS_DIR` names another folder that holds the sets. Where a set is absent (a
 * plain clone without `../shared`) every suite over it is registered as ignored and one line names
 * the missing folder, so `deno task test` stays green on the project's own fixtures. With
 * `STELLA_REQUIRE_VECTORS=1` (CI sets it) a missing set, or a suite that ran zero cases, fails.
 *
 * ```ts ignore
 * const CONFORMANCE = vectorSet("sigstore-conformance");
 * vectorTest(CONFORMANCE, "every bundle-verify case", async () => {
 *   const index = await CONFORMANCE.readJson("cases.index.json");
 *   // … one assertion per case …
 *   return index.cases.length; // the number of cases this test ran
 * });
 * ```
 */

const ROOT_URL = new URL("../", import.meta.url);

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

/** The folder that holds the vector sets, with a trailing slash. */
export const VECTORS_DIR: string = (() => {
  const override = env("STELLA_VECTORS_DIR");
  if (override !== undefined && override !== "") {
    const absolute = override.startsWith("/") ? override : `${Deno.cwd()}/${override}`;
    return absolute.endsWith("/") ? absolute : absolute + "/";
  }
  return new URL("../shared/vectors/", ROOT_URL).pathname;
})();

/** `file:` URL of {@link VECTORS_DIR}, for suites that read several sets by relative path. */
export const VECTORS_URL: URL = (() => {
  const url = new URL("file:///");
  url.pathname = VECTORS_DIR;
  return url;
})();

/** True when `STELLA_REQUIRE_VECTORS=1`: absent sets and empty suites are failures. */
export const REQUIRE_VECTORS: boolean = env("STELLA_REQUIRE_VECTORS") === "1";

/** One vector set (a folder under {@link VECTORS_DIR}) and ways to read its files in place. */
export interface VectorSet {
  /** The set's folder name, e.g. `sigstore-conformance`. */
  readonly name: string;
  /** Absolute path of the set's folder, with a trailing slash. */
  readonly dir: string;
  /** Whether the folder exists and can be read. */
  readonly present: boolean;
  /** Absolute path of a file inside the set. */
  path(relative: string): string;
  /** `file:` URL of a file inside the set. */
  url(relative: string): URL;
  /** The bytes of a file inside the set. */
  read(relative: string): Promise<Uint8Array<ArrayBuffer>>;
  /** The text of a file inside the set. */
  readText(relative: string): Promise<string>;
  /** A file inside the set, parsed with `JSON.parse` (vectors are trusted test input). */
  // deno-lint-ignore no-explicit-any
  readJson(relative: string): Promise<any>;
}

const announced = new Set<string>();

/** Describes the vector set `name`; reports its absence once per process. */
export function vectorSet(name: string): VectorSet {
  const dir = VECTORS_DIR + name + "/";
  let present = false;
  try {
    present = Deno.statSync(dir).isDirectory;
  } catch {
    present = false;
  }
  if (!present && !REQUIRE_VECTORS && !announced.has(name)) {
    announced.add(name);
    // deno-lint-ignore no-console
    console.log(`skipping vector suites over ${name}: ${dir} is absent`);
  }
  const path = (relative: string) => dir + relative;
  return {
    name,
    dir,
    present,
    path,
    url: (relative) => {
      const url = new URL("file:///");
      url.pathname = path(relative); // percent-encodes "#", "?", "%" and the like
      return url;
    },
    read: (relative) => Deno.readFile(path(relative)),
    readText: (relative) => Deno.readTextFile(path(relative)),
    readJson: async (relative) => JSON.parse(await Deno.readTextFile(path(relative))),
  };
}

/**
 * Registers a test over one or more vector sets. The body returns the number of cases it ran
 * (printed, and with `STELLA_REQUIRE_VECTORS=1` zero is a failure) or nothing when it checks a
 * single fixed case. Where a set is absent the test is ignored, or fails under
 * `STELLA_REQUIRE_VECTORS=1`.
 */
export function vectorTest(
  sets: VectorSet | VectorSet[],
  name: string,
  fn: (t: Deno.TestContext) => Promise<number | void> | number | void,
): void {
  const list = Array.isArray(sets) ? sets : [sets];
  const missing = list.filter((set) => !set.present);
  const label = `[vectors: ${list.map((set) => set.name).join(", ")}] ${name}`;
  if (missing.length > 0 && !REQUIRE_VECTORS) {
    Deno.test({ name: label, ignore: true, fn: () => {} });
    return;
  }
  Deno.test(label, async (t) => {
    if (missing.length > 0) {
      throw new Error(
        `STELLA_REQUIRE_VECTORS=1 but ${missing.map((set) => set.dir).join(", ")} is absent`,
      );
    }
    const count = await fn(t);
    if (typeof count === "number") {
      // deno-lint-ignore no-console
      console.log(`  ${count} cases`);
      if (count === 0 && REQUIRE_VECTORS) {
        throw new Error(`STELLA_REQUIRE_VECTORS=1 but the suite ran zero cases`);
      }
    }
  });
}
