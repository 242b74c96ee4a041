import { BASE85_ALPHABET } from "./base85";

export const MISSING_PLOTLY_MESSAGE =
  "plotly.js is not in this page: it travels in the output of setUpFigures() or of the first figure of a kernel " +
  "session, and that output is gone. " +
  "Rerun the notebook (Restart kernel and run all), or run resetPlotlyDelivery() and then this cell again.";

export const UNTRUSTED_MESSAGE =
  "Interactive figure: run this cell (or trust the notebook) to draw it; it needs JavaScript.";

/**
 * The script every figure output carries (plain ES2017, run by the browser). It defines, once per
 * page, window.__gdFigures: it finds the output carrying plotly.js (data-gd-plotly-bundle)
 * anywhere in the page, unpacks it once, and draws each figure when window.Plotly exists. So
 * figures render in any order: after "Restart kernel and run all", after rerunning one cell, and
 * when a saved notebook or an exported HTML file is opened.
 */
const RUNTIME = `
(function () {
  var w = window;
  if (w.__gdFigures) return;
  var kit = { ready: "gd-plotly-ready", loading: null };
  w.__gdFigures = kit;
  function hasPlotly() { return !!(w.Plotly && w.Plotly.newPlot); }
  function decodeBase85(text) {
    var alphabet = ${JSON.stringify(BASE85_ALPHABET)};
    var digit = new Uint8Array(128);
    for (var a = 0; a < alphabet.length; a++) digit[alphabet.charCodeAt(a)] = a;
    var rest = text.length % 5;
    var bytes = new Uint8Array(Math.floor(text.length / 5) * 4 + (rest ? rest - 1 : 0));
    for (var start = 0, out = 0; start < text.length; start += 5) {
      var count = Math.min(5, text.length - start);
      var value = 0;
      for (var k = 0; k < 5; k++) value = value * 85 + (k < count ? digit[text.charCodeAt(start + k)] : 84);
      for (var b = 0; b < count - 1; b++) bytes[out++] = Math.floor(value / Math.pow(256, 3 - b)) % 256;
    }
    return bytes;
  }
  kit.unpack = function (element) {
    if (hasPlotly()) return Promise.resolve(w.Plotly);
    if (!kit.loading) {
      kit.loading = (async function () {
        if (typeof DecompressionStream === "undefined") {
          throw new Error("this browser cannot unpack plotly.js (no DecompressionStream): use a current Chrome, Edge, Firefox or Safari");
        }
        var bytes = decodeBase85(element.textContent.replace(/\\s+/g, ""));
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        var code = await new Response(stream).text();
        // Hide AMD and CommonJS loaders (require.js in the classic Notebook and nbconvert pages),
        // so that plotly.js sets window.Plotly instead of registering a module.
        new Function("define", "module", "exports", "require", code).call(w);
        if (!hasPlotly()) throw new Error("plotly.js ran but did not define window.Plotly");
        w.dispatchEvent(new Event(kit.ready));
        return w.Plotly;
      })();
    }
    return kit.loading;
  };
  kit.whenPlotly = function (onMissing) {
    return new Promise(function (resolve, reject) {
      var poll = null;
      var warn = null;
      function stop() {
        w.removeEventListener(kit.ready, attempt);
        clearInterval(poll);
        clearTimeout(warn);
      }
      function attempt() {
        if (hasPlotly()) { stop(); resolve(w.Plotly); return; }
        var element = document.querySelector("[data-gd-plotly-bundle]");
        if (element) {
          stop();
          kit.unpack(element).then(resolve, reject);
        }
      }
      w.addEventListener(kit.ready, attempt);
      poll = setInterval(attempt, 1000);
      warn = setTimeout(onMissing, 4000);
      attempt();
    });
  };
  kit.preload = function () {
    var element = document.querySelector("[data-gd-plotly-bundle]");
    if (element) kit.unpack(element).catch(function () {});
  };
  kit.render = function (id, config) {
    var div = document.getElementById(id);
    var spec = document.querySelector('script[data-gd-figure="' + id + '"]');
    if (!div || !spec) return;
    var message = div.querySelector(".gd-figure-message");
    function say(text) { if (message) message.textContent = text; }
    var figure = JSON.parse(spec.textContent);
    say("Loading the interactive figure…");
    kit.whenPlotly(function () { say(${JSON.stringify(MISSING_PLOTLY_MESSAGE)}); })
      .then(function (Plotly) {
        if (message) message.remove();
        return Plotly.newPlot(div, figure.data, figure.layout, config).then(function () {
          // A live explorer (src/live): its code, bundled from src/, recomputes the path in the page.
          var live = document.querySelector('script[data-gd-live="' + id + '"]');
          if (!live) return;
          var spec = JSON.parse(live.textContent);
          var code = w.__gdLive && w.__gdLive[spec.bundle];
          if (!code) throw new Error("the live explorer's code is not in this page");
          return code.mount(div, spec, Plotly);
        });
      })
      .catch(function (error) { say("The figure could not be drawn: " + (error && error.message ? error.message : error)); });
  };
})();
`;

/** The runtime as sent: every figure output carries it, so indentation and comments are dropped. */
const COMPACT_RUNTIME = RUNTIME.split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("//"))
  .join("\n");

/** The page-wide runtime, then the call that draws figure `id`. */
export function renderScript(id: string, config: object): string {
  return `${COMPACT_RUNTIME}\nwindow.__gdFigures.render(${JSON.stringify(id)}, ${JSON.stringify(config)});`;
}

/** The page-wide runtime, then unpacking plotly.js at once, so later figures find window.Plotly
 * even where a front end detaches outputs scrolled out of view. */
export function preloadScript(): string {
  return `${COMPACT_RUNTIME}\nwindow.__gdFigures.preload();`;
}
