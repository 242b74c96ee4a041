/**
 * npm start: set-up if needed, then JupyterLab if it is installed, else the classic Notebook, on
 * notebooks/ with the project's kernel; src/ is recompiled on change so a student's edit reaches
 * the kernel at its next restart. Prints the URL; opens a browser only where there is a display.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { NOTEBOOKS_DIR, PROJECT_ROOT, jupyterEnv } from "./jupyter";
import { setup } from "./setup";

const { values: options } = parseArgs({
  options: {
    port: { type: "string", default: "8888" },
    ip: { type: "string", default: "127.0.0.1" },
    "no-browser": { type: "boolean", default: false },
    classic: { type: "boolean", default: false, short: "c" },
    help: { type: "boolean", default: false, short: "h" },
  },
});

if (options.help) {
  console.log(`usage: npm start -- [--port N] [--ip ADDRESS] [--no-browser] [--classic]
  Starts JupyterLab (or the classic Notebook when JupyterLab is not installed, or with --classic)
  on notebooks/ with this project's TypeScript kernel.`);
  process.exit(0);
}
const port = Number(options.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a whole number from 1 to 65535, got ${JSON.stringify(options.port)}`);
  process.exit(2);
}

const found = setup();
const frontEnd = found.lab && !options.classic ? "lab" : "notebook";
const hasDisplay =
  process.platform === "darwin" ||
  process.platform === "win32" ||
  Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const args = [frontEnd, `--notebook-dir=${NOTEBOOKS_DIR}`, `--port=${port}`, `--ip=${options.ip}`];
if (options["no-browser"] || !hasDisplay) args.push("--no-browser");
if (process.getuid?.() === 0) args.push("--allow-root");

const watcher = spawn(
  process.execPath,
  [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"],
  { cwd: PROJECT_ROOT, stdio: "ignore" },
);
console.log(`start: jupyter ${args.join(" ")}`);
const server = spawn("jupyter", args, {
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
const stop = (): void => {
  watcher.kill();
  server.kill("SIGINT");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  watcher.kill();
  process.exit(code ?? 0);
});
