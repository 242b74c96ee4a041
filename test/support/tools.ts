/** Running the kit's programs (src/tools/) as a student would, through tsx. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { PROJECT_ROOT } from "../../src/tools/jupyter";

export interface ToolOptions {
  /** Added to the environment (FORCE_COLOR is always 0, so messages are plain text). */
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

/** Runs `node --import tsx <script> ...args` in the project root; `script` is relative to it. */
export function runTool(
  script: string,
  args: readonly string[] = [],
  options: ToolOptions = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...options.env, FORCE_COLOR: "0" },
    timeout: options.timeout,
  });
}
