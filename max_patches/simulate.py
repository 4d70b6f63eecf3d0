"""Play a melody through the shipped Max for Live device, simulated, against the real bridge; say what sounded.

    python -m max_patches.simulate --bpm 120 --loop 0:16 --passes 3 [--drop 0.15] [--melody FILE]

starts the real daemon (``jamcore serve`` in its own process, on a free loopback port), loads the device
(``ableton/Jam Bridge.amxd``, whose patch must equal ``max_patches/jam_bridge.maxpat``) into a simulated
Live (``live_sim.py``; the patch itself runs in ``runtime.py`` with Max's semantics), plays the melody
on the device's track in real time, looping ``--loop START:LENGTH`` beats for ``--passes`` passes, and
prints

    sounded=N committed=M late=K wrong=W
    melody on a chord tone, pass by pass round the loop: A% B% C%

(``score.py`` defines each figure; the second line shows recall, ``jamcore.recall``, at work: from the
second pass the player repeats what the bridge has heard) and writes a piano roll (``--png``, default ``simulate.png``).
``--drop`` loses that fraction of the bridge -> device datagrams at random, as a loaded network would.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bridge import protocol as P  # noqa: E402
from max_patches.generate import REPLY_PORT_SPAN  # noqa: E402
from max_patches.live_sim import Device, Live, load  # noqa: E402
from max_patches.score import Score, melody_on_chord_tones_by_pass, piano_roll, score  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAXPAT = ROOT / "max_patches" / "jam_bridge.maxpat"
AMXD = ROOT / "ableton" / "Jam Bridge.amxd"
DEMO_MELODY = ROOT / "jamcore" / "assets" / "demo_melody.mid"


class SimulateError(RuntimeError):
    pass


def shipped_patch() -> dict[str, Any]:
    """The patch inside the .amxd, checked against the .maxpat (they must be the same patch)."""
    inside, source = load(AMXD), load(MAXPAT)
    if inside != source:
        raise SimulateError(f"{AMXD.name} does not hold {MAXPAT.name}: run python -m ableton.amxd")
    return inside


def free_udp_port(lo: int | None = None, hi: int | None = None) -> int:
    """A free loopback UDP port (in [lo, hi) if given)."""
    for port in (range(lo, hi) if lo is not None else [0]):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind((P.DEFAULT_HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SimulateError("no free UDP port")


def device_id_for_free_port(taken: set[int] = frozenset()) -> int:
    """A Live device id whose reply port (7401 + id mod 500, as the patch computes it) is free."""
    import random

    for _ in range(200):
        i = random.randrange(1, REPLY_PORT_SPAN)
        port = P.DEFAULT_REPLY_PORT + i
        if port in taken:
            continue
        try:
            free_udp_port(port, port + 1)
        except SimulateError:
            continue
        return i
    raise SimulateError("no free reply port for a device")


@dataclass
class Daemon:
    """``jamcore serve`` in its own process, as a producer runs it."""

    proc: subprocess.Popen
    port: int

    @classmethod
    def start(cls, checkpoint: str | None = None, checkpoint_dir: str | None = None, seed: int = 0,
              extra: tuple[str, ...] = (), timeout: float = 120.0) -> "Daemon":
        port = free_udp_port()
        cmd = [sys.executable, "-m", "jamcore.cli", "serve", "--port", str(port), "--seed", str(seed),
               "--log-level", "warning", *extra]
        if checkpoint:
            cmd += ["--checkpoint", checkpoint]
        if checkpoint_dir:
            cmd += ["--checkpoint-dir", str(checkpoint_dir)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "listening on" in line:
                return cls(proc, port)
        proc.kill()
        raise SimulateError("the daemon did not start:\n" + "".join(lines))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stdout:
            self.proc.stdout.close()


def melody_clip(path: str | Path, until: float | None = None) -> list[tuple[int, float, float, int]]:
    from jamcore.music.midi_io import load_user_melody

    song, _ = load_user_melody(path)
    return [(n.pitch, n.start, n.end, n.velocity) for n in song.melody if until is None or n.start < until]


def connect(live: Live, patch: dict[str, Any], bridge_port: int, saved: dict[str, Any] | None = None,
            taken: set[int] = frozenset(), timeout: float = 10.0) -> Device:
    """Add a device to the set (its Port parameter saved as the bridge's port) and wait for /jam/ready."""
    dev = live.add_device(patch, device_id_for_free_port(taken), {"Port": bridge_port, **(saved or {})})
    wait_for(live, lambda: any(a == P.READY.path for _, d, a, _ in live.wire if d is dev), timeout,
             "the bridge never answered /jam/hello")
    live.run_for(0.3)  # the settings re-sent after /jam/ready reach the bridge
    return dev


def wait_for(live: Live, cond, timeout: float, what: str) -> None:
    deadline = live.sched.now() + timeout
    while not cond():
        if live.sched.now() > deadline:
            raise SimulateError(what)
        live.run_for(0.05)


def play_loop(live: Live, start: float, length: float, passes: int, lead_in: float = 0.0) -> float:
    """Loop [start, start + length) and play from ``start - lead_in`` until ``passes`` passes are done.
    Returns the time Live stopped."""
    live.set_loop(True, start, length)
    live.run_for(0.1)
    live.play(max(0.0, start - lead_in))
    live.beats(lead_in + passes * length - 0.01)
    stopped = live.sched.now()
    live.stop()
    live.run_for(0.3)
    return stopped


def run(args) -> Score:
    patch = load(args.patch) if args.patch else shipped_patch()
    start, length = (float(x) for x in args.loop.split(":"))
    daemon = Daemon.start(args.checkpoint, args.checkpoint_dir, args.seed)
    try:
        live = Live(bpm=args.bpm, drop=args.drop, seed=args.seed)
        dev = connect(live, patch, daemon.port, None if args.recall is None else {"Recall": args.recall})
        dev.clip = melody_clip(args.melody, start + length)
        t0 = live.sched.now()
        stopped = play_loop(live, start, length, args.passes)
        sc = score(live, dev, channel=int(dev.control("Chord channel").value), start_t=t0, end_t=stopped)
        dev.close()
        live.run_for(0.2)
    finally:
        daemon.stop()
    print(sc.line(), flush=True)
    by_pass = melody_on_chord_tones_by_pass(sc, dev.clip)
    print("melody on a chord tone, pass by pass round the loop: " + " ".join(f"{x:.0%}" for x in by_pass), flush=True)
    if args.png:
        piano_roll(sc, dev, args.png, f"{Path(args.melody).name} at {args.bpm:g} BPM, loop {args.loop} x{args.passes}"
                   f", drop {args.drop:g}")
        print(f"piano roll: {args.png}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"sounded": sc.sounded, "committed": sc.committed, "late": sc.late,
                                               "wrong": sc.wrong, "dropped": live.dropped,
                                               "melody_on_chord_tones_by_pass": by_pass}, indent=2))
    return sc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--melody", default=str(DEMO_MELODY), help="melody (MIDI or MusicXML); default: the demo tune")
    ap.add_argument("--bpm", type=float, default=120.0, help="Live's tempo (default 120)")
    ap.add_argument("--loop", default="0:16", help="loop brace START:LENGTH in beats (default 0:16, 4 bars of 4/4)")
    ap.add_argument("--passes", type=int, default=3, help="times round the loop (default 3)")
    ap.add_argument("--drop", type=float, default=0.0, help="fraction of bridge -> device datagrams lost (0..1)")
    ap.add_argument("--checkpoint", default=None, help="checkpoint the daemon starts with (default: its own)")
    ap.add_argument("--checkpoint-dir", default=None, help="directory of checkpoints for the daemon")
    ap.add_argument("--seed", type=int, default=0, help="daemon and packet-loss seed (default 0)")
    ap.add_argument("--recall", type=float, default=None,
                    help="the device's Recall dial, as saved with the set (default: the dial's own default)")
    ap.add_argument("--patch", default=None, help="run this .maxpat/.amxd instead of the shipped device")
    ap.add_argument("--png", default="simulate.png", help="piano roll to write ('' for none)")
    ap.add_argument("--json", default=None, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if not 0.0 <= args.drop < 1.0:
        ap.error("--drop must be in 0..1")
    if ":" not in args.loop:
        ap.error("--loop is START:LENGTH in beats, e.g. 0:16")
    try:
        run(args)
    except SimulateError as exc:
        print(f"simulate: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
