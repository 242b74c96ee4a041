/** The offline check: everything in an exported page that would load from outside the file. */
import * as csstree from "css-tree";
import { pageElements, textOf } from "./html-tree";

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
  for (const element of pageElements(html)) {
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
