/** The pure HTML export steps: markdown with MathML formulas, stylesheet pruning, external references. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { normalizedHtml } from "../../src/tools/export/html-tree";
import { markdownToHtml, renderMarkdown } from "../../src/tools/export/markdown";
import { withRenderedMarkdown } from "../../src/tools/export/notebook-markdown";
import { externalReferences, isExternalUrl } from "../../src/tools/export/offline";
import {
  customPropertyReferences,
  dropCustomProperties,
  pruneCss,
  slimExportHtml,
  usedNames,
} from "../../src/tools/export/stylesheets";
import { joinText, listNotebooks, readNotebook, type Notebook } from "../../src/tools/notebooks";
import { HOSTILE_MARKDOWN } from "../support/hostile-markdown";

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

type ParsedNode = DefaultTreeAdapterMap["node"];
type ParsedElement = DefaultTreeAdapterMap["element"];

/** Every element of an HTML fragment as a browser parses it. */
function elementsOf(html: string): ParsedElement[] {
  const found: ParsedElement[] = [];
  const visit = (node: ParsedNode): void => {
    if ("tagName" in node) found.push(node);
    const children =
      "content" in node ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
    children.forEach(visit);
  };
  visit(parseFragment(html));
  return found;
}

/** normalizedHtml with style attributes written alike ("a: b; c: d" and "a:b;c:d"). */
function canonical(html: string): string {
  return normalizedHtml(html).replace(
    /style="([^"]*)"/g,
    (_, style: string) => `style="${style.replace(/\s*([:;])\s*/g, "$1").replace(/;$/, "")}"`,
  );
}

describe("renderMarkdown sanitizes as the live front ends do", () => {
  for (const [name, markdown] of HOSTILE_MARKDOWN) {
    it(`removes what runs or loads: ${name}`, () => {
      const html = renderMarkdown(`Before.\n\n${markdown}\n\nAfter.`);
      const elements = elementsOf(html);
      const tags = elements.map((element) => element.tagName);
      for (const tag of [
        "script",
        "svg",
        "iframe",
        "object",
        "embed",
        "style",
        "form",
        "meta",
        "base",
        "button",
      ]) {
        assert.ok(!tags.includes(tag), `<${tag}> kept`);
      }
      for (const element of elements) {
        for (const { name, value } of element.attrs) {
          assert.doesNotMatch(name, /^on/i, `<${element.tagName} ${name}> kept`);
          assert.ok(
            !["id", "name"].includes(name) || value !== "__gdFigures",
            `<${element.tagName} ${name}> kept`,
          );
          if (["href", "src", "action", "data", "formaction"].includes(name)) {
            assert.doesNotMatch(
              value,
              /^\s*(javascript|vbscript|data:text)/i,
              `<${element.tagName} ${name}>`,
            );
          }
          if (name === "style") assert.doesNotMatch(value, /expression|url\(/i, `<${element.tagName} style>`);
        }
      }
      assert.match(html, /<p>Before\.<\/p>[\s\S]*<p>After\.<\/p>/, "the text around it stays");
    });
  }

  it("keeps harmless HTML, safe styles, section ids, links and images in the file", () => {
    const html = renderMarkdown(
      '## A section\n\n<span class="note" style="color: #c00; position: fixed">note</span> ' +
        '<a href="https://example.org/x">out</a> <a href="#A-section">up</a> <a id="here">here</a>\n\n' +
        '<details><summary>Answer</summary>42</details>\n\n<img alt="dot" src="data:image/png;base64,AAAA">',
    );
    assert.match(html, /<h2 id="A-section">A section<\/h2>/);
    assert.match(html, /<span class="note" style="color:#c00">note<\/span>/);
    assert.match(html, /<a href="https:\/\/example\.org\/x" rel="noopener noreferrer">out<\/a>/);
    assert.match(html, /<a href="#A-section" rel="noopener noreferrer">up<\/a>/);
    assert.match(html, /<a rel="noopener noreferrer" data-jupyter-id="here">here<\/a>/);
    assert.match(html, /<details><summary>Answer<\/summary>42<\/details>/);
    assert.match(html, /<img alt="dot" src="data:image\/png;base64,AAAA" \/>/);
  });

  it("changes nothing the kit's notebooks render: every markdown cell, formulas and tables included", () => {
    let cells = 0;
    for (const file of listNotebooks()) {
      for (const cell of readNotebook(file).cells.filter((each) => each.cell_type === "markdown")) {
        const source = joinText(cell.source);
        assert.equal(canonical(renderMarkdown(source)), canonical(markdownToHtml(source)), source);
        cells++;
      }
    }
    assert.ok(cells > 20, `only ${cells} markdown cells found`);
  });

  it("keeps KaTeX's MathML whole, from fractions and matrices to colours, boxes and spaces", () => {
    const formulas = [
      "$x^2$",
      "$$\\frac{a}{b} \\tag{1}$$",
      "$$\\begin{aligned} a &= b \\\\ c &= \\sqrt[3]{d} \\end{aligned}$$",
      "$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\begin{cases} a & b \\\\ c & d \\end{cases}$",
      "$\\color{red}{x} \\boxed{y} \\overbrace{abc}^{n} \\hat{x} \\not= \\rule{1em}{2pt} \\cancel{x}$",
      "$\\underset{a}{b} \\phantom{x} \\hspace{1em} \\mathbb{R} \\left(\\frac12\\right) \\sum_{i=1}^n \\textcolor{blue}{z}$",
      "$\\nabla f = \\begin{bmatrix} \\partial f/\\partial x \\\\ \\partial f/\\partial y \\end{bmatrix}, \\quad \\eta \\in (0, 2), \\; \\lVert x \\rVert_2$",
      "$\\operatorname{argmin}_\\theta \\mathcal{L}(\\theta) \\xrightarrow{k \\to \\infty} \\vec{v} \\, \\underbrace{x}_{y} \\stackrel{?}{=} \\mathrm{d}x \\text{ text } \\fcolorbox{red}{yellow}{A}$",
    ];
    for (const formula of formulas) {
      const unsanitized = markdownToHtml(formula);
      assert.match(unsanitized, /<math/);
      assert.equal(canonical(renderMarkdown(formula)), canonical(unsanitized), formula);
    }
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
