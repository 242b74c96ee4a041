"""Runs cells through a Jupyter kernel with jupyter_client and reports every message each cell sent.

python3 drive.py CONFIG.json  ->  one JSON object on stdout

CONFIG: {"kernel": name, "cwd": folder, "cells": [source or [source, ...] or {"source": source,
"interrupt_after": seconds}, ...], "timeout": seconds}
Cells are sent one at a time, as nbclient does, each after the previous one's idle status; a list
of sources is sent at once, as JupyterLab's "Run all" does, and reported cell by cell. For each cell: its reply status, its IOPub messages in order (type, stream name, text or
MIME types), its stdout and stderr text, whether its idle status arrived, and the milliseconds
from sending to idle (absent when it did not arrive). A cell whose idle status does not arrive within the timeout ends the run:
the report says which one. A cell given with "interrupt_after" is interrupted (as the front ends'
stop button does) that many seconds after its first output arrived. The report also holds the kernel's
kernel_info reply and whether the kernel process was still alive at the end.
"""

import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

config = json.load(open(sys.argv[1]))
timeout = config.get("timeout", 60)
manager, client = start_new_kernel(kernel_name=config["kernel"], cwd=config["cwd"], startup_timeout=120)


def run(sources, interrupt_after=None):
    began = time.perf_counter()
    msg_ids = [client.execute(source) for source in sources]
    interrupt_at = None
    reports = {msg_id: {"messages": [], "stdout": "", "stderr": "", "idle": False, "status": None} for msg_id in msg_ids}
    deadline = began + timeout
    while not all(report["idle"] for report in reports.values()):
        now = time.perf_counter()
        if interrupt_at is not None and now >= interrupt_at:
            manager.interrupt_kernel()
            interrupt_at = None
        if now >= deadline:
            break
        wait_until = min(deadline, now + 0.5, interrupt_at or deadline)
        try:
            message = client.get_iopub_msg(timeout=max(0.0, wait_until - now))
        except queue.Empty:
            if not manager.is_alive():
                break
            continue
        report = reports.get(message["parent_header"].get("msg_id"))
        if report is None:
            continue
        kind = message["msg_type"]
        content = message["content"]
        if kind == "status":
            report["messages"].append({"type": kind, "state": content["execution_state"]})
            if content["execution_state"] == "idle":
                report["idle"] = True
                report["ms"] = (time.perf_counter() - began) * 1000
        elif kind == "stream":
            if interrupt_after is not None and interrupt_at is None:
                interrupt_at = time.perf_counter() + interrupt_after
                interrupt_after = None
            report["messages"].append({"type": kind, "name": content["name"]})
            report[content["name"]] += content["text"]
        elif kind in ("display_data", "update_display_data", "execute_result"):
            report["messages"].append({"type": kind, "mimes": sorted(content["data"])})
        elif kind == "error":
            report["messages"].append(
                {"type": kind, "ename": content["ename"], "evalue": content["evalue"], "traceback": content["traceback"]}
            )
        else:
            report["messages"].append({"type": kind})
    try:
        while any(report["status"] is None for report in reports.values()):
            reply = client.get_shell_msg(timeout=5)
            report = reports.get(reply["parent_header"].get("msg_id"))
            if report is not None:
                report["status"] = reply["content"]["status"]
    except queue.Empty:
        pass
    return [reports[msg_id] for msg_id in msg_ids]


reports = []
try:
    client.kernel_info()
    kernel_info = client.get_shell_msg(timeout=30)["content"]
    for cell in config["cells"]:
        if isinstance(cell, dict):
            reports += run([cell["source"]], cell.get("interrupt_after"))
        else:
            reports += run(cell if isinstance(cell, list) else [cell])
        if not all(report["idle"] for report in reports):
            break
    print(json.dumps({"cells": reports, "kernel_info": kernel_info, "alive": manager.is_alive()}))
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
