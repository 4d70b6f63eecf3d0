"""A stand-in for the Max for Live device: sends what the device sends, keeps what the bridge answers.

Used by ``jamcore demo``, the tests and the benchmarks. Like Max it uses two sockets: one sends to the
bridge from a fixed source port (``udpsend``), one listens on the reply port (``udpreceive``). Every
message received is kept with its arrival time and raw type-tag string, and chords are stored by frame
exactly as the device stores them (a later message for a frame replaces the earlier one).
"""
from __future__ import annotations

import bisect
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from pythonosc.osc_message import OscMessage

from bridge import protocol as P
from bridge.server import encode


@dataclass(frozen=True)
class Received:
    t: float  # time.monotonic() at arrival
    address: str
    args: tuple[Any, ...]
    typetags: str  # the raw type-tag string, e.g. ",iisiii"


def raw_typetags(dgram: bytes) -> str:
    """The type-tag string of an OSC message datagram as sent (``""`` if it has none)."""
    end = dgram.index(b"\0")
    start = (end + 4) & ~3
    if start >= len(dgram) or dgram[start:start + 1] != b",":
        return ""
    return dgram[start:dgram.index(b"\0", start)].decode("ascii")


def infer_tags(args) -> str:
    return "".join("s" if isinstance(a, str) else "f" if isinstance(a, float) else "i" for a in args)


@dataclass
class StoredChord:
    frames: int
    symbol: str | None  # None: /jam/nochord
    pitches: tuple[int, ...]
    t: float  # when it (last) arrived
    first_t: float  # when this frame first got a chord


class JamClient:
    """One device: ``hello``, then ``transport`` / ``note`` / ``set``...; ``chords`` holds what came back."""

    def __init__(self, host: str = P.DEFAULT_HOST, port: int = P.DEFAULT_PORT, reply_port: int = 0):
        self.dest = (host, port)
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tx.bind((host, 0))
        self.rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        self.rx.bind((host, reply_port))
        self.rx.settimeout(0.1)
        self.reply_port = self.rx.getsockname()[1]
        self.received: list[Received] = []
        self.chords: dict[int, StoredChord] = {}
        self.covered_at: dict[int, float] = {}  # frame -> when a chord or no-chord for it first arrived
        self.on_receive: Callable[[Received], None] | None = None
        self._cond = threading.Condition()
        self._running = True
        self._thread = threading.Thread(target=self._loop, name="jamclient-rx", daemon=True)
        self._thread.start()

    # -- sending
    def send(self, address: str, *args: Any, tags: str | None = None) -> None:
        """Send one message; tags default to i for ints, f for floats, s for strings (as Max does)."""
        self.tx.sendto(encode(address, args, tags if tags is not None else infer_tags(args)), self.dest)

    def send_raw(self, data: bytes) -> None:
        self.tx.sendto(data, self.dest)

    def hello(self, timeout: float = 5.0, retry_every: float = 0.1) -> Received:
        """Register; repeat the hello until ``/jam/ready`` (the daemon may still be starting)."""
        deadline = time.monotonic() + timeout
        while True:
            mark = len(self.received)
            self.send(P.HELLO.path, self.reply_port)
            try:
                return self.wait_for(P.READY.path, timeout=min(retry_every, max(deadline - time.monotonic(), 0.001)),
                                     since=mark)
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise

    def transport(self, playing: bool, beat: float, bpm: float) -> None:
        self.send(P.TRANSPORT.path, int(playing), float(beat), float(bpm))

    def note(self, pitch: int, velocity: int, beat: float) -> None:
        self.send(P.NOTE.path, int(pitch), int(velocity), float(beat))

    def set(self, key: str, value: Any) -> None:
        self.send(P.SET.path, key, value)

    # -- receiving
    def _loop(self) -> None:
        while self._running:
            try:
                data, _ = self.rx.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            t = time.monotonic()
            try:
                msg = OscMessage(data)
                rec = Received(t, msg.address, tuple(msg.params), raw_typetags(data))
            except Exception:
                rec = Received(t, "?", (data,), "")
            if rec.address == P.CHORD.path:
                frame, frames, symbol, *pitches = rec.args
                self._store(frame, frames, symbol, tuple(pitches), t)
            elif rec.address == P.NOCHORD.path:
                self._store(rec.args[0], 1, None, (), t)
            with self._cond:
                self.received.append(rec)
                self._cond.notify_all()
            if self.on_receive is not None:
                self.on_receive(rec)

    def _store(self, frame: int, frames: int, symbol, pitches, t: float) -> None:
        old = self.chords.get(frame)
        self.chords[frame] = StoredChord(frames, symbol, pitches, t, old.first_t if old else t)
        for f in range(frame, frame + max(frames, 1)):
            self.covered_at.setdefault(f, t)

    def wait_for(self, address: str, predicate: Callable[[Received], bool] | None = None,
                 timeout: float = 5.0, since: int = 0) -> Received:
        """The first message to ``address`` (matching ``predicate``) among those received from index
        ``since`` on; waits up to ``timeout`` seconds, then raises ``TimeoutError``."""
        deadline = time.monotonic() + timeout
        i = since
        with self._cond:
            while True:
                while i < len(self.received):
                    r = self.received[i]
                    i += 1
                    if r.address == address and (predicate is None or predicate(r)):
                        return r
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {address} within {timeout} s")
                self._cond.wait(left)

    def messages(self, address: str | None = None) -> list[Received]:
        with self._cond:
            return [r for r in self.received if address is None or r.address == address]

    def coverage(self, since: float = 0.0, newest: bool = False) -> dict[int, float]:
        """Frame -> when the device first knew what plays there (messages received after ``since``);
        ``newest``: when it last heard of it, i.e. which word it plays there now.

        ``/jam/chord f n`` covers frames f..f+n-1; ``/jam/nochord f`` means silence from f until the next
        chord the device hears of, so it covers f up to the first chord run starting after f.
        """
        msgs = [r for r in self.messages() if r.t >= since and r.address in (P.CHORD.path, P.NOCHORD.path)]
        starts = sorted({r.args[0] for r in msgs if r.address == P.CHORD.path})
        first: dict[int, float] = {}
        for r in msgs:
            f = r.args[0]
            if r.address == P.CHORD.path:
                end = f + max(int(r.args[1]), 1)
            else:
                i = bisect.bisect_right(starts, f)
                end = starts[i] if i < len(starts) else f + 1
            for x in range(f, end):
                if x not in first or (r.t > first[x] if newest else r.t < first[x]):
                    first[x] = r.t
        return first

    def chord_at(self, frame: int) -> str | None:
        """The symbol sounding at ``frame`` as the device would play it (latest run starting at or before
        it, within its length); None if silent or unknown."""
        for f in range(frame, frame - 64, -1):
            c = self.chords.get(f)
            if c is not None:
                return c.symbol if (c.symbol is None or frame < f + c.frames) else None
        return None

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=1.0)
        self.rx.close()
        self.tx.close()

    def __enter__(self) -> "JamClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def free_port() -> int:
    """A UDP port on 127.0.0.1 that nothing holds right now (for benches that start a daemon)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def probe(port: int, host: str = P.DEFAULT_HOST, timeout: float = 0.5) -> bool:
    """Does a bridge answer ``/jam/ping`` on ``host:port``? What the device's launcher asks before it
    starts one (``max_patches/jam_launcher.js``), from a socket of its own and without registering."""
    seq = int(time.monotonic_ns() % 2**31)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        s.sendto(encode(P.PING.path, (seq,), "i"), (host, port))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            s.settimeout(left)
            try:
                data = s.recv(1024)
            except (socket.timeout, ConnectionResetError):
                return False
            try:
                msg = OscMessage(data)
            except Exception:
                continue
            if msg.address == P.PONG.path and list(msg.params) == [seq]:
                return True
    return False
