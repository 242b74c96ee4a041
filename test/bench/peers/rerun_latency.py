"""Rerun latency through the Jupyter protocol: python3 rerun_latency.py CONFIG.json

CONFIG: {"kernel": "tslab", "cwd": dir, "setup": [cell sources], "reruns": [[cell sources], ...],
"marker": text that identifies the figure output}. For each rerun, all its cells are sent at once;
the time runs from the first send until a display_data carrying the marker arrives. Also times the
round trips (send to idle) of an empty cell and of a one-line declaration: the kernel's floor per cell.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

config = json.load(open(sys.argv[1]))
manager, client = start_new_kernel(kernel_name=config["kernel"], cwd=config["cwd"], startup_timeout=120)


def run(sources, marker=None):
    began = time.perf_counter()
    ids = [client.execute(source) for source in sources]
    arrived = None
    errors = []
    idle = set()
    while len(idle) < len(ids):
        message = client.get_iopub_msg(timeout=120)
        kind = message["msg_type"]
        parent = message["parent_header"].get("msg_id")
        if kind == "error":
            errors.append(message["content"].get("evalue", ""))
        if kind == "display_data" and marker and arrived is None:
            if marker in message["content"]["data"].get("text/html", ""):
                arrived = time.perf_counter() - began
        if kind == "status" and message["content"]["execution_state"] == "idle" and parent in ids:
            idle.add(parent)
    return arrived, errors


try:
    _, errors = run(config["setup"])
    # The kernel's floor per cell, send to idle: an empty cell (messaging alone) and a one-line
    # declaration (what tslab's TypeScript compile of a cell costs before any work is done).
    floor = {"empty": [], "declaration": []}
    for kind, source in (("empty", ";"), ("declaration", "const benchProbe = 1;")):
        for _ in range(len(config["reruns"])):
            began = time.perf_counter()
            run([source])
            floor[kind].append(time.perf_counter() - began)
    latencies = []
    for sources in config["reruns"]:
        latency, rerun_errors = run(sources, config["marker"])
        errors += rerun_errors
        latencies.append(latency)
    print(json.dumps({"seconds": latencies, "emptyCellSeconds": floor["empty"], "declarationCellSeconds": floor["declaration"], "errors": errors}))
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
