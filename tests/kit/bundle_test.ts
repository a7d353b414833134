/**
 * `deno task bundle` (scripts/build_bundle.ts): reproducible single-file bundles, and the priming
 * recipe of OFFLINE.md: a DENO_DIR holding only the primed `dl/` and `npm/` folders bundles with
 * no network (`unshare -n`). Needs a primed DENO_DIR (`STELLA_PRIMED_DENO_DIR`); without one the
 * tests are reported as ignored, with the reason in their names.
 */

import assert from "node:assert/strict";
import { buildBundle, PATH_PLACEHOLDER, primedEsbuild } from "../../scripts/build_bundle.ts";
import { copyCheckout, findPrimedDenoDir, freshDenoDir, ROOT, UNSHARE } from "./_bundle.ts";

const PRIMED = await findPrimedDenoDir();
const NOT_RUN = PRIMED.dir === undefined ? ` (NOT RUN: ${PRIMED.reason})` : "";
const NETWORK = UNSHARE ? "under unshare -n" : "(unshare -n unavailable: network not cut)";

Deno.test({
  name:
    `deno bundle from two checkout copies and two fresh DENO_DIRs is byte-identical, ${NETWORK}${NOT_RUN}`,
  ignore: PRIMED.dir === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-bundle-" });
    try {
      const results = [];
      for (const path of [`${tmp}/a/stella`, `${tmp}/b/deeper/other-name`]) {
        const root = await copyCheckout(path);
        const denoDir = await freshDenoDir(PRIMED.dir!, tmp);
        const env = { PATH: Deno.env.get("PATH") ?? "", HOME: tmp, DENO_DIR: denoDir };
        results.push(await buildBundle({ root, env, offline: UNSHARE }));
        const text = new TextDecoder().decode(results.at(-1)!.bytes);
        for (const machinePath of [root, denoDir, tmp, ROOT]) {
          assert.ok(!text.includes(machinePath), `bundle contains ${machinePath}`);
        }
        assert.ok(!text.includes(PATH_PLACEHOLDER), "esbuild embedded a path that was rewritten");
      }
      assert.equal(results[0]!.sha256, results[1]!.sha256);
      assert.deepEqual(results[0]!.bytes, results[1]!.bytes);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: `the bundle is self-contained: only node: imports, no npm: or file: specifiers${NOT_RUN}`,
  ignore: PRIMED.dir === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-bundle-" });
    try {
      const env = {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: tmp,
        DENO_DIR: await freshDenoDir(PRIMED.dir!, tmp),
      };
      const { bytes } = await buildBundle({ out: `${tmp}/stella.js`, env, offline: UNSHARE });
      const text = new TextDecoder().decode(bytes);
      // Minified: `import{a as b}from"node:x";`, `import*as c from"…"`, `export{…}from"…"`.
      const specifiers = [
        ...text.matchAll(
          /\b(?:import|export)\s*(?:\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*"([^"]+)"/g,
        ),
      ].map((m) => m[1]!);
      assert.ok(specifiers.length > 0);
      assert.deepEqual(specifiers.filter((s) => !s.startsWith("node:")), []);
      assert.doesNotMatch(text, /\bimport\s*["']/); // no side-effect-only import
      assert.doesNotMatch(text, /\bimport\(\s*["'`](npm|jsr|https?|file):/);
      assert.match(text, /\bimport\.meta\.main&&/);
      // Minified, so nothing of the sources' comments is left to load.
      assert.doesNotMatch(text, /@example/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test(
  `build_bundle fails with the priming hint when esbuild is not cached and there is no network${
    UNSHARE ? "" : " (NOT RUN: unshare -n is not permitted here)"
  }`,
  {
    ignore: !UNSHARE,
  },
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-bundle-" });
    try {
      assert.equal(await primedEsbuild(tmp), undefined);
      const env = { PATH: Deno.env.get("PATH") ?? "", HOME: tmp, DENO_DIR: tmp };
      await assert.rejects(
        buildBundle({ out: `${tmp}/stella.js`, env, offline: true }),
        (error: Error & { status?: number }) => {
          assert.equal(error.status, 2);
          assert.match(error.message, /esbuild 0\.25\.5 is not in .*\/dl\//);
          assert.match(error.message, /OFFLINE\.md/);
          return true;
        },
      );
      await assert.rejects(Deno.stat(`${tmp}/stella.js`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);
