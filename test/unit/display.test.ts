import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { BASE85_ALPHABET, decodeBase85 as pageDecodeBase85, encodeBase85 } from "../../src/display/base85";
import { contourWithPathFigure, surfaceWithPathFigure } from "../../src/figures/surface";
import { descendArticleFunction } from "../../src/problems/bowl/bowl";
import { figureHtml, writeFigureHtml } from "../../src/display/html";
import { openInWindow, resetPlotlyDelivery, setUpFigures, show } from "../../src/display/show";
import { type Figure } from "../../src/figures/figure";

const BUNDLE_ELEMENT =
  /<script type="application\/octet-stream" data-gd-plotly-bundle="[^"]+"[^>]*>([^<]*)<\/script>/g;

function bundles(html: string): string[] {
  return [...html.matchAll(BUNDLE_ELEMENT)].map((match) => match[1]);
}

interface FigureOutput {
  id: string;
  json: string;
}

/** Each `<div class="gd-figure" id>` with the JSON script that follows it. */
function figureOutputs(html: string): FigureOutput[] {
  const pattern =
    /<div class="gd-figure" id="(gd-[0-9a-f]{16})"[^>]*>[\s\S]*?<\/div>\s*<\/div>\s*<script type="application\/json" data-gd-figure="(gd-[0-9a-f]{16})">([^<]*)<\/script>/g;
  return [...html.matchAll(pattern)].map((match) => {
    assert.equal(match[2], match[1], "the JSON names its figure");
    return { id: match[1], json: match[3] };
  });
}

/** An independent rounding to n significant digits, for comparing with the JSON. */
function rounded(value: unknown, digits: number): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? Number(value.toPrecision(digits)) : null;
  if (Array.isArray(value)) return value.map((entry) => rounded(entry, digits));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== undefined)
        .map(([key, entry]) => [key, rounded(entry, digits)]),
    );
  }
  return value;
}

const run = descendArticleFunction({ learningRate: 0.1, iterations: 10, x: 2, y: 2 });
const surface = surfaceWithPathFigure({ trajectories: [run] });
const contour = contourWithPathFigure({ trajectories: [run] });
const plotlyScript = readFileSync(require.resolve("plotly.js-dist-min"));

/** Ascii85 decoding written from its definition, with the kit's alphabet: the test's own decoder. */
function decodeBase85(text: string): Buffer {
  const bytes: number[] = [];
  for (let start = 0; start < text.length; start += 5) {
    const group = text.slice(start, start + 5).padEnd(5, BASE85_ALPHABET[84]);
    const value = [...group].reduce((sum, character) => sum * 85 + BASE85_ALPHABET.indexOf(character), 0);
    const four = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    bytes.push(...four.slice(0, Math.min(5, text.length - start) - 1));
  }
  return Buffer.from(bytes);
}

describe("base85", () => {
  it("uses 85 characters none of which HTML or JSON would escape", () => {
    assert.equal(new Set(BASE85_ALPHABET).size, 85);
    assert.doesNotMatch(BASE85_ALPHABET, /["'\\<>&`\s]/);
    assert.equal(JSON.stringify(BASE85_ALPHABET), `"${BASE85_ALPHABET}"`);
  });

  it("encodes 4 bytes as 5 characters and round-trips every length", () => {
    assert.equal(encodeBase85(new Uint8Array([0, 0, 0, 0])), BASE85_ALPHABET[0].repeat(5));
    // 0xFFFFFFFF = 82·85⁴ + 23·85³ + 54·85² + 12·85 + 0.
    assert.equal(
      encodeBase85(new Uint8Array([255, 255, 255, 255])),
      [82, 23, 54, 12, 0].map((d) => BASE85_ALPHABET[d]).join(""),
    );
    for (let length = 0; length <= 13; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 89 + 251) % 256);
      const text = encodeBase85(bytes);
      assert.equal(text.length, Math.ceil((length * 5) / 4));
      assert.deepEqual([...decodeBase85(text)], [...bytes], `length ${length}`);
    }
  });

  it("decodes in the page (decodeBase85, bundled into the figure runtime) as the test's own decoder does", () => {
    for (let length = 0; length <= 13; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 3) % 256);
      const text = encodeBase85(bytes);
      assert.deepEqual([...pageDecodeBase85(text)], [...decodeBase85(text)], `length ${length}`);
    }
    const all = Uint8Array.from({ length: 1024 }, (_, i) => (i * 131 + 7) % 256);
    assert.deepEqual([...pageDecodeBase85(encodeBase85(all))], [...all]);
  });
});

describe("figureHtml", () => {
  it("writes the figure's div and its JSON, which parses back to the figure", () => {
    const html = figureHtml(surface, { significantDigits: 17 });
    const outputs = figureOutputs(html);
    assert.equal(outputs.length, 1);
    assert.ok(!outputs[0].json.includes("<"), "no '<' can close the script early");
    assert.deepEqual(JSON.parse(outputs[0].json), rounded(surface, 17));
    assert.deepEqual(JSON.parse(outputs[0].json).data[1].x, surface.data[1].x);
    assert.match(html, new RegExp(`figures\\.render\\("${outputs[0].id}"`));
  });

  it("rounds numbers to 6 significant digits by default", () => {
    const [output] = figureOutputs(figureHtml(contour));
    const parsed = JSON.parse(output.json) as { data: { x: number[] }[] };
    assert.deepEqual(parsed, rounded(contour, 6));
    assert.equal(parsed.data[0].x[1], -2.4, "−2.5 + 0.1 is written as −2.4");
    assert.ok(Math.abs(parsed.data[1].x[10] - run.points[10][0]) < 1e-6);
  });

  it("gives each figure its own id, full width, and the layout's height or the one asked for", () => {
    const first = figureHtml(surface);
    const second = figureHtml(surface, { height: 700 });
    assert.notEqual(figureOutputs(first)[0].id, figureOutputs(second)[0].id);
    assert.match(first, /style="width:100%;height:560px"/);
    assert.match(second, /style="width:100%;height:700px"/);
    assert.equal(JSON.parse(figureOutputs(second)[0].json).layout.height, 700);
    assert.match(figureHtml({ data: [], layout: {} }), /height:480px/);
    assert.match(first, /"responsive":true,"displaylogo":false/);
  });

  it("carries plotly.js only when asked", () => {
    assert.equal(bundles(figureHtml(surface)).length, 0);
    assert.equal(bundles(figureHtml(surface, { includeLibrary: true })).length, 1);
  });

  it("carries plotly.min.js from node_modules, gzip-compressed and base85-encoded", () => {
    const html = figureHtml(surface, { includeLibrary: true });
    assert.match(html, /data-encoding="gzip\+base85"/);
    const [payload] = bundles(html);
    const unpacked = gunzipSync(decodeBase85(payload));
    assert.ok(unpacked.equals(plotlyScript), "decompresses to exactly plotly.min.js");
    assert.ok(payload.length < plotlyScript.length / 2.4, `${payload.length} characters`);
  });

  it("rejects bad input, naming it", () => {
    assert.throws(() => figureHtml(undefined as unknown as Figure), /figure must be a figure/);
    assert.throws(
      () => figureHtml({ data: [], layout: 3 } as unknown as Figure),
      /figure\.layout must be an object/,
    );
    assert.throws(() => figureHtml(surface, { height: -5 }), /height must be .* got -5/);
    assert.throws(() => figureHtml(surface, { significantDigits: 30 }), /significantDigits/);
  });
});

describe("show", () => {
  it("sends plotly.js with the first figure of the session only, and again after resetPlotlyDelivery", () => {
    const sent: string[] = [];
    const display = { html: (html: string) => sent.push(html) };
    resetPlotlyDelivery();
    show(surface, { display });
    show(contour, { display });
    show(surface, { display, height: 300 });
    resetPlotlyDelivery();
    show(contour, { display });
    assert.deepEqual(
      sent.map((html) => bundles(html).length),
      [1, 0, 0, 1],
    );
    assert.deepEqual(
      sent.map((html) => figureOutputs(html).length),
      [1, 1, 1, 1],
    );
    assert.match(sent[2], /height:300px/);
  });

  it("leaves plotly.js to setUpFigures when a notebook calls it first", () => {
    const sent: string[] = [];
    const display = { html: (html: string) => sent.push(html) };
    resetPlotlyDelivery();
    setUpFigures({ display });
    show(surface, { display });
    setUpFigures({ display });
    assert.deepEqual(
      sent.map((html) => [bundles(html).length, figureOutputs(html).length]),
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
    );
    assert.match(sent[0], /plotly\.js \d+\.\d+\.\d+ is stored in this output/);
  });

  it("does not count a figure the display refused", () => {
    resetPlotlyDelivery();
    assert.throws(() =>
      show(surface, {
        display: {
          html: () => {
            throw new Error("refused");
          },
        },
      }),
    );
    const sent: string[] = [];
    show(surface, { display: { html: (html: string) => sent.push(html) } });
    assert.equal(bundles(sent[0]).length, 1);
  });

  it("outside a tslab kernel says what to use instead", () => {
    assert.throws(() => show(surface), /tslab notebook.*writeFigureHtml.*openInWindow/);
  });
});

describe("openInWindow", () => {
  it("checks the figure before starting nodeplotlib's server", () => {
    assert.throws(() => openInWindow({ layout: {} } as unknown as Figure), /figure must be a figure/);
  });
});

describe("writeFigureHtml", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "figures-"));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("writes one offline page with plotly.js once and every figure", () => {
    const file = writeFigureHtml(path.join(folder, "sub", "page.html"), [surface, contour], {
      title: "Descent <1>",
    });
    assert.equal(file, path.join(folder, "sub", "page.html"));
    assert.ok(path.isAbsolute(file));
    const html = readFileSync(file, "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>Descent &lt;1&gt;<\/title>/);
    assert.equal(bundles(html).length, 1);
    assert.equal(figureOutputs(html).length, 2);
    assert.doesNotMatch(
      html,
      /<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i,
      "nothing is loaded from elsewhere",
    );
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:|file:|\/\/)/i);
  });

  it("accepts one figure, returns an absolute path for a relative name, and rejects bad input", () => {
    const relative = path.relative(process.cwd(), path.join(folder, "one.html"));
    assert.equal(writeFigureHtml(relative, surface), path.join(folder, "one.html"));
    assert.throws(() => writeFigureHtml("", surface), /file must be a file name/);
    assert.throws(() => writeFigureHtml(path.join(folder, "x.html"), []), /figures must not be empty/);
    assert.throws(
      () => writeFigureHtml(path.join(folder, "x.html"), [surface, {} as Figure]),
      /figures\[1\] must be a figure/,
    );
  });
});
