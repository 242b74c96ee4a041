/** The notebook's markdown rendered for nbconvert's template (./markdown.ts does the rendering). */
import { describeCell, joinText, type Notebook } from "../notebooks";
import { renderMarkdown } from "./markdown";

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
