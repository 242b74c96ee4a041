/** The pure HTML export steps: markdown with MathML formulas, stylesheet pruning, external references. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  customPropertyReferences,
  dropCustomProperties,
  externalReferences,
  isExternalUrl,
  pruneCss,
  renderMarkdown,
  slimExportHtml,
  usedNames,
  withRenderedMarkdown,
} from "../src/tools/html-export";
import type { Notebook } from "../src/tools/notebooks";

describe("renderMarkdown", () => {
  it("renders inline and display formulas as MathML, leaving no dollar signs", () => {
    const html = renderMarkdown("The function $f(x) = \\tfrac12 x^2$ and\n\n$$\\frac{a}{b}$$\n");
    assert.equal((html.match(/<math /g) ?? []).length, 2);
    assert.match(html, /<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML" display="block">/);
    assert.match(html, /<mfrac><mi>a<\/mi><mi>b<\/mi><\/mfrac>/);
    // The LaTeX survives only as the MathML annotation, which browsers do not draw.
    const withoutAnnotations = html.replace(/<annotation[^>]*>.*?<\/annotation>/g, "");
    assert.doesNotMatch(withoutAnnotations, /\$|\\frac|\\tfrac/);
  });

  it("keeps HTML and gives headings nbconvert's ids", () => {
    const html = renderMarkdown('## Step 6 · The *data*\n\n<span class="note">hi</span>');
    assert.match(html, /<h2 id="Step-6-·-The-data">Step 6 · The <em>data<\/em><\/h2>/);
    assert.match(html, /<span class="note">hi<\/span>/);
  });

  it("throws on a formula KaTeX cannot read, naming it", () => {
    assert.throws(
      () => renderMarkdown("bad $\\frac{a$ here"),
      /LaTeX that KaTeX cannot render: \$\\frac\{a\$/,
    );
    assert.throws(() => renderMarkdown("unknown $\\foo{a}$"), /\\foo/);
    // A later good render is not affected by an earlier failure.
    assert.match(renderMarkdown("$x$"), /<mi>x<\/mi>/);
  });
});

describe("withRenderedMarkdown", () => {
  const notebook: Notebook = {
    metadata: {},
    cells: [
      { cell_type: "markdown", source: ["# Title\n", "$y = x$"], metadata: {} },
      {
        cell_type: "code",
        source: "display.markdown(table)",
        metadata: {},
        outputs: [
          { output_type: "display_data", data: { "text/markdown": "| a |\n|---|\n| $x^2$ |" } },
          { output_type: "display_data", data: { "text/markdown": "*m*", "text/html": "<b>kept</b>" } },
        ],
      },
      { cell_type: "markdown", source: "broken $\\frac{$", metadata: {} },
    ],
  };

  it("puts rendered markdown in cell metadata and markdown outputs, naming the cell on errors", () => {
    assert.throws(
      () => withRenderedMarkdown(notebook, "nb.ipynb"),
      /^Error: nb\.ipynb, cell 3 \(`broken \$\\frac\{\$`\)/,
    );
    const rendered = withRenderedMarkdown({ ...notebook, cells: notebook.cells.slice(0, 2) }, "nb.ipynb");
    assert.match(
      String(rendered.cells[0].metadata.export_html),
      /<h1 id="Title">Title<\/h1>\n<p><eq>.*<math/,
    );
    const outputs = rendered.cells[1].outputs ?? [];
    assert.match(
      String(outputs[0].data?.["text/html"]),
      /<table>[\s\S]*<msup><mi>x<\/mi><mn>2<\/mn><\/msup>/,
    );
    assert.equal(outputs[1].data?.["text/html"], "<b>kept</b>");
    assert.equal(notebook.cells[0].metadata.export_html, undefined, "the input notebook is not changed");
  });
});

describe("pruneCss", () => {
  const used = usedNames('<div class="jp-Cell a" id="top"><p class="b">x</p></div>');

  it("collects the classes and ids of a page", () => {
    assert.deepEqual([...used.classes].sort(), ["a", "b", "jp-Cell"]);
    assert.deepEqual([...used.ids], ["top"]);
  });

  it("drops rules and selectors that need an unused class or id, keeps the rest", () => {
    const css = [
      ":root { --jp-x: 1px; }",
      "p { margin: 0 }",
      ".a .b, .unused { color: red }",
      ".unused-only { color: blue }",
      "#top { color: green }",
      "#nowhere { color: green }",
      ".a:not(.unused) { color: black }",
      "@media print { .unused { display: none } }",
      "@media screen { .b { display: block } }",
      "@keyframes spin { from { opacity: 0 } to { opacity: 1 } }",
    ].join("\n");
    assert.equal(
      pruneCss(css, used),
      ":root{--jp-x: 1px}p{margin:0}.a .b{color:red}#top{color:green}.a:not(.unused){color:black}" +
        "@media screen{.b{display:block}}@keyframes spin{from{opacity:0}to{opacity:1}}",
    );
  });

  it("slims only the <style> elements of a page, byte for byte elsewhere", () => {
    const page =
      "<!DOCTYPE html>\n<html><head><style>\n.x { color: red }\n.a { color: blue }\n</style></head>\n" +
      '<body><div class="a">  <script>if (1 < 2) {}</script></div></body></html>';
    assert.equal(
      slimExportHtml(page),
      "<!DOCTYPE html>\n<html><head><style>.a{color:blue}</style></head>\n" +
        '<body><div class="a">  <script>if (1 < 2) {}</script></div></body></html>',
    );
  });
});

describe("custom properties", () => {
  it("finds var() references and drops declarations nothing reads", () => {
    assert.deepEqual(
      [...customPropertyReferences("a{color:var(--x)} b{margin:var( --y-2 , 1px)}")],
      ["--x", "--y-2"],
    );
    assert.equal(
      dropCustomProperties(":root{--x:red;--unused:blue}.a{--z:1px;color:var(--x)}", new Set(["--x"])),
      ":root{--x:red}.a{color:var(--x)}",
    );
  });

  it("slims a page's theme variables across stylesheets, transitively, keeping those style attributes read", () => {
    const page =
      "<html><head><style>:root{--a: var(--b); --b: red; --c: blue; --d: green; --e: 1px}</style>" +
      '<style>.used{color:var(--c)}.unused{color:var(--a)}</style></head><body class="used">' +
      '<p style="margin: var(--e)">x</p></body></html>';
    assert.equal(
      slimExportHtml(page),
      "<html><head><style>:root{--c: blue;--e: 1px}</style>" +
        '<style>.used{color:var(--c)}</style></head><body class="used">' +
        '<p style="margin: var(--e)">x</p></body></html>',
    );
  });
});

describe("externalReferences", () => {
  it("finds scripts, stylesheets, images and CSS urls that load from outside the file", () => {
    const page = [
      '<script src="file:///usr/share/javascript/mathjax/MathJax.js"></script>',
      '<link rel="stylesheet" href="https://cdn.example.org/x.css">',
      '<img src="//cdn.example.org/a.png"><img srcset="data:image/png;base64,AA 1x, pic.png 2x">',
      "<style>@import 'https://fonts.example.org/f.css'; .a { background: url(http://x.org/b.png) }</style>",
      '<div style="background-image: url(file:///tmp/c.png)"></div>',
      '<a href="https://example.org/article">the article</a><a href="#top">up</a>',
      '<img src="data:image/png;base64,AAAA"><svg><use xlink:href="#icon"></use></svg>',
      "<style>.b { background: url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e\") }</style>",
    ].join("\n");
    assert.deepEqual(externalReferences(page), [
      "<script src> file:///usr/share/javascript/mathjax/MathJax.js",
      "<link href> https://cdn.example.org/x.css",
      "<img src> //cdn.example.org/a.png",
      "<img srcset> pic.png",
      "<style> url(https://fonts.example.org/f.css)",
      "<style> url(http://x.org/b.png)",
      "<div style> file:///tmp/c.png",
    ]);
  });

  it("counts data:, fragments and empty URLs as inside the file", () => {
    assert.equal(isExternalUrl("data:text/css,"), false);
    assert.equal(isExternalUrl("#x"), false);
    assert.equal(isExternalUrl(""), false);
    assert.equal(isExternalUrl("FILE:///x"), true);
    assert.equal(isExternalUrl("picture.png"), true);
  });
});
