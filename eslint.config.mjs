import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      ".jupyter/",
      "bench-results/",
      "test-results/",
      // JupyterLab's own build for the JupyterLab tests (test/jupyterlab/build.ts): installed and generated.
      "test/jupyterlab/node_modules/",
      "test/jupyterlab/build/",
    ],
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
    files: ["test/jupyterlab/app/*.js", "test/support/jupyterlab-page.js"],
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
