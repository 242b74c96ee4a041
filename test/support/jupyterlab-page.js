/*
 * What test/browser/jupyterlab.test.ts asks a live JupyterLab page, as window.__gdLab: the open notebook's
 * cells, their outputs, execution and rendering, read from the application the page exposes
 * (window.jupyterapp). A plain script, injected as written: tsx would wrap TypeScript's inner
 * functions in a helper the page does not have.
 */
(function () {
  "use strict";
  function panel() {
    var app = window.jupyterapp;
    var widget = app && app.shell.currentWidget;
    return widget && widget.content && widget.sessionContext && widget.context ? widget : null;
  }
  function cells() {
    return panel().content.widgets;
  }
  function outputs(cell) {
    return cell.model.type === "code" ? cell.model.outputs.toJSON() : [];
  }
  function text(value) {
    return Array.isArray(value) ? value.join("") : value || "";
  }
  function kernelStatus() {
    var session = panel().sessionContext.session;
    return session && session.kernel ? session.kernel.status : "none";
  }
  function isThreeD(spec) {
    var layout = spec.layout || {};
    return (
      Object.keys(layout).some(function (key) {
        return key.indexOf("scene") === 0;
      }) ||
      (spec.data || []).some(function (trace) {
        return ["surface", "scatter3d", "mesh3d"].indexOf(trace.type) >= 0;
      })
    );
  }
  /** The kit's figures in a cell's outputs (the model, not the page): id, 3-D or not, data. */
  function figures(cell) {
    var found = [];
    outputs(cell).forEach(function (output) {
      var html = text(output.data && output.data["text/html"]);
      if (html.indexOf("data-gd-figure") < 0) return;
      var parsed = new DOMParser().parseFromString(html, "text/html");
      parsed.querySelectorAll("script[data-gd-figure]").forEach(function (script) {
        var spec = JSON.parse(script.textContent);
        found.push({
          id: script.getAttribute("data-gd-figure"),
          threeD: isThreeD(spec),
          data: JSON.stringify(spec.data),
        });
      });
    });
    return found;
  }

  window.__gdLab = {
    /** The notebook at `path` is open, its kernel idle, the application restored. */
    ready: function (path) {
      var current = panel();
      return Boolean(
        current && current.context.path === path && current.context.isReady && kernelStatus() === "idle",
      );
    },
    windowingMode: function () {
      return panel().content.notebookConfig.windowingMode;
    },
    cellCount: function () {
      return cells().length;
    },
    /** Cells of the open notebook attached to the page (the "full" windowing mode attaches those in view). */
    attachedCells: function () {
      return panel().content.node.querySelectorAll(".jp-Cell").length;
    },
    /** The largest execution count so far (0 before any). */
    maxExecutionCount: function () {
      return cells().reduce(function (max, cell) {
        return cell.model.type === "code" ? Math.max(max, cell.model.executionCount || 0) : max;
      }, 0);
    },
    /**
     * Whether the code cells from index `from` on have all run after execution count `after`:
     * finished when each has a larger count and none is running or queued with the kernel idle,
     * or as soon as one shows an error.
     */
    runState: function (from, after) {
      var waiting = [];
      var errors = 0;
      cells().forEach(function (cell, index) {
        if (index < from || cell.model.type !== "code") return;
        var count = cell.model.executionCount || 0;
        if (count <= after || cell.model.executionState === "running") waiting.push(index);
        outputs(cell).forEach(function (output) {
          if (output.output_type === "error") errors++;
        });
      });
      return {
        finished: errors > 0 || (waiting.length === 0 && kernelStatus() === "idle"),
        waiting: waiting,
        kernel: kernelStatus(),
      };
    },
    /** Error outputs and stderr, named by cell. */
    problems: function () {
      var found = [];
      cells().forEach(function (cell, index) {
        outputs(cell).forEach(function (output) {
          if (output.output_type === "error") {
            found.push("cell " + (index + 1) + ": " + output.ename + ": " + output.evalue);
          } else if (output.output_type === "stream" && output.name === "stderr") {
            found.push("cell " + (index + 1) + " wrote to stderr: " + text(output.text).slice(0, 300));
          }
        });
      });
      return found;
    },
    /** Cells whose outputs hold figures, with the figures. */
    figureCells: function () {
      var found = [];
      cells().forEach(function (cell, index) {
        var inCell = figures(cell);
        if (inCell.length) found.push({ index: index, figures: inCell });
      });
      return found;
    },
    /** Markdown cells whose source has LaTeX ($…$, $$…$$, \(…\), \[…\]). */
    mathCells: function () {
      var found = [];
      cells().forEach(function (cell, index) {
        var source = cell.model.sharedModel.getSource();
        if (cell.model.type === "markdown" && /\$[^$]+\$|\\\(|\\\[/.test(source)) found.push(index);
      });
      return found;
    },
    /** Marks cell `index` (data-gd-cell) and scrolls it into view; resolves to its selector. */
    show: function (index) {
      var cell = cells()[index];
      cell.node.setAttribute("data-gd-cell", String(index));
      return panel()
        .content.scrollToItem(index, "center")
        .then(function () {
          return '[data-gd-cell="' + index + '"]';
        });
    },
    /** How a markdown cell's LaTeX came out: MathJax containers, MathJax errors, TeX left as text. */
    mathReport: function (index) {
      var rendered = cells()[index].node.querySelector(".jp-RenderedMarkdown");
      if (!rendered) return { rendered: false, containers: 0, errors: 0, rawTex: [] };
      var copy = rendered.cloneNode(true);
      copy.querySelectorAll("mjx-container, code, pre").forEach(function (element) {
        element.remove();
      });
      return {
        rendered: true,
        containers: rendered.querySelectorAll("mjx-container").length,
        errors: rendered.querySelectorAll("mjx-merror").length,
        rawTex: copy.textContent.match(/\$\$|\$[^$\s][^$]*\$|\\[a-zA-Z]{2,}/g) || [],
      };
    },
    /** The code cell tagged `parameters`: index and source, or null. */
    parametersCell: function () {
      var list = cells();
      for (var index = 0; index < list.length; index++) {
        var tags = list[index].model.getMetadata("tags") || [];
        if (list[index].model.type === "code" && tags.indexOf("parameters") >= 0) {
          return { index: index, source: list[index].model.sharedModel.getSource() };
        }
      }
      return null;
    },
    source: function (index) {
      return cells()[index].model.sharedModel.getSource();
    },
    select: function (index) {
      panel().content.activeCellIndex = index;
    },
    /** Trusted flags of the code cells with outputs. */
    trusted: function () {
      return cells()
        .filter(function (cell) {
          return outputs(cell).length > 0;
        })
        .map(function (cell) {
          return cell.model.trusted;
        });
    },
    dirty: function () {
      return panel().context.model.dirty;
    },
  };
})();
