import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "build/", ".jupyter/", "bench-results/", "test-results/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        require: "readonly",
        module: "readonly",
        __dirname: "readonly",
      },
    },
  },
  {
    // Scripts that run in the browser: JupyterLab's entry point and the JupyterLab test's page helpers.
    files: ["src/tools/jupyterlab/app/*.js", "test/support/jupyterlab-page.js"],
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        DOMParser: "readonly",
        queueMicrotask: "readonly",
      },
    },
  },
);
