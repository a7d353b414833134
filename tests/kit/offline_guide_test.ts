import assert from "node:assert/strict";
import { OFFLINE_GUIDE } from "../../mod.ts";
import { GUIDE_MODULE, guideModule } from "../../scripts/build_bundle.ts";

const ROOT = new URL("../../", import.meta.url);
const SYNC = "deno run --allow-read --allow-write=lib/kit scripts/build_bundle.ts --sync-guide";

Deno.test("OFFLINE_GUIDE is the repository's OFFLINE.md, byte for byte", async () => {
  const markdown = await Deno.readTextFile(new URL("OFFLINE.md", ROOT));
  assert.equal(OFFLINE_GUIDE, markdown, `OFFLINE.md changed: run "${SYNC}"`);
  assert.equal(
    await Deno.readTextFile(new URL(GUIDE_MODULE, ROOT)),
    guideModule(markdown),
    `${GUIDE_MODULE} is not what "${SYNC}" writes`,
  );
});

Deno.test("OFFLINE_GUIDE tells operators how to check and run the kit, and what a build host needs", () => {
  for (
    const needle of [
      "sha256sum -c SHA256SUMS",
      "deno run --allow-read stella.js kit verify . --key",
      "KIT_FILE_MISSING",
      "KIT_FILE_ALTERED",
      "KIT_FILE_EXTRA",
      "deno run --allow-read stella.js forensic verify",
      "SOURCE_DATE_EPOCH",
      "$DENO_DIR/dl/esbuild-0.25.5-1/esbuild-linux-x64",
      "DENORT_BIN",
      "$DENO_DIR/dl/release/v2.9.6/denort-<target>.zip",
    ]
  ) {
    assert.ok(OFFLINE_GUIDE.includes(needle), needle);
  }
});

Deno.test("guideModule() escapes backticks, backslashes and template placeholders", async () => {
  const source = guideModule("a `b` \\ ${c}\n");
  const url = `data:application/typescript;base64,${btoa(source)}`;
  const module = await import(url) as { OFFLINE_GUIDE: string };
  assert.equal(module.OFFLINE_GUIDE, "a `b` \\ ${c}\n");
});
