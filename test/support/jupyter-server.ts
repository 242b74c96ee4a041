/**
 * A Jupyter server started by a test on 127.0.0.1 with a token, in its own process group and with
 * its own runtime, config and data folders (kernel connection files land in the runtime folder, so
 * leftover kernels can be found by it; the user's configuration and notebook signatures stay out).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { LAB_DIR, PROJECT_ROOT, jupyterEnv } from "../../src/tools/jupyter";
import { buildPageAssets } from "../../src/tools/page-bundles";

/** Compiles src/ to build/src, which the notebooks' `import … from "../src"` loads in the kernel. */
export function compileSrcForKernel(): void {
  const build = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    },
  );
  assert.equal(build.status, 0, `compiling src failed:\n${build.stdout}${build.stderr}`);
  // What the kernel's figures carry: the page's scripts and plotly.js (cached when unchanged).
  buildPageAssets();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Processes whose command line mentions `text` (Linux /proc); empty elsewhere. */
export function processesMentioning(text: string): string[] {
  if (!existsSync("/proc/self/cmdline")) return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (commandLine.includes(text)) found.push(`${pid}: ${commandLine}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

export interface TestServer {
  baseUrl: string;
  token: string;
  /** The server's own folders (JUPYTER_RUNTIME_DIR etc.), removed by stop(). */
  runtimeDir: string;
  /** What the server printed so far. */
  log(): string;
  /** fetch() on the server with the token. */
  api(route: string, init?: RequestInit): Promise<Response>;
  /** Shuts the server down through its API (SIGTERM to its group after 20 s); idempotent. */
  stop(): Promise<void>;
  /** True once the server process has exited. */
  exited(): boolean;
}

export interface ServerLaunch {
  /** The command and its arguments; `args(port, token)` adds the server's own options. */
  command: string;
  args(port: number, token: string): string[];
  /** Names the server in failure messages. */
  name: string;
  cwd?: string;
}

/** Starts a Jupyter server and waits until /api/status answers (up to a minute). */
export async function startTestServer(launch: ServerLaunch): Promise<TestServer> {
  const token = randomBytes(16).toString("hex");
  const root = mkdtempSync(path.join(tmpdir(), "gd-server-"));
  const runtimeDir = path.join(root, "runtime");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = launch.args(port, token);
  if (process.getuid?.() === 0) args.push("--allow-root");
  const child: ChildProcess = spawn(launch.command, args, {
    cwd: launch.cwd ?? PROJECT_ROOT,
    env: jupyterEnv({
      ...process.env,
      JUPYTER_RUNTIME_DIR: runtimeDir,
      JUPYTER_CONFIG_DIR: path.join(root, "config"),
      JUPYTER_DATA_DIR: path.join(root, "data"),
    }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a hung server can be stopped as a whole
  });
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${route}`, {
      ...init,
      headers: { Authorization: `token ${token}`, ...(init.headers as Record<string, string>) },
    });
  for (let attempt = 0; ; attempt++) {
    const response = await api("/api/status").catch(() => undefined);
    if (response?.ok) break;
    assert.ok(!exited(), `${launch.name} exited:\n${log}`);
    assert.ok(attempt < 120, `${launch.name} did not answer within a minute:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  async function stop(): Promise<void> {
    if (!exited()) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      await api("/api/shutdown", { method: "POST" }).catch(() => undefined);
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGTERM"), 20_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  }
  return { baseUrl, token, runtimeDir, log: () => log, api, stop, exited };
}

/** Debian's classic Notebook server (`jupyter notebook`) on `notebookDir`. */
export function startNotebookServer(notebookDir: string): Promise<TestServer> {
  return startTestServer({
    name: "the classic Notebook server",
    command: "jupyter",
    args: (port, token) => [
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${notebookDir}`,
    ],
  });
}

/**
 * The kit's JupyterLab (src/tools/jupyterlab/server.py, run by `python`) on `rootDir`, the application
 * exposed to the page as window.jupyterapp; `extraArgs` e.g. its settings and workspaces folders.
 */
export function startLabServer(
  python: string,
  rootDir: string,
  extraArgs: string[] = [],
): Promise<TestServer> {
  return startTestServer({
    name: "the JupyterLab server (src/tools/jupyterlab/server.py)",
    command: python,
    args: (port, token) => [
      path.join(LAB_DIR, "server.py"),
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--ServerApp.token=${token}`,
      "--ServerApp.open_browser=False",
      `--ServerApp.root_dir=${rootDir}`,
      "--KitLabApp.expose_app_in_browser=True",
      ...extraArgs,
    ],
  });
}
