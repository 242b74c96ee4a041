/**
 * npm run setup (run by npm start and npm test as well): finds or installs Jupyter, patches tslab,
 * compiles src/ for the kernel and registers the project's tslab kernel. Running it again is harmless.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
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
import { applyPatches } from "./patches";
import { parseOptions, runProgram } from "./program";

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: PROJECT_ROOT });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
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
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", ...APT_PACKAGES]);
  found = findJupyter();
  if (!found.nbconvert || !(found.notebook || found.lab)) {
    console.error(installAdvice());
    process.exit(1);
  }
  return found;
}

/**
 * tsc's incremental build trusts its build info and checks no output: with build/src deleted, or
 * a compiled file missing or older than its source, it would emit nothing and leave the kernel
 * the stale build. Then the build info goes, and tsc compiles everything.
 */
export function forgetStaleBuildInfo(): void {
  const sources = path.join(PROJECT_ROOT, "src");
  const outputs = path.join(PROJECT_ROOT, "build", "src");
  const stale = (readdirSync(sources, { recursive: true }) as string[])
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .some((file) => {
      const output = path.join(outputs, file.replace(/\.ts$/, ".js"));
      return !existsSync(output) || statSync(output).mtimeMs < statSync(path.join(sources, file)).mtimeMs;
    });
  if (stale) rmSync(path.join(PROJECT_ROOT, "build", "tsconfig.build.tsbuildinfo"), { force: true });
}

export function setup(): JupyterInventory {
  const found = ensureJupyter();
  applyPatches();
  forgetStaleBuildInfo();
  run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
  const changed = registerKernel();
  console.log(
    `setup: Jupyter ${found.lab ? "Lab" : "Notebook"} found; src compiled to build/; kernel ` +
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
