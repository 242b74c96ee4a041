/**
 * `npm run bench`: what the kit costs, against the articles' Python, in one run on one machine.
 * Prints a table and writes it to bench-results/bench.md and bench.json. Not part of `npm test`:
 * the goals are figures to report, not assertions.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Scalar, Tensor } from "@tensorflow/tfjs";
import {
  ARTICLE_ITERATIONS,
  ARTICLE_LEARNING_RATE,
  DEFAULT_SEED,
  fitPolynomial,
  loadTensorFlow,
  randomCoefficients,
  sineData,
} from "../../src/numerics";
import { exportNotebook } from "../../src/tools/export";
import { NOTEBOOKS_DIR, PROJECT_ROOT, isDebianRoot, jupyterEnv } from "../../src/tools/jupyter";
import { joinText, listNotebooks, readNotebook } from "../../src/tools/notebooks";
import { writePythonNotebooks } from "./python-notebooks";

const RESULTS_DIR = path.join(PROJECT_ROOT, "bench-results");
const PEERS_DIR = path.join(__dirname, "peers");
/** Debian's python3, which sees Debian's numpy, torch and ipykernel (a pyenv python3 on PATH may not). */
const PYTHON = "/usr/bin/python3";
const POINTS = 2000;
const RERUNS = 20;

// ---------------------------------------------------------------------------------------------
// Set-up: the Python peers, installed with apt where we may, otherwise skipped with one line.

const PEER_PACKAGES: Record<string, string> = {
  numpy: "python3-numpy",
  torch: "python3-torch",
  ipykernel: "python3-ipykernel",
  matplotlib: "python3-matplotlib",
  jupyter_client: "python3-jupyter-client",
};

function pythonHas(module: string): boolean {
  return spawnSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
}

function setUpPeers(): Set<string> {
  let missing = Object.keys(PEER_PACKAGES).filter((module) => !pythonHas(module));
  if (missing.length > 0 && isDebianRoot()) {
    const packages = missing.map((module) => PEER_PACKAGES[module]);
    console.log(`bench set-up: apt-get install -y ${packages.join(" ")}`);
    spawnSync("apt-get", ["install", "-y", ...packages], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    missing = missing.filter((module) => !pythonHas(module));
  }
  for (const module of missing) {
    console.log(
      `skipped: ${module} is not importable by ${PYTHON} (install ${PEER_PACKAGES[module]} as root to include it)`,
    );
  }
  return new Set(Object.keys(PEER_PACKAGES).filter((module) => !missing.includes(module)));
}

// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function timeRuns<T>(repeats: number, warmUps: number, run: () => T): { seconds: number[]; last: T } {
  let last = run();
  for (let i = 1; i < warmUps; i++) last = run();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const began = performance.now();
    last = run();
    seconds.push((performance.now() - began) / 1000);
  }
  return { seconds, last };
}

function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((value, k) => Math.abs(value - b[k]) / Math.max(Math.abs(value), Math.abs(b[k]))));
}

function runPython(
  script: string,
  args: string[],
): { seconds: number[]; coefficients: number[]; version: string } {
  const run = spawnSync(PYTHON, [path.join(PEERS_DIR, script), ...args], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1", PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`${script} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
    seconds: number[];
    coefficients: number[];
    version: string;
  };
}

function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(1)} ms`;
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

interface FitRow {
  peer: string;
  precision: string;
  medianSeconds: number;
  runs: number;
  coefficients: number[];
}

/** 1 and 2: the second article's loop, 2000 points × 2000 iterations, from one shared start. */
async function benchFit(peers: Set<string>, versions: Record<string, string>): Promise<FitRow[]> {
  const start = randomCoefficients(3, DEFAULT_SEED);
  const config = {
    start,
    learningRate: ARTICLE_LEARNING_RATE,
    iterations: ARTICLE_ITERATIONS,
    points: POINTS,
  };
  const configFile = path.join(RESULTS_DIR, "fit-config.json");
  const rows: FitRow[] = [];
  const ours = timeRuns(10, 2, () => fitPolynomial({ start }));
  rows.push({
    peer: "kit: fitPolynomial (per point)",
    precision: "float64",
    medianSeconds: median(ours.seconds),
    runs: 10,
    coefficients: ours.last.coefficients,
  });
  // The statistics are recomputed in every run: their one pass over the data is part of the cost.
  const fast = timeRuns(200, 5, () => fitPolynomial({ start, method: "sufficient-statistics" }));
  rows.push({
    peer: "kit: sufficient statistics",
    precision: "float64",
    medianSeconds: median(fast.seconds),
    runs: 200,
    coefficients: fast.last.coefficients,
  });
  console.log("  kit done");
  if (peers.has("numpy")) {
    writeFileSync(configFile, JSON.stringify({ ...config, repeats: 5, warmUps: 1 }));
    const numpy = runPython("fit_numpy.py", [configFile]);
    versions.numpy = numpy.version;
    rows.push({
      peer: "numpy (the article's loop)",
      precision: "float64",
      medianSeconds: median(numpy.seconds),
      runs: 5,
      coefficients: numpy.coefficients,
    });
    console.log("  numpy done");
  }
  if (peers.has("torch")) {
    writeFileSync(configFile, JSON.stringify({ ...config, repeats: 3, warmUps: 1 }));
    for (const mode of ["hand", "autograd"]) {
      const torch = runPython("fit_torch.py", [configFile, mode]);
      versions.torch = torch.version;
      rows.push({
        peer: `PyTorch, ${mode === "hand" ? "hand gradients" : "autograd"} (1 thread)`,
        precision: "float64",
        medianSeconds: median(torch.seconds),
        runs: 3,
        coefficients: torch.coefficients,
      });
      console.log(`  torch ${mode} done`);
    }
  }
  const { tf, description } = loadTensorFlow();
  versions.tensorflow = description;
  const data = sineData();
  const x = tf.tensor1d(Array.from(data.x));
  const y = tf.tensor1d(Array.from(data.y));
  const gradients = tf.grads((a, b, c, d) =>
    tf.tidy(() => {
      const prediction = a
        .add(b.mul(x))
        .add(c.mul(x.square()))
        .add(d.mul(x.pow(3)));
      return prediction.sub(y).square().sum() as Scalar;
    }),
  );
  const tfFit = (): number[] => {
    let theta: Tensor[] = start.map((value) => tf.scalar(value));
    for (let t = 0; t < ARTICLE_ITERATIONS; t++) {
      const next = tf.tidy(() => gradients(theta).map((g, k) => theta[k].sub(g.mul(ARTICLE_LEARNING_RATE))));
      theta.forEach((tensor) => tensor.dispose());
      theta = next;
    }
    const values = theta.map((tensor) => tensor.dataSync()[0]);
    theta.forEach((tensor) => tensor.dispose());
    return values;
  };
  const tfRuns = timeRuns(3, 1, tfFit);
  rows.push({
    peer: "TensorFlow.js, tf.grads each step",
    precision: "float32",
    medianSeconds: median(tfRuns.seconds),
    runs: 3,
    coefficients: tfRuns.last,
  });
  console.log("  TensorFlow.js done");
  return rows;
}

interface NotebookRow {
  notebook: string;
  kind: "kit (tslab)" | "Python (ipykernel)";
  seconds: number;
  bytes: number;
}

/** 3: execute-and-export of each walk-through, against the same article done the Python way. */
async function benchNotebooks(peers: Set<string>): Promise<NotebookRow[]> {
  const rows: NotebookRow[] = [];
  const exportDir = path.join(RESULTS_DIR, "export");
  mkdirSync(exportDir, { recursive: true });
  const walkThroughs = listNotebooks().filter((file) => /^0[12]-/.test(path.basename(file)));
  for (const file of walkThroughs) {
    const began = performance.now();
    const result = await exportNotebook(file, exportDir);
    if (result.problems.length > 0 || result.bytes === undefined) {
      throw new Error(`exporting ${path.basename(file)} failed:\n${result.problems.join("\n")}`);
    }
    rows.push({
      notebook: path.basename(file),
      kind: "kit (tslab)",
      seconds: (performance.now() - began) / 1000,
      bytes: result.bytes,
    });
    console.log(`  ${path.basename(file)} done`);
  }
  if (!(peers.has("ipykernel") && peers.has("numpy") && peers.has("matplotlib"))) {
    console.log("skipped: the Python notebooks (they need ipykernel, numpy and matplotlib)");
    return rows;
  }
  const pythonDir = path.join(RESULTS_DIR, "python");
  mkdirSync(pythonDir, { recursive: true });
  for (const file of writePythonNotebooks(pythonDir)) {
    const began = performance.now();
    const run = spawnSync(
      "jupyter",
      [
        "nbconvert",
        "--to",
        "html",
        "--execute",
        "--ExecutePreprocessor.kernel_name=python3",
        "--output-dir",
        pythonDir,
        file,
      ],
      { encoding: "utf8", env: { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: "1" } },
    );
    if (run.status !== 0) throw new Error(`nbconvert on ${path.basename(file)} failed:\n${run.stderr}`);
    const html = file.replace(/\.ipynb$/, ".html");
    const bytes = Number(spawnSync("stat", ["-c", "%s", html], { encoding: "utf8" }).stdout.trim());
    rows.push({
      notebook: path.basename(file),
      kind: "Python (ipykernel)",
      seconds: (performance.now() - began) / 1000,
      bytes,
    });
    console.log(`  ${path.basename(file)} done`);
  }
  return rows;
}

/** 4: rerun latency through the Jupyter protocol, on notebook 01's parameters and figure cells. */
interface RerunResult {
  /** From sending the changed parameters cell (and the cells up to the figure) to the figure's output. */
  seconds: number[];
  /** An empty cell's round trip, send to idle: the messaging floor per cell. */
  emptyCellSeconds: number[];
  /** A one-line declaration's round trip: tslab's compile of a cell, before any work. */
  declarationCellSeconds: number[];
  errors: string[];
}

function benchReruns(peers: Set<string>): RerunResult | undefined {
  if (!peers.has("jupyter_client")) {
    console.log("skipped: rerun latency (it drives the kernel with jupyter_client)");
    return undefined;
  }
  const file = listNotebooks().find((name) => path.basename(name).startsWith("01-"));
  if (!file) {
    console.log("skipped: rerun latency (no notebooks/01-*.ipynb)");
    return undefined;
  }
  const cells = readNotebook(file).cells.filter((cell) => cell.cell_type === "code");
  const parameters = cells.findIndex((cell) => cell.metadata.tags?.includes("parameters"));
  const figure = cells.findIndex((cell, i) => i > parameters && joinText(cell.source).includes("show("));
  const sources = cells.map((cell) => joinText(cell.source));
  const rates = [0.05, 0.3, 0.8, 1.2, 1.7];
  const reruns = Array.from({ length: RERUNS }, (_, i) => [
    sources[parameters].replace(
      /const learningRate = [^;]+;/,
      `const learningRate = ${rates[i % rates.length]};`,
    ),
    ...sources.slice(parameters + 1, figure + 1),
  ]);
  const configFile = path.join(RESULTS_DIR, "rerun-config.json");
  writeFileSync(
    configFile,
    JSON.stringify({ kernel: "tslab", cwd: NOTEBOOKS_DIR, setup: sources, reruns, marker: "data-gd-figure" }),
  );
  const run = spawnSync(PYTHON, [path.join(PEERS_DIR, "rerun_latency.py"), configFile], {
    encoding: "utf8",
    env: { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`rerun_latency.py failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as RerunResult;
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0];
  mkdirSync(RESULTS_DIR, { recursive: true });
  const build = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: PROJECT_ROOT,
      stdio: "inherit",
    },
  );
  if (build.status !== 0) throw new Error("compiling src failed");
  const peers = setUpPeers();
  const versions: Record<string, string> = { node: process.version };
  versions.python = spawnSync(PYTHON, ["--version"], { encoding: "utf8" }).stdout.trim();

  console.log("1–2. the fit loop");
  const fit = await benchFit(peers, versions);
  console.log("3. execute and export");
  const notebooks = await benchNotebooks(peers);
  console.log("4. rerun latency");
  const reruns = benchReruns(peers);

  const ours = fit[0];
  const fast = fit[1];
  const numpy = fit.find((row) => row.peer.startsWith("numpy"));
  const fitTable = table(
    [
      "peer",
      "precision",
      "median",
      "runs",
      "time ÷ kit's",
      "max relative difference of a, b, c, d from the kit's",
    ],
    fit.map((row) => [
      row.peer,
      row.precision,
      formatSeconds(row.medianSeconds),
      String(row.runs),
      (row.medianSeconds / ours.medianSeconds).toPrecision(3),
      maxRelativeDifference(row.coefficients, ours.coefficients).toExponential(1),
    ]),
  );
  const notebookTable = table(
    ["notebook", "kernel", "execute + export", "HTML size"],
    notebooks.map((row) => [
      row.notebook,
      row.kind,
      `${row.seconds.toFixed(1)} s`,
      `${(row.bytes / 1e6).toFixed(2)} MB`,
    ]),
  );
  const float64 = fit.filter((row) => row.precision === "float64");
  const worstFloat64 = Math.max(
    ...float64.map((row) => maxRelativeDifference(row.coefficients, ours.coefficients)),
  );
  const kitNotebooks = notebooks.filter((row) => row.kind === "kit (tslab)");
  const pythonNotebooks = notebooks.filter((row) => row.kind !== "kit (tslab)");
  const rerunMedian = reruns && reruns.seconds.every((s) => s !== null) ? median(reruns.seconds) : undefined;
  const goals: string[][] = [
    [
      "every float64 peer ends at the kit's coefficients (≤ 1e-9)",
      worstFloat64.toExponential(1),
      worstFloat64 <= 1e-9 ? "yes" : "no",
    ],
    ...(numpy
      ? [
          [
            "the kit's fit ≥ 10× faster than the numpy loop",
            `${(numpy.medianSeconds / ours.medianSeconds).toFixed(1)}×`,
            numpy.medianSeconds / ours.medianSeconds >= 10 ? "yes" : "no",
          ],
          [
            "sufficient statistics ≥ 1000× faster than the numpy loop",
            `${(numpy.medianSeconds / fast.medianSeconds).toFixed(0)}×`,
            numpy.medianSeconds / fast.medianSeconds >= 1000 ? "yes" : "no",
          ],
        ]
      : []),
    ...kitNotebooks.map((row, i) => {
      const python = pythonNotebooks[i];
      return [
        `${row.notebook}: execute + export ≤ its Python counterpart's`,
        python ? `${row.seconds.toFixed(1)} s vs ${python.seconds.toFixed(1)} s` : "no Python run",
        python ? (row.seconds <= python.seconds ? "yes" : "no") : "—",
      ];
    }),
    [
      "rerun median (parameters cell → figure) ≤ 100 ms",
      rerunMedian === undefined ? "not measured" : formatSeconds(rerunMedian),
      rerunMedian !== undefined && rerunMedian <= 0.1 ? "yes" : "no",
    ],
    ...kitNotebooks.map((row) => [
      `${row.notebook} export ≤ 2.5 MB`,
      `${(row.bytes / 1e6).toFixed(2)} MB`,
      row.bytes <= 2.5e6 ? "yes" : "no",
    ]),
  ];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${versions.node}, ${versions.python}, numpy ${versions.numpy ?? "—"}, torch ${versions.torch ?? "—"}, ${versions.tensorflow}; load average ${loadAtStart.toFixed(2)} when the bench started (other processes on the machine share its cores, so times are indicative)`;
  const markdown = [
    `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench\`.`,
    "",
    "**The fit loop** (2000 points × 2000 iterations, learning rate 1e-6, one shared seeded start):",
    "",
    fitTable,
    "",
    "**Execute and export** (one run each; the Python notebooks are the articles' own code with numpy and matplotlib):",
    "",
    notebookTable,
    "",
    `**Rerun latency** through the Jupyter protocol (notebook 01: a changed parameters cell and the cells up to its figure, ${RERUNS} reruns): median ${rerunMedian === undefined ? "not measured" : formatSeconds(rerunMedian)}${reruns ? `, min ${formatSeconds(Math.min(...reruns.seconds))}, max ${formatSeconds(Math.max(...reruns.seconds))}` : ""}${reruns ? `; per cell, the kernel's floor (send to idle, median): ${formatSeconds(median(reruns.emptyCellSeconds))} for an empty cell, ${formatSeconds(median(reruns.declarationCellSeconds))} for \`const benchProbe = 1;\` (tslab compiles every cell with TypeScript)` : ""}${reruns?.errors.length ? `; errors: ${reruns.errors.join("; ")}` : ""}.`,
    "",
    "**Goals**:",
    "",
    table(["goal", "measured", "met"], goals),
  ].join("\n");
  console.log(`\n${markdown}`);
  writeFileSync(path.join(RESULTS_DIR, "bench.md"), `${markdown}\n`);
  writeFileSync(
    path.join(RESULTS_DIR, "bench.json"),
    JSON.stringify({ machine, versions, fit, notebooks, reruns, goals }, null, 2),
  );
  rmSync(path.join(RESULTS_DIR, "fit-config.json"), { force: true });
  console.log(
    `\nwritten: ${path.relative(process.cwd(), path.join(RESULTS_DIR, "bench.md"))} and bench.json`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
