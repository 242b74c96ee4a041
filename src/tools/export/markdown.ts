/**
 * Notebook markdown to HTML for the exported page: formulas as MathML (KaTeX, so the page needs no
 * MathJax), headings with nbconvert's ids, sanitized (./sanitize.ts) as the live front ends do.
 * Browser-safe: the runnable page (src/runnable) renders its cells' markdown outputs with it too.
 */
import katex from "katex";
import MarkdownIt from "markdown-it";
import { sanitizeMarkdownHtml } from "./sanitize";

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
