/**
 * Driving the project's kernel through the Jupyter protocol from a test: drive.py (jupyter_client,
 * the client nbclient and the notebook servers use) runs the cells and reports every message.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KERNEL_NAME, NOTEBOOKS_DIR, jupyterEnv } from "../../src/tools/jupyter";
import { skipOutsideCI } from "../support/chromium";

/** Debian's Python, which has jupyter_client and jupyter_kernel_test. */
export const PYTHON = "/usr/bin/python3";

/** A reason to skip kernel tests (outside CI only), or false. */
export function noPythonModule(module: string): string | false {
  const found = spawnSync(PYTHON, ["-c", `import ${module}`]).status === 0;
  return skipOutsideCI(found ? false : `${PYTHON} cannot import ${module}`);
}

export type KernelMessage =
  | { type: "status"; state: string }
  | { type: "stream"; name: "stdout" | "stderr" }
  | { type: "display_data" | "update_display_data" | "execute_result"; mimes: string[] }
  | { type: "error"; ename: string; evalue: string; traceback: string[] }
  | { type: string };

export interface CellReport {
  messages: KernelMessage[];
  stdout: string;
  stderr: string;
  /** True when the cell's idle status arrived. */
  idle: boolean;
  /** The execute_reply's status. */
  status: string | null;
  /** Milliseconds from sending the cell to its idle status (absent when it did not arrive). */
  ms?: number;
}

/**
 * Runs `cells` one after another in one fresh kernel session started in `cwd` (by default
 * notebooks/, so "../src" imports the kit); a list of sources is sent at once, as "Run all" does. One report per source; stops at
 * the first cell whose idle status does not arrive within `timeoutSeconds`.
 */
export function driveKernel(
  cells: readonly (string | string[])[],
  timeoutSeconds = 60,
  cwd = NOTEBOOKS_DIR,
): CellReport[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kernel-drive-"));
  try {
    const config = path.join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ kernel: KERNEL_NAME, cwd, cells, timeout: timeoutSeconds }));
    const result = spawnSync(PYTHON, [path.join(__dirname, "drive.py"), config], {
      encoding: "utf8",
      env: jupyterEnv(),
      maxBuffer: 1 << 28,
    });
    if (result.status !== 0) {
      throw new Error(`drive.py failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
    }
    return (JSON.parse(result.stdout) as { cells: CellReport[] }).cells;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
