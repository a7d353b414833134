/**
 * The operator guide every kit carries as `OFFLINE.md`: how to carry the kit into an air-gapped
 * site, check it (`sha256sum -c SHA256SUMS`, `stella kit verify`) and run it, and what an
 * air-gapped build host needs. Generated from the repository's `OFFLINE.md` by
 * `deno run --allow-read --allow-write=lib/kit scripts/build_bundle.ts --sync-guide`; a test keeps
 * the two identical.
 *
 * @module
 */

/**
 * Text of the kit's `OFFLINE.md` (Markdown), the default guide of `buildKit`.
 *
 * @example Usage
 * ```ts
 * import { OFFLINE_GUIDE } from "@stellaops/provenance/kit";
 * import assert from "node:assert/strict";
 * assert.ok(OFFLINE_GUIDE.includes("sha256sum -c SHA256SUMS"));
 * ```
 */
export const OFFLINE_GUIDE: string = `# StellaOps Provenance offline kit

This kit carries the \`stella\` verifier into an air-gapped site. You can check that what you carry is
what was built, with coreutils and with the tool itself, before you trust it.

## What is in the kit

| file                   | what it is                                                                                           |
| ---------------------- | ---------------------------------------------------------------------------------------------------- |
| \`stella.js\`            | the whole \`stella\` CLI as one JavaScript file; runs with \`deno run\`, needs nothing else              |
| \`stella-<target>\`      | compiled binaries (optional), e.g. \`stella-x86_64-unknown-linux-gnu\`; need nothing, not even Deno    |
| \`OFFLINE.md\`           | this guide                                                                                           |
| \`provenance.dsse.json\` | signed SLSA Provenance v1 of the artifacts: builder, source commit, \`deno.lock\` digest, Deno version |
| \`manifest.dsse.json\`   | signed list of every file above with its sha256, size and role                                       |
| \`SHA256SUMS\`           | \`sha256sum -c\` checksums of every other file                                                         |

Two things come to you separately, never inside the kit: the kit's **public key** (\`kit.pub.pem\`)
and the **sha256 of \`SHA256SUMS\`** that \`stella kit build\` printed. Get them through a channel you
trust (signed release notes, a ticket, a phone call read-back).

## 1. Carry it

Copy the directory as it is, e.g. on removable media, or as an archive:

\`\`\`sh
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf stella-kit.tar stella-kit/
\`\`\`

File times and owners are not part of the kit: \`SHA256SUMS\` and the manifest cover the bytes.

## 2. Check it on arrival

With nothing but coreutils (do this first: the tool in the kit is not trusted yet):

\`\`\`sh
cd stella-kit
sha256sum SHA256SUMS      # must equal the digest you received out of band
sha256sum -c SHA256SUMS   # every line must say OK
\`\`\`

Then with \`stella\`, which also checks the signatures, the manifest and the provenance:

\`\`\`sh
deno run --allow-read stella.js kit verify . --key /path/to/kit.pub.pem
# or, with a compiled binary:
./stella-x86_64-unknown-linux-gnu kit verify . --key /path/to/kit.pub.pem
\`\`\`

Exit status **0**: verified. **1**: not verified; the report names every file that is missing,
altered or not listed (\`KIT_FILE_MISSING\`, \`KIT_FILE_ALTERED\`, \`KIT_FILE_EXTRA\`) and every signature
that failed. **2**: the command could not run (wrong directory, unreadable key). Add \`--json\` for
the report as canonical JSON.

A tampered kit could carry a tampered verifier, so \`stella kit verify\` from the kit itself is a
second opinion: the out-of-band digest of \`SHA256SUMS\` plus \`sha256sum -c\` is the anchor. If you
already have a \`stella\` you trust (from an earlier kit), verify the new kit with that one.

## 3. Run it

\`\`\`sh
deno run --allow-read stella.js forensic verify promo.dsse.json --key build.pub.pem --json
./stella-x86_64-unknown-linux-gnu forensic verify promo.dsse.json --key build.pub.pem
deno run --allow-read stella.js --help
\`\`\`

- \`stella.js\` needs Deno 2.9.6 (the version it is built and tested with) and nothing else: no
  network, no \`node_modules\`, no populated \`DENO_DIR\`. Verification needs only \`--allow-read\`.
  Commands that write files (\`kit build\`, \`keys generate\`, \`sign --out\`, \`attest … --out\`) also need
  \`--allow-write\`, and \`--allow-env\` for \`SOURCE_DATE_EPOCH\`, \`COSIGN_PASSWORD\` and the like.
- The compiled binaries have \`--allow-read --allow-write --allow-env\` built in and never get
  network, subprocess, FFI or system access.
- Exit status everywhere: 0 success/verified, 1 evaluated and rejected, 2 could not run.

## Building a kit

On the build host, from a clone of the repository at the commit to ship:

\`\`\`sh
export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)   # fixes every time in the kit
export STELLA_SOURCE_COMMIT=$(git rev-parse HEAD)
deno task bundle                                      # dist/stella.js
deno task compile                                     # dist/stella-<host target> (needs denort)
deno task compile --target aarch64-unknown-linux-gnu  # other targets, one runtime each
deno task stella keys generate --algorithm ed25519 --out kit   # once: kit.key.pem, kit.pub.pem
deno task stella kit build --out stella-kit --key kit.key.pem \\
  --binary dist/stella-x86_64-unknown-linux-gnu
deno task stella kit verify stella-kit --key kit.pub.pem
\`\`\`

\`stella kit build\` prints the sha256 of \`SHA256SUMS\`: publish it with \`kit.pub.pem\`. The same
commit, Deno version, key (Ed25519 or ECDSA: deterministic signatures) and \`SOURCE_DATE_EPOCH\` give
a byte-identical kit; without \`SOURCE_DATE_EPOCH\` the kit's time is 1970-01-01T00:00:00Z, never the
clock. \`dist/stella.js\` itself is reproducible: two checkouts of one commit at different paths, with
different \`DENO_DIR\`s, bundle to the same bytes.

### What an air-gapped build host must carry

1. **Deno 2.9.6**: the \`deno\` executable, from the release zip or installed on a connected machine
   with \`npm install deno@2.9.6\`.
2. **The repository** at the commit to build, with its vendored \`node_modules/\` and the frozen
   \`deno.lock\`: enough to type-check, test, run and compile with an empty \`DENO_DIR\` and no network.
3. **For \`deno task bundle\`: a \`DENO_DIR\` primed with esbuild.** \`deno bundle\` (Deno 2.9.6) runs
   esbuild 0.25.5, which Deno downloads from the npm registry on first use (package
   \`@esbuild/linux-x64\`, version 0.25.5, on a linux-x64 host) into
   \`$DENO_DIR/dl/esbuild-0.25.5-1/esbuild-linux-x64\`. Prime one on a connected machine of the same
   OS and architecture:

   \`\`\`sh
   export DENO_DIR=$PWD/deno-dir-esbuild
   deno task bundle        # downloads esbuild once (about 10 MB), writes dist/stella.js
   \`\`\`

   Carry \`deno-dir-esbuild/\` and set \`DENO_DIR\` to it (or to a copy) on the build host. What matters
   in it is \`dl/esbuild-0.25.5-1/\` (the esbuild binary); \`npm/registry.npmjs.org/\` holds the
   registry metadata that spares Deno a lookup. Without Deno on the connected side:
   \`npm pack @esbuild/linux-x64@0.25.5\`, then extract \`package/bin/esbuild\` to
   \`$DENO_DIR/dl/esbuild-0.25.5-1/esbuild-linux-x64\` and make it executable (for linux-x64 its
   sha256 is \`3331e0b23c99d93d9a39e436a4838de40ca1c95ac3bcbd9874ba169d8545b634\`). A Deno version
   other than 2.9.6 may run another esbuild: prime again.
4. **For \`deno task compile\`: the Deno runtime (\`denort\`) of each target.** \`deno compile\` downloads
   it from \`https://dl.deno.land/release/v2.9.6/denort-<target>.zip\`. Offline, either set
   \`DENORT_BIN=/path/to/denort\` (the unzipped runtime; one target per run), or place the zips where
   \`deno compile\` caches them: \`$DENO_DIR/dl/release/v2.9.6/denort-<target>.zip\`. Without either,
   \`deno task compile\` stops and says which file it needs; the kit can still ship \`stella.js\` alone.

Targets: \`x86_64-unknown-linux-gnu\`, \`aarch64-unknown-linux-gnu\`, \`x86_64-apple-darwin\`,
\`aarch64-apple-darwin\`, \`x86_64-pc-windows-msvc\` (\`deno task compile --all-targets\` builds all).
`;
