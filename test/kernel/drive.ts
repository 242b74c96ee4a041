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

/** A cell interrupted (as a front end's stop button does) `interruptAfter` seconds after its first output. */
export interface InterruptedCell {
  source: string;
  interruptAfter: number;
}

export interface SessionReport {
  cells: CellReport[];
  /** The kernel's kernel_info_reply content. */
  kernelInfo: { status: string; implementation_version: string; language_info: { version: string } };
  /** Whether the kernel process was alive at the end of the run. */
  alive: boolean;
}

/**
 * Runs `cells` one after another in one fresh kernel session started in `cwd` (by default
 * notebooks/, so "../src" imports the kit); a list of sources is sent at once, as "Run all" does. One report per source; stops at
 * the first cell whose idle status does not arrive within `timeoutSeconds`.
 */
export function driveKernel(
  cells: readonly (string | string[] | InterruptedCell)[],
  timeoutSeconds = 60,
  cwd = NOTEBOOKS_DIR,
): CellReport[] {
  return driveKernelSession(cells, timeoutSeconds, cwd).cells;
}

/** driveKernel, with the kernel's kernel_info and whether it was alive at the end. */
export function driveKernelSession(
  cells: readonly (string | string[] | InterruptedCell)[],
  timeoutSeconds = 60,
  cwd = NOTEBOOKS_DIR,
): SessionReport {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kernel-drive-"));
  try {
    const config = path.join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        kernel: KERNEL_NAME,
        cwd,
        cells: cells.map((cell) =>
          typeof cell === "object" && !Array.isArray(cell)
            ? { source: cell.source, interrupt_after: cell.interruptAfter }
            : cell,
        ),
        timeout: timeoutSeconds,
      }),
    );
    const result = spawnSync(PYTHON, [path.join(__dirname, "drive.py"), config], {
      encoding: "utf8",
      env: jupyterEnv(),
      maxBuffer: 1 << 28,
    });
    if (result.status !== 0) {
      throw new Error(`drive.py failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
    }
    const report = JSON.parse(result.stdout) as {
      cells: CellReport[];
      kernel_info: SessionReport["kernelInfo"];
      alive: boolean;
    };
    return { cells: report.cells, kernelInfo: report.kernel_info, alive: report.alive };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
