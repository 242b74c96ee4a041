/**
 * `npm start` never leaves a server behind: however it ends — Ctrl+C in its terminal, SIGTERM or
 * SIGKILL to the npm process (as an IDE or a process manager stops it), SIGKILL to start's own
 * Node.js process — every process it started (the server, a running kernel, the compiler
 * watcher, the guard) is gone within seconds, and so is the server's runtime folder, which holds
 * its token and the kernels' connection files.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT, findJupyter, labServerPython } from "../../src/tools/jupyter";
import { skipOutsideCI } from "../support/chromium";
import { freePort, processesMentioning } from "../support/jupyter-server";
import { HAS_PROC, descendantsOf, npmStart, stillRunning, type RunningStart } from "../support/npm-start";

const jupyter = findJupyter();
const skip = skipOutsideCI(
  !HAS_PROC
    ? "reading the process tree needs Linux's /proc"
    : !jupyter.notebook
      ? "the classic Notebook is not installed"
      : !jupyter.lab && !labServerPython()
        ? "neither JupyterLab nor jupyter_server and jupyterlab_server are installed"
        : false,
);

interface Case {
  how: string;
  args: string[];
  signal: NodeJS.Signals;
  /** npm's pid, start's own Node.js process, or the terminal's foreground group (npm's). */
  target: "npm" | "start" | "group";
}

const CASES: Case[] = [
  {
    how: "Ctrl+C in its terminal (SIGINT to the foreground group)",
    args: [],
    signal: "SIGINT",
    target: "group",
  },
  { how: "SIGTERM to the npm process", args: ["--classic"], signal: "SIGTERM", target: "npm" },
  { how: "SIGKILL to the npm process", args: [], signal: "SIGKILL", target: "npm" },
  { how: "SIGKILL to start's own Node.js process", args: [], signal: "SIGKILL", target: "start" },
];

/** Starts a kernel through the server's API and waits for its process; returns its runtime folder. */
async function startKernel(start: RunningStart): Promise<string> {
  const url = new URL(start.url);
  const response = await fetch(`${url.origin}/api/kernels`, {
    method: "POST",
    headers: { Authorization: `token ${url.searchParams.get("token")}` },
    body: JSON.stringify({ name: "tslab" }),
  });
  const body = await response.text();
  assert.equal(response.status, 201, `starting a kernel: ${body}`);
  const { id } = JSON.parse(body) as { id: string };
  for (let attempt = 0; attempt < 100; attempt++) {
    const [kernel] = processesMentioning(`kernel-${id}.json`);
    const connectionFile = /--config-path (\S+)/.exec(kernel ?? "")?.[1];
    if (connectionFile) return path.dirname(connectionFile);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`no kernel process for kernel ${id}:\n${start.log()}`);
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

describe("npm start leaves no server behind", { skip, concurrency: false }, () => {
  for (const { how, args, signal, target } of CASES) {
    it(`${how}${args.length ? ` (${args.join(" ")})` : ""}`, { timeout: 25 * 60_000 }, async () => {
      // Up to 20 min: without the user's own JupyterLab, the first start installs and builds the kit's.
      const options = [...args, "--no-browser", `--port=${await freePort()}`];
      const start = await npmStart(PROJECT_ROOT, options, 20 * 60_000);
      const npmPid = start.npm.pid as number;
      try {
        const runtimeDir = await startKernel(start);
        const tokenFiles = readdirSync(runtimeDir).filter((file) => /^(jp|nb)server-\d+\.json$/.test(file));
        assert.equal(tokenFiles.length, 1, `the server's runtime file in ${runtimeDir}`);
        assert.match(readFileSync(path.join(runtimeDir, tokenFiles[0]), "utf8"), /"token"/);
        const started = descendantsOf(npmPid);
        const running = stillRunning(started);
        for (const part of ["start-guard.ts", "--watch", "tslab kernel", runtimeDir])
          assert.ok(
            running.some((line) => line.includes(part)),
            `no process mentions ${part}:\n${running.join("\n")}`,
          );
        // tsx runs start.ts in a child Node.js process with its loader (--import).
        const startLine = running.find(
          (line) => line.includes("src/tools/start.ts") && line.includes("--import"),
        );
        assert.ok(startLine, `start's own Node.js process:\n${running.join("\n")}`);
        const startPid = Number.parseInt(startLine, 10);
        process.kill(target === "group" ? -npmPid : target === "npm" ? npmPid : startPid, signal);

        const allGone = await waitFor(
          () => stillRunning(started).length === 0 && !existsSync(runtimeDir),
          45_000,
        );
        assert.ok(
          allGone,
          `still running 45 s after ${signal}:\n${stillRunning(started).join("\n")}\n` +
            `runtime folder ${existsSync(runtimeDir) ? "still there" : "removed"}\n${start.log()}`,
        );
        if (signal !== "SIGKILL" || target !== "npm") await start.exited;
      } finally {
        try {
          process.kill(-npmPid, "SIGKILL");
        } catch {
          // ended, as it should
        }
      }
    });
  }
});
