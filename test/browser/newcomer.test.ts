/**
 * What a newcomer does: a fresh clone of the project (its committed HEAD), `npm ci`, plain
 * `npm start` — no options — then the printed URL in a browser (headless Chromium): JupyterLab
 * appears, notebook 01 is opened from the file browser and run with Run → Run All Cells: every code
 * cell runs, with no error output and nothing on stderr. On a machine without JupyterLab this also
 * installs and builds the kit's JupyterLab in the clone, so the first start's progress lines are
 * checked too. The clone (about 1 GB with both installs) is removed afterwards.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { PROJECT_ROOT, findJupyter, labServerPython } from "../../src/tools/jupyter";
import { listNotebooks, readNotebook } from "../../src/tools/notebooks";
import { NO_CHROMIUM, launchChromium, skipOutsideCI, watchedPage } from "../support/chromium";
import { HAS_PROC, descendantsOf, npmStart, stillRunning, type RunningStart } from "../support/npm-start";

const hasGit = spawnSync("git", ["--version"]).status === 0;
const ownLab = findJupyter().lab;
const skip =
  NO_CHROMIUM ||
  skipOutsideCI(
    !hasGit
      ? "git is not installed"
      : !ownLab && !labServerPython()
        ? "neither JupyterLab nor jupyter_server and jupyterlab_server are installed"
        : false,
  );
const NOTEBOOK = listNotebooks().find((file) => path.basename(file).startsWith("01-")) as string;
const RUN_TIMEOUT = 10 * 60_000;

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 15 * 60_000 });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

describe("a newcomer's npm install && npm start, then notebook 01 in JupyterLab", { skip }, () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "gd-newcomer-"));
  let start: RunningStart | undefined;
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close();
    if (start?.npm.pid && start.npm.exitCode === null && start.npm.signalCode === null) {
      process.kill(-start.npm.pid, "SIGKILL");
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it("clones, installs, starts, opens and runs notebook 01", { timeout: 40 * 60_000 }, async () => {
    const clone = path.join(scratch, "kit");
    const head = spawnSync("git", ["rev-parse", "HEAD"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    }).stdout.trim();
    run("git", ["clone", "--quiet", "--no-checkout", PROJECT_ROOT, clone], scratch);
    run("git", ["checkout", "--quiet", "--detach", head], clone);
    run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], clone);

    start = await npmStart(clone, [], 20 * 60_000);
    if (!ownLab) {
      for (const stage of [
        /installing JupyterLab 4\.6\.3's npm packages/,
        /installed in \d+ s/,
        /built in [\d.]+ s/,
      ])
        assert.match(start.log(), stage, "the first start reports each stage and its time");
    }
    // The first start's progress, for the record (README's quick start quotes its times).
    console.log(
      start
        .log()
        .split("\n")
        .filter((line) => /^start: /.test(line))
        .join("\n"),
    );
    const url = new URL(start.url);

    browser = await launchChromium();
    const { page } = await watchedPage(browser, [url.origin]);
    await page.goto(start.url);
    await page.locator("#jp-main-dock-panel").waitFor({ timeout: 120_000 });
    assert.match(await page.title(), /JupyterLab/);

    const name = path.basename(NOTEBOOK);
    await page.locator(".jp-DirListing-itemText", { hasText: name }).dblclick({ timeout: 60_000 });
    const notebook = page.locator(".jp-NotebookPanel:visible");
    await notebook.locator(".jp-Cell").first().waitFor({ timeout: 60_000 });
    // As a newcomer waits for the kernel: the status bar says "TypeScript (tslab, …) | Idle"
    // (a cell run before the kernel is connected asks which kernel to use).
    await page.locator(".jp-StatusBar-TextItem", { hasText: /\| Idle$/ }).waitFor({ timeout: 300_000 });
    const codeCells = readNotebook(NOTEBOOK).cells.filter((cell) => cell.cell_type === "code").length;
    await page.locator(".lm-MenuBar-itemLabel", { hasText: /^Run$/ }).click();
    await page.locator(".lm-Menu-itemLabel", { hasText: /^Run All Cells$/ }).click();

    // Done when every code cell shows an execution count ("[12]:") and none is queued ("[*]:").
    const prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt");
    const deadline = Date.now() + RUN_TIMEOUT;
    let counts: string[];
    for (;;) {
      counts = (await prompts.allTextContents()).map((text) => text.trim());
      if (counts.length === codeCells && counts.every((text) => /^\[\d+\]:$/.test(text))) break;
      assert.ok(
        Date.now() < deadline,
        `cells still running after ${RUN_TIMEOUT / 60_000} min: ${counts.join(" ")}`,
      );
      await page.waitForTimeout(1000);
    }
    const problems = await notebook
      .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
      .allTextContents();
    assert.deepEqual(problems, [], "error outputs or stderr in notebook 01");

    // Ctrl+C in the terminal: everything npm start started ends.
    const started = HAS_PROC ? descendantsOf(start.npm.pid as number) : [];
    process.kill(-(start.npm.pid as number), "SIGINT");
    await start.exited;
    const deadlineStop = Date.now() + 30_000;
    while (stillRunning(started).length && Date.now() < deadlineStop) await page.waitForTimeout(200);
    assert.deepEqual(stillRunning(started), [], "processes left after Ctrl+C");
  });
});
