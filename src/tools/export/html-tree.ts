/** Walking a page parsed by parse5 (the stylesheet pruner and the offline check read pages this way). */
import { parse, parseFragment, serialize, type DefaultTreeAdapterMap } from "parse5";

export type Node = DefaultTreeAdapterMap["node"];
export type Element = DefaultTreeAdapterMap["element"];

/** Every element under `node`, template contents included, in document order. */
export function* elements(node: Node): Generator<Element> {
  if ("tagName" in node) yield node;
  const children = "content" in node ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
  for (const child of children) yield* elements(child);
}

/** An element's own text. */
export function textOf(element: Element): string {
  return element.childNodes.map((child) => ("value" in child ? child.value : "")).join("");
}

/** The elements of a whole page. */
export function pageElements(html: string): Generator<Element> {
  return elements(parse(html));
}

/** HTML as a browser reads it, serialized again: two fragments that render alike compare equal. */
export function normalizedHtml(html: string): string {
  return serialize(parseFragment(html));
}
