"""Hostile-client suite: `jamcore serve` (its own process) against floods, hijacks and bad files while
three honest devices play at 180 BPM.

Each case runs its attack for ``--seconds`` (from a separate process, so the honest clients' timing is
not the attacker's) and reports, for the honest clients, the frames whose chord arrived on time (before
the frame started), late, or never, during the attack and in the ``--after`` seconds that follow; the
daemon's RSS with its checkpoint loader's (idle before the suite, worst during the case), the CPU seconds
each used during the case, and how many bytes the daemon logged. Cases:

- floods from one registered client at ``--rate`` datagrams/s: ``seek`` (transport jumps), ``note``,
  ``ping``, ``utf8`` (invalid UTF-8), ``deep`` (bundles nested 900 deep), ``blend`` (a new blend t in
  every datagram), ``names`` (spellings and paths of a checkpoint), ``ckbundle`` (bundles of 64
  ``/jam/checkpoint``);
- ``hijack``: a socket that never said hello sends the victim's settings, checkpoint, reset, bye, and a
  hello naming the victim's reply port, at the same rate; the victim must keep its checkpoint, settings
  and chords;
- ``slots``: 40 hellos from 40 sockets; then, once they are silent, a newcomer must get in;
- ``ghosts``: 15 sessions from 15 loopback addresses say hello and start a transport at 999 BPM, then
  fall silent;
- ``spoof``: 4 datagrams from a raw socket with source 127.0.0.2 (root only; loopback only) register a
  session replying to 127.0.0.2; the bytes the daemon sends there are counted;
- ``badfiles``: the victim asks for paths outside the library, a checkpoint with NaN weights, one with
  bit rot, and one whose card declares a 1024x24 network over 3 MB of weights.

Usage: ``python bench/hostile.py --json out.json`` (all cases, the shipped default checkpoint);
``--cases seek note --seconds 2`` for a subset. tests/test_bridge_hostile.py runs a reduced version of
each case against an in-process daemon. Results and what they mean: docs/reliability.md.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge import protocol as P  # noqa: E402
from bridge.client import JamClient, free_port  # noqa: E402
from bridge.server import encode  # noqa: E402
from jamcore.checkpoints import SHIPPED_DIR  # noqa: E402

BPM = 180.0
SPF = 60.0 / BPM / 4
FLOODS = ("seek", "note", "ping", "utf8", "deep", "blend", "names", "ckbundle")
CASES = FLOODS + ("hijack", "slots", "ghosts", "spoof", "badfiles")


# ---------------------------------------------------------------------------------------------
# Datagrams (pure; tests/test_bridge_hostile.py uses them too)


def bundle(*elements: bytes) -> bytes:
    body = b"".join(struct.pack(">i", len(e)) + e for e in elements)
    return b"#bundle\0" + b"\0" * 7 + b"\1" + body


def deep_bundle(depth: int = 900) -> bytes:
    inner = encode(P.PING.path, [1], "i")
    for _ in range(depth):
        inner = bundle(inner)
    return inner


def name_spellings(name: str, outside: str) -> list[str]:
    """Ways to spell one checkpoint, and paths out of the library."""
    out = [name, f"./{name}", f"././{name}", f"{name}.json", f"{name}.safetensors", f"../checkpoints/{name}",
           f"{outside}/{name}", "../../../../../../etc/passwd", "/etc/passwd", f".{name}", f"{name}/"]
    out += ["./" * k + name for k in range(3, 60)]
    return out


def flood_datagrams(kind: str, i: int, names: tuple[str, str], outside: str, beat: float) -> bytes:
    """The ``i``-th datagram of flood ``kind`` (``beat``: the song position now, for notes)."""
    a, b = names
    if kind == "seek":
        return encode(P.TRANSPORT.path, [1, float((i * 7919) % 4000) / 4.0, BPM], "iff")
    if kind == "note":
        return encode(P.NOTE.path, [48 + i % 36, 100 if i % 2 == 0 else 0, beat], "iif")
    if kind == "ping":
        return encode(P.PING.path, [i], "i")
    if kind == "utf8":
        return b"/jam/n\xffte\0\0\0\0" + b",iif\0\0\0\0" + struct.pack(">iif", 60, 100, 1.0)
    if kind == "blend":
        return encode(P.BLEND.path, [a, b, (i % 20000) / 20000.0], "ssf")
    if kind == "names":
        spellings = name_spellings(a, outside)
        return encode(P.CHECKPOINT.path, [spellings[i % len(spellings)]], "s")
    if kind == "ckbundle":
        return bundle(*[encode(P.CHECKPOINT.path, [a if (i + k) % 2 else b], "s") for k in range(64)])
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# The attacker (its own process)


def _flood(port: int, kind: str, rate: float, seconds: float, names, outside: str, out) -> None:
    """A registered client sending ``rate`` datagrams a second. Datagrams are built ahead in blocks, so
    the attacker spends its time in ``sendto``, not in Python (on a 2-core machine the attacker's cost
    would otherwise come out of the daemon's share)."""
    c = JamClient(port=port)
    c.hello(timeout=10)
    t0 = time.monotonic()
    c.transport(True, 0.0, BPM)
    block = 2000
    if kind == "deep":
        cache = [deep_bundle()] * block
    elif kind != "note":
        cache = [flood_datagrams(kind, i, names, outside, 0.0) for i in range(block)]
    sock, dest = c.tx, c.dest
    sent = 0
    while True:
        now = time.monotonic()
        if now - t0 >= seconds:
            break
        if kind == "note":  # stamped at the song position now (8 distinct a block is plenty)
            beat = (now - t0) * BPM / 60.0
            notes = [flood_datagrams(kind, i, names, outside, beat) for i in range(8)]
            cache = notes * (block // 8)
        due = min(int((now - t0) * rate), sent + block)
        for i in range(sent, due):
            try:
                sock.sendto(cache[i % block], dest)
            except OSError:
                pass
        sent = max(sent, due)
        time.sleep(0.002)
    out.put({"sent": sent, "seconds": time.monotonic() - t0})
    c.close()


def _stranger(port: int, victim_reply: int, rate: float, seconds: float, out) -> None:
    """A socket on the victim's host that never said hello sends the victim's messages."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    msgs = [encode(P.CHECKPOINT.path, ["rl"], "s"), encode(P.SET.path, ["temperature", 3.0], "sf"),
            encode(P.SET.path, ["output", "audio"], "ss"), encode(P.RESET.path, [], ""),
            encode(P.BYE.path, [], ""), encode(P.HELLO.path, [victim_reply], "i")]
    cache = msgs * 400
    dest = ("127.0.0.1", port)
    t0 = time.monotonic()
    sent = 0
    while time.monotonic() - t0 < seconds:
        due = min(int((time.monotonic() - t0) * rate), sent + len(cache))
        for data in cache[: max(due - sent, 0)]:
            s.sendto(data, dest)
        sent = max(sent, due)
        time.sleep(0.002)
    out.put({"sent": sent, "seconds": time.monotonic() - t0})
    s.close()


# ---------------------------------------------------------------------------------------------
# Spoofed source (raw socket, root only, loopback only)


def _checksum(b: bytes) -> int:
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def spoofed_udp(src: tuple[str, int], dst: tuple[str, int], payload: bytes) -> bytes:
    """An IPv4+UDP datagram from ``src`` (both addresses must be in 127.0.0.0/8)."""
    for host in (src[0], dst[0]):
        if not host.startswith("127."):
            raise ValueError("spoofing only on loopback")
    udp_len = 8 + len(payload)
    udp = struct.pack("!HHHH", src[1], dst[1], udp_len, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src[0]), socket.inet_aton(dst[0]))
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return ip + udp


def send_spoofed(src: tuple[str, int], dst: tuple[str, int], payloads: list[bytes]) -> int:
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        n = 0
        for p in payloads:
            pkt = spoofed_udp(src, dst, p)
            raw.sendto(pkt, (dst[0], 0))
            n += len(p)
        return n
    finally:
        raw.close()


class Counter:
    """A UDP socket that counts what arrives (the spoofed address's reply port)."""

    def __init__(self, host: str, port: int = 0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.bytes = 0
        self.datagrams = 0
        self._run = True
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._t.start()

    def _loop(self) -> None:
        while self._run:
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            self.bytes += len(data)
            self.datagrams += 1

    def close(self) -> None:
        self._run = False
        self._t.join(1)
        self.sock.close()


# ---------------------------------------------------------------------------------------------
# Honest devices


class Band:
    """Honest devices playing at 180 BPM from one thread: transport every beat, an 8th-note melody."""

    def __init__(self, port: int, n: int = 3):
        self.clients = [JamClient(port=port) for _ in range(n)]
        for c in self.clients:
            c.hello(timeout=15)
        self.t0 = time.monotonic() + 0.3
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._play, daemon=True)
        self._thread.start()

    def frame_time(self, f: int) -> float:
        return self.t0 + f * SPF

    def frame_at(self, t: float) -> int:
        return int((t - self.t0) / SPF)

    def _play(self) -> None:
        scale = [62, 64, 66, 67, 69, 71, 73, 74]
        f = 0
        while not self._stop.is_set():
            time.sleep(max(0.0, self.frame_time(f) - time.monotonic()))
            for i, c in enumerate(self.clients):
                if f % 4 == 0:
                    c.transport(True, f / 4, BPM)
                if f % 2 == 0:
                    c.note(scale[(f // 2 + 3 * i) % len(scale)], 100, f / 4)
            f += 1

    def frames(self, t_from: float, t_to: float) -> dict:
        """On time / late / never for every honest client's frames starting in [t_from, t_to)."""
        lo, hi = max(self.frame_at(t_from), 4), self.frame_at(t_to)
        on_time = late = never = 0
        worst = 0.0
        missed: list[float] = []  # when (seconds into the window) late or never-sent frames were due
        for c in self.clients:
            cov = c.coverage()
            for f in range(lo, hi):
                t = cov.get(f)
                if t is None:
                    never += 1
                elif t <= self.frame_time(f):
                    on_time += 1
                    continue
                else:
                    late += 1
                    worst = max(worst, t - self.frame_time(f))
                missed.append(round(self.frame_time(f) - t_from, 2))
        total = on_time + late + never
        return {"frames": total, "on_time": on_time, "late": late, "never": never,
                "on_time_percent": round(100.0 * on_time / total, 2) if total else None,
                "worst_late_ms": round(worst * 1e3, 1), "missed_at_s": sorted(set(missed))[:12]}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for c in self.clients:
            c.send(P.BYE.path)
            c.close()


# ---------------------------------------------------------------------------------------------
# The daemon


def children(pid: int) -> list[int]:
    """The daemon's child processes (its checkpoint loader's worker, started with the daemon)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of the daemon and its children (the loader's worker), MB."""
    total = 0.0
    for p in [pid] + children(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the daemon's own process and by its children (live and reaped)."""
    def times(p: int) -> list[int]:
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return [0, 0, 0, 0]
        return [int(x) for x in f[11:15]]  # utime stime cutime cstime
    tick = os.sysconf("SC_CLK_TCK")
    own = times(pid)
    kids = sum(sum(times(c)[:2]) for c in children(pid))
    return (own[0] + own[1]) / tick, (own[2] + own[3] + kids) / tick


def udp_drops(port: int) -> int:
    """Datagrams the kernel dropped because the daemon's socket buffer was full (/proc/net/udp)."""
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[1].split(":")[1], 16) == port:
            return int(f[-1])
    return 0


class RssWatch:
    def __init__(self, pid: int):
        self.pid, self.peak, self._run = pid, 0.0, True
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._t.start()

    def _loop(self) -> None:
        while self._run:
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                return
            time.sleep(0.05)

    def close(self) -> float:
        self._run = False
        self._t.join(1)
        return self.peak


def make_bad_library(d: Path, source: str) -> Path:
    """Copies of ``source`` (a shipped checkpoint) gone bad: NaN weights, bit rot, an oversized card;
    and a good copy outside the library (reachable only by path)."""
    import numpy as np

    from jamcore.checkpoints import SHIPPED_DIR, read_card, with_ext

    lib, outside = d / "library", d / "outside"
    lib.mkdir(parents=True)
    outside.mkdir()
    card = read_card(SHIPPED_DIR / source)
    weights = with_ext(SHIPPED_DIR / source, ".safetensors").read_bytes()
    n = int.from_bytes(weights[:8], "little")
    header, data = weights[:8 + n], bytearray(weights[8 + n:])
    nan = bytearray(data)
    nan[: 4 * 1024] = np.full(1024, np.nan, dtype="<f4").tobytes()
    rot = bytearray(data)
    rng = np.random.default_rng(0)
    for i in rng.integers(0, len(rot) // 4, 400):  # one bit flipped (the exponent's top) in 400 weights
        rot[4 * i + 3] ^= 0x40
    for name, body, c in (("nan", nan, card), ("rot", rot, card),
                          ("huge", data, dict(card, model=dict(card["model"], d_model=1024, n_layers=24)))):
        (lib / f"{name}.safetensors").write_bytes(header + bytes(body))
        (lib / f"{name}.json").write_text(json.dumps(dict(c, name=name)))
    shutil.copy(with_ext(SHIPPED_DIR / source, ".safetensors"), outside / "evil.safetensors")
    (outside / "evil.json").write_text(json.dumps(dict(card, name="evil")))
    return lib


def start_daemon(ckdir: Path, checkpoint: str, log_path: Path, level: str = "info") -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [sys.executable, "-c", "import sys; from jamcore.cli import main; sys.exit(main())", "serve",
           "--port", str(port), "--checkpoint", checkpoint, "--checkpoint-dir", str(ckdir), "--log-level", level]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc, port


# ---------------------------------------------------------------------------------------------
# Cases


def _in_child(target, args: tuple, seconds: float) -> dict:
    """Run an attacker in its own (spawned) process, so its sending never shares our interpreter lock;
    returns what it put on its queue (seconds it ran, datagrams sent)."""
    q = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=target, args=(*args, q))
    p.start()
    res = q.get(timeout=seconds + 60)
    p.join(10)
    return res


def run_case(case: str, ctx: dict, seconds: float, rate: float, after: float) -> dict:
    band: Band = ctx["band"]
    pid, port = ctx["pid"], ctx["port"]
    log_path: Path = ctx["log"]
    log0 = log_path.stat().st_size
    rss0 = rss_mb(pid)
    cpu0 = cpu_s(pid)
    drops0 = udp_drops(port)
    watch = RssWatch(pid)
    victim = band.clients[0]
    mark = len(victim.received)
    extra: dict = {}
    t_start = time.monotonic()
    if case in FLOODS:
        res = _in_child(_flood, (port, case, rate, seconds, ctx["names"], ctx["outside"]), seconds)
        t_start = time.monotonic() - res["seconds"]
        extra["achieved_rate"] = round(res["sent"] / res["seconds"])
    elif case == "hijack":
        res = _in_child(_stranger, (port, victim.reply_port, rate, seconds), seconds)
        t_start = time.monotonic() - res["seconds"]
        extra["achieved_rate"] = round(res["sent"] / res["seconds"])
    elif case == "slots":
        fillers = [JamClient(port=port) for _ in range(40)]
        for c in fillers:
            c.send(P.HELLO.path, c.reply_port)
        time.sleep(1.0)
        extra["fillers_accepted"] = sum(1 for c in fillers if c.messages(P.READY.path))
        for c in fillers:
            c.close()
        time.sleep(max(seconds - 1.0, 0.0) + 5.5)  # the fillers fall silent for longer than ALIVE_S
        with JamClient(port=port) as newcomer:
            try:
                newcomer.hello(timeout=2)
                extra["newcomer_admitted_after_fillers_fell_silent"] = True
            except TimeoutError:
                extra["newcomer_admitted_after_fillers_fell_silent"] = False
            newcomer.send(P.BYE.path)
    elif case == "ghosts":
        counters, sent = [], 0
        for k in range(15):
            host = f"127.0.0.{10 + k}"
            cnt = Counter(host)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((host, 0))
            for data in (encode(P.HELLO.path, [cnt.port], "i"), encode(P.TRANSPORT.path, [1, 0.0, 999.0], "iff")):
                s.sendto(data, ("127.0.0.1", port))
                sent += len(data)
                time.sleep(0.02)
            s.close()
            counters.append(cnt)
        time.sleep(seconds)
        for c in counters:
            c.close()
        extra.update(ghost_bytes_sent=sent, bytes_sent_to_ghosts=sum(c.bytes for c in counters),
                     ghosts_that_got_ready_or_refused=sum(1 for c in counters if c.datagrams))
    elif case == "spoof":
        cnt = Counter("127.0.0.2")
        src, dst = ("127.0.0.2", 40000), ("127.0.0.1", port)
        payloads = [encode(P.HELLO.path, [cnt.port], "i"), encode(P.TRANSPORT.path, [1, 0.0, 999.0], "iff"),
                    encode(P.NOTE.path, [60, 100, 0.0], "iif"), encode(P.TRANSPORT.path, [1, 0.5, 999.0], "iff")]
        try:
            sent = send_spoofed(src, dst, payloads)
        except PermissionError:
            cnt.close()
            return {"case": case, "skipped": "needs root for a raw socket"}
        time.sleep(max(seconds, 20.0))
        cnt.close()
        extra.update(spoofed_bytes=sent, bytes_sent_to_spoofed_address=cnt.bytes,
                     amplification=round(cnt.bytes / sent, 1))
    elif case == "badfiles":
        asks = ["nan", "rot", "huge", ctx["outside"] + "/evil", "../outside/evil", "evil"]
        replies = []
        for name in asks:
            m = len(victim.received)
            victim.send(P.CHECKPOINT.path, name)
            try:
                r = victim.wait_for(P.ERROR.path, lambda r: r.args[0] == P.CHECKPOINT.path, timeout=10, since=m)
                replies.append([name, r.args[1]])
            except TimeoutError:
                replies.append([name, None])
        time.sleep(seconds)
        extra["refusals"] = replies
        extra["errors_reveal_a_folder"] = any(r is not None and any(x in r for x in ctx["private_paths"])
                                              for _, r in replies)
    t_end = time.monotonic()
    time.sleep(after + 1.0)
    peak = watch.close()
    cpu1 = cpu_s(pid)
    switched = [r.args for r in victim.received[mark:] if r.address == P.STATUS.path
                and r.args[0] in ("checkpoint", "setting")]
    out = {
        "case": case,
        "during": band.frames(t_start, t_end),
        "after": band.frames(t_end, t_end + after),
        "rss_peak_mb": round(peak, 1),
        "rss_over_idle_mb": round(peak - ctx["rss_idle"], 1),
        "rss_over_case_start_mb": round(peak - rss0, 1),
        "daemon_cpu_s": round(cpu1[0] - cpu0[0], 2),
        "loader_cpu_s": round(cpu1[1] - cpu0[1], 2),
        "log_bytes": log_path.stat().st_size - log0,
        "kernel_drops": udp_drops(port) - drops0,
        "victim_checkpoint_or_settings_changed": switched if case in ("hijack", "badfiles") else None,
        **extra,
    }
    return out


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"host": platform.node(), "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_avg_at_start": os.getloadavg()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    ap.add_argument("--seconds", type=float, default=5.0, help="attack length (default 5)")
    ap.add_argument("--rate", type=float, default=20000.0, help="flood datagrams per second (default 20000)")
    ap.add_argument("--after", type=float, default=10.0, help="seconds measured after each attack (default 10)")
    ap.add_argument("--checkpoint", default="gapt-1.0", help="the daemon's checkpoint (default gapt-1.0)")
    ap.add_argument("--blend", nargs=2, default=["mle", "rl"], help="the two checkpoints blend floods use")
    ap.add_argument("--json", default=None, help="write the results here")
    ap.add_argument("--log", default=None, help="keep the daemon's log here")
    ap.add_argument("--log-level", default="info", choices=("debug", "info", "warning"), help="the daemon's")
    ap.add_argument("--nice", type=int, default=-10 if os.geteuid() == 0 else 0,
                    help="niceness of the whole experiment, daemon, honest clients and attacker alike, and of "
                         "its autogroup (default -10 as root: on a shared machine other jobs are noise, not part "
                         "of the test)")
    args = ap.parse_args(argv)
    if args.nice:
        os.nice(args.nice)  # inherited by the daemon and the attacker's processes
        try:  # Linux shares CPU between sessions first (autogroups): niceness counts only inside one
            Path("/proc/self/autogroup").write_text(str(args.nice))
        except OSError:
            pass
    tmp = Path(tempfile.mkdtemp(prefix="jamcore-hostile-"))
    lib = make_bad_library(tmp, args.blend[0])
    log_path = tmp / "daemon.log"
    proc, port = start_daemon(lib, args.checkpoint, log_path, args.log_level)
    results = {"machine": machine(), "settings": vars(args), "cases": []}
    band = None
    try:
        band = Band(port)
        time.sleep(3.0)
        ctx = {"band": band, "pid": proc.pid, "port": port, "log": log_path, "names": tuple(args.blend),
               "outside": str(tmp / "outside"), "rss_idle": rss_mb(proc.pid),
               "private_paths": [str(lib), str(ROOT), str(SHIPPED_DIR)]}
        results["rss_idle_mb"] = round(ctx["rss_idle"], 1)
        results["baseline"] = band.frames(time.monotonic() - 2.5, time.monotonic())
        for case in args.cases:
            r = run_case(case, ctx, args.seconds, args.rate, args.after)
            results["cases"].append(r)
            print(json.dumps(r), flush=True)
        results["load_avg_at_end"] = os.getloadavg()
    finally:
        if band is not None:
            band.stop()
        kids = children(proc.pid)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        time.sleep(0.5)
        results["processes_left_after_exit"] = [k for k in kids if Path(f"/proc/{k}").exists()]
        results["log_bytes_total"] = log_path.stat().st_size
        if args.log:
            shutil.copy(log_path, args.log)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
