"""Cold start of `jamcore serve`: seconds from launching the process to the first `/jam/pong`.

That is how long a producer waits after dropping the device on a track (its launcher starts the
daemon). Each run is a fresh process, so imports, checkpoint loading and socket set-up all count. Run it
with any environment's Python, e.g. the light runtime's venv against the development one:

    python bench/bench_cold_start.py --python /tmp/light/bin/python --runs 5
    python bench/bench_cold_start.py --python .venv/bin/python --runs 5

By default the bridge is imported from the environment (an installed wheel); ``--here`` puts this
checkout first on the path. It reports whether that environment can import torch.
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge.client import probe  # noqa: E402


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_start(python: str, env: dict[str, str], limit_s: float = 120.0) -> float:
    port = free_udp_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([python, "-m", "jamcore.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while time.perf_counter() - t0 < limit_s:
            if probe(port, timeout=0.02):
                return time.perf_counter() - t0
            if proc.poll() is not None:
                raise SystemExit(f"jamcore serve exited with {proc.returncode}: {proc.stderr.read().strip()}")
        raise SystemExit(f"no /jam/pong within {limit_s} s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable, help="the environment's Python (default: this one)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--here", action="store_true", help="import jamcore from this checkout, not the environment")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.here:
        env["PYTHONPATH"] = str(ROOT)
    else:
        env.pop("PYTHONPATH", None)
    has_torch = subprocess.run([args.python, "-c", "import torch"], env=env, capture_output=True).returncode == 0
    times = [cold_start(args.python, env) for _ in range(args.runs)]
    print(f"jamcore serve cold start, {args.python} (torch importable: {has_torch}), {args.runs} runs on "
          f"{platform.node()} ({os.cpu_count()} CPUs): median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
