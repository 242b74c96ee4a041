/**
 * Applies patches/ to node_modules (tslab's lossless delivery, its protocol and error replies, its
 * faster compile; see patches/README.md). Run by npm's postinstall and by `npm run setup`.
 *
 * patch-package applies a sequence of patches once and records each in the package's
 * `.patch-package.json`; it cannot re-apply a sequence over files that an older version of the
 * patches changed (it asks to reinstall node_modules). So: when the record matches patches/, there
 * is nothing to do (no patch-package start, ~0.3 s); when patch-package fails, the package's
 * pristine files come back from npm's cache and the patches are applied to them.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PATCHES_DIR = path.join(PROJECT_ROOT, "patches");

/** A patch file's name: `<package>+<version>[+<order>+<name>].patch` (unscoped packages only). */
const PATCH_NAME = /^([^+@][^+]*)\+([^+]+)(?:\+\d+\+[^+]+)?\.patch$/;

interface PatchRecord {
  didApply: boolean;
  patchContentHash: string;
  patchFilename: string;
}

/** The patch files of patches/, by package, each package's in their order of application. */
function patchesByPackage(): Map<string, { version: string; files: string[] }> {
  const byPackage = new Map<string, { version: string; files: string[] }>();
  for (const file of readdirSync(PATCHES_DIR).sort()) {
    const match = PATCH_NAME.exec(file);
    if (!match) continue;
    const [, name, version] = match;
    const entry = byPackage.get(name) ?? { version, files: [] };
    entry.files.push(file);
    byPackage.set(name, entry);
  }
  return byPackage;
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Whether the package's record says every patch of patches/ is applied, as it is now. */
function recordedAsApplied(name: string, files: string[]): boolean {
  const record = path.join(PROJECT_ROOT, "node_modules", name, ".patch-package.json");
  if (files.length < 2 || !existsSync(record)) return false;
  try {
    const state = JSON.parse(readFileSync(record, "utf8")) as { patches?: PatchRecord[] };
    const applied = state.patches ?? [];
    return (
      applied.length === files.length &&
      applied.every(
        (patch, i) =>
          patch.didApply &&
          patch.patchFilename === files[i] &&
          patch.patchContentHash === sha256(path.join(PATCHES_DIR, files[i])),
      )
    );
  } catch {
    return false;
  }
}

function runPatchPackage(): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, [require.resolve("patch-package/index.js")], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** Puts back the package's files as npm installed them (from npm's cache, or the registry). */
function restorePristine(name: string, version: string): void {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "kit-pristine-"));
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const pack = spawnSync(
      npm,
      ["pack", `${name}@${version}`, "--prefer-offline", "--silent", "--pack-destination", scratch],
      { cwd: scratch, encoding: "utf8" },
    );
    const tarball = pack.stdout?.trim().split("\n").pop();
    if (pack.status !== 0 || !tarball) {
      throw new Error(`npm pack ${name}@${version} failed: ${(pack.stderr ?? "").trim()}`);
    }
    const untar = spawnSync("tar", ["-xzf", path.join(scratch, tarball), "-C", scratch]);
    if (untar.status !== 0) throw new Error(`could not unpack ${tarball}`);
    const target = path.join(PROJECT_ROOT, "node_modules", name);
    cpSync(path.join(scratch, "package"), target, { recursive: true });
    rmSync(path.join(target, ".patch-package.json"), { force: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Applies patches/ unless already applied; throws with patch-package's words if it cannot. */
export function applyPatches(): void {
  const packages = patchesByPackage();
  if ([...packages].every(([name, { files }]) => recordedAsApplied(name, files))) return;
  let attempt = runPatchPackage();
  if (!attempt.ok) {
    for (const [name, { version }] of packages) {
      console.log(`setup: ${name}'s files are not the ones patches/ expects; restoring ${name}@${version}`);
      restorePristine(name, version);
    }
    attempt = runPatchPackage();
  }
  if (!attempt.ok) throw new Error(`patch-package failed:\n${attempt.output.trim()}`);
}

if (require.main === module) {
  try {
    applyPatches();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
