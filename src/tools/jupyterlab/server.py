"""JupyterLab 4.6.3 as built by build.ts (into build/lab/site/), served by Debian's
jupyter_server (1.23) and jupyterlab_server (2.16) -- for `npm start` and the kit's tests.

    /usr/bin/python3 src/tools/jupyterlab/server.py --ServerApp.root_dir=notebooks [jupyter_server options]

Like `jupyter lab`: the page at /lab, with the page config, settings, themes, translations and
workspaces APIs of jupyterlab_server's LabServerApp. Settings and workspaces are kept in the
project's .jupyter/lab/ unless --KitLabApp.user_settings_dir / workspaces_dir say otherwise.
"""

import os
import sys

import jupyterlab_server.settings_utils
from jsonschema import Draft7Validator
from jupyterlab_server import LabServerApp
from traitlets import Bool, default

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.path.join(PROJECT_ROOT, "build", "lab", "site")
LAB_DATA = os.path.join(PROJECT_ROOT, ".jupyter", "lab")

# JupyterLab 4's settings schemas use draft-7 keywords (oneOf of const); Debian's jupyterlab_server
# 2.16 checks settings with the draft-4 validator, which then answers 400 to valid settings.
jupyterlab_server.settings_utils.Validator = Draft7Validator


class KitLabApp(LabServerApp):
    """LabServerApp pointed at build.ts's output, with no federated extensions."""

    name = "kit_lab"
    app_name = "JupyterLab"
    app_version = "4.6.3"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False

    expose_app_in_browser = Bool(
        False, config=True, help="Expose the application as window.jupyterapp (for browser tests)."
    )

    @default("static_dir")
    def _default_static_dir(self):
        return os.path.join(BUILD, "static")

    @default("templates_dir")
    def _default_templates_dir(self):
        return os.path.join(BUILD, "templates")

    @default("schemas_dir")
    def _default_schemas_dir(self):
        return os.path.join(BUILD, "schemas")

    @default("themes_dir")
    def _default_themes_dir(self):
        return os.path.join(BUILD, "themes")

    @default("app_settings_dir")
    def _default_app_settings_dir(self):
        return os.path.join(BUILD, "settings")

    @default("user_settings_dir")
    def _default_user_settings_dir(self):
        return os.path.join(LAB_DATA, "user-settings")

    @default("workspaces_dir")
    def _default_workspaces_dir(self):
        return os.path.join(LAB_DATA, "workspaces")

    # The bundle cannot load federated (prebuilt) extensions such as Debian's jupyterlab_pygments.
    @default("labextensions_path")
    def _default_labextensions_path(self):
        return []

    def initialize_settings(self):
        super().initialize_settings()
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config["appVersion"] = self.app_version
        page_config["federated_extensions"] = []
        if self.expose_app_in_browser:
            page_config["exposeAppInBrowser"] = True

    def initialize_handlers(self):
        index = os.path.join(self.templates_dir, "index.html")
        if not os.path.exists(index):
            sys.exit(f"JupyterLab is not built ({index} is missing): run npx tsx src/tools/jupyterlab/build.ts")
        super().initialize_handlers()


def _jupyter_server_extension_points():
    """How jupyter_server finds the app in this module (run as __main__)."""
    return [{"module": __name__, "app": KitLabApp}]


if __name__ == "__main__":
    KitLabApp.launch_instance()
