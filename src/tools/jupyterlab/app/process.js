// Some bundled packages read Node's `process` global; webpack builds of JupyterLab give them a shim too.
export const process = {
  env: { NODE_ENV: "production" },
  argv: [],
  platform: "browser",
  version: "",
  versions: {},
  cwd: () => "/",
  nextTick: (callback, ...args) => queueMicrotask(() => callback(...args)),
};
