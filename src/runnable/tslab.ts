/** The page's `tslab` module: `display` writes under the running cell, as tslab's does in a notebook. */
import { currentOutput, formatValue } from "./outputs";

export interface Display {
  text(text: string): void;
  markdown(markdown: string): void;
  html(html: string): void;
}

export const display: Display = {
  text: (text) => currentOutput().stream("stdout", formatValue(text)),
  markdown: (markdown) => currentOutput().markdown(String(markdown)),
  html: (html) => currentOutput().html(String(html)),
};

/** tslab's newDisplay(): in the page, the same display (outputs stay under their cell). */
export function newDisplay(): Display {
  return display;
}
