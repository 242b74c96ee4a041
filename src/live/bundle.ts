import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The live explorer's code for the page: src/live/page.ts and the kit's own descent code
 * it imports (src/live/model.ts, src/descent/loop.ts, …), bundled by esbuild into one
 * minified script, so the page's numbers are the kernel's. Built on first use in each process
 * (tens of milliseconds) and kept, from the sources themselves: a change in src/ reaches the page
 * after a kernel restart, as every other change does.
 */
export interface LiveBundle {
  /** The script: defines window.__gdLive[hash] = { mount, liveDescent } once per page. */
  script: string;
  /** First 12 hex digits of the bundle's SHA-256: outputs made by different code never mix. */
  hash: string;
  /** Size of the minified bundle, in bytes. */
  bytes: number;
}

let cached: LiveBundle | undefined;

/** src/live/page.ts, found from this file in src/live (tsx) or build/src/live (the kernel). */
export function liveEntryPath(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, "src", "live", "page.ts");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(folder) === folder) {
      throw new Error(`the live explorer's source (src/live/page.ts) was not found above ${__dirname}`);
    }
  }
}

/** The minified bundle, without the wrapper that registers it: for size reports. */
export function buildLiveCode(): string {
  let esbuild: typeof import("esbuild");
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require("esbuild") as typeof import("esbuild");
  } catch {
    throw new Error("the live explorer needs esbuild (a devDependency of the kit): run npm install");
  }
  const result = esbuild.buildSync({
    entryPoints: [liveEntryPath()],
    bundle: true,
    minify: true,
    format: "iife",
    globalName: "__gdLiveModule",
    platform: "browser",
    target: "es2020",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

export function liveBundle(): LiveBundle {
  if (cached) return cached;
  const code = buildLiveCode();
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 12);
  // Inside a function, esbuild's `var __gdLiveModule` stays local; "</" never closes the element early.
  const script =
    `(function(){var w=window;w.__gdLive=w.__gdLive||{};if(w.__gdLive[${JSON.stringify(hash)}])return;` +
    `${code}\nw.__gdLive[${JSON.stringify(hash)}]=__gdLiveModule;})();`;
  cached = { script: script.replace(/<\/(script)/gi, "<\\/$1"), hash, bytes: Buffer.byteLength(code) };
  return cached;
}
