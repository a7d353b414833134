import assert from "node:assert/strict";
import { runCli } from "./_io.ts";

Deno.test("stella digest prints sha256sum-compatible lines and canonical JSON", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a.txt`, "abc");
  await Deno.writeFile(`${dir}/empty`, new Uint8Array());
  const lines = await runCli(["digest", `${dir}/a.txt`, `${dir}/empty`]);
  assert.equal(lines.status, 0);
  assert.equal(
    lines.stdout,
    `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ${dir}/a.txt\n` +
      `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  ${dir}/empty\n`,
  );
  const json = await runCli(["digest", "--algorithm", "sha384", "--json", `${dir}/a.txt`]);
  assert.equal(
    json.stdout,
    `{"algorithm":"sha384","files":[{"digest":"sha384:cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7","path":"${dir}/a.txt"}]}\n`,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella digest output is accepted by sha256sum -c", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/f`, "hello\n");
  const result = await runCli(["digest", `${dir}/f`]);
  await Deno.writeTextFile(`${dir}/SUMS`, result.stdout);
  const check = await new Deno.Command("sha256sum", {
    args: ["-c", `${dir}/SUMS`],
    stdout: "piped",
  })
    .output();
  assert.equal(check.code, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella digest rejects an unknown algorithm and a directory with exit 2", async () => {
  const bad = await runCli(["digest", "--algorithm", "md5", "x"]);
  assert.equal(bad.status, 2);
  assert.equal(
    bad.stderr,
    'stella: Unknown --algorithm "md5": use one of sha256, sha384, sha512\n',
  );
  const dir = await Deno.makeTempDir();
  const isDir = await runCli(["digest", dir]);
  assert.equal(isDir.status, 2);
  assert.equal(isDir.stderr, `stella: Cannot open "${dir}": is a directory\n`);
  await Deno.remove(dir);
});
