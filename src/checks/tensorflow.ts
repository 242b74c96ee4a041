import type * as TensorFlowModule from "@tensorflow/tfjs";

/**
 * The TensorFlow.js API; @tensorflow/tfjs-node exports the same one.
 *
 * @internal Kept out of build/'s declarations, like every TensorFlow.js type in the kit's API
 * (stripInternal): a notebook's import of "../src" would otherwise make tslab type-check every
 * cell against TensorFlow.js's ~600 declaration files. A notebook that wants `tf` imports it.
 */
export type TensorFlow = typeof TensorFlowModule;

export interface LoadedTensorFlow {
  /** @internal (see TensorFlow) */
  tf: TensorFlow;
  /** "tfjs-node" (native libtensorflow) or "tfjs" (pure JavaScript CPU backend). */
  packageName: "@tensorflow/tfjs-node" | "@tensorflow/tfjs";
  /** The backend TensorFlow.js reports, e.g. "tensorflow" or "cpu". */
  backend: string;
  /** One line for notebooks and reports. */
  description: string;
}

let loaded: LoadedTensorFlow | undefined;

/**
 * The one place that chooses TensorFlow.js: @tensorflow/tfjs-node where it installed (it needs
 * libtensorflow, which its installer downloads from outside the npm registry, so it is optional),
 * else @tensorflow/tfjs. Loading both would register every kernel twice, so nothing else in the
 * kit imports TensorFlow.js at run time.
 */
export function loadTensorFlow(): LoadedTensorFlow {
  if (loaded) return loaded;
  let tf: TensorFlow;
  let packageName: LoadedTensorFlow["packageName"];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require("@tensorflow/tfjs-node") as TensorFlow;
    packageName = "@tensorflow/tfjs-node";
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require("@tensorflow/tfjs") as TensorFlow;
    packageName = "@tensorflow/tfjs";
  }
  // Production mode silences the console banner advising tfjs-node, which would otherwise land
  // on a notebook's stderr; this kit reports the backend itself.
  tf.env().set("PROD", true);
  tf.backend(); // initialises the best registered backend synchronously
  const backend = tf.getBackend();
  const reason =
    packageName === "@tensorflow/tfjs-node"
      ? "native libtensorflow"
      : "pure JavaScript; @tensorflow/tfjs-node is not installed";
  loaded = {
    tf,
    packageName,
    backend,
    description: `${packageName} ${tf.version.tfjs}, backend "${backend}" (${reason})`,
  };
  return loaded;
}
