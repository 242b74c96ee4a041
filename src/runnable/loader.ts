/**
 * The runnable page's first script: unpacks the page's code (gzip + base85, about a quarter of
 * its size; see src/tools/export/runnable.ts) and runs it. It says so in the page if it cannot.
 */
import { unpackGzipBase85 } from "../display/base85";

const element = document.querySelector("script[data-gd-runnable-bundle]");
unpackGzipBase85(element?.textContent ?? "")
  .then((code) => new Function(code)())
  .catch((error: unknown) => {
    const banner = document.createElement("p");
    banner.className = "gd-run-failed";
    banner.textContent = `The cells cannot run in this browser: ${error instanceof Error ? error.message : String(error)}`;
    document.body.prepend(banner);
  });
