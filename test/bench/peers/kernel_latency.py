"""The kernel's figures through the Jupyter protocol: python3 kernel_latency.py CONFIG.json

CONFIG: {"kernels": {"tslab": {"name", "cwd", "setup": [sources], "empty", "declaration", "flood"},
          "ipykernel": {...same, optional}},
         "rounds": n, "floodLines": n, "reruns": [[sources], ...], "marker": text}

Both kernels run at once and the contenders alternate cell by cell (A B A B …, the first of each
round swapped), so load on a shared machine hits them alike. Measured, send to idle:
- the floor per cell: an empty cell and a one-line declaration;
- lines per second delivered: a cell printing floodLines lines (every line must arrive);
- tslab only: the rerun latency (a changed parameters cell and the cells up to its figure, sent at
  once; until the figure's display_data arrives), for every rerun in order, so growth over a long
  session shows; and the declaration cell again after the reruns.
Beside each wall-clock time, the kernel process's own CPU time (user + system, from /proc; null
elsewhere), which the load of other processes on a shared machine inflates far less.
Prints one JSON object.
"""
import os
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

config = json.load(open(sys.argv[1]))
kernels = {}
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(manager):
    """The kernel process's CPU time so far, or None where /proc is missing."""
    try:
        pid = manager.provisioner.process.pid
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (AttributeError, OSError):
        return None


def cpu_per_cell(manager, client, sources_list):
    """Mean kernel CPU seconds over several runs (one clock tick is 10 ms: one cell is too short)."""
    before = cpu_seconds(manager)
    for sources in sources_list:
        run(client, sources)
    after = cpu_seconds(manager)
    return None if before is None else (after - before) / len(sources_list)


def run(client, sources, marker=None):
    """Sends the cells at once; returns (seconds to idle, seconds to the marked figure, stdout, errors)."""
    began = time.perf_counter()
    ids = [client.execute(source) for source in sources]
    figure = None
    stdout = []
    errors = []
    idle = set()
    while len(idle) < len(ids):
        message = client.get_iopub_msg(timeout=120)
        kind = message["msg_type"]
        parent = message["parent_header"].get("msg_id")
        if parent not in ids:
            continue
        if kind == "error":
            errors.append(message["content"].get("evalue", ""))
        elif kind == "stream" and message["content"]["name"] == "stdout":
            stdout.append(message["content"]["text"])
        elif kind == "display_data" and marker and figure is None:
            if marker in message["content"]["data"].get("text/html", ""):
                figure = time.perf_counter() - began
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle.add(parent)
    return time.perf_counter() - began, figure, "".join(stdout), errors


try:
    for key, spec in config["kernels"].items():
        kernels[key] = start_new_kernel(kernel_name=spec["name"], cwd=spec["cwd"], startup_timeout=120)
    results = {key: {"emptySeconds": [], "declarationSeconds": [], "linesPerSecond": [], "errors": []} for key in kernels}
    for key, (_, client) in kernels.items():
        results[key]["errors"] += run(client, config["kernels"][key]["setup"])[3]
    order = list(kernels)
    expected = "".join(f"{i}\n" for i in range(config["floodLines"]))
    for round_ in range(config["rounds"]):
        for key in order if round_ % 2 == 0 else order[::-1]:
            spec = config["kernels"][key]
            client = kernels[key][1]
            results[key]["emptySeconds"].append(run(client, [spec["empty"]])[0])
            results[key]["declarationSeconds"].append(run(client, [spec["declaration"]])[0])
            seconds, _, stdout, errors = run(client, [spec["flood"]])
            if stdout != expected:
                errors.append(f"flood: {stdout.count(chr(10))} of {config['floodLines']} lines arrived")
            results[key]["linesPerSecond"].append(config["floodLines"] / seconds)
            results[key]["errors"] += errors
    for key, (manager, client) in kernels.items():
        spec = config["kernels"][key]
        results[key]["emptyCpuSeconds"] = cpu_per_cell(manager, client, [[spec["empty"]]] * 50)
        results[key]["declarationCpuSeconds"] = cpu_per_cell(manager, client, [[spec["declaration"]]] * 50)
    tslab = results["tslab"]
    manager, client = kernels["tslab"]
    tslab["rerunSeconds"] = []
    # CPU time of each rerun, to 10 ms (a clock tick): summed over a fifth of the session, it
    # shows growth that the wall-clock times of a loaded machine would hide.
    tslab["rerunCpuSeconds"] = []
    for sources in config["reruns"]:
        cpu_before = cpu_seconds(manager)
        _, figure, _, errors = run(client, sources, config["marker"])
        cpu_after = cpu_seconds(manager)
        tslab["rerunSeconds"].append(figure)
        tslab["rerunCpuSeconds"].append(None if cpu_before is None else cpu_after - cpu_before)
        tslab["errors"] += errors
    tslab["declarationAfterRerunsSeconds"] = [
        run(client, [config["kernels"]["tslab"]["declaration"]])[0] for _ in range(config["rounds"])
    ]
    print(json.dumps(results))
finally:
    for manager, client in kernels.values():
        client.stop_channels()
        manager.shutdown_kernel(now=True)
