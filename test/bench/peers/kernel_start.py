"""Kernel start, launch to the first kernel_info_reply: python3 kernel_start.py CONFIG.json

CONFIG: {"kernels": {"label": {"name": kernel name, "cwd": folder}, ...}, "rounds": n}

The kernels start in turn, interleaved (A B … then … B A, round after round), so load on a shared
machine hits them alike. Each start is timed from launching the process to the first
kernel_info_reply (jupyter_client's wait_for_ready, which asks until one arrives), beside the
kernel process's own CPU time by then (user + system, from /proc; null elsewhere). The kernel is
shut down before the next one starts. Prints one JSON object: {label: {"seconds": [...],
"cpuSeconds": [...]}}.
"""
import json
import os
import sys
import time

from jupyter_client.manager import KernelManager

config = json.load(open(sys.argv[1]))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """The process's and its waited-for children's CPU time so far, or None without /proc."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15]) / TICK
    except OSError:
        return None


def start(spec):
    manager = KernelManager(kernel_name=spec["name"])
    began = time.perf_counter()
    manager.start_kernel(cwd=spec["cwd"])
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        seconds = time.perf_counter() - began
        cpu = cpu_seconds(manager.provisioner.process.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return seconds, cpu


labels = list(config["kernels"])
results = {label: {"seconds": [], "cpuSeconds": []} for label in labels}
for round_index in range(config["rounds"]):
    order = labels if round_index % 2 == 0 else list(reversed(labels))
    for label in order:
        seconds, cpu = start(config["kernels"][label])
        results[label]["seconds"].append(seconds)
        results[label]["cpuSeconds"].append(cpu)
print(json.dumps(results))
