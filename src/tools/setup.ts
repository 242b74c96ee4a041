/**
 * npm run setup (run by npm start and npm test as well): finds or installs Jupyter, patches tslab,
 * compiles src/ for the kernel and registers the project's tslab kernel. Running it again is harmless.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, unlinkSync, utimesSync } from "node:fs";
import path from "node:path";
import {
  APT_PACKAGES,
  PROJECT_ROOT,
  findJupyter,
  installAdvice,
  isDebianRoot,
  kernelSpecPath,
  registerKernel,
  type JupyterInventory,
} from "./jupyter";
import { buildPageAssets } from "./page-bundles";
import { applyPatches } from "./patches";
import { ProgramError, parseOptions, runProgram } from "./program";

/**
 * Deletes a file if it is there. (rmSync's force falls back to reading a folder when unlinking is
 * refused, and reports ENOTDIR instead of the refusal itself.)
 */
function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
}

/** Runs a command whose own output (inherited) says what went wrong; failing, one line more. */
function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: PROJECT_ROOT });
  if (result.status !== 0) {
    throw new ProgramError(`${what} failed (exit code ${result.status}); the lines above say why`);
  }
}

function ensureJupyter(): JupyterInventory {
  let found = findJupyter();
  if (found.nbconvert && (found.notebook || found.lab)) return found;
  if (!isDebianRoot()) {
    console.error(installAdvice());
    process.exit(1);
  }
  console.log(`setup: installing Jupyter with apt: ${APT_PACKAGES.join(" ")}`);
  run("apt-get", ["update"], "apt-get update");
  run("apt-get", ["install", "-y", ...APT_PACKAGES], "installing Jupyter with apt");
  found = findJupyter();
  if (!found.nbconvert || !(found.notebook || found.lab)) {
    console.error(installAdvice());
    process.exit(1);
  }
  return found;
}

/**
 * Whether build/src is up to date: every source has its compiled file, newer than the source, no
 * compiled file is left of a deleted source (those are deleted), and the build info is newer than
 * the build's settings. Then tsc need not start (~2 s of CPU).
 * tsc's incremental build trusts its build info and checks no output: with build/src deleted, or
 * a compiled file missing or older than its source, it would emit nothing and leave the kernel
 * the stale build. Then the build info goes, and tsc compiles everything.
 */
export function checkBuild(): "fresh" | "stale" {
  const sources = path.join(PROJECT_ROOT, "src");
  const outputs = path.join(PROJECT_ROOT, "build", "src");
  const buildInfo = path.join(PROJECT_ROOT, "build", "tsconfig.build.tsbuildinfo");
  const modified = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : -Infinity);
  const stale = (readdirSync(sources, { recursive: true }) as string[])
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .some((file) => {
      const output = path.join(outputs, file.replace(/\.ts$/, ".js"));
      return modified(output) < statSync(path.join(sources, file)).mtimeMs;
    });
  // Compiled files whose source was moved or deleted would still be importable from build/src.
  const orphans = existsSync(outputs)
    ? (readdirSync(outputs, { recursive: true }) as string[]).filter(
        (file) => file.endsWith(".js") && !existsSync(path.join(sources, file.replace(/\.js$/, ".ts"))),
      )
    : [];
  for (const orphan of orphans) {
    for (const suffix of [".js", ".js.map", ".d.ts"]) {
      removeFile(path.join(outputs, orphan.replace(/\.js$/, suffix)));
    }
  }
  if (stale || orphans.length > 0) {
    removeFile(buildInfo);
    return "stale";
  }
  const settings = ["tsconfig.build.json", "tsconfig.json"];
  return settings.every((file) => modified(path.join(PROJECT_ROOT, file)) < modified(buildInfo))
    ? "fresh"
    : "stale";
}

export function setup(): JupyterInventory {
  const found = ensureJupyter();
  applyPatches();
  const compile = checkBuild() === "stale";
  if (compile) {
    run(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      "compiling src/",
    );
    // tsc leaves its build info alone when nothing changed: dated now, it marks the build checked.
    const buildInfo = path.join(PROJECT_ROOT, "build", "tsconfig.build.tsbuildinfo");
    if (existsSync(buildInfo)) utimesSync(buildInfo, new Date(), new Date());
  }
  // The page's scripts and plotly.js, built here once for every kernel session and export.
  console.log(`setup: ${buildPageAssets()}`);
  const changed = registerKernel();
  console.log(
    `setup: Jupyter ${found.lab ? "Lab" : "Notebook"} found; src ${compile ? "compiled to" : "already compiled in"} build/; kernel ` +
      `"tslab" ${changed ? "registered" : "already registered"} at ${kernelSpecPath()}`,
  );
  return found;
}

const USAGE = `usage: npm run setup
  Finds or installs Jupyter, applies patches/ to node_modules, compiles src/ into build/ and
  registers this project's tslab kernel in .jupyter/. It takes no options; running it again is harmless.`;

if (require.main === module) {
  runProgram("setup", (argv) => {
    if (parseOptions(argv, { help: { type: "boolean", short: "h" } }).values.help) console.log(USAGE);
    else setup();
    return 0;
  });
}
