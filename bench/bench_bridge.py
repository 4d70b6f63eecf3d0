"""Bridge benchmark: a simulated live session against `jamcore serve` running as its own process.

This process plays N devices (stand-in clients, ``bridge.client``) on loopback: transport on every beat
and a 16th-note melody (a new note on every frame) at 180 BPM, for ``--minutes``. It measures

- note -> chord (client side): from sending a ``/jam/note`` to receiving the next ``/jam/chord``;
- reaction (daemon side, from its ``/jam/status`` figures): from a note's datagram arriving to the
  policy's plan being conditioned on it up to the commit edge;
- margin: how long before its frame sounds each chord arrives (negative = late);
- drift: the daemon's heartbeat position against the client's own transport, early vs late in the run;
- CPU: the daemon process's CPU time over wall time (100 % = one core), from /proc.

Usage: ``python bench/bench_bridge.py --minutes 10 --clients 1 4 --json out.json``. Figures carry
the machine they came from.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge import protocol as P  # noqa: E402
from bridge.client import JamClient, free_port, Received  # noqa: E402
from jamcore.recall import DEFAULT_RECALL  # noqa: E402


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import torch

    return {"host": platform.node(), "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "torch": torch.__version__, "load_avg_at_start": os.getloadavg()}


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Device:
    """One stand-in device with the bookkeeping for latency and margin."""

    def __init__(self, port: int):
        self.client = JamClient(port=port)
        self.pending: deque[float] = deque()  # send times of notes not yet followed by a chord
        self.note_to_chord: list[float] = []
        self.status: list[Received] = []
        self.client.on_receive = self._on_receive

    def _on_receive(self, r: Received) -> None:
        if r.address == P.CHORD.path or r.address == P.NOCHORD.path:
            while self.pending and self.pending[0] < r.t:
                self.note_to_chord.append(r.t - self.pending.popleft())
        elif r.address == P.STATUS.path:
            self.status.append(r)

    def note(self, pitch: int, velocity: int, beat: float) -> None:
        if velocity > 0:
            self.pending.append(time.monotonic())
        self.client.note(pitch, velocity, beat)


def run_session(port: int, n_clients: int, minutes: float, bpm: float, daemon_pid: int, seed: int = 0) -> dict:
    devices = [Device(port) for _ in range(n_clients)]
    for d in devices:
        d.client.hello(timeout=10)
    rng = np.random.default_rng(seed)
    spf = 60.0 / bpm / 4
    n_frames = int(minutes * 60.0 / spf)
    # A 16th-note melody: a scale-wise random walk in D major, new note every frame.
    scale = [62, 64, 66, 67, 69, 71, 73, 74, 76, 78, 79, 81]
    idx = [5] * n_clients
    t0 = time.monotonic() + 0.2
    cpu0, wall0 = cpu_seconds(daemon_pid), time.monotonic()
    send_lag = []
    prev = [None] * n_clients
    for f in range(n_frames):
        t = t0 + f * spf
        time.sleep(max(0.0, t - time.monotonic()))
        send_lag.append(time.monotonic() - t)
        beat = f / 4
        for i, d in enumerate(devices):
            if f % 4 == 0:
                d.client.transport(True, beat, bpm)
            if prev[i] is not None:
                d.note(prev[i], 0, beat)
            idx[i] = int(np.clip(idx[i] + rng.integers(-2, 3), 0, len(scale) - 1))
            prev[i] = scale[idx[i]]
            d.note(prev[i], 100, beat)
    time.sleep(4 * spf)
    wall = time.monotonic() - wall0
    cpu = cpu_seconds(daemon_pid) - cpu0

    def frame_time(f: int) -> float:
        return t0 + f * spf

    margins, late = [], 0
    drift_early, drift_late = [], []
    reaction = {"latency_p50_ms": [], "latency_p99_ms": [], "latency_max_ms": [], "late_chords": [], "stalls": []}
    missing = 0
    for d in devices:
        cov = d.client.coverage()
        for f in range(4, n_frames):  # past the first beat (committed the instant the transport started)
            t = cov.get(f)
            if t is None:
                missing += 1
                continue
            m = frame_time(f) - t
            margins.append(m)
            late += m < 0
        for r in d.status:
            key, value = r.args
            if key == "heartbeat":
                client_beat = (r.t - t0) / (60.0 / bpm)
                if 1.0 <= client_beat <= n_frames / 4:
                    err_ms = (value - client_beat) * 60.0 / bpm * 1e3
                    (drift_early if client_beat < n_frames / 8 else drift_late).append(err_ms)
            elif key in reaction:
                reaction[key].append(value)
        d.client.send(P.BYE.path)
        d.client.close()
    n2c = np.array([x for d in devices for x in d.note_to_chord]) * 1e3
    frames_expected = n_clients * (n_frames - 4)
    margins_ms = np.array(margins) * 1e3
    return {
        "clients": n_clients, "minutes": minutes, "bpm": bpm, "frames_per_client": n_frames,
        "note_to_chord_ms": _pct(n2c),
        "reaction_ms": {"p50_last": _last(reaction["latency_p50_ms"]), "p99_last": _last(reaction["latency_p99_ms"]),
                        "p99_worst": max(reaction["latency_p99_ms"], default=None),
                        "max": max(reaction["latency_max_ms"], default=None)},
        "margin_ms": {**_pct(margins_ms), "min": float(margins_ms.min()) if len(margins_ms) else None},
        "chords_late": int(late), "frames_without_a_chord": int(missing),
        "late_commits_reported": max(reaction["late_chords"], default=0),
        "daemon_stalls": max(reaction["stalls"], default=0),
        "frames_with_a_chord": len(margins), "frames_expected": frames_expected,
        "drift_ms": {"early_mean": _mean(drift_early), "late_mean": _mean(drift_late),
                     "late_max_abs": float(np.max(np.abs(drift_late))) if drift_late else None},
        "daemon_cpu_percent_of_one_core": 100.0 * cpu / wall,
        "client_send_lag_ms_p99": float(np.percentile(np.array(send_lag) * 1e3, 99)),
    }


def _pct(a) -> dict:
    a = np.asarray(a, dtype=float)
    if not len(a):
        return {"n": 0}
    return {"n": int(len(a)), "p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)),
            "max": float(a.max())}


def _mean(xs):
    return float(np.mean(xs)) if xs else None


def _last(xs):
    return xs[-1] if xs else None


def default_checkpoint(tmp: Path) -> tuple[str, str | None, str]:
    """The shipped default policy if present, else a random-weight checkpoint of the same (small) shape."""
    from jamcore.checkpoints import DEFAULT_POLICY, available_checkpoints

    if DEFAULT_POLICY in available_checkpoints():
        return DEFAULT_POLICY, None, f"shipped {DEFAULT_POLICY}"
    from bridge.testing import tiny_checkpoints
    from jamcore.config import ModelConfig

    cfg = ModelConfig()
    tiny_checkpoints(tmp, ("small-random",), d_model=cfg.d_model, n_layers=cfg.n_layers)
    return "small-random", str(tmp), f"random weights, small profile (d={cfg.d_model}, {cfg.n_layers} layers)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=1.0, help="session length per run (the issue's figure: 10)")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 4], help="simultaneous clients per run")
    ap.add_argument("--bpm", type=float, default=180.0)
    ap.add_argument("--lookahead-beats", type=float, default=1.0)
    ap.add_argument("--commit-beats", type=float, default=1.0)
    ap.add_argument("--recall", type=float, nargs="+", default=[DEFAULT_RECALL],
                    help=f"the daemon's recall strength; several: a run each (default {DEFAULT_RECALL:g})")
    ap.add_argument("--checkpoint", default=None, help="default: the shipped default policy, else a random small-profile model")
    ap.add_argument("--checkpoint-dir", default=None)
    ap.add_argument("--json", default=None, help="write the figures here too")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="jamcore-bench-"))
    if args.checkpoint:
        ck, ckdir, what = args.checkpoint, args.checkpoint_dir, args.checkpoint
    else:
        ck, ckdir, what = default_checkpoint(tmp)
    report = {"machine": machine(), "checkpoint": what, "runs": []}
    print(f"machine: {report['machine']['cpu']} x{report['machine']['cores']} ({report['machine']['host']}), "
          f"load {report['machine']['load_avg_at_start']}; checkpoint: {what}", flush=True)
    for n, recall in [(n, r) for r in args.recall for n in args.clients]:
        port = free_port()
        cmd = [sys.executable, "-c", "import sys; from jamcore.cli import main; sys.exit(main())", "serve",
               "--port", str(port), "--checkpoint", ck, "--lookahead-beats", str(args.lookahead_beats),
               "--commit-beats", str(args.commit_beats), "--recall", str(recall), "--seed", "0",
               "--log-level", "warning"]
        if ckdir:
            cmd += ["--checkpoint-dir", ckdir]
        log = open(tmp / f"daemon-{n}.log", "w")
        daemon = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(0.5)
            res = run_session(port, n, args.minutes, args.bpm, daemon.pid)
        finally:
            daemon.terminate()
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
            log.close()
        res["load_avg_at_end"] = os.getloadavg()
        res["recall"] = recall
        report["runs"].append(res)
        m, nc, r = res["margin_ms"], res["note_to_chord_ms"], res["reaction_ms"]
        print(f"{n} client(s), {args.minutes:g} min at {args.bpm:g} BPM, lookahead {args.lookahead_beats:g} / "
              f"commit {args.commit_beats:g} beats, recall {recall:g}:\n"
              f"  note->chord (client) p50 {nc['p50']:.2f} ms, p99 {nc['p99']:.2f} ms, max {nc['max']:.2f} ms\n"
              f"  reaction (daemon) p50 {r['p50_last']} ms, p99 {r['p99_last']} ms (worst p99 {r['p99_worst']}), "
              f"max {r['max']} ms\n"
              f"  margin p50 {m['p50']:.1f} ms, min {m['min']:.1f} ms; frames late {res['chords_late']}, "
              f"never sent {res['frames_without_a_chord']}, of {res['frames_expected']}\n"
              f"  drift: heartbeat - client position {res['drift_ms']['early_mean']:.2f} ms early, "
              f"{res['drift_ms']['late_mean']:.2f} ms late (max |.| {res['drift_ms']['late_max_abs']:.2f} ms)\n"
              f"  daemon CPU {res['daemon_cpu_percent_of_one_core']:.1f} % of one core; engine stalls (the OS did "
              f"not run it for >= 50 ms) {res['daemon_stalls']}; client send lag p99 "
              f"{res['client_send_lag_ms_p99']:.1f} ms", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
