/**
 * The bench's kernel start: launch to the first kernel_info_reply, the kit's tslab kernel beside
 * Deno's TypeScript kernel as a peer (`deno jupyter`), interleaved round by round. Deno comes from
 * npm's `deno` package, installed for the bench alone into build/bench-peers/ (never one of the
 * kit's dependencies).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KERNEL_NAME, NOTEBOOKS_DIR, PROJECT_ROOT, jupyterEnv } from "../../src/tools/jupyter";

const PEERS_HOME = path.join(PROJECT_ROOT, "build", "bench-peers");
/** The Deno release the bench compares with (npm's `deno` package carries its binary). */
const DENO_VERSION = "2.9.6";
const ROUNDS = 7;
/** The goal: the kit's kernel answers kernel_info within this many seconds of its launch. */
const GOAL_SECONDS = 1.5;

/** Deno's binary, installed into build/bench-peers/ on first use; undefined if that fails. */
function denoBinary(): string | undefined {
  const binary = path.join(PEERS_HOME, "node_modules", "deno", "deno");
  if (!existsSync(binary)) {
    mkdirSync(PEERS_HOME, { recursive: true });
    console.log(
      `bench set-up: npm install deno@${DENO_VERSION} into ${path.relative(process.cwd(), PEERS_HOME)}`,
    );
    spawnSync(
      "npm",
      ["install", "--prefix", PEERS_HOME, "--no-save", "--no-audit", "--no-fund", `deno@${DENO_VERSION}`],
      { stdio: "inherit" },
    );
  }
  return existsSync(binary) ? binary : undefined;
}

export interface KernelStart {
  seconds: number[];
  cpuSeconds: (number | null)[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (value: number): string => `${value.toFixed(2)} s`;
const spread = (values: number[]): string =>
  `${seconds(median(values))} (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;

/** Times both kernels' starts; the markdown table and the goal's row. */
export function benchKernelStart(python: string): { markdown: string; goals: string[][]; raw: object } {
  const kernels: Record<string, { name: string; cwd: string }> = {
    "kit (tslab)": { name: KERNEL_NAME, cwd: NOTEBOOKS_DIR },
  };
  const jupyterPath = path.join(PEERS_HOME, "jupyter");
  const deno = denoBinary();
  if (deno) {
    const spec = path.join(jupyterPath, "kernels", "deno-bench");
    mkdirSync(spec, { recursive: true });
    writeFileSync(
      path.join(spec, "kernel.json"),
      JSON.stringify({
        argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
        display_name: `Deno ${DENO_VERSION} (bench peer)`,
        language: "typescript",
      }),
    );
    kernels[`Deno ${DENO_VERSION}`] = { name: "deno-bench", cwd: NOTEBOOKS_DIR };
  } else {
    console.log("skipped: Deno's kernel (npm could not install the deno package)");
  }
  const config = path.join(PEERS_HOME, "kernel-start.json");
  mkdirSync(PEERS_HOME, { recursive: true });
  writeFileSync(config, JSON.stringify({ kernels, rounds: ROUNDS }));
  const env = jupyterEnv();
  env.JUPYTER_PATH = [env.JUPYTER_PATH, jupyterPath].filter(Boolean).join(path.delimiter);
  const run = spawnSync(python, [path.join(__dirname, "peers", "kernel_start.py"), config], {
    encoding: "utf8",
    env,
  });
  if (run.status !== 0) throw new Error(`kernel_start.py failed:\n${run.stderr}`);
  const results = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as Record<string, KernelStart>;
  const rows = Object.entries(results).map(([label, result]) => {
    const cpu = result.cpuSeconds.filter((value): value is number => value !== null);
    return [label, spread(result.seconds), cpu.length > 0 ? spread(cpu) : "—"];
  });
  const kit = results["kit (tslab)"];
  const kitMedian = median(kit.seconds);
  return {
    markdown: [
      `**Kernel start** (launch → first kernel_info_reply through jupyter_client, ${ROUNDS} interleaved rounds; median (min–max)):`,
      "",
      "| kernel | wall clock | the kernel process's CPU time by then |",
      "| --- | --- | --- |",
      ...rows.map((row) => `| ${row.join(" | ")} |`),
    ].join("\n"),
    goals: [
      [
        `kernel start (launch → kernel_info_reply) ≤ ${GOAL_SECONDS} s, median`,
        seconds(kitMedian),
        kitMedian <= GOAL_SECONDS ? "yes" : "no",
      ],
    ],
    raw: results,
  };
}
