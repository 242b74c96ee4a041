/** Markdown for the sanitizer's tests (test/unit/html-export.test.ts, test/cli/export.test.ts). */

/**
 * Markdown that runs script in a page unless sanitized, one per class: script elements, event
 * handlers (on elements the sanitizer drops and on ones it keeps), frames, plugins, javascript:
 * and data: URLs, CSS that runs or loads, and markup that shadows page globals.
 */
export const HOSTILE_MARKDOWN: [string, string][] = [
  ["script tag", "<script>top.postMessage('xss:script', '*')</script>"],
  ["img onerror", `<img src="data:image/png;base64,AAAA" onerror="top.postMessage('xss:img', '*')">`],
  ["svg onload", `<svg onload="top.postMessage('xss:svg', '*')"><circle r="1"/></svg>`],
  ["iframe srcdoc", `<iframe srcdoc="<script>top.postMessage('xss:iframe', '*')</script>"></iframe>`],
  ["javascript: link", `<a href="javascript:top.postMessage('xss:link', '*')">a link</a>`],
  [
    "javascript: link, entity-encoded",
    `<a href="&#106;avascript:top.postMessage('xss:link2', '*')">a link</a>`,
  ],
  ["markdown javascript: link", "[a markdown link](javascript:top.postMessage('xss:mdlink','*'))"],
  [
    "style expression and url",
    `<p style="width: expression(top.postMessage('xss:css', '*')); background: url(javascript:top.postMessage('xss:css2', '*')); color: red">styled</p>`,
  ],
  ["style element", "<style>.jp-Notebook { visibility: hidden }</style>"],
  ["object", `<object data="data:text/html,<script>top.postMessage('xss:object', '*')</script>"></object>`],
  ["embed", `<embed src="data:text/html,<script>top.postMessage('xss:embed', '*')</script>">`],
  [
    "event on an allowed tag",
    `<details open ontoggle="top.postMessage('xss:details', '*')"><summary>more</summary>text</details>`,
  ],
  ["click handler on a kept link", `<a href="#top" onclick="top.postMessage('xss:click', '*')">up</a>`],
  ["data: link", `<a href="data:text/html,<script>top.postMessage('xss:datalink', '*')</script>">data</a>`],
  ["form", `<form action="javascript:top.postMessage('xss:form', '*')"><button>go</button></form>`],
  ["math href", `<math href="javascript:top.postMessage('xss:math', '*')"><mi>x</mi></math>`],
  [
    "meta refresh",
    `<meta http-equiv="refresh" content="0; url=javascript:top.postMessage('xss:meta', '*')">`,
  ],
  ["base href", `<base href="javascript:top.postMessage('xss:base', '*')//">`],
  [
    "shadowing a global",
    `<a id="__gdFigures">anchor</a><img name="__gdFigures" src="data:image/png;base64,AAAA">`,
  ],
];
