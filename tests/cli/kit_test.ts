/**
 * `stella kit build` and `stella kit verify` end to end: in-process through `run`, and spawned
 * from two checkout copies (kits compared byte for byte). Tests that bundle need a DENO_DIR primed
 * with esbuild (`STELLA_PRIMED_DENO_DIR`); without one they are reported as ignored with the
 * reason in their names.
 */

import assert from "node:assert/strict";
import { buildBundle } from "../../scripts/build_bundle.ts";
import {
  copyCheckout,
  findPrimedDenoDir,
  freshDenoDir,
  readTree,
  UNSHARE,
} from "../kit/_bundle.ts";
import { ROOT, runCli } from "./_io.ts";

const KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
const PUB = `${ROOT}/fixtures/keys/test-only-ed25519.pub.pem`;
const OTHER_PUB = `${ROOT}/fixtures/negative/keys/test-only-ed25519-a.pub.pem`;
const COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
const EPOCH = "1738326900"; // 2025-01-31T12:35:00Z
const NOW = ["--now", "2026-03-01T12:00:00Z"];
const ENV: Record<string, string> = { SOURCE_DATE_EPOCH: EPOCH, STELLA_SOURCE_COMMIT: COMMIT };
const PRIMED = await findPrimedDenoDir();
const NOT_RUN = PRIMED.dir === undefined ? ` (NOT RUN: ${PRIMED.reason})` : "";
const NETWORK = UNSHARE ? "under unshare -n" : "(unshare -n unavailable: network not cut)";
const GOLDEN_ARGS = [
  "forensic",
  "verify",
  "fixtures/envelopes/promotion.dsse.json",
  "--key",
  "fixtures/keys/test-only-ed25519.pub.pem",
  "--signed-at",
  "2025-01-31T18:35:00+05:30",
  "--not-after",
  "2025-02-01T00:00:00Z",
  "--skew",
  "30s",
  "--now",
  "2026-03-01T12:00:00Z",
  "--json",
];
const KIT_FILES = [
  "OFFLINE.md",
  "SHA256SUMS",
  "manifest.dsse.json",
  "provenance.dsse.json",
  "stella-test-binary",
  "stella.js",
];

function env(extra: Record<string, string> = {}) {
  const values: Record<string, string> = { ...ENV, ...extra };
  return { env: (name: string) => values[name] };
}

/** A temp dir with stand-in artifacts: `stella.js` and a `stella-test-binary`. */
async function artifacts(): Promise<{ dir: string; bundle: string; binary: string }> {
  const dir = await Deno.makeTempDir({ prefix: "stella-kit-cli-" });
  await Deno.writeTextFile(`${dir}/stella.js`, "console.log('stand-in bundle');\n");
  await Deno.writeFile(`${dir}/stella-test-binary`, new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
  return { dir, bundle: `${dir}/stella.js`, binary: `${dir}/stella-test-binary` };
}

async function buildInto(out: string, a: { bundle: string; binary: string }, extra: string[] = []) {
  return await runCli(
    [
      "kit",
      "build",
      "--out",
      out,
      "--key",
      KEY,
      "--bundle",
      a.bundle,
      "--binary",
      a.binary,
      ...extra,
    ],
    env(),
  );
}

Deno.test("stella kit build writes a kit that stella kit verify accepts (exit 0)", async () => {
  const a = await artifacts();
  try {
    const built = await buildInto(`${a.dir}/kit`, a);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stderr, "");
    const lines = built.stdout.split("\n");
    assert.equal(lines[0], `wrote kit ${a.dir}/kit/ (6 files)`);
    assert.deepEqual(lines.slice(1, 7), KIT_FILES.map((f) => `  ${f}`));
    const sums = await Deno.readFile(`${a.dir}/kit/SHA256SUMS`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", sums)).toHex();
    assert.equal(lines[7], `sha256 of SHA256SUMS: ${digest}`);
    assert.deepEqual((await readTree(`${a.dir}/kit`)).map(([p]) => p), KIT_FILES);
    assert.equal((await Deno.stat(`${a.dir}/kit/stella-test-binary`)).mode! & 0o777, 0o755);
    assert.equal((await Deno.stat(`${a.dir}/kit/stella.js`)).mode! & 0o777, 0o644);
    const leftovers = [...Deno.readDirSync(a.dir)].map((e) => e.name).sort();
    assert.deepEqual(leftovers, ["kit", "stella-test-binary", "stella.js"]);

    const human = await runCli(["kit", "verify", `${a.dir}/kit`, "--key", PUB, ...NOW]);
    assert.equal(human.status, 0, human.stdout);
    // The layout of every report: verdict line, then labelled details.
    const keyid = JSON.parse((await runCli(["keys", "id", PUB, "--json"])).stdout).keyid;
    assert.equal(
      human.stdout,
      [
        `VERIFIED kit ${a.dir}/kit`,
        "  kit:            stella-offline-kit 0.1.0, created 2025-01-31T12:35:00Z",
        `  files:          ${KIT_FILES.length} ok of ${KIT_FILES.length}`,
        `  signed by:      ${keyid}`,
        "  verified at:    2026-03-01T12:00:00Z",
        "",
      ].join("\n"),
    );
    const json = await runCli(["kit", "verify", `${a.dir}/kit/`, "--key", PUB, ...NOW, "--json"]);
    assert.equal(json.status, 0);
    const report = JSON.parse(json.stdout);
    assert.equal(report.verified, true);
    assert.deepEqual(
      report.files.map((f: { status: string }) => f.status),
      KIT_FILES.map(() => "ok"),
    );
    assert.equal(report.time.value, "2026-03-01T12:00:00Z");
  } finally {
    await Deno.remove(a.dir, { recursive: true });
  }
});

Deno.test("stella kit verify exits 1 and names each altered, removed or added file", async () => {
  const a = await artifacts();
  try {
    assert.equal((await buildInto(`${a.dir}/kit`, a)).status, 0);
    for (const file of KIT_FILES) {
      for (const change of ["altered", "missing", "extra"] as const) {
        const kit = `${a.dir}/${change}-${file}`;
        const copied = await new Deno.Command("cp", { args: ["-a", `${a.dir}/kit`, kit] }).output();
        assert.ok(copied.success);
        let name = file;
        if (change === "altered") {
          await Deno.writeFile(`${kit}/${file}`, new Uint8Array([0x0a]), { append: true });
        } else if (change === "missing") {
          await Deno.remove(`${kit}/${file}`);
        } else {
          name = `${file}.orig`;
          await Deno.copyFile(`${kit}/${file}`, `${kit}/${name}`);
        }
        const result = await runCli(["kit", "verify", kit, "--key", PUB, ...NOW, "--json"]);
        assert.equal(result.status, 1, `${change} ${file}`);
        const report = JSON.parse(result.stdout);
        const bad = report.files.filter((f: { status: string }) => f.status !== "ok")
          .map((f: { path: string; status: string }) => [f.path, f.status]);
        assert.deepEqual(bad, [[name, change]], `${change} ${file}`);
        const code = {
          altered: "KIT_FILE_ALTERED",
          missing: "KIT_FILE_MISSING",
          extra: "KIT_FILE_EXTRA",
        }[change];
        assert.ok(
          report.checks.some((c: { code?: string; message?: string }) =>
            c.code === code && c.message?.startsWith(`Kit file "${name}" is`)
          ),
          `${change} ${file}: ${JSON.stringify(report.checks)}`,
        );
        const human = await runCli(["kit", "verify", kit, "--key", PUB, ...NOW]);
        assert.equal(human.status, 1);
        assert.match(
          human.stdout,
          new RegExp(`^  ${change}: +${name.replaceAll(".", "\\.")}$`, "m"),
        );
        assert.match(human.stdout, new RegExp(`^FAILED kit ${kit}: KIT_FILE_[A-Z]+ Kit file `));
      }
    }
  } finally {
    await Deno.remove(a.dir, { recursive: true });
  }
});

Deno.test("stella kit verify: untrusted key exits 1; usage and missing inputs exit 2", async () => {
  const a = await artifacts();
  try {
    assert.equal((await buildInto(`${a.dir}/kit`, a)).status, 0);
    const untrusted = await runCli(["kit", "verify", `${a.dir}/kit`, "--key", OTHER_PUB, "--json"]);
    assert.equal(untrusted.status, 1);
    assert.equal(JSON.parse(untrusted.stdout).code, "KEY_UNTRUSTED");
    // What the unverified manifest says is shown as unverified.
    const text = await runCli(["kit", "verify", `${a.dir}/kit`, "--key", OTHER_PUB, ...NOW]);
    assert.equal(text.status, 1);
    const lines = text.stdout.split("\n");
    assert.match(lines[0]!, new RegExp(`^FAILED kit ${a.dir}/kit: KEY_UNTRUSTED Cannot verify `));
    assert.equal(
      lines[1],
      "  kit:            stella-offline-kit 0.1.0, created 2025-01-31T12:35:00Z (unverified)",
    );
    assert.match(lines[2]!, /^ {2}files: {10}\d+ ok of \d+ \(listed by the unverified manifest\)$/);
    assert.doesNotMatch(text.stdout, /signed by:/);
    for (
      const [args, message] of [
        [["kit", "verify", `${a.dir}/kit`], /Name at least one trusted key/],
        [["kit", "verify", "--key", PUB], /Missing the kit directory/],
        [["kit", "verify", `${a.dir}/nope`, "--key", PUB], /no such file or directory/],
        [["kit", "verify", a.bundle, "--key", PUB], /it is not a directory/],
        [["kit", "verify", `${a.dir}/kit`, "--key", `${a.dir}/nope.pem`], /Cannot read/],
        [["kit", "verify", `${a.dir}/kit`, "--key", PUB, "--bogus"], /bogus/],
      ] as const
    ) {
      const result = await runCli([...args]);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, message);
    }
  } finally {
    await Deno.remove(a.dir, { recursive: true });
  }
});

Deno.test("stella kit build exits 2 on usage errors and never leaves a partial kit", async () => {
  const a = await artifacts();
  try {
    const out = `${a.dir}/kit`;
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [["kit", "build", "--key", KEY, "--bundle", a.bundle], /Missing --out DIR/],
      [["kit", "build", "--out", out, "--bundle", a.bundle], /Missing --key KEY/],
      [
        ["kit", "build", "--out", out, "--key", KEY, "--bundle", `${a.dir}/none.js`],
        /deno task bundle/,
      ],
      [["kit", "build", "--out", out, "--key", PUB, "--bundle", a.bundle], /it is a public key/],
      [
        ["kit", "build", "--out", out, "--key", KEY, "--bundle", a.bundle, "--binary", a.bundle],
        /another artifact is named "stella\.js"/,
      ],
      [
        [
          "kit",
          "build",
          "--out",
          out,
          "--key",
          KEY,
          "--bundle",
          a.bundle,
          "--lockfile",
          `${a.dir}/x`,
        ],
        /Cannot read/,
      ],
      [["kit", "build", "--out", out, "--key", KEY, "--bundle", a.bundle], /SOURCE_DATE_EPOCH/, {
        SOURCE_DATE_EPOCH: "yesterday",
      }],
    ];
    for (const [args, message, extra] of cases) {
      const result = await runCli(args, env(extra));
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, message, args.join(" "));
      assert.deepEqual(
        [...Deno.readDirSync(a.dir)].map((e) => e.name).sort(),
        ["stella-test-binary", "stella.js"],
      );
    }
    await Deno.mkdir(out);
    await Deno.writeTextFile(`${out}/keep.txt`, "mine\n");
    const exists = await buildInto(out, a);
    assert.equal(exists.status, 2);
    assert.match(exists.stderr, /it exists; remove it or choose another --out/);
    assert.equal(await Deno.readTextFile(`${out}/keep.txt`), "mine\n");
    await Deno.remove(`${out}/keep.txt`);
    assert.equal((await buildInto(out, a)).status, 0, "an empty --out directory is replaced");
  } finally {
    await Deno.remove(a.dir, { recursive: true });
  }
});

/** Runs `deno run cli/main.ts kit build` from a checkout copy with an empty DENO_DIR. */
async function spawnKitBuild(checkout: string, denoDir: string, bundle: string, binary: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--cached-only",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "cli/main.ts",
      "kit",
      "build",
      "--out",
      `${checkout}/kit`,
      "--key",
      KEY,
      "--bundle",
      bundle,
      "--binary",
      binary,
    ],
    cwd: checkout,
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: denoDir, NO_COLOR: "1", ...ENV },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
}

async function assertSameTree(a: string, b: string): Promise<void> {
  const [left, right] = [await readTree(a), await readTree(b)];
  assert.deepEqual(left.map(([p]) => p), KIT_FILES);
  assert.deepEqual(right.map(([p]) => p), KIT_FILES);
  for (const [i, [path, bytes]] of left.entries()) assert.deepEqual(right[i]![1], bytes, path);
  const check = await new Deno.Command("sha256sum", {
    args: ["--strict", "-c", "SHA256SUMS"],
    cwd: a,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
}

Deno.test("kit build from two checkout copies and two empty DENO_DIRs gives byte-identical kits", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "stella-kit-twice-" });
  try {
    const a = await artifacts();
    const kits: string[] = [];
    for (const path of [`${tmp}/one/stella`, `${tmp}/two/deeper/other-name`]) {
      const checkout = await copyCheckout(path);
      const denoDir = await Deno.makeTempDir({ dir: tmp, prefix: "empty-deno-dir-" });
      await spawnKitBuild(checkout, denoDir, a.bundle, a.binary);
      kits.push(`${checkout}/kit`);
    }
    await assertSameTree(kits[0]!, kits[1]!);
    await Deno.remove(a.dir, { recursive: true });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name:
    `kit build from two checkout copies, each bundling its own stella.js ${NETWORK}, gives byte-identical kits${NOT_RUN}`,
  ignore: PRIMED.dir === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-kit-twice-" });
    try {
      const a = await artifacts();
      const kits: string[] = [];
      for (const path of [`${tmp}/one/stella`, `${tmp}/two/deeper/other-name`]) {
        const checkout = await copyCheckout(path);
        const denoDir = await freshDenoDir(PRIMED.dir!, tmp);
        const bundleEnv = { PATH: Deno.env.get("PATH") ?? "", HOME: tmp, DENO_DIR: denoDir };
        await buildBundle({ root: checkout, env: bundleEnv, offline: UNSHARE });
        await spawnKitBuild(checkout, denoDir, `${checkout}/dist/stella.js`, a.binary);
        kits.push(`${checkout}/kit`);
      }
      await assertSameTree(kits[0]!, kits[1]!);
      await Deno.remove(a.dir, { recursive: true });
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** Runs `deno run --allow-read stella.js ARGS` in `cwd` with an empty DENO_DIR, no network. */
async function runBundle(cwd: string, denoDir: string, args: string[]) {
  const deno = [Deno.execPath(), "run", "--allow-read", "stella.js", ...args];
  const [command, ...rest] = UNSHARE ? ["unshare", "-n", ...deno] : deno;
  const output = await new Deno.Command(command!, {
    args: rest,
    cwd,
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: denoDir, HOME: denoDir },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    status: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test({
  name:
    `stella.js ${NETWORK} with an empty DENO_DIR and no node_modules verifies the promotion attestation with the same bytes as cli/main.ts${NOT_RUN}`,
  ignore: PRIMED.dir === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "stella-bundle-run-" });
    try {
      const work = `${tmp}/site`;
      await Deno.mkdir(`${work}/fixtures/envelopes`, { recursive: true });
      await Deno.mkdir(`${work}/fixtures/keys`, { recursive: true });
      for (const file of ["envelopes/promotion.dsse.json", "keys/test-only-ed25519.pub.pem"]) {
        await Deno.copyFile(`${ROOT}/fixtures/${file}`, `${work}/fixtures/${file}`);
      }
      const bundleEnv = {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: tmp,
        DENO_DIR: await freshDenoDir(PRIMED.dir!, tmp),
      };
      await buildBundle({ out: `${work}/stella.js`, env: bundleEnv, offline: UNSHARE });
      const empty = await Deno.makeTempDir({ dir: tmp, prefix: "empty-deno-dir-" });

      const fromBundle = await runBundle(work, empty, GOLDEN_ARGS);
      const fromSource = await runCli(GOLDEN_ARGS);
      assert.equal(fromBundle.status, 0, fromBundle.stderr);
      assert.equal(fromBundle.stderr, "");
      assert.equal(fromBundle.stdout, fromSource.stdout);
      assert.equal(
        fromBundle.stdout,
        await Deno.readTextFile(`${ROOT}/tests/golden/forensic_verify_promotion.json`),
      );
      const version = await runBundle(work, empty, ["--version"]);
      // The bundle also says what it was built from (nothing set here: unknown, unset).
      assert.equal(
        version.stdout,
        (await runCli(["--version"])).stdout + "commit unknown\nsource-date-epoch unset\n",
      );

      // The kit carries the bundle; the bundle verifies its own kit from inside it, read-only.
      const kit = `${tmp}/kit`;
      const built = await runCli(
        ["kit", "build", "--out", kit, "--key", KEY, "--bundle", `${work}/stella.js`],
        env(),
      );
      assert.equal(built.status, 0, built.stderr);
      const verified = await runBundle(kit, empty, ["kit", "verify", ".", "--key", PUB, "--json"]);
      assert.equal(verified.status, 0, verified.stdout + verified.stderr);
      assert.equal(JSON.parse(verified.stdout).verified, true);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
