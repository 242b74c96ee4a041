/**
 * `npm run bench`: what the kit costs, against the articles' Python, in one run on one machine.
 * Prints a table and writes it to bench-results/bench.md and bench.json. Not part of `npm test`:
 * the goals are figures to report, not assertions.
 *
 * The contenders are interleaved (A B C … then … C B A, round after round), never run one after
 * another, so a shared machine's load falls on them alike; each figure is a median with its spread
 * (min–max over the rounds), and ratios are taken round by round.
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
  randomCoefficients,
  sineData,
} from "../../src/problems/cubic-fit/polynomial";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { loadTensorFlow } from "../../src/checks/tensorflow";
import { exportNotebook } from "../../src/tools/export";
import { NOTEBOOKS_DIR, PROJECT_ROOT, isDebianRoot, jupyterEnv } from "../../src/tools/jupyter";
import { joinText, listNotebooks, readNotebook } from "../../src/tools/notebooks";
import { parseOptions, runProgram } from "../../src/tools/program";
import { setup } from "../../src/tools/setup";
import { benchKernelStart } from "./kernel-start";
import { benchLiveExplorer } from "./live-explorer";
import { benchRunnable } from "./runnable";
import { writePythonNotebooks } from "./python-notebooks";

const RESULTS_DIR = path.join(PROJECT_ROOT, "bench-results");
const PEERS_DIR = path.join(__dirname, "peers");
/** Debian's python3, which sees Debian's numpy, torch and ipykernel (a pyenv python3 on PATH may not). */
const PYTHON = "/usr/bin/python3";
const POINTS = 2000;
/** Rounds of the interleaved contenders. */
const FIT_ROUNDS = 5;
const NOTEBOOK_ROUNDS = 3;
const KERNEL_ROUNDS = 15;
/** Reruns of notebook 01's parameters → figure cells in one session: 50, as a student might. */
const RERUNS = 50;
const FLOOD_LINES = 20_000;

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

/** "12.3 ms (10.1–15.0)": the median and the range of `values`, formatted by `format`. */
function spread(values: number[], format: (value: number) => string = formatSeconds): string {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

/** Round r's order of `items`: forwards in even rounds, backwards in odd ones. */
function interleaved<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
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
  /** One time per round: the median of that round's runs. */
  seconds: number[];
  runs: number;
  coefficients: number[];
}

interface FitContender {
  peer: string;
  precision: string;
  /** Runs once per round, returning that round's timed seconds (warm-ups untimed). */
  round: (first: boolean) => { seconds: number[]; coefficients: number[] };
}

/** 1 and 2: the second article's loop, 2000 points × 2000 iterations, from one shared start. */
function benchFit(peers: Set<string>, versions: Record<string, string>): FitRow[] {
  const start = randomCoefficients(3, DEFAULT_SEED);
  const config = {
    start,
    learningRate: ARTICLE_LEARNING_RATE,
    iterations: ARTICLE_ITERATIONS,
    points: POINTS,
  };
  const configFile = path.join(RESULTS_DIR, "fit-config.json");
  const python = (script: string, args: string[], repeats: number) => () => {
    writeFileSync(configFile, JSON.stringify({ ...config, repeats, warmUps: 1 }));
    const run = runPython(script, [configFile, ...args]);
    versions[script === "fit_numpy.py" ? "numpy" : "torch"] = run.version;
    return { seconds: run.seconds, coefficients: run.coefficients };
  };
  const contenders: FitContender[] = [
    {
      peer: "kit: fitPolynomial (per point)",
      precision: "float64",
      round: (first) => {
        const runs = timeRuns(2, first ? 2 : 0, () => fitPolynomial({ start }));
        return { seconds: runs.seconds, coefficients: runs.last.coefficients };
      },
    },
    {
      // The statistics are recomputed in every run: their one pass over the data is part of the cost.
      peer: "kit: sufficient statistics",
      precision: "float64",
      round: (first) => {
        const runs = timeRuns(40, first ? 5 : 0, () =>
          fitPolynomial({ start, method: "sufficient-statistics" }),
        );
        return { seconds: runs.seconds, coefficients: runs.last.coefficients };
      },
    },
  ];
  if (peers.has("numpy")) {
    contenders.push({
      peer: "numpy (the article's loop)",
      precision: "float64",
      round: python("fit_numpy.py", [], 1),
    });
  }
  if (peers.has("torch")) {
    for (const mode of ["hand", "autograd"]) {
      contenders.push({
        peer: `PyTorch, ${mode === "hand" ? "hand gradients" : "autograd"} (1 thread)`,
        precision: "float64",
        round: python("fit_torch.py", [mode], 1),
      });
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
  contenders.push({
    peer: "TensorFlow.js, tf.grads each step",
    precision: "float32",
    round: (first) => {
      const runs = timeRuns(1, first ? 1 : 0, tfFit);
      return { seconds: runs.seconds, coefficients: runs.last };
    },
  });
  const rows: FitRow[] = contenders.map((c) => ({
    peer: c.peer,
    precision: c.precision,
    seconds: [],
    runs: 0,
    coefficients: [],
  }));
  for (let round = 0; round < FIT_ROUNDS; round++) {
    for (const index of interleaved(
      contenders.map((_, i) => i),
      round,
    )) {
      const result = contenders[index].round(round === 0);
      rows[index].seconds.push(median(result.seconds));
      rows[index].runs += result.seconds.length;
      rows[index].coefficients = result.coefficients;
    }
    console.log(`  round ${round + 1} of ${FIT_ROUNDS} done`);
  }
  return rows;
}

interface NotebookRow {
  notebook: string;
  kind: "kit (tslab)" | "Python (ipykernel)";
  seconds: number[];
  bytes: number;
}

async function exportKitNotebook(file: string, exportDir: string): Promise<number> {
  const result = await exportNotebook(file, exportDir);
  if (result.problems.length > 0 || result.bytes === undefined) {
    throw new Error(`exporting ${path.basename(file)} failed:\n${result.problems.join("\n")}`);
  }
  return result.bytes;
}

function exportPythonNotebook(file: string, outputDir: string): number {
  const run = spawnSync(
    "jupyter",
    [
      "nbconvert",
      "--to",
      "html",
      "--execute",
      "--ExecutePreprocessor.kernel_name=python3",
      "--output-dir",
      outputDir,
      file,
    ],
    { encoding: "utf8", env: { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: "1" } },
  );
  if (run.status !== 0) throw new Error(`nbconvert on ${path.basename(file)} failed:\n${run.stderr}`);
  const html = path.join(outputDir, path.basename(file).replace(/\.ipynb$/, ".html"));
  return Number(spawnSync("stat", ["-c", "%s", html], { encoding: "utf8" }).stdout.trim());
}

/**
 * 3: execute-and-export of each walk-through against the same article done the Python way,
 * interleaved: kit 01, Python 01, kit 02, Python 02, then backwards, NOTEBOOK_ROUNDS times.
 */
async function benchNotebooks(peers: Set<string>): Promise<NotebookRow[]> {
  const exportDir = path.join(RESULTS_DIR, "export");
  mkdirSync(exportDir, { recursive: true });
  const walkThroughs = listNotebooks().filter((file) => /^0[12]-/.test(path.basename(file)));
  const contenders: { row: NotebookRow; run: () => Promise<number> }[] = [];
  const withPython = peers.has("ipykernel") && peers.has("numpy") && peers.has("matplotlib");
  if (!withPython) console.log("skipped: the Python notebooks (they need ipykernel, numpy and matplotlib)");
  const pythonDir = path.join(RESULTS_DIR, "python");
  mkdirSync(pythonDir, { recursive: true });
  const pythonFiles = withPython ? writePythonNotebooks(pythonDir) : [];
  walkThroughs.forEach((file, i) => {
    contenders.push({
      row: { notebook: path.basename(file), kind: "kit (tslab)", seconds: [], bytes: 0 },
      run: () => exportKitNotebook(file, exportDir),
    });
    const pythonFile = pythonFiles[i];
    if (pythonFile) {
      contenders.push({
        row: { notebook: path.basename(pythonFile), kind: "Python (ipykernel)", seconds: [], bytes: 0 },
        run: () => Promise.resolve(exportPythonNotebook(pythonFile, pythonDir)),
      });
    }
  });
  for (let round = 0; round < NOTEBOOK_ROUNDS; round++) {
    for (const contender of interleaved(contenders, round)) {
      const began = performance.now();
      contender.row.bytes = await contender.run();
      contender.row.seconds.push((performance.now() - began) / 1000);
    }
    console.log(`  round ${round + 1} of ${NOTEBOOK_ROUNDS} done`);
  }
  return contenders.map((contender) => contender.row);
}

/** 4: the kernel through the Jupyter protocol, tslab against ipykernel where it is installed. */
interface KernelFigures {
  emptySeconds: number[];
  declarationSeconds: number[];
  /** The kernel process's CPU time per cell (mean of 50), null without /proc. */
  emptyCpuSeconds: number | null;
  declarationCpuSeconds: number | null;
  linesPerSecond: number[];
  errors: string[];
}

interface KernelResult {
  cellsPerRerun: number;
  tslab: KernelFigures & {
    /** Notebook 01's parameters cell and the cells up to its figure, sent at once, to the figure. */
    rerunSeconds: (number | null)[];
    /** The kernel process's CPU time of each rerun (to a clock tick), null without /proc. */
    rerunCpuSeconds: (number | null)[];
    /** The one-line declaration again, after the reruns (hundreds of executed cells later). */
    declarationAfterRerunsSeconds: number[];
  };
  ipykernel?: KernelFigures;
}

function benchKernel(peers: Set<string>): KernelResult | undefined {
  if (!peers.has("jupyter_client")) {
    console.log("skipped: the kernel figures (they drive the kernels with jupyter_client)");
    return undefined;
  }
  const file = listNotebooks().find((name) => path.basename(name).startsWith("01-"));
  if (!file) {
    console.log("skipped: the kernel figures (no notebooks/01-*.ipynb)");
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
  const kernels: Record<string, object> = {
    tslab: {
      name: "tslab",
      cwd: NOTEBOOKS_DIR,
      setup: sources,
      empty: "",
      declaration: "const benchProbe = 1;",
      flood: `for (let i = 0; i < ${FLOOD_LINES}; i++) console.log(i);`,
    },
  };
  if (peers.has("ipykernel")) {
    kernels.ipykernel = {
      name: "python3",
      cwd: NOTEBOOKS_DIR,
      setup: [],
      empty: "",
      declaration: "bench_probe = 1",
      flood: `for i in range(${FLOOD_LINES}): print(i)`,
    };
  }
  const configFile = path.join(RESULTS_DIR, "kernel-config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      kernels,
      rounds: KERNEL_ROUNDS,
      floodLines: FLOOD_LINES,
      reruns,
      marker: "data-gd-figure",
    }),
  );
  const run = spawnSync(PYTHON, [path.join(PEERS_DIR, "kernel_latency.py"), configFile], {
    encoding: "utf8",
    env: { ...jupyterEnv(), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    maxBuffer: 1 << 26,
  });
  rmSync(configFile, { force: true });
  if (run.status !== 0) throw new Error(`kernel_latency.py failed:\n${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as Omit<
    KernelResult,
    "cellsPerRerun"
  >;
  return { ...result, cellsPerRerun: figure - parameters + 1 };
}

function formatRate(linesPerSecond: number): string {
  return `${Math.round(linesPerSecond).toLocaleString("en-US")}/s`;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The CPU time of each rerun, or undefined without /proc. */
function kernelRerunCpu(kernel: KernelResult): number[] | undefined {
  const values = kernel.tslab.rerunCpuSeconds;
  return values.length > 0 && values.every((value) => value !== null) ? (values as number[]) : undefined;
}

/** The kernel's table: per-cell latency, rerun latency and its growth, lines per second. */
function kernelTable(kernel: KernelResult): { markdown: string; rerunSeconds: number[] } {
  const { tslab, ipykernel } = kernel;
  const rerunSeconds = tslab.rerunSeconds.filter((s): s is number => s !== null);
  const fifth = Math.max(1, Math.floor(rerunSeconds.length / 5));
  const rerunCpu = kernelRerunCpu(kernel);
  const cpu = (seconds: number | null | undefined): string =>
    seconds === null || seconds === undefined ? "—" : formatSeconds(seconds);
  const rows = [
    [
      "an empty cell, send to idle",
      spread(tslab.emptySeconds),
      ipykernel ? spread(ipykernel.emptySeconds) : "—",
    ],
    [
      "a one-line declaration (`const benchProbe = 1;` / `bench_probe = 1`)",
      spread(tslab.declarationSeconds),
      ipykernel ? spread(ipykernel.declarationSeconds) : "—",
    ],
    [
      "kernel CPU time: an empty cell / a one-line declaration (mean of 50)",
      `${cpu(tslab.emptyCpuSeconds)} / ${cpu(tslab.declarationCpuSeconds)}`,
      ipykernel ? `${cpu(ipykernel.emptyCpuSeconds)} / ${cpu(ipykernel.declarationCpuSeconds)}` : "—",
    ],
    [
      `the same, after the ${RERUNS} reruns below (${RERUNS * kernel.cellsPerRerun} more cells)`,
      spread(tslab.declarationAfterRerunsSeconds),
      "—",
    ],
    [
      `lines per second delivered (a cell printing ${FLOOD_LINES.toLocaleString("en-US")} lines)`,
      spread(tslab.linesPerSecond, formatRate),
      ipykernel ? spread(ipykernel.linesPerSecond, formatRate) : "—",
    ],
    [
      `rerun: notebook 01's parameters cell → its figure (${rerunSeconds.length} reruns in one session)`,
      spread(rerunSeconds),
      "—",
    ],
    ["kernel CPU time per rerun (mean)", cpu(rerunCpu ? mean(rerunCpu) : undefined), "—"],
    [
      `kernel CPU time per rerun, the first ${fifth} → the last ${fifth} of the session (mean)`,
      rerunCpu
        ? `${formatSeconds(mean(rerunCpu.slice(0, fifth)))} → ${formatSeconds(mean(rerunCpu.slice(-fifth)))}`
        : "—",
      "—",
    ],
    [
      `rerun, median of the first ${fifth} → of the last ${fifth} of the session`,
      `${formatSeconds(median(rerunSeconds.slice(0, fifth)))} → ${formatSeconds(median(rerunSeconds.slice(-fifth)))}`,
      "—",
    ],
  ];
  return {
    markdown: table(["through the Jupyter protocol", "kit (tslab)", "Python (ipykernel)"], rows),
    rerunSeconds,
  };
}

const USAGE = `usage: npm run bench
  Times the kit against the articles' Python (numpy, PyTorch, ipykernel) and writes
  bench-results/bench.md and bench.json. It takes no options.`;

async function main(argv: string[]): Promise<number> {
  if (parseOptions(argv, { help: { type: "boolean", short: "h" } }).values.help) {
    console.log(USAGE);
    return 0;
  }
  const loadAtStart = os.loadavg()[0];
  mkdirSync(RESULTS_DIR, { recursive: true });
  // The set-up compiles src/ and registers the kernel: the bench works straight after `npm ci`.
  setup();
  const peers = setUpPeers();
  const versions: Record<string, string> = { node: process.version };
  versions.python = spawnSync(PYTHON, ["--version"], { encoding: "utf8" }).stdout.trim();

  console.log(`1–2. the fit loop (${FIT_ROUNDS} interleaved rounds)`);
  const fit = benchFit(peers, versions);
  console.log(`3. execute and export (${NOTEBOOK_ROUNDS} interleaved rounds)`);
  const notebooks = await benchNotebooks(peers);
  console.log("4. the kernel through the Jupyter protocol");
  const kernel = benchKernel(peers);
  console.log("4b. kernel start, beside Deno's kernel");
  const kernelStart = peers.has("jupyter_client") ? benchKernelStart(PYTHON) : undefined;
  if (!kernelStart) console.log("skipped: kernel start (it drives the kernels with jupyter_client)");
  console.log("5. the live explorer");
  const live = await benchLiveExplorer();
  console.log("6. the runnable export");
  const runnable = await benchRunnable();

  const ours = fit[0];
  const fast = fit[1];
  const numpy = fit.find((row) => row.peer.startsWith("numpy"));
  /** Round by round: this row's time over the kit's in the same round. */
  const ratios = (row: FitRow, to: FitRow = ours): number[] => row.seconds.map((s, i) => s / to.seconds[i]);
  const ratio = (value: number): string => value.toPrecision(3);
  const fitTable = table(
    [
      "peer",
      "precision",
      "median (min–max over rounds)",
      "runs",
      "time ÷ kit's, per round",
      "max relative difference of a, b, c, d from the kit's",
    ],
    fit.map((row) => [
      row.peer,
      row.precision,
      spread(row.seconds),
      String(row.runs),
      spread(ratios(row), ratio),
      maxRelativeDifference(row.coefficients, ours.coefficients).toExponential(1),
    ]),
  );
  const notebookTable = table(
    ["notebook", "kernel", "execute + export, median (min–max)", "HTML size"],
    notebooks.map((row) => [
      row.notebook,
      row.kind,
      spread(row.seconds, (s) => `${s.toFixed(1)} s`),
      `${(row.bytes / 1e6).toFixed(2)} MB`,
    ]),
  );
  const float64 = fit.filter((row) => row.precision === "float64");
  const worstFloat64 = Math.max(
    ...float64.map((row) => maxRelativeDifference(row.coefficients, ours.coefficients)),
  );
  const kitNotebooks = notebooks.filter((row) => row.kind === "kit (tslab)");
  const pythonNotebooks = notebooks.filter((row) => row.kind !== "kit (tslab)");
  const kernelFigures = kernel ? kernelTable(kernel) : undefined;
  const rerunMedian = kernelFigures ? median(kernelFigures.rerunSeconds) : undefined;
  const declarationMedian = kernel ? median(kernel.tslab.declarationSeconds) : undefined;
  // Growth is judged on the kernel's CPU time (summed over a fifth of the session), which the load
  // of a shared machine inflates far less than the wall clock; on the wall clock without /proc.
  const rerunGrowth = kernel
    ? (() => {
        const all = kernelRerunCpu(kernel) ?? kernelFigures?.rerunSeconds ?? [];
        const fifth = Math.max(1, Math.floor(all.length / 5));
        return mean(all.slice(-fifth)) / mean(all.slice(0, fifth));
      })()
    : undefined;
  const goals: string[][] = [
    [
      "every float64 peer ends at the kit's coefficients (≤ 1e-9)",
      worstFloat64.toExponential(1),
      worstFloat64 <= 1e-9 ? "yes" : "no",
    ],
    ...(numpy
      ? [
          [
            "the kit's fit ≥ 10× faster than the numpy loop (median of the per-round ratios)",
            `${median(ratios(numpy)).toFixed(1)}×`,
            median(ratios(numpy)) >= 10 ? "yes" : "no",
          ],
          [
            "sufficient statistics ≥ 1000× faster than the numpy loop (median of the per-round ratios)",
            `${median(ratios(numpy, fast)).toFixed(0)}×`,
            median(ratios(numpy, fast)) >= 1000 ? "yes" : "no",
          ],
        ]
      : []),
    ...kitNotebooks.map((row, i) => {
      const python = pythonNotebooks[i];
      return [
        `${row.notebook}: execute + export ≤ its Python counterpart's (medians)`,
        python
          ? `${median(row.seconds).toFixed(1)} s vs ${median(python.seconds).toFixed(1)} s`
          : "no Python run",
        python ? (median(row.seconds) <= median(python.seconds) ? "yes" : "no") : "—",
      ];
    }),
    [
      "rerun median (notebook 01's parameters cell → figure) ≤ 60 ms",
      rerunMedian === undefined ? "not measured" : formatSeconds(rerunMedian),
      rerunMedian !== undefined && rerunMedian <= 0.06 ? "yes" : "no",
    ],
    [
      "a one-line declaring cell, median ≤ 25 ms",
      declarationMedian === undefined ? "not measured" : formatSeconds(declarationMedian),
      declarationMedian !== undefined && declarationMedian <= 0.025 ? "yes" : "no",
    ],
    [
      `no slowdown over ${RERUNS} reruns (kernel CPU time, last fifth ÷ first fifth ≤ 1.2)`,
      rerunGrowth === undefined ? "not measured" : rerunGrowth.toFixed(2),
      rerunGrowth !== undefined && rerunGrowth <= 1.2 ? "yes" : "no",
    ],
    ...kitNotebooks.map((row) => [
      `${row.notebook} export ≤ 2.5 MB`,
      `${(row.bytes / 1e6).toFixed(2)} MB`,
      row.bytes <= 2.5e6 ? "yes" : "no",
    ]),
    ...(kernelStart?.goals ?? []),
    ...live.goals,
    ...runnable.goals,
  ];
  const kernelErrors = kernel
    ? [...kernel.tslab.errors, ...(kernel.ipykernel?.errors ?? [])].filter(Boolean)
    : [];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${versions.node}, ${versions.python}, numpy ${versions.numpy ?? "—"}, torch ${versions.torch ?? "—"}, ${versions.tensorflow}; load average ${loadAtStart.toFixed(2)} when the bench started (other processes on the machine share its cores, so times are indicative)`;
  const markdown = [
    `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench\`.`,
    "",
    `**The fit loop** (2000 points × 2000 iterations, learning rate 1e-6, one shared seeded start; ${FIT_ROUNDS} interleaved rounds):`,
    "",
    fitTable,
    "",
    `**Execute and export** (${NOTEBOOK_ROUNDS} interleaved rounds; the Python notebooks are the articles' own code with numpy and matplotlib):`,
    "",
    notebookTable,
    "",
    `**The kernel** through the Jupyter protocol (jupyter_client; both kernels run at once and alternate cell by cell, ${KERNEL_ROUNDS} rounds; median (min–max)):`,
    "",
    kernelFigures ? kernelFigures.markdown : "not measured",
    ...(kernelErrors.length > 0 ? ["", `Errors: ${kernelErrors.join("; ")}`] : []),
    "",
    kernelStart ? kernelStart.markdown : "**Kernel start**: not measured",
    "",
    live.markdown,
    "",
    runnable.markdown,
    "",
    "**Goals**:",
    "",
    table(["goal", "measured", "met"], goals),
  ].join("\n");
  console.log(`\n${markdown}`);
  writeFileSync(path.join(RESULTS_DIR, "bench.md"), `${markdown}\n`);
  writeFileSync(
    path.join(RESULTS_DIR, "bench.json"),
    JSON.stringify(
      { machine, versions, fit, notebooks, kernel, kernelStart: kernelStart?.raw, goals },
      null,
      2,
    ),
  );
  rmSync(path.join(RESULTS_DIR, "fit-config.json"), { force: true });
  console.log(
    `\nwritten: ${path.relative(process.cwd(), path.join(RESULTS_DIR, "bench.md"))} and bench.json`,
  );
  return 0;
}

runProgram("bench", main);
