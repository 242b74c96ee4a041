/**
 * The pure part of the HTML export: markdown cells rendered with their formulas as MathML (so the
 * page needs no MathJax) and sanitized as the live front ends do, the nbconvert page's
 * stylesheets pruned to the rules the page uses, and a check that nothing in the page loads from
 * outside the file.
 */
import * as csstree from "css-tree";
import { parse, parseFragment, serialize } from "parse5";
import { renderMarkdown } from "../display/markdown";
import type { DefaultTreeAdapterMap } from "parse5";
import path from "node:path";
import { PROJECT_ROOT } from "./jupyter";
import { describeCell, joinText, type Notebook } from "./notebooks";

/** nbconvert finds the template `export-template` in this folder (see export-template/index.html.j2). */
export const EXPORT_TEMPLATE_BASE_DIR = path.join(PROJECT_ROOT, "src", "tools");
export const EXPORT_TEMPLATE_NAME = "export-template";

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
