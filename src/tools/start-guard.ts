/**
 * `npm start`'s guard: stops what start.ts started once start.ts is gone, however it went. A
 * process killed with SIGKILL runs no handler, so the cleanup lives in this separate process,
 * which start.ts launches first and feeds through a pipe on its stdin: one JSON line per thing to
 * stop ({"group": pid} for a process group, {"runtimeDir": folder} for the server's runtime
 * files). The pipe closes when start.ts exits, ends or is killed; then this process stops each
 * group (SIGTERM, SIGKILL after a grace period), any kernel still running from the runtime folder
 * (their connection files are there), removes that folder (it holds the server's token) and exits.
 * start.ts itself stops the same way: it closes the pipe and waits for this process to exit.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";

/** How long a server may take to shut its kernels down after SIGTERM before it is killed. */
const GRACE_MS = 10_000;

const groups: number[] = [];
const runtimeDirs: string[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group led by `pid`, or the process alone when it leads none. */
function signal(pid: number, name: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, name);
      return;
    } catch {
      // no such group (or process): gone already
    }
  }
}

/** The pids of processes whose command line mentions `text` (Linux's /proc, else ps). */
function processesMentioning(text: string): number[] {
  if (existsSync("/proc/self/cmdline")) {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
        } catch {
          return false; // ended meanwhile
        }
      })
      .map(Number);
  }
  const listing = spawnSync("ps", ["-axo", "pid=,command="], { encoding: "utf8" }).stdout ?? "";
  return listing
    .split("\n")
    .filter((line) => line.includes(text))
    .map((line) => Number.parseInt(line, 10))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

async function waitUntilGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function stopEverything(): Promise<void> {
  for (const group of groups) signal(group, "SIGTERM");
  await waitUntilGone(groups, GRACE_MS);
  for (const group of groups) signal(group, "SIGKILL");
  // Kernels run in their own sessions: found by their connection files in the runtime folder.
  for (const folder of runtimeDirs) {
    const kernels = processesMentioning(folder);
    for (const pid of kernels) signal(pid, "SIGTERM");
    await waitUntilGone(kernels, 2_000);
    for (const pid of kernels) signal(pid, "SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  }
}

// Signals meant for the terminal's foreground group (Ctrl+C) or the session (a closed terminal)
// must not stop the guard before its work is done.
for (const name of ["SIGINT", "SIGHUP", "SIGTERM"] as const) process.on(name, () => undefined);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const message = JSON.parse(line) as { group?: number; runtimeDir?: string };
  if (message.group) groups.push(message.group);
  if (message.runtimeDir) runtimeDirs.push(message.runtimeDir);
});
lines.on("close", () => {
  stopEverything().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
