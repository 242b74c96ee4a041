/**
 * `npm run setup` answers a broken src/ and a build folder it cannot write in one line (exit 1),
 * never with a Node stack trace. Each case runs in a copy of the kit, so the real src/ and build/
 * are not touched.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../src/tools/jupyter";

/** A copy of the kit's sources and settings, sharing node_modules. */
function kitCopy(): string {
  const copy = mkdtempSync(path.join(tmpdir(), "gd-setup-"));
  for (const entry of ["src", "patches", "package.json", "tsconfig.json", "tsconfig.build.json"]) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"));
  return copy;
}

function runSetup(copy: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(copy, "src/tools/setup.ts")], {
    cwd: copy,
    encoding: "utf8",
    timeout: 5 * 60_000,
  });
  return { status: result.status, stderr: result.stderr, log: `${result.stdout}${result.stderr}` };
}

describe("npm run setup on a broken kit", () => {
  const copies: string[] = [];
  after(() => copies.forEach((copy) => rmSync(copy, { recursive: true, force: true })));

  it("a syntax error in src/: TypeScript's line naming it, then one line of setup's, no stack", () => {
    const copy = kitCopy();
    copies.push(copy);
    appendFileSync(path.join(copy, "src/descent/loop.ts"), "\nexport const broken = ;\n");
    const { status, stderr, log } = runSetup(copy);
    assert.equal(status, 1, log);
    assert.match(log, /src\/descent\/loop\.ts\(\d+,\d+\): error TS/);
    assert.match(stderr, /^setup: compiling src\/ failed \(exit code \d+\); the lines above say why$/m);
    assert.doesNotMatch(log, /^\s+at /m, "no stack trace");
  });

  it("a stale build in a folder it may not write: one line naming the file", (t) => {
    const copy = kitCopy();
    copies.push(copy);
    const build = path.join(copy, "build");
    mkdirSync(build);
    // A build info older than every source: the set-up must delete it, and cannot.
    writeFileSync(path.join(build, "tsconfig.build.tsbuildinfo"), "{}");
    // Root ignores file modes; the immutable attribute stops root too (where the file system has it).
    const locked = spawnSync("chattr", ["+i", build]).status === 0;
    if (!locked) return t.skip("chattr +i is not available on this file system");
    try {
      const { status, stderr, log } = runSetup(copy);
      assert.equal(status, 1, log);
      assert.match(
        stderr,
        /^setup: cannot write build\/tsconfig\.build\.tsbuildinfo \((EPERM|EACCES)\): make it writable/m,
      );
      assert.doesNotMatch(log, /^\s+at /m, "no stack trace");
    } finally {
      spawnSync("chattr", ["-i", build]);
    }
  });
});
