/**
 * npm start: set-up if needed, then JupyterLab 4 on notebooks/ with the project's kernel — the
 * user's own JupyterLab when one is installed, otherwise the kit's build (src/tools/jupyterlab/:
 * installed from npm and built on first use, served on Python's jupyter_server); `--classic`
 * serves the classic Notebook instead. src/ is recompiled on change so a student's edit reaches
 * the kernel at its next restart. Prints the URL; opens a browser only where there is a display.
 *
 * Nothing outlives it: the server, its kernels and the compiler watcher are stopped and the
 * server's runtime files (they hold its token) removed when it ends — by Ctrl+C, SIGTERM, the
 * server's own exit, the death of the `npm start` above it, or even SIGKILL (start-guard.ts).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  LAB_APT_PACKAGES,
  LAB_DIR,
  NOTEBOOKS_DIR,
  PROJECT_ROOT,
  isDebianRoot,
  jupyterEnv,
  labServerPython,
} from "./jupyter";
import { ensureJupyterLab } from "./jupyterlab/build";
import { ProgramError, UsageError, hasDisplay, integerOption, parseOptions, runProgram } from "./program";
import { setup } from "./setup";

const USAGE = `usage: npm start -- [--classic | --lab] [--port N] [--ip ADDRESS] [--no-browser]
  Starts JupyterLab 4 on notebooks/ with this project's TypeScript kernel: your own JupyterLab
  when \`jupyter lab\` runs, otherwise the kit's build of JupyterLab 4.6.3 (the first start installs
  and builds it: about 400 MB and two minutes; later starts only check it), which runs on Python's
  jupyter_server and jupyterlab_server (Debian: apt-get install -y ${LAB_APT_PACKAGES.join(" ")};
  as root on Debian the first start installs them).
  --classic     the classic Notebook instead of JupyterLab
  --lab         the kit's build of JupyterLab even where your own is installed
  --port N      the port (default 8888; the next free one if taken)
  --ip ADDRESS  the address to listen on (default 127.0.0.1)
  --no-browser  print the URL only`;

const OPTIONS = {
  port: { type: "string", default: "8888" },
  ip: { type: "string", default: "127.0.0.1" },
  "no-browser": { type: "boolean", default: false },
  classic: { type: "boolean", default: false, short: "c" },
  lab: { type: "boolean", default: false },
  help: { type: "boolean", default: false, short: "h" },
} as const;

type Options = ReturnType<typeof readOptions>;

/** The options, or a UsageError (one line, exit code 2, printed by runProgram). */
function readOptions(argv: string[]) {
  const { values } = parseOptions(argv, OPTIONS);
  const port = integerOption("port", values.port ?? "8888", 1, 65535);
  if (!values.ip) throw new UsageError("--ip needs an address, got an empty one");
  if (values.lab && values.classic)
    throw new UsageError("--lab and --classic exclude each other: choose one");
  return { ...values, port };
}

runProgram("start", async (argv) => {
  const options = readOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  return serve(options);
});

/** Runs `stage`, announcing it and then its duration, as one line each. */
async function timed<T>(what: string, stage: () => T | Promise<T>): Promise<T> {
  console.log(`start: ${what}…`);
  const started = Date.now();
  const result = await stage();
  console.log(`start:   done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** A Python with jupyter_server and jupyterlab_server, installed with apt where the kit may. */
async function labPython(): Promise<string> {
  let python = labServerPython();
  if (!python && isDebianRoot()) {
    await timed(
      `installing jupyter_server and jupyterlab_server with apt (${LAB_APT_PACKAGES.join(" ")})`,
      () => {
        for (const args of [["update"], ["install", "-y", ...LAB_APT_PACKAGES]]) {
          const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"] });
          if (result.status !== 0) {
            throw new ProgramError(
              `apt-get ${args[0]} failed (exit code ${result.status}); the lines above say why`,
            );
          }
        }
      },
    );
    python = labServerPython();
  }
  if (!python) {
    throw new ProgramError(
      "JupyterLab needs Python's jupyter_server and jupyterlab_server: " +
        `on Debian or Ubuntu \`sudo apt-get install -y ${LAB_APT_PACKAGES.join(" ")}\`, ` +
        "elsewhere `pip install jupyterlab`; or `npm start -- --classic` for the classic Notebook",
    );
  }
  return python;
}

/** The command serving the notebooks: `jupyter lab|notebook …`, or python src/tools/jupyterlab/server.py …. */
async function serverCommand(
  options: Options,
  ownLab: boolean,
  openBrowser: boolean,
): Promise<{ command: string; args: string[] }> {
  const { port, ip } = options;
  const root = process.getuid?.() === 0 ? ["--allow-root"] : [];
  if (options.classic || (ownLab && !options.lab)) {
    const frontEnd = options.classic ? "notebook" : "lab";
    const args = [frontEnd, `--notebook-dir=${NOTEBOOKS_DIR}`, `--port=${port}`, `--ip=${ip}`, ...root];
    if (!openBrowser) args.push("--no-browser");
    return { command: "jupyter", args };
  }
  const python = await labPython();
  const build = await ensureJupyterLab(false, (line) => console.log(`start: ${line}`));
  if (!build.installed && !build.built) console.log("start: the kit's JupyterLab 4.6.3 is built and current");
  const args = [
    path.join(LAB_DIR, "server.py"),
    `--ServerApp.root_dir=${NOTEBOOKS_DIR}`,
    `--ServerApp.port=${port}`,
    `--ServerApp.ip=${ip}`,
    `--ServerApp.open_browser=${openBrowser ? "True" : "False"}`,
    ...root,
  ];
  return { command: python, args };
}

/**
 * The pids of the Node.js launchers above this process (`npm`, its `sh -c`, tsx's CLI) with their
 * parents, read from Linux's /proc; empty elsewhere. If one of them dies (an IDE's SIGKILL to
 * `npm start`), the chain changes and start stops.
 */
function launcherChain(): string[] {
  const chain: string[] = [];
  let pid = process.ppid;
  while (pid > 1 && existsSync(`/proc/${pid}/stat`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      break;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read from the last ")".
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z" || !/^(node|npm|npx|tsx|sh|dash)/.test(comm)) break;
    chain.push(`${pid}<${parent}`);
    pid = Number(parent);
  }
  return chain;
}

async function serve(options: Options): Promise<number> {
  const found = setup();
  const openBrowser = !options["no-browser"] && hasDisplay();
  const { command, args } = await serverCommand(options, found.lab, openBrowser);

  // The guard first, so that whatever starts next is stopped even if this process is killed.
  const guard = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "start-guard.ts")], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "ignore", "inherit"],
    detached: true,
  });
  const guardDone = new Promise<void>((resolve) => guard.once("exit", () => resolve()));
  const tell = (message: object): void => void guard.stdin?.write(JSON.stringify(message) + "\n");
  // A folder of its own for the server's runtime files (its token, its kernels' connection files).
  const runtimeDir = mkdtempSync(path.join(tmpdir(), "gd-jupyter-runtime-"));
  tell({ runtimeDir });

  // Each child leads its own process group: the terminal's Ctrl+C reaches this process only, which
  // stops them in order (SIGINT would make the server ask "Shutdown this server (y/[n])?").
  const startChild = (file: string, childArgs: string[], stdio: "ignore" | "server"): ChildProcess => {
    const child = spawn(file, childArgs, {
      cwd: PROJECT_ROOT,
      env: jupyterEnv({ ...process.env, JUPYTER_RUNTIME_DIR: runtimeDir }),
      stdio: stdio === "server" ? ["ignore", "inherit", "pipe"] : "ignore",
      detached: true,
    });
    if (child.pid) tell({ group: child.pid });
    return child;
  };
  const watcher = startChild(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"],
    "ignore",
  );
  console.log(`start: ${command} ${args.join(" ")}`);
  const server = startChild(command, args, "server");

  let announced = false;
  server.stderr?.setEncoding("utf8");
  server.stderr?.on("data", (chunk: string) => {
    process.stderr.write(chunk);
    const url = /https?:\/\/(?:127\.0\.0\.1|localhost)[^\s]*/.exec(chunk)?.[0];
    if (url && !announced) {
      announced = true;
      console.log(
        `\nThe notebooks are served at: ${url}\n(kernel: "TypeScript (tslab, gradient descent kit)"; Ctrl+C stops)\n`,
      );
    }
  });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      guard.stdin?.end(); // the guard stops the server (its kernels with it) and the watcher
      void guardDone.then(() => resolve(code));
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(130));
    server.on("exit", (code) => stop(code ?? 1));
    watcher.on("error", () => undefined);
    const launchers = launcherChain().join(" ");
    setInterval(() => {
      if (launcherChain().join(" ") !== launchers) stop(1);
    }, 1000).unref();
  });
}
