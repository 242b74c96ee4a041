"""Why nbformat rejects a notebook, in one line: the deepest schema error, with its path.

nbconvert reports a rejected notebook as a 100-line traceback whose last line ("must be valid
exactly by one definition") does not say which field is wrong; jsonschema's error tree does.
Usage: python3 describe_notebook_error.py NOTEBOOK  (prints nothing when the notebook is valid).
"""
import json
import os
import sys

import jsonschema
import nbformat


def deepest(errors):
    best = None
    for error in errors:
        candidate = deepest(error.context) if error.context else error
        if best is None or len(candidate.absolute_path) > len(best.absolute_path):
            best = candidate
    return best


def main(path):
    with open(path, encoding="utf-8") as file:
        notebook = json.load(file)
    schema_file = os.path.join(os.path.dirname(nbformat.__file__), "v4", "nbformat.v4.schema.json")
    with open(schema_file, encoding="utf-8") as file:
        schema = json.load(file)
    error = deepest(jsonschema.Draft7Validator(schema).iter_errors(notebook))
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        print(f"{where.lstrip('.') or 'the notebook'}: {error.message}")


if __name__ == "__main__":
    main(sys.argv[1])
