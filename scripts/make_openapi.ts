/**
 * Writes `docs/openapi.json` from the document the handler serves (`lib/serve/_openapi.ts`), so
 * the file and `GET /openapi.json` are the same document:
 * `deno run --allow-write=docs scripts/make_openapi.ts` (`deno task openapi`).
 */
import { OPENAPI_DOCUMENT } from "../lib/serve/_openapi.ts";

await Deno.writeTextFile(
  new URL("../docs/openapi.json", import.meta.url),
  JSON.stringify(OPENAPI_DOCUMENT, null, 2) + "\n",
);
