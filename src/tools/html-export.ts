/**
 * The pure part of the HTML export: markdown cells rendered with their formulas as MathML (so the
 * page needs no MathJax) and sanitized as the live front ends do, the nbconvert page's
 * stylesheets pruned to the rules the page uses, and a check that nothing in the page loads from
 * outside the file.
 */
import * as csstree from "css-tree";
import katex from "katex";
import MarkdownIt from "markdown-it";
import { parse, parseFragment, serialize } from "parse5";
import sanitizeHtml from "sanitize-html";
import type { DefaultTreeAdapterMap } from "parse5";
import path from "node:path";
import { PROJECT_ROOT } from "./jupyter";
import { describeCell, joinText, type Notebook } from "./notebooks";

/** nbconvert finds the template `export-template` in this folder (see export-template/index.html.j2). */
export const EXPORT_TEMPLATE_BASE_DIR = path.join(PROJECT_ROOT, "src", "tools");
export const EXPORT_TEMPLATE_NAME = "export-template";

interface TexmathOptions {
  engine: { renderToString(tex: string, options: katex.KatexOptions): string };
  delimiters: string | string[];
  katexOptions?: katex.KatexOptions;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it-texmath ships no types
const texmath = require("markdown-it-texmath") as (
  markdown: InstanceType<typeof MarkdownIt>,
  options?: TexmathOptions,
) => void;

/** nbconvert's heading ids ("Step 6 · The data" → "Step-6-·-The-data"), so links to sections keep working. */
function headingId(text: string): string {
  return text.trim().replace(/\s+/g, "-");
}

/** KaTeX errors of the render in progress (texmath keeps the first engine it is given, for good). */
let formulaErrors: string[] = [];

const mathmlEngine = {
  renderToString(tex: string, options: katex.KatexOptions): string {
    try {
      return katex.renderToString(tex, { ...options, output: "mathml", throwOnError: true });
    } catch (error) {
      formulaErrors.push(`$${tex}$: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  },
};

const markdownRenderer = new MarkdownIt({ html: true }).use(texmath, {
  engine: mathmlEngine,
  delimiters: "dollars",
});
markdownRenderer.core.ruler.push("heading_ids", (state) => {
  state.tokens.forEach((token, index) => {
    if (token.type !== "heading_open") return;
    const text = (state.tokens[index + 1].children ?? [])
      .filter((child) => child.type === "text" || child.type === "code_inline")
      .map((child) => child.content)
      .join("");
    token.attrSet("id", headingId(text));
  });
});

/** The MathML elements KaTeX writes (output: "mathml"), and markdown-it-texmath's wrappers. */
const MATHML_TAGS = [
  "math",
  "semantics",
  "annotation",
  "mrow",
  "mi",
  "mn",
  "mo",
  "ms",
  "mtext",
  "mspace",
  "msup",
  "msub",
  "msubsup",
  "mfrac",
  "msqrt",
  "mroot",
  "mstyle",
  "mpadded",
  "mphantom",
  "menclose",
  "mover",
  "munder",
  "munderover",
  "mmultiscripts",
  "mprescripts",
  "none",
  "mtable",
  "mtr",
  "mtd",
  "mlabeledtr",
  "merror",
  "eq",
  "eqn",
];
/** Their presentation attributes; no href (MathML links), no event handlers. */
const MATHML_ATTRIBUTES = [
  "xmlns",
  "display",
  "encoding",
  "mathvariant",
  "mathsize",
  "mathcolor",
  "mathbackground",
  "stretchy",
  "fence",
  "separator",
  "lspace",
  "rspace",
  "minsize",
  "maxsize",
  "largeop",
  "movablelimits",
  "symmetric",
  "accent",
  "accentunder",
  "linethickness",
  "scriptlevel",
  "displaystyle",
  "columnalign",
  "rowalign",
  "columnspacing",
  "rowspacing",
  "columnlines",
  "rowlines",
  "frame",
  "framespacing",
  "equalrows",
  "equalcolumns",
  "side",
  "width",
  "height",
  "depth",
  "voffset",
  "notation",
  "columnspan",
  "rowspan",
];
/** HTML that notebook markdown may carry: JupyterLab's list (from Google Caja) without forms and media. */
const HTML_TAGS = [
  "a",
  "abbr",
  "acronym",
  "address",
  "article",
  "aside",
  "b",
  "bdi",
  "bdo",
  "big",
  "blockquote",
  "br",
  "caption",
  "center",
  "cite",
  "code",
  "col",
  "colgroup",
  "data",
  "dd",
  "del",
  "details",
  "dfn",
  "dir",
  "div",
  "dl",
  "dt",
  "em",
  "figcaption",
  "figure",
  "font",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "i",
  "img",
  "ins",
  "kbd",
  "li",
  "mark",
  "nav",
  "nobr",
  "ol",
  "p",
  "pre",
  "q",
  "s",
  "samp",
  "section",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "summary",
  "sup",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "time",
  "tr",
  "tt",
  "u",
  "ul",
  "var",
  "wbr",
];
const HEADING = /^h[1-6]$/;
/** A CSS value without functions that load or run anything (url(), expression(), image(), …). */
const SAFE_CSS_VALUE =
  /^(?!.*(?:url|expression|image|image-set|cross-fade|element|src|attr|env)\s*\()[\w\s#%.,+\-/()!'"]*$/i;
const ALLOWED_STYLES = Object.fromEntries(
  [
    "color",
    "background-color",
    "text-align",
    "vertical-align",
    "font-weight",
    "font-style",
    "font-size",
    "font-family",
    "font-variant",
    "text-decoration",
    "text-transform",
    "line-height",
    "letter-spacing",
    "white-space",
    "width",
    "max-width",
    "min-width",
    "height",
    "max-height",
    "min-height",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-radius",
    "border-collapse",
    "display",
    "float",
    "clear",
    "list-style-type",
  ].map((property) => [property, [SAFE_CSS_VALUE]]),
);

/**
 * What a live front end does to markdown before it shows it (JupyterLab runs sanitize-html over
 * every markdown cell, the classic Notebook Google Caja's sanitizer): scripts, event handlers,
 * frames, objects, forms, javascript: and data: links, and CSS that loads or runs anything are
 * removed; formulas (KaTeX MathML) and ordinary HTML stay. `id`s become `data-jupyter-id`, as in
 * JupyterLab, so that markdown cannot shadow the page's globals (a figure's runtime looks some
 * up), except on headings, whose ids are the section links.
 */
export function sanitizeMarkdownHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...HTML_TAGS, ...MATHML_TAGS],
    allowedAttributes: {
      "*": ["class", "dir", "lang", "title", "hidden", "align", "valign", "style", "data-jupyter-id"],
      a: ["href", "rel"],
      img: ["src", "alt", "width", "height"],
      h1: ["id"],
      h2: ["id"],
      h3: ["id"],
      h4: ["id"],
      h5: ["id"],
      h6: ["id"],
      td: ["colspan", "rowspan", "headers", "width"],
      th: ["colspan", "rowspan", "headers", "scope", "width", "abbr"],
      col: ["span", "width"],
      colgroup: ["span", "width"],
      ol: ["start", "type", "reversed"],
      ul: ["type"],
      li: ["value"],
      details: ["open"],
      font: ["color", "size", "face"],
      data: ["value"],
      time: ["datetime"],
      ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
    },
    allowedStyles: { "*": ALLOWED_STYLES },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https", "data"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    // MathML's empty elements are written <mspace/>.
    selfClosing: [...sanitizeHtml.defaults.selfClosing, "mspace", "mprescripts", "none"],
    parser: { recognizeSelfClosing: true },
    transformTags: {
      a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }),
      "*": (tagName, attribs) => {
        if (attribs.id === undefined || HEADING.test(tagName)) return { tagName, attribs };
        const { id, ...rest } = attribs;
        return { tagName, attribs: { ...rest, "data-jupyter-id": id } };
      },
    },
  });
}

/**
 * Markdown as notebooks write it (CommonMark, HTML allowed, `$…$` and `$$…$$` formulas) to HTML,
 * formulas as KaTeX MathML, unsanitized: renderMarkdown is what goes into a page. Throws on a
 * formula KaTeX cannot read, naming it, rather than leaving raw LaTeX or a red error in the page.
 */
export function markdownToHtml(source: string): string {
  formulaErrors = [];
  const html = markdownRenderer.render(source);
  if (formulaErrors.length > 0) {
    throw new Error(`LaTeX that KaTeX cannot render: ${formulaErrors.join("; ")}`);
  }
  return html;
}

/**
 * markdownToHtml, sanitized (sanitizeMarkdownHtml): markdown is the notebook author's and
 * untrusted, as in the live front ends, while code cells' HTML outputs (figures) are the kernel's.
 */
export function renderMarkdown(source: string): string {
  return sanitizeMarkdownHtml(markdownToHtml(source));
}

/** HTML as a browser reads it, serialized again: two fragments that render alike compare equal. */
export function normalizedHtml(html: string): string {
  return serialize(parseFragment(html));
}

/**
 * A copy of the notebook whose markdown cells carry their rendered HTML in
 * `metadata.export_html`, which the export template prints instead of nbconvert's markdown, and
 * whose markdown outputs (tslab's display.markdown) gain the same rendering as text/html, which
 * nbconvert prefers. Errors name the notebook and the cell.
 */
export function withRenderedMarkdown(notebook: Notebook, name: string): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell, index) => {
      try {
        if (cell.cell_type === "markdown") {
          return {
            ...cell,
            metadata: { ...cell.metadata, export_html: renderMarkdown(joinText(cell.source)) },
          };
        }
        if (!cell.outputs) return cell;
        return {
          ...cell,
          outputs: cell.outputs.map((output) => {
            const markdown = output.data?.["text/markdown"] as string | string[] | undefined;
            if (markdown === undefined || output.data?.["text/html"] !== undefined) return output;
            return { ...output, data: { ...output.data, "text/html": renderMarkdown(joinText(markdown)) } };
          }),
        };
      } catch (error) {
        // eslint-disable-next-line preserve-caught-error -- the message carries the cause; lib ES2020 has no ErrorOptions
        throw new Error(
          `${name}, ${describeCell(notebook, index)}: ${error instanceof Error ? error.message : error}`,
        );
      }
    }),
  };
}

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

function* elements(node: Node): Generator<Element> {
  if ("tagName" in node) yield node;
  const children = "content" in node ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
  for (const child of children) yield* elements(child);
}

function textOf(element: Element): string {
  return element.childNodes.map((child) => ("value" in child ? child.value : "")).join("");
}

/** The class names and ids an HTML page uses. */
export function usedNames(html: string): { classes: Set<string>; ids: Set<string> } {
  const classes = new Set<string>();
  const ids = new Set<string>();
  for (const element of elements(parse(html))) {
    for (const attribute of element.attrs) {
      if (attribute.name === "class")
        attribute.value.split(/\s+/).forEach((name) => name && classes.add(name));
      if (attribute.name === "id") ids.add(attribute.value);
    }
  }
  return { classes, ids };
}

/** Whether every class and id a selector requires (outside :not(), :is() and the like) is in use. */
function selectorMatchable(selector: csstree.CssNode, used: { classes: Set<string>; ids: Set<string> }) {
  let matchable = true;
  csstree.walk(selector, function (node) {
    if (node.type === "PseudoClassSelector" || node.type === "PseudoElementSelector")
      return csstree.walk.skip;
    if (node.type === "ClassSelector" && !used.classes.has(node.name)) matchable = false;
    if (node.type === "IdSelector" && !used.ids.has(node.name)) matchable = false;
    return undefined;
  });
  return matchable;
}

/**
 * The stylesheet without the rules whose selectors need a class or id the page never uses (the
 * JupyterLab stylesheet nbconvert inlines is about 0.5 MB, mostly for the editor's widgets),
 * minified. Rules for elements only, custom properties, @font-face and @keyframes stay.
 */
export function pruneCss(css: string, used: { classes: Set<string>; ids: Set<string> }): string {
  const ast = csstree.parse(css);
  csstree.walk(ast, {
    visit: "Rule",
    enter(node, item, list) {
      if (node.prelude.type !== "SelectorList") return;
      const selectors = node.prelude.children;
      selectors.forEach((selector, selectorItem) => {
        if (!selectorMatchable(selector, used)) selectors.remove(selectorItem);
      });
      if (selectors.isEmpty && list) list.remove(item);
    },
  });
  // At-rules such as @media left with no rules go too.
  csstree.walk(ast, {
    visit: "Atrule",
    leave(node, item, list) {
      const grouping = ["media", "supports", "container", "layer"].includes(node.name);
      if (grouping && node.block && node.block.children.isEmpty && list) list.remove(item);
    },
  });
  return csstree.generate(ast);
}

/** The custom properties `text` reads with var(--name). */
export function customPropertyReferences(text: string): Set<string> {
  return new Set([...text.matchAll(/var\(\s*(--[\w-]+)/g)].map((match) => match[1]));
}

/** The stylesheet without declarations of custom properties outside `referenced`, and rules left empty. */
export function dropCustomProperties(css: string, referenced: Set<string>): string {
  const ast = csstree.parse(css);
  csstree.walk(ast, {
    visit: "Declaration",
    enter(node, item, list) {
      if (node.property.startsWith("--") && !referenced.has(node.property) && list) list.remove(item);
    },
  });
  csstree.walk(ast, {
    visit: "Rule",
    enter(node, item, list) {
      if (node.block.children.isEmpty && list) list.remove(item);
    },
  });
  return csstree.generate(ast);
}

/** The texts of the page's <style> elements, and a function putting new texts in their place, byte for byte elsewhere. */
export function styleTexts(html: string): { texts: string[]; replace(texts: string[]): string } {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const styles = [...elements(document)].filter(
    (element) =>
      element.tagName === "style" &&
      element.sourceCodeLocation?.startTag &&
      element.sourceCodeLocation.endTag,
  );
  return {
    texts: styles.map(textOf),
    replace(texts: string[]): string {
      let result = "";
      let position = 0;
      styles.forEach((style, index) => {
        const location = style.sourceCodeLocation;
        if (!location?.startTag || !location.endTag) return;
        result += html.slice(position, location.startTag.endOffset) + texts[index];
        position = location.endTag.startOffset;
      });
      return result + html.slice(position);
    },
  };
}

/**
 * nbconvert's page with its stylesheets pruned to what the page uses: rules for classes and ids
 * it has, then custom properties (JupyterLab's theme defines about 500) that nothing reads,
 * repeated while a removal leaves others unread.
 */
export function slimExportHtml(html: string): string {
  const used = usedNames(html);
  const styles = styleTexts(html);
  const outsideStyles = styles.replace(styles.texts.map(() => ""));
  let texts = styles.texts.map((css) => pruneCss(css, used));
  for (;;) {
    const referenced = customPropertyReferences(outsideStyles + texts.join("\n"));
    const slimmer = texts.map((css) => dropCustomProperties(css, referenced));
    if (slimmer.every((css, index) => css === texts[index])) break;
    texts = slimmer;
  }
  return styles.replace(texts);
}

/** A URL that makes the browser fetch something from outside the file (data: and #fragments don't). */
export function isExternalUrl(url: string): boolean {
  const trimmed = url.trim();
  return trimmed !== "" && !/^(data:|#|about:blank|blob:|javascript:)/i.test(trimmed);
}

function cssUrls(css: string, context: "stylesheet" | "declarationList"): string[] {
  const urls: string[] = [];
  csstree.walk(csstree.parse(css, { context }), (node) => {
    if (node.type === "Url") urls.push(node.value);
    // @import "x.css" (a string; @import url(x.css) is a Url, found above)
    if (node.type === "Atrule" && node.name === "import" && node.prelude?.type === "AtrulePrelude") {
      const first = node.prelude.children.first;
      if (first?.type === "String") urls.push(first.value);
    }
  });
  return urls;
}

/**
 * Everything in the page that would load from outside the file: src, href (except links a reader
 * follows: <a>, <area>), srcset, poster, data and xlink:href attributes, and url() and @import in
 * stylesheets and style attributes. Each entry names the element and the URL.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const element of elements(parse(html))) {
    for (const attribute of element.attrs) {
      const name = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name;
      let urls: string[] = [];
      if (name === "href" && (element.tagName === "a" || element.tagName === "area")) continue;
      if (["src", "href", "poster", "data", "xlink:href", "action"].includes(name)) urls = [attribute.value];
      else if (name === "srcset")
        urls = attribute.value.split(/,\s+/).map((entry) => entry.trim().split(/\s+/)[0]);
      else if (name === "style") urls = cssUrls(attribute.value, "declarationList");
      for (const url of urls.filter(isExternalUrl)) found.push(`<${element.tagName} ${name}> ${url}`);
    }
    if (element.tagName === "style") {
      for (const url of cssUrls(textOf(element), "stylesheet").filter(isExternalUrl)) {
        found.push(`<style> url(${url})`);
      }
    }
  }
  return found;
}
