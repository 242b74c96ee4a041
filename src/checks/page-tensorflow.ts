/**
 * TensorFlow.js in the runnable page (src/runnable; src/package.json's browser field puts this
 * module where ./tensorflow.ts would be): the core API and its CPU backend, which computes what
 * @tensorflow/tfjs computes in a kernel without tfjs-node, float for float. WebGL is left out:
 * the gradient checks are small, and a GPU's float32 would change the last digits the page is
 * compared on, for ~0.5 MB more.
 */
import * as core from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// What @tensorflow/tfjs adds to the core, as its own index does: gradients and tensor.square() etc.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import type { LoadedTensorFlow, TensorFlow } from "./tensorflow";

export type { LoadedTensorFlow, TensorFlow };

let loaded: LoadedTensorFlow | undefined;

export function loadTensorFlow(): LoadedTensorFlow {
  if (loaded) return loaded;
  const tf = core as unknown as TensorFlow;
  tf.env().set("PROD", true);
  tf.setBackend("cpu");
  const backend = tf.getBackend();
  loaded = {
    tf,
    packageName: "@tensorflow/tfjs",
    backend,
    description: `@tensorflow/tfjs ${core.version_core}, backend "${backend}" (pure JavaScript, in this page)`,
  };
  return loaded;
}
