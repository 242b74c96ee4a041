/**
 * `npm start` as a user (or an IDE, or a process manager) runs it: the npm process in its own
 * process group, no display (no browser opens), its output collected; and the processes it
 * started, read from Linux's /proc, to check that none outlives it.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";

export interface RunningStart {
  /** The npm process: `npm start -- …`. */
  npm: ChildProcess;
  /** The URL start printed ("The notebooks are served at: …"), token included. */
  url: string;
  /** Everything printed so far, stdout and stderr. */
  log(): string;
  /** Resolves when the npm process has exited. */
  exited: Promise<void>;
}

/** True where the process tree can be read (Linux's /proc). */
export const HAS_PROC = existsSync("/proc/self/stat");

/**
 * Runs `npm start -- …args` in `cwd` and waits (up to `timeoutMs`) until it prints the URL; on a
 * timeout or an early exit the whole group is killed and the assertion names the log.
 */
export async function npmStart(cwd: string, args: string[], timeoutMs = 120_000): Promise<RunningStart> {
  const npm = spawn("npm", ["start", "--", ...args], {
    cwd,
    env: { ...process.env, DISPLAY: "", WAYLAND_DISPLAY: "", BROWSER: "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // a process group of its own, like a terminal's foreground job
  });
  let log = "";
  npm.stdout?.on("data", (chunk) => (log += chunk));
  npm.stderr?.on("data", (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    url = /The notebooks are served at: (\S+)/.exec(log)?.[1];
    const ended = npm.exitCode !== null || npm.signalCode !== null;
    if (!url && (ended || Date.now() > deadline)) {
      if (!ended && npm.pid) process.kill(-npm.pid, "SIGKILL");
      assert.fail(`npm start ${ended ? "exited" : "printed no URL in time"}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { npm, url, log: () => log, exited };
}

interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid: Number(pid), ppid: Number(ppid), state };
  } catch {
    return undefined; // ended meanwhile
  }
}

/** Every live process below `pid` (children, their children, …), from /proc. */
export function descendantsOf(pid: number): number[] {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(readStat)
    .filter((stat): stat is ProcStat => stat !== undefined && stat.state !== "Z");
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const stat of stats) {
      if (stat.ppid === parent) {
        found.push(stat.pid);
        queue.push(stat.pid);
      }
    }
  }
  return found;
}

/** The processes of `pids` still running (zombies count as ended), with their command lines. */
export function stillRunning(pids: number[]): string[] {
  return pids
    .filter((pid) => {
      const stat = readStat(String(pid));
      return stat !== undefined && stat.state !== "Z";
    })
    .map((pid) => {
      try {
        return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 200)}`;
      } catch {
        return `${pid}`;
      }
    });
}
