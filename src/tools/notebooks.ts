/** Executing notebooks through the project's kernel with nbconvert, and reading what went wrong. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KERNEL_NAME, NOTEBOOKS_DIR, jupyterEnv, pythonWith } from "./jupyter";

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name: string; display_name: string; language?: string } };
}

export function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

/** The notebooks in notebooks/, in name order. */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}

/** "cell 7 (`const x = 1`)": how errors name a cell. */
export function describeCell(notebook: Notebook, index: number): string {
  const firstLine = joinText(notebook.cells[index].source).split("\n")[0].slice(0, 60);
  return `cell ${index + 1} (\`${firstLine}\`)`;
}

/** Every error output and every write to stderr, named by notebook and cell. */
export function findProblems(notebook: Notebook, name: string): string[] {
  const problems: string[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error") {
        problems.push(`${name}, ${describeCell(notebook, index)}: ${output.ename}: ${output.evalue}`);
      } else if (output.output_type === "stream" && output.name === "stderr") {
        problems.push(
          `${name}, ${describeCell(notebook, index)} wrote to stderr: ${joinText(output.text).trim()}`,
        );
      }
    }
  });
  return problems;
}

/**
 * Why nbformat rejects `file`, in one line ("cells[3].metadata.tags[0]: 'a,b' does not match
 * '^[^,]+$'"), or undefined when it does not (or Jupyter's Python cannot tell).
 */
export function describeInvalidNotebook(file: string): string | undefined {
  const python = pythonWith("nbformat, jsonschema");
  if (python === undefined) return undefined;
  const script = path.join(__dirname, "describe_notebook_error.py");
  const result = spawnSync(python, [script, file], { encoding: "utf8" });
  const line = result.status === 0 ? result.stdout.trim() : "";
  return line === "" ? undefined : line;
}

/** The nbconvert processes running now, for stopNbconvert. */
const running = new Set<ChildProcess>();
let stopped = false;

/**
 * `jupyter nbconvert …args` with the project's Jupyter path; resolves to `output` once it exits
 * cleanly, rejects with the end of its log (naming `what`) otherwise. It runs in its own process
 * group, so that a Ctrl+C reaches it once, through stopNbconvert.
 */
export function runNbconvert(args: readonly string[], what: string, output: string): Promise<string> {
  if (stopped) return Promise.reject(new Error(`${what}: stopped`));
  return new Promise((resolve, reject) => {
    const child = spawn("jupyter", ["nbconvert", ...args], {
      env: jupyterEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    let log = "";
    child.stdout?.on("data", (chunk) => (log += chunk));
    child.stderr?.on("data", (chunk) => (log += chunk));
    child.on("error", (error) => {
      running.delete(child);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}):\n${log.slice(-4000)}`));
    });
  });
}

interface ProcessInfo {
  pid: number;
  args: string[];
}

/** The processes `pid` started (the kernel, below nbconvert), with their arguments: /proc on Linux, else pgrep and ps. */
export function childProcesses(pid: number): ProcessInfo[] {
  if (process.platform === "linux") {
    return readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap((entry) => {
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
          // pid (command) state ppid …: the command may hold spaces and parentheses.
          if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== pid) return [];
          const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
          return [{ pid: Number(entry), args }];
        } catch {
          return []; // it ended meanwhile
        }
      });
  }
  const pids = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout ?? "";
  return pids
    .split(/\s+/)
    .filter(Boolean)
    .map((child) => ({
      pid: Number(child),
      args: (spawnSync("ps", ["-o", "command=", "-p", child], { encoding: "utf8" }).stdout ?? "")
        .trim()
        .split(/\s+/),
    }));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops every running nbconvert and starts no more. nbconvert takes SIGTERM (SIGKILL after
 * `graceMs`) but may exit before its kernel: the kernel, in a session of its own and not watching
 * its parent (tslab), would run on for good, so it is killed too, and its connection file in the
 * temporary folder removed.
 */
export async function stopNbconvert(graceMs = 15_000): Promise<void> {
  stopped = true;
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const kernels = childProcesses(child.pid);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
      for (const kernel of kernels.filter((each) => isRunning(each.pid))) {
        try {
          process.kill(-kernel.pid, "SIGKILL"); // its process group: the kernel and what it started
        } catch {
          process.kill(kernel.pid, "SIGKILL");
        }
        const connectionFiles = kernel.args.filter(
          (arg) => path.dirname(arg) === os.tmpdir() && /^tmp[\w-]+\.json$/.test(path.basename(arg)),
        );
        for (const file of connectionFiles) rmSync(file, { force: true });
      }
    }),
  );
}

/**
 * Runs every cell of `file` in a fresh kernel and writes the executed copy into `outputDir`.
 * Errors do not stop the run (--allow-errors), so that one report names them all.
 */
export function executeNotebook(file: string, outputDir: string, timeoutSeconds = 600): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const args = [
    "--to",
    "notebook",
    "--execute",
    "--allow-errors",
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${timeoutSeconds}`,
    "--output-dir",
    outputDir,
    file,
  ];
  return runNbconvert(args, `executing ${path.basename(file)}`, path.join(outputDir, path.basename(file)));
}
