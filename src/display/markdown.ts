/**
 * Markdown as notebooks write it, to HTML: formulas as KaTeX MathML (so a page needs no MathJax),
 * sanitized as the live front ends do. Browser-safe: the export renders the notebooks' markdown
 * with it at export time, and the runnable page (src/runnable) the markdown its cells display.
 */
import katex from "katex";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

export interface TexmathOptions {
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
