/**
 * nbconvert's page with its stylesheets pruned to the rules the page can use. Hand-written over
 * css-tree (parse, walk, generate): the pruning itself is these few functions, where PurgeCSS
 * would add PostCSS, its own extractors and an async API, and its default extractor would scan
 * every word of the page, plotly.js's 1.9 MB payload included.
 */
import * as csstree from "css-tree";
import { parse } from "parse5";
import { elements, pageElements, textOf } from "./html-tree";

/** The class names and ids an HTML page uses. */
export function usedNames(html: string): { classes: Set<string>; ids: Set<string> } {
  const classes = new Set<string>();
  const ids = new Set<string>();
  for (const element of pageElements(html)) {
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
