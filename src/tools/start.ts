/**
 * npm start: set-up if needed, then JupyterLab if it is installed, else the classic Notebook, on
 * notebooks/ with the project's kernel; `--lab` serves the kit's own JupyterLab 4 instead (built
 * from npm on first use by src/tools/jupyterlab/build.ts, served by src/tools/jupyterlab/server.py on
 * Debian's jupyter_server), for machines that cannot `pip install jupyterlab`. src/ is recompiled
 * on change so a student's edit reaches the kernel at its next restart. Prints the URL; opens a
 * browser only where there is a display.
 */
import { spawn, spawnSync } from "node:child_process";
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
import { UsageError, hasDisplay, integerOption, parseOptions, runProgram } from "./program";
import { setup } from "./setup";

const USAGE = `usage: npm start -- [--lab | --classic] [--port N] [--ip ADDRESS] [--no-browser]
  Starts JupyterLab (or the classic Notebook when JupyterLab is not installed) on notebooks/
  with this project's TypeScript kernel.
  --classic     the classic Notebook, even where JupyterLab is installed
  --lab         JupyterLab 4 built by this kit from npm's packages, for machines where
                \`pip install jupyterlab\` is impossible (the first start installs and builds it,
                about a minute and 400 MB); it runs on Python's jupyter_server and
                jupyterlab_server (Debian: apt-get install -y ${LAB_APT_PACKAGES.join(" ")})
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

/** The options, or a UsageError (one line, exit code 2, printed by runProgram). */
function readOptions(argv: string[]) {
  const { values } = parseOptions(argv, OPTIONS);
  const port = integerOption("port", values.port ?? "8888", 1, 65535);
  if (!values.ip) throw new UsageError("--ip needs an address, got an empty one");
  if (values.lab && values.classic)
    throw new UsageError("--lab and --classic exclude each other: choose one");
  return { ...values, port };
}

runProgram("start", (argv) => {
  const options = readOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  // Runs until the server exits (serve ends the process with the server's exit code).
  return new Promise<number>(() => serve(options));
});

function serve(options: ReturnType<typeof readOptions>): void {
  const port = options.port;
  const found = setup();
  const openBrowser = !options["no-browser"] && hasDisplay();

  /** The command serving the notebooks: `jupyter lab|notebook …`, or python src/tools/jupyterlab/server.py …. */
  function serverCommand(): { command: string; args: string[] } {
    if (!options.lab) {
      const frontEnd = found.lab && !options.classic ? "lab" : "notebook";
      const args = [frontEnd, `--notebook-dir=${NOTEBOOKS_DIR}`, `--port=${port}`, `--ip=${options.ip}`];
      if (!openBrowser) args.push("--no-browser");
      if (process.getuid?.() === 0) args.push("--allow-root");
      return { command: "jupyter", args };
    }
    let python = labServerPython();
    if (!python && isDebianRoot()) {
      console.log(
        `start: installing jupyter_server and jupyterlab_server with apt: ${LAB_APT_PACKAGES.join(" ")}`,
      );
      for (const args of [["update"], ["install", "-y", ...LAB_APT_PACKAGES]]) {
        if (spawnSync("apt-get", args, { stdio: "inherit" }).status !== 0) process.exit(1);
      }
      python = labServerPython();
    }
    if (!python) {
      console.error(
        [
          "start: --lab needs Python's jupyter_server and jupyterlab_server. Install them, then run this again:",
          `  on Debian or Ubuntu:  sudo apt-get install -y ${LAB_APT_PACKAGES.join(" ")}`,
          "  elsewhere:            pip install jupyterlab   (then plain `npm start` uses it)",
        ].join("\n"),
      );
      process.exit(1);
    }
    // Installs and builds JupyterLab on first use; afterwards it only checks that the build is current.
    const build = spawnSync(process.execPath, ["--import", "tsx", path.join(LAB_DIR, "build.ts")], {
      cwd: PROJECT_ROOT,
      stdio: "inherit",
    });
    if (build.status !== 0) process.exit(1);
    const args = [
      path.join(LAB_DIR, "server.py"),
      `--ServerApp.root_dir=${NOTEBOOKS_DIR}`,
      `--ServerApp.port=${port}`,
      `--ServerApp.ip=${options.ip}`,
      `--ServerApp.open_browser=${openBrowser ? "True" : "False"}`,
    ];
    if (process.getuid?.() === 0) args.push("--allow-root");
    return { command: python, args };
  }

  const { command, args } = serverCommand();
  const watcher = spawn(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"],
    { cwd: PROJECT_ROOT, stdio: "ignore" },
  );
  console.log(`start: ${command} ${args.join(" ")}`);
  const server = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: jupyterEnv(),
    stdio: ["inherit", "inherit", "pipe"],
  });

  let announced = false;
  server.stderr.setEncoding("utf8");
  server.stderr.on("data", (chunk: string) => {
    process.stderr.write(chunk);
    const url = /https?:\/\/(?:127\.0\.0\.1|localhost)[^\s]*/.exec(chunk)?.[0];
    if (url && !announced) {
      announced = true;
      console.log(
        `\nThe notebooks are served at: ${url}\n(kernel: "TypeScript (tslab, gradient descent kit)"; Ctrl+C stops)\n`,
      );
    }
  });
  // SIGTERM: the server stops its kernels and exits without asking (on SIGINT it asks for a "y" on stdin).
  const stop = (): void => {
    watcher.kill();
    server.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => {
    watcher.kill();
    process.exit(code ?? 0);
  });
}
