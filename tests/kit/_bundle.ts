/**
 * Test helpers for the bundle and kit builds: where a DENO_DIR primed with esbuild is, fresh
 * DENO_DIRs holding only what OFFLINE.md says to carry, checkout copies, and `unshare -n`.
 */

import { primedEsbuild, resolveDenoDir } from "../../scripts/build_bundle.ts";

/** Path of the repository root (no trailing slash). */
export const ROOT: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** A primed DENO_DIR, or why there is none (shown in the names of tests that need one). */
export type Primed = { dir: string; reason?: undefined } | { dir?: undefined; reason: string };

/**
 * Finds a DENO_DIR primed with esbuild: `$STELLA_PRIMED_DENO_DIR`, else
 * `<root>/.deno-local/deno-dir-esbuild`, else the DENO_DIR of this process.
 */
export async function findPrimedDenoDir(): Promise<Primed> {
  const given = Deno.env.get("STELLA_PRIMED_DENO_DIR");
  if (given !== undefined && given !== "") {
    return (await primedEsbuild(given)) !== undefined
      ? { dir: given }
      : { reason: `STELLA_PRIMED_DENO_DIR=${given} holds no esbuild` };
  }
  for (const dir of [`${ROOT}/.deno-local/deno-dir-esbuild`, await resolveDenoDir()]) {
    if ((await primedEsbuild(dir)) !== undefined) return { dir };
  }
  return {
    reason: "no DENO_DIR primed with esbuild: set STELLA_PRIMED_DENO_DIR (see OFFLINE.md)",
  };
}

/** Whether `unshare -n` works here (no network namespace means no network at all). */
export const UNSHARE: boolean = await (async () => {
  try {
    return (await new Deno.Command("unshare", { args: ["-n", "true"], stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
})();

async function cp(args: string[]): Promise<void> {
  const out = await new Deno.Command("cp", { args, stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`cp ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A new DENO_DIR holding only `dl/` and `npm/` of the primed one: what OFFLINE.md says to carry. */
export async function freshDenoDir(primed: string, parent: string): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: parent, prefix: "deno-dir-" });
  await cp(["-a", `${primed}/dl`, `${dir}/dl`]);
  try {
    await Deno.stat(`${primed}/npm`);
    await cp(["-a", `${primed}/npm`, `${dir}/npm`]);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return dir;
}

/** Files of a checkout that building, bundling and running the CLI need. */
const CHECKOUT = ["deno.json", "deno.lock", "mod.ts", "cli", "lib", "scripts", "node_modules"];

/** Copies the checkout's sources (not tests, fixtures or dist) to `dest`. */
export async function copyCheckout(dest: string): Promise<string> {
  await Deno.mkdir(dest, { recursive: true });
  await cp(["-a", ...CHECKOUT.map((name) => `${ROOT}/${name}`), `${dest}/`]);
  return dest;
}

/** Reads every file under `dir` as relative path → bytes, paths sorted. */
export async function readTree(dir: string): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  const walk = async (relative: string) => {
    for await (const entry of Deno.readDir(relative === "" ? dir : `${dir}/${relative}`)) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else out.push([path, await Deno.readFile(`${dir}/${path}`)]);
    }
  };
  await walk("");
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
