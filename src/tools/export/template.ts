import path from "node:path";
import { PROJECT_ROOT } from "../jupyter";

/** nbconvert finds the template `nbconvert-template` in this folder (see nbconvert-template/index.html.j2). */
export const EXPORT_TEMPLATE_BASE_DIR = path.join(PROJECT_ROOT, "src", "tools", "export");
export const EXPORT_TEMPLATE_NAME = "nbconvert-template";
