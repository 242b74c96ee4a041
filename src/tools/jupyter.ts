/**
 * Finding Jupyter and registering this project's tslab kernel. The kernel lives in a Jupyter data
 * folder inside the project (.jupyter/), put first on JUPYTER_PATH for the servers and
 * converters this kit starts, so the user's own kernels are never touched.
 */
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");
export const JUPYTER_DATA_DIR = path.join(PROJECT_ROOT, ".jupyter");
export const KERNEL_NAME = "tslab";
export const KERNEL_DISPLAY_NAME = "TypeScript (tslab, gradient descent kit)";
export const APT_PACKAGES = ["jupyter-notebook", "jupyter-nbconvert", "jupyter-client", "python3-nbclient"];

/**
 * JupyterLab 4 for machines without the user's own: built from npm's @jupyterlab/* packages by
 * src/tools/jupyterlab/build.ts (into build/lab/) and served by src/tools/jupyterlab/server.py on
 * Debian's jupyter_server and jupyterlab_server (`npm start` and the kit's JupyterLab tests).
 */
export const LAB_DIR = path.join(PROJECT_ROOT, "src", "tools", "jupyterlab");
export const LAB_APT_PACKAGES = ["python3-jupyter-server", "python3-jupyterlab-server"];

/**
 * A Python with `modules` importable: Debian's /usr/bin/python3 first (another python3 on PATH,
 * such as pyenv's, lacks Debian's modules), then python3 on PATH.
 */
export function pythonWith(modules: string): string | undefined {
  const candidates = existsSync("/usr/bin/python3") ? ["/usr/bin/python3", "python3"] : ["python3"];
  return candidates.find(
    (python) => spawnSync(python, ["-c", `import ${modules}`], { stdio: "ignore" }).status === 0,
  );
}

/** A Python that can run src/tools/jupyterlab/server.py. */
export function labServerPython(): string | undefined {
  return pythonWith("jupyter_server, jupyterlab_server, jsonschema");
}

/** The environment for every Jupyter process the kit starts. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const existing = base.JUPYTER_PATH ? [base.JUPYTER_PATH] : [];
  return { ...base, JUPYTER_PATH: [JUPYTER_DATA_DIR, ...existing].join(path.delimiter) };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The executable `name` in a folder of PATH, if any. */
function onPath(name: string): string | undefined {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, name))
    .find(isExecutable);
}

/**
 * True when `jupyter <subcommand>` can run. `jupyter` runs its subcommands as the executables
 * `jupyter-<subcommand>` found on PATH or beside itself, so looking for them is enough: no Python
 * start (~0.5 s of CPU for each `jupyter <subcommand> --version`).
 */
export function hasJupyterCommand(subcommand: string): boolean {
  const jupyter = onPath("jupyter");
  if (!jupyter) return false;
  const beside = path.join(path.dirname(realpathSync(jupyter)), `jupyter-${subcommand}`);
  return onPath(`jupyter-${subcommand}`) !== undefined || isExecutable(beside);
}

export interface JupyterInventory {
  nbconvert: boolean;
  notebook: boolean;
  lab: boolean;
}

export function findJupyter(): JupyterInventory {
  return {
    nbconvert: hasJupyterCommand("nbconvert"),
    notebook: hasJupyterCommand("notebook"),
    lab: hasJupyterCommand("lab"),
  };
}

export function isDebianRoot(): boolean {
  return (
    process.platform === "linux" &&
    process.getuid?.() === 0 &&
    existsSync("/etc/debian_version") &&
    spawnSync("apt-get", ["--version"]).status === 0
  );
}

/** What to tell a user who has no Jupyter and whom the set-up cannot install it for. */
export function installAdvice(): string {
  return [
    "Jupyter was not found. Install it, then run this command again:",
    `  on Debian or Ubuntu:  sudo apt-get install -y ${APT_PACKAGES.join(" ")}`,
    "  elsewhere:            pip install jupyterlab nbconvert",
  ].join("\n");
}

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
}

/** The kernel spec: this project's tslab, started by the Node.js that runs the set-up. */
export function kernelSpec(): KernelSpec {
  const tslab = path.join(PROJECT_ROOT, "node_modules", "tslab", "bin", "tslab");
  if (!existsSync(tslab)) {
    throw new Error(`tslab is not installed at ${tslab}: run npm install first`);
  }
  return {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
  };
}

export function kernelSpecPath(): string {
  return path.join(JUPYTER_DATA_DIR, "kernels", KERNEL_NAME, "kernel.json");
}

/** Writes the kernel spec; returns false when the same spec was already there. */
export function registerKernel(): boolean {
  const file = kernelSpecPath();
  const content = JSON.stringify(kernelSpec(), null, 2) + "\n";
  if (existsSync(file) && readFileSync(file, "utf8") === content) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return true;
}
